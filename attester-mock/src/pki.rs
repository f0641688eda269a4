//! NOT SECURE: a test PKI whose keys are derived from a public 32-byte seed.
//!
//! A root CA key signs a self-signed root certificate and the certificate of the attestation
//! key that signs mock evidence. Keys are a pure function of the seed, so every process that
//! knows the seed (the default one is in this file) can trust — and forge — the same roots.
//! Verifiers pin the root by its public key, which is as deterministic as the keys.

use attester_core::crypto::{Curve, EcdsaSigningKey};
use attester_core::x509::build::{CertificateBuilder, RawExtension};
use attester_core::x509::{Certificate, TrustAnchors, oid};
use attester_core::{Result, crypto};
use std::sync::OnceLock;
use time::macros::datetime;

/// The seed of the default mock PKI (`--allow-mock` trusts its root).
pub const DEFAULT_SEED: [u8; 32] = *b"attester mock pki: NOT SECURE v1";

/// The root certificate's subject common name.
pub const ROOT_NAME: &str = "attester mock root CA (NOT SECURE)";
/// The attestation key certificate's subject common name.
pub const ATTESTATION_KEY_NAME: &str = "attester mock attestation key (NOT SECURE)";

/// The root certificate of the default PKI, made once per process.
static DEFAULT_ROOT: OnceLock<Vec<u8>> = OnceLock::new();

/// The root certificate (DER) of the [`DEFAULT_SEED`] PKI: what `--allow-mock` trusts.
///
/// Derived once per process; verifiers call this on every verification.
pub fn default_root_certificate_der() -> Result<&'static [u8]> {
    if let Some(root) = DEFAULT_ROOT.get() {
        return Ok(root);
    }
    let pki = MockPki::from_default_seed()?;
    Ok(DEFAULT_ROOT.get_or_init(|| pki.root_certificate))
}

/// The seeded root and attestation key.
pub struct MockPki {
    seed: [u8; 32],
    root_key: EcdsaSigningKey,
    root_certificate: Vec<u8>,
    attestation_key: EcdsaSigningKey,
    attestation_certificate: Vec<u8>,
}

impl MockPki {
    /// The PKI of `seed`: a P-384 root CA and a P-384 attestation key certified by it.
    pub fn from_seed(seed: [u8; 32]) -> Result<Self> {
        let root_key = EcdsaSigningKey::from_seed(Curve::P384, &seed, b"mock root")?;
        let attestation_key =
            EcdsaSigningKey::from_seed(Curve::P384, &seed, b"mock attestation key")?;
        let root_certificate =
            template(1, ROOT_NAME, ROOT_NAME, &root_key, true)?.sign_with(&root_key)?;
        let attestation_certificate =
            template(2, ATTESTATION_KEY_NAME, ROOT_NAME, &attestation_key, false)?
                .sign_with(&root_key)?;
        Ok(Self {
            seed,
            root_key,
            root_certificate,
            attestation_key,
            attestation_certificate,
        })
    }

    /// The PKI of [`DEFAULT_SEED`].
    pub fn from_default_seed() -> Result<Self> {
        Self::from_seed(DEFAULT_SEED)
    }

    /// The root certificate, DER.
    pub fn root_certificate_der(&self) -> &[u8] {
        &self.root_certificate
    }

    /// The attestation key's certificate, DER.
    pub fn attestation_certificate_der(&self) -> &[u8] {
        &self.attestation_certificate
    }

    /// The key that signs mock evidence.
    pub fn attestation_key(&self) -> &EcdsaSigningKey {
        &self.attestation_key
    }

    /// The root CA key (platform mocks certify their own intermediates with it).
    pub fn root_key(&self) -> &EcdsaSigningKey {
        &self.root_key
    }

    /// Trust anchors holding this PKI's root.
    pub fn trust_anchors(&self) -> Result<TrustAnchors> {
        let root = Certificate::from_der(&self.root_certificate)?;
        Ok(TrustAnchors::from_certificates([&root]))
    }

    /// The EAT `ueid` of the mock device: RAND type (0x01) and 32 bytes derived from the seed.
    pub fn ueid(&self) -> [u8; 33] {
        let digest = crypto::digest_parts(crypto::HashAlg::Sha256, &[b"mock ueid", &self.seed]);
        let mut ueid = [0u8; 33];
        if let Some((kind, tail)) = ueid.split_first_mut() {
            *kind = 0x01;
            tail.copy_from_slice(digest.as_bytes());
        }
        ueid
    }
}

/// keyUsage keyCertSign and cRLSign (bits 5 and 6): a CA that signs certificates.
const KEY_USAGE_CA: [u8; 4] = [0x03, 0x02, 0x01, 0x06];
/// keyUsage digitalSignature (bit 0): a key that signs evidence.
const KEY_USAGE_SIGNER: [u8; 4] = [0x03, 0x02, 0x07, 0x80];

/// A certificate valid from 2025 with no well-defined expiry (RFC 5280 §4.1.2.5: 9999-12-31).
fn template(
    serial: u8,
    subject: &str,
    issuer: &str,
    key: &EcdsaSigningKey,
    is_ca: bool,
) -> Result<CertificateBuilder> {
    let key_usage = if is_ca {
        KEY_USAGE_CA
    } else {
        KEY_USAGE_SIGNER
    };
    Ok(CertificateBuilder {
        serial: vec![serial],
        subject: format!("CN={subject},O=attester"),
        issuer: format!("CN={issuer},O=attester"),
        not_before: datetime!(2025-01-01 0:00 UTC),
        not_after: datetime!(9999-12-31 23:59:59 UTC),
        spki_der: key.spki_der()?,
        is_ca,
        extensions: vec![RawExtension {
            oid: oid::KEY_USAGE,
            critical: true,
            value: key_usage.to_vec(),
        }],
    })
}
