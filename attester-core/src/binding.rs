//! How a challenge is tied to a TLS session: the SEAT "expat" binder.
//!
//! `docs/binding.md` is the normative text; this module follows it.

use crate::challenge::Challenge;
use crate::crypto::HashAlg;
use crate::error::{Error, Result};
use der::Decode;
use x509_cert::spki::SubjectPublicKeyInfoRef;

/// The TLS exporter label the expat draft's binding section names.
pub const EXPAT_EXPORTER_LABEL: &str = "Attestation";
/// The length of the exporter value the binder is computed over.
pub const EXPAT_EXPORTER_LEN: usize = 32;
/// The revision of draft-fossati-seat-expat this construction follows.
pub const EXPAT_DRAFT_REVISION: &str =
    "draft-fossati-seat-expat editor's copy 5bd1519 (2026-07-04)";

/// The hash of the binder: the negotiated TLS 1.3 suite's HKDF hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinderHash {
    /// SHA-256 (TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256): a 32-byte binder.
    Sha256,
    /// SHA-384 (TLS_AES_256_GCM_SHA384): a 48-byte binder.
    Sha384,
}

impl BinderHash {
    /// The name used on the command line and in evidence: `sha256` or `sha384`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
        }
    }

    /// Parses `sha256` or `sha384`.
    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "sha256" => Ok(Self::Sha256),
            "sha384" => Ok(Self::Sha384),
            other => Err(Error::malformed(
                "binder hash",
                format!("`{other}` is not sha256 or sha384"),
            )),
        }
    }

    /// The hash algorithm in the crypto seam.
    pub fn hash_alg(self) -> HashAlg {
        match self {
            Self::Sha256 => HashAlg::Sha256,
            Self::Sha384 => HashAlg::Sha384,
        }
    }
}

/// How the challenge was obtained.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum BindingMode {
    /// The challenge was given as is (a verifier's nonce).
    Raw,
    /// `binder = Hash(SPKI_DER || TLS-Exporter(label, certificate_request_context, 32))`.
    TlsExporter {
        /// The hash of the binder.
        hash: BinderHash,
        /// The exporter label the caller's TLS stack used.
        label: String,
    },
}

/// A challenge together with the way it was derived.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Binding {
    mode: BindingMode,
    challenge: Challenge,
}

impl Binding {
    /// A raw challenge.
    pub fn raw(challenge: Challenge) -> Self {
        Self {
            mode: BindingMode::Raw,
            challenge,
        }
    }

    /// The expat binder from a 32-byte exporter value and the DER SubjectPublicKeyInfo of the
    /// authenticating end-entity key, with the standard label `"Attestation"`.
    pub fn tls_exporter(exporter: &[u8], spki_der: &[u8], hash: BinderHash) -> Result<Self> {
        Self::tls_exporter_with_label(exporter, spki_der, hash, EXPAT_EXPORTER_LABEL)
    }

    /// As [`Binding::tls_exporter`], recording a different exporter label (the draft is not
    /// settled between `"Attestation"` and `"Attestation Binding"`). The label is not an input
    /// of the hash: the TLS stack already used it to compute `exporter`.
    pub fn tls_exporter_with_label(
        exporter: &[u8],
        spki_der: &[u8],
        hash: BinderHash,
        label: &str,
    ) -> Result<Self> {
        let binder = binder(exporter, spki_der, hash)?;
        Ok(Self {
            mode: BindingMode::TlsExporter {
                hash,
                label: label.to_owned(),
            },
            challenge: Challenge::new(binder.as_ref())?,
        })
    }

    /// A binding from its parts, as decoded from evidence.
    pub fn from_parts(mode: BindingMode, challenge: Challenge) -> Self {
        Self { mode, challenge }
    }

    /// The challenge the platform signs.
    pub fn challenge(&self) -> &Challenge {
        &self.challenge
    }

    /// How the challenge was derived.
    pub fn mode(&self) -> &BindingMode {
        &self.mode
    }
}

/// `Hash(SPKI_DER || exporter)`, after checking that `exporter` is 32 bytes and `spki_der` one
/// complete DER SubjectPublicKeyInfo with nothing after it.
pub fn binder(exporter: &[u8], spki_der: &[u8], hash: BinderHash) -> Result<crate::crypto::Digest> {
    if exporter.len() != EXPAT_EXPORTER_LEN {
        return Err(Error::malformed(
            "TLS exporter value",
            format!("{} bytes; the expat exporter is 32", exporter.len()),
        ));
    }
    SubjectPublicKeyInfoRef::from_der(spki_der)
        .map_err(|e| Error::malformed("SubjectPublicKeyInfo", e.to_string()))?;
    Ok(crate::crypto::digest_parts(
        hash.hash_alg(),
        &[spki_der, exporter],
    ))
}
