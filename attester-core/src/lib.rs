//! The attestation core of `attester`: the contracts every platform backend and verifier
//! shares.
//!
//! - [`Challenge`] and [`Binding`]: what a platform signs, and how it is tied to a TLS session
//!   (the SEAT "expat" binder, `docs/binding.md`).
//! - [`Platform`], [`Capabilities`], [`FillRule`]: what each backend accepts and how the
//!   challenge fills its field (never truncated, never hashed silently).
//! - [`Evidence`] and its wire form, a RATS Conceptual Message Wrapper ([`cmw`]).
//! - [`Attester`] and [`ExtendMeasurement`]: the traits backends implement.
//! - [`crypto`]: the one seam for hashes and signatures (aws-lc-rs or RustCrypto).
//! - [`x509`]: certificate parsing and chain checks to pinned roots, shared by every verifier.
//! - [`Error`] with [`Error::kind`].
//! - [`tsm`]: the Linux configfs-tsm report client shared by the SEV-SNP, TDX and CCA
//!   backends, behind a small filesystem trait so it runs against an emulator in tests.

mod attester;
mod binding;
mod capabilities;
mod challenge;
pub mod cmw;
pub mod cose;
pub mod crypto;
mod error;
mod evidence;
pub mod media_types;
mod platform;
pub mod tsm;
pub mod x509;
pub mod zero;

pub use attester::{Attester, ExtendMeasurement};
pub use binding::{
    BinderHash, Binding, BindingMode, EXPAT_DRAFT_REVISION, EXPAT_EXPORTER_LABEL,
    EXPAT_EXPORTER_LEN, binder,
};
pub use capabilities::{Capabilities, ExtendSupport, FieldValue, FillRule, MAX_FIELD_LEN};
pub use challenge::{Challenge, MAX_CHALLENGE_LEN, MIN_CHALLENGE_LEN};
pub use error::{Check, CheckFailed, Error, ErrorKind, Result, Source};
pub use evidence::{Endorsement, Evidence, Item};
pub use platform::Platform;
