//! The authenticator hash and keys (RFC 9261 §5.1): the Handshake Context and the Finished
//! MAC key, exported from the connection with labels chosen by the sender's role.

use crate::error::Error;
use attester_core::BinderHash;
use rustls::crypto::hash::{Context, Hash, HashAlgorithm};
use rustls::crypto::tls13::{Hkdf, OkmBlock};
use rustls::{Side, SupportedCipherSuite};

/// The exporter label of the Handshake Context of a client's authenticator.
pub const CLIENT_HANDSHAKE_CONTEXT: &str = "EXPORTER-client authenticator handshake context";
/// The exporter label of the Handshake Context of a server's authenticator.
pub const SERVER_HANDSHAKE_CONTEXT: &str = "EXPORTER-server authenticator handshake context";
/// The exporter label of the Finished MAC key of a client's authenticator.
pub const CLIENT_FINISHED_KEY: &str = "EXPORTER-client authenticator finished key";
/// The exporter label of the Finished MAC key of a server's authenticator.
pub const SERVER_FINISHED_KEY: &str = "EXPORTER-server authenticator finished key";

/// A TLS exporter (RFC 8446 §7.5) of one connection's `exporter_master_secret`.
pub trait Exporter {
    /// Fills `out` with `TLS-Exporter(label, context, out.len())`.
    fn export(&self, label: &[u8], context: &[u8], out: &mut [u8]) -> Result<(), Error>;
}

/// The authenticator hash: the negotiated TLS 1.3 suite's HKDF hash, with its HMAC.
#[derive(Clone, Copy)]
pub struct AuthenticatorHash {
    hash: &'static dyn Hash,
    hkdf: &'static dyn Hkdf,
}

impl std::fmt::Debug for AuthenticatorHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuthenticatorHash({:?})", self.hash.algorithm())
    }
}

impl AuthenticatorHash {
    /// The hash of a TLS 1.3 suite; TLS 1.2 suites are refused (attestation needs TLS 1.3).
    pub fn of_suite(suite: SupportedCipherSuite) -> Result<Self, Error> {
        let tls13 = suite
            .tls13()
            .ok_or(Error::Connection("not a TLS 1.3 cipher suite"))?;
        Ok(Self {
            hash: tls13.common.hash_provider,
            hkdf: tls13.hkdf_provider,
        })
    }

    /// Output length in bytes (32 or 48).
    pub fn output_len(&self) -> usize {
        self.hash.output_len()
    }

    /// The binder hash named as in `docs/binding.md`.
    pub fn binder_hash(&self) -> Result<BinderHash, Error> {
        match self.hash.algorithm() {
            HashAlgorithm::SHA256 => Ok(BinderHash::Sha256),
            HashAlgorithm::SHA384 => Ok(BinderHash::Sha384),
            _ => Err(Error::Connection(
                "suite hash is neither SHA-256 nor SHA-384",
            )),
        }
    }

    /// A running `Hash(handshake_context || ...)` to which the messages are added in order.
    pub fn transcript(&self, handshake_context: &[u8]) -> Transcript {
        let mut ctx = self.hash.start();
        ctx.update(handshake_context);
        Transcript { ctx }
    }

    /// `HMAC(key, message)` with the suite hash.
    pub fn hmac(&self, key: &[u8], message: &[u8]) -> Vec<u8> {
        self.hkdf
            .hmac_sign(&OkmBlock::new(key), message)
            .as_ref()
            .to_vec()
    }
}

/// The transcript hash of one authenticator, kept running so that the CertificateVerify hash
/// and the Finished hash share one pass over the Certificate message, which carries the
/// evidence and is the bulk of the bytes.
pub struct Transcript {
    ctx: Box<dyn Context>,
}

impl Transcript {
    /// Appends one message.
    pub fn add(&mut self, message: &[u8]) {
        self.ctx.update(message);
    }

    /// The hash of everything added so far; more may be added afterwards.
    pub fn current(&self) -> Vec<u8> {
        self.ctx.fork_finish().as_ref().to_vec()
    }
}

impl std::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Transcript(..)")
    }
}

/// The two exported values an authenticator of one sender is computed with.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthenticatorKeys {
    /// The Handshake Context.
    pub handshake_context: Vec<u8>,
    /// The Finished MAC key.
    pub finished_key: Vec<u8>,
}

impl std::fmt::Debug for AuthenticatorKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.write_str("AuthenticatorKeys(..)")
    }
}

impl AuthenticatorKeys {
    /// The keys of authenticators sent by `sender`, with an empty exporter context and the
    /// hash's output length.
    pub fn derive(
        exporter: &dyn Exporter,
        hash: &AuthenticatorHash,
        sender: Side,
    ) -> Result<Self, Error> {
        let (context_label, finished_label) = match sender {
            Side::Client => (CLIENT_HANDSHAKE_CONTEXT, CLIENT_FINISHED_KEY),
            Side::Server => (SERVER_HANDSHAKE_CONTEXT, SERVER_FINISHED_KEY),
        };
        let mut handshake_context = vec![0; hash.output_len()];
        exporter.export(context_label.as_bytes(), &[], &mut handshake_context)?;
        let mut finished_key = vec![0; hash.output_len()];
        exporter.export(finished_label.as_bytes(), &[], &mut finished_key)?;
        Ok(Self {
            handshake_context,
            finished_key,
        })
    }
}
