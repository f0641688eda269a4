//! Attested TLS: a peer proves, after the handshake and whenever asked again, that it runs in
//! a genuine TEE, with evidence bound to *this* connection.
//!
//! - RFC 9261 Exported Authenticators, written here on top of rustls's exporter
//!   ([`authenticator`], [`messages`], [`keys`]).
//! - draft-fossati-seat-expat: the empty `cmw_attestation` extension in the request, the
//!   evidence CMW in the first CertificateEntry, and the binder
//!   `Hash(SPKI || TLS-Exporter("Attestation", certificate_request_context, 32))` as the
//!   platform challenge ([`expat`]).
//! - A length-prefixed framing over the TLS stream ([`frame`]) and a [`Session`] with
//!   `request_attestation` and `attest_on_request`, re-attestation and mutual attestation.
//! - rustls configurations as the draft requires ([`config`]).
//!
//! The protocol, with a sequence diagram, is in `docs/binding.md`.
//!
//! Feature `aws-lc` (default) builds the sessions, identities and configurations with rustls's
//! aws-lc-rs provider; without it only the codecs and the authenticator checks are built.

#![forbid(unsafe_code)]

pub mod authenticator;
pub mod channel;
#[cfg(feature = "aws-lc")]
pub mod config;
mod error;
pub mod expat;
pub mod frame;
#[cfg(feature = "aws-lc")]
mod identity;
pub mod keys;
pub mod messages;
#[cfg(feature = "aws-lc")]
mod session;
mod verifier;
mod wire;

pub use channel::TlsChannel;
pub use error::{Error, ErrorKind};
#[cfg(feature = "aws-lc")]
pub use identity::{Identity, KeyAlgorithm};
#[cfg(feature = "aws-lc")]
pub use session::{Attested, CONTEXT_LEN, Incoming, Served, Session, SessionConfig};
pub use verifier::EvidenceVerifier;
