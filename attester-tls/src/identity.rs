//! The identity an endpoint authenticates with: a certificate chain and its signing key.
//!
//! In expat the trust in this key comes from the attestation (the binder covers its SPKI), so
//! a self-signed certificate made at start-up is the normal case; a CA-issued chain works the
//! same way.

use crate::error::Error;
use attester_core::x509::Certificate;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::sign::SigningKey;
use std::sync::Arc;

/// The key types an identity can be generated with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// ECDSA on P-256 (`ecdsa_secp256r1_sha256`).
    EcdsaP256,
    /// ECDSA on P-384 (`ecdsa_secp384r1_sha384`).
    EcdsaP384,
    /// Ed25519 (`ed25519`).
    Ed25519,
    /// RSA 2048 signing with RSA-PSS (`rsa_pss_rsae_sha256` and friends).
    Rsa2048,
}

impl KeyAlgorithm {
    fn rcgen(self) -> &'static rcgen::SignatureAlgorithm {
        match self {
            Self::EcdsaP256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            Self::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            Self::Ed25519 => &rcgen::PKCS_ED25519,
            Self::Rsa2048 => &rcgen::PKCS_RSA_SHA256,
        }
    }
}

/// A certificate chain (end-entity first) and the end-entity's signing key.
#[derive(Clone)]
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key_der: Arc<PrivateKeyDer<'static>>,
    key: Arc<dyn SigningKey>,
    spki: Vec<u8>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("certificates", &self.chain.len())
            .field("key", &self.key.algorithm())
            .finish()
    }
}

impl Identity {
    /// A fresh key of `algorithm` and a self-signed certificate for `name`.
    pub fn generate(algorithm: KeyAlgorithm, name: &str) -> Result<Self, Error> {
        let key = rcgen::KeyPair::generate_for(algorithm.rcgen()).map_err(rcgen_error)?;
        let params = rcgen::CertificateParams::new(vec![name.to_owned()]).map_err(rcgen_error)?;
        let cert = params.self_signed(&key).map_err(rcgen_error)?;
        let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        Self::new(vec![cert.der().clone()], key_der)
    }

    /// An identity from a DER chain (end-entity first) and the end-entity's private key.
    pub fn new(
        chain: Vec<CertificateDer<'static>>,
        key_der: PrivateKeyDer<'static>,
    ) -> Result<Self, Error> {
        let end_entity = chain.first().ok_or(Error::NoCertificate)?;
        let spki = Certificate::from_der(end_entity)?.spki_der().to_vec();
        let key = provider()
            .key_provider
            .load_private_key(key_der.clone_key())?;
        Ok(Self {
            chain,
            key_der: Arc::new(key_der),
            key,
            spki,
        })
    }

    /// The chain, end-entity first.
    pub fn chain(&self) -> &[CertificateDer<'static>] {
        &self.chain
    }

    /// The end-entity's DER SubjectPublicKeyInfo (what the binder hashes).
    pub fn spki(&self) -> &[u8] {
        &self.spki
    }

    /// The signing key.
    pub fn signing_key(&self) -> &Arc<dyn SigningKey> {
        &self.key
    }

    /// A copy of the private key, for a rustls configuration.
    pub fn private_key(&self) -> PrivateKeyDer<'static> {
        self.key_der.clone_key()
    }
}

/// The crypto provider of this crate's TLS configurations and signature checks.
pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

fn rcgen_error(e: rcgen::Error) -> Error {
    Error::Malformed {
        what: "generated identity",
        reason: e.to_string(),
    }
}
