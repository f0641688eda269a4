//! ECDSA signing keys derived from a seed, for the mock backend and test PKIs.
//!
//! NOT for production keys: the whole point is that anyone who knows the seed knows the key.

use std::fmt;

use super::encoding::encode_ec_spki;
use super::{CryptoError, Curve, digest_parts};

/// Domain separation for the scalar derivation; changing it changes every mock key.
const DERIVATION_DOMAIN: &[u8] = b"attester-core ecdsa-key-from-seed v1";

/// How many candidate scalars to try before giving up. The chance that one candidate is out of
/// range is below 2^-32 for P-256 and 2^-190 for P-384, so this is never reached in practice;
/// it only bounds the loop.
const MAX_CANDIDATES: u32 = 64;

/// An ECDSA P-256 or P-384 signing key derived deterministically from a seed and a label.
///
/// Signs with SHA-256 on P-256 and SHA-384 on P-384 and returns fixed `r || s`, like the
/// platforms whose evidence the mock imitates. It signs through the default provider
/// (aws-lc-rs when compiled in, else RustCrypto); with aws-lc-rs signatures are randomised, with
/// RustCrypto deterministic (RFC 6979). Either way they verify under both providers.
pub struct EcdsaSigningKey {
    curve: Curve,
    public: Vec<u8>,
    inner: Inner,
}

#[cfg(feature = "aws-lc")]
type Inner = aws_lc_rs::signature::EcdsaKeyPair;

#[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
enum Inner {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

impl EcdsaSigningKey {
    /// The key for `seed` and `label` on `curve`.
    ///
    /// The scalar is the first candidate in `1..n` of
    /// `SHA-512(domain || curve || counter_be32 || len(seed)_be64 || seed || label)` truncated to
    /// the scalar length, for counter = 0, 1, …; the seed's length is hashed so that
    /// (seed, label) pairs cannot collide by moving bytes between them. The derivation is
    /// stable: mock evidence and test vectors depend on it.
    ///
    /// # Errors
    /// [`CryptoError::Provider`] if the library refuses the derived key (not expected).
    pub fn from_seed(curve: Curve, seed: &[u8], label: &[u8]) -> Result<Self, CryptoError> {
        let scalar = derive_scalar(curve, seed, label)?;
        let scalar = scalar.get(..curve.scalar_len()).unwrap_or(&[]);
        Self::from_scalar(curve, scalar)
    }

    /// The curve of the key.
    pub fn curve(&self) -> Curve {
        self.curve
    }

    /// The public key as an uncompressed SEC1 point `0x04 || X || Y`.
    pub fn public_sec1(&self) -> &[u8] {
        &self.public
    }

    /// The public key as a DER `SubjectPublicKeyInfo` (`id-ecPublicKey`, named curve).
    ///
    /// # Errors
    /// [`CryptoError::Provider`] if encoding fails (not expected).
    pub fn spki_der(&self) -> Result<Vec<u8>, CryptoError> {
        encode_ec_spki(self.curve, &self.public)
            .map_err(|_| CryptoError::Provider("cannot encode the SubjectPublicKeyInfo"))
    }

    /// Signs `message`: SHA-256 on P-256, SHA-384 on P-384; big-endian `r || s`.
    ///
    /// # Errors
    /// [`CryptoError::Provider`] if the library fails to sign (not expected).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.sign_inner(message)
    }

    #[cfg(feature = "aws-lc")]
    fn from_scalar(curve: Curve, scalar: &[u8]) -> Result<Self, CryptoError> {
        use aws_lc_rs::signature::{self as lc, KeyPair};

        let alg = match curve {
            Curve::P256 => &lc::ECDSA_P256_SHA256_FIXED_SIGNING,
            Curve::P384 => &lc::ECDSA_P384_SHA384_FIXED_SIGNING,
        };
        let der = ec_private_key_der(curve, scalar)
            .map_err(|_| CryptoError::Provider("cannot encode the ECPrivateKey"))?;
        let inner = lc::EcdsaKeyPair::from_private_key_der(alg, &der)
            .map_err(|_| CryptoError::Provider("aws-lc-rs refused the derived key"))?;
        let public = inner.public_key().as_ref().to_vec();
        Ok(Self {
            curve,
            public,
            inner,
        })
    }

    #[cfg(feature = "aws-lc")]
    fn sign_inner(&self, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        // aws-lc-rs ignores the RNG argument and draws its nonce internally.
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.inner
            .sign(&rng, message)
            .map(|sig| sig.as_ref().to_vec())
            .map_err(|_| CryptoError::Provider("aws-lc-rs failed to sign"))
    }

    #[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
    fn from_scalar(curve: Curve, scalar: &[u8]) -> Result<Self, CryptoError> {
        let refused = |_| CryptoError::Provider("RustCrypto refused the derived key");
        let (inner, public) = match curve {
            Curve::P256 => {
                let key = p256::ecdsa::SigningKey::from_slice(scalar).map_err(refused)?;
                let public = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
                (Inner::P256(key), public)
            }
            Curve::P384 => {
                let key = p384::ecdsa::SigningKey::from_slice(scalar).map_err(refused)?;
                let public = key.verifying_key().to_sec1_point(false).as_bytes().to_vec();
                (Inner::P384(key), public)
            }
        };
        Ok(Self {
            curve,
            public,
            inner,
        })
    }

    #[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
    fn sign_inner(&self, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        use p256::ecdsa::signature::hazmat::PrehashSigner;

        let failed = |_| CryptoError::Provider("RustCrypto failed to sign");
        let prehash = super::digest(self.curve.default_hash(), message);
        Ok(match &self.inner {
            Inner::P256(key) => {
                let sig: p256::ecdsa::Signature =
                    key.sign_prehash(prehash.as_bytes()).map_err(failed)?;
                sig.to_bytes().to_vec()
            }
            Inner::P384(key) => {
                let sig: p384::ecdsa::Signature =
                    key.sign_prehash(prehash.as_bytes()).map_err(failed)?;
                sig.to_bytes().to_vec()
            }
        })
    }
}

impl fmt::Debug for EcdsaSigningKey {
    // The private scalar is never printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdsaSigningKey")
            .field("curve", &self.curve)
            .field("public", &hex::encode(&self.public))
            .finish_non_exhaustive()
    }
}

/// The derived scalar, big-endian, in the first `curve.scalar_len()` bytes.
pub(crate) fn derive_scalar(
    curve: Curve,
    seed: &[u8],
    label: &[u8],
) -> Result<[u8; 48], CryptoError> {
    let len = curve.scalar_len();
    let curve_name: &[u8] = match curve {
        Curve::P256 => b"P-256",
        Curve::P384 => b"P-384",
    };
    let seed_len = (seed.len() as u64).to_be_bytes();
    for counter in 0..MAX_CANDIDATES {
        let block = digest_parts(
            super::HashAlg::Sha512,
            &[
                DERIVATION_DOMAIN,
                curve_name,
                &counter.to_be_bytes(),
                &seed_len,
                seed,
                label,
            ],
        );
        let candidate = block.as_bytes().get(..len).unwrap_or(&[]);
        let nonzero = candidate.iter().any(|&b| b != 0);
        if candidate.len() == len && nonzero && candidate < curve.order() {
            let mut scalar = [0u8; 48];
            if let Some(head) = scalar.get_mut(..len) {
                head.copy_from_slice(candidate);
            }
            return Ok(scalar);
        }
    }
    Err(CryptoError::Provider("no scalar in range from the seed"))
}

/// An RFC 5915 `ECPrivateKey` (version 1, the scalar, the named curve), which aws-lc-rs loads.
#[cfg(feature = "aws-lc")]
fn ec_private_key_der(curve: Curve, scalar: &[u8]) -> Result<Vec<u8>, der::Error> {
    use der::asn1::OctetStringRef;
    use der::{Encode, Tag, TagNumber};

    use super::encoding::{der_sequence, der_tlv};

    let version = 1u8.to_der()?;
    let private_key = OctetStringRef::new(scalar)?.to_der()?;
    let oid = curve.oid().to_der()?;
    let parameters = der_tlv(
        Tag::ContextSpecific {
            constructed: true,
            number: TagNumber(0),
        },
        &[&oid],
    )?;
    der_sequence(&[&version, &private_key, &parameters])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivation_is_deterministic_and_separates_inputs() {
        let a = derive_scalar(Curve::P256, b"seed", b"label").unwrap();
        assert_eq!(a, derive_scalar(Curve::P256, b"seed", b"label").unwrap());
        assert_ne!(a, derive_scalar(Curve::P256, b"seed", b"labek").unwrap());
        assert_ne!(a, derive_scalar(Curve::P256, b"seedl", b"abel").unwrap());
        assert_ne!(
            a[..32],
            derive_scalar(Curve::P384, b"seed", b"label").unwrap()[..32]
        );
    }

    #[test]
    fn scalar_is_below_the_order() {
        for curve in [Curve::P256, Curve::P384] {
            for i in 0u8..32 {
                let s = derive_scalar(curve, &[i], b"x").unwrap();
                let s = &s[..curve.scalar_len()];
                assert!(s < curve.order());
                assert!(s.iter().any(|&b| b != 0));
            }
        }
    }

    #[test]
    fn public_key_is_pinned() {
        // Pins the derivation: mock vectors break if this changes.
        let key = EcdsaSigningKey::from_seed(Curve::P256, b"attester test seed", b"pin").unwrap();
        assert_eq!(hex::encode(key.public_sec1()), PINNED_P256_PUBLIC);
    }

    // Computed independently (Python: SHA-512 derivation and affine P-256 arithmetic).
    const PINNED_P256_PUBLIC: &str = "041a637a3c5edb92b2e4d91a29400cc988bca6b064ba978bedd82b769e3d9514269a53c9dee4017f1f226a1b0941d29ea341f5d10febada155e22b7e0c170e1fab";

    /// The scalar → public key step of one provider agrees with the other's.
    #[cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
    #[test]
    fn providers_derive_the_same_public_key() {
        for (curve, label) in [(Curve::P256, b"a"), (Curve::P384, b"b")] {
            let key = EcdsaSigningKey::from_seed(curve, b"cross", label).unwrap();
            let scalar = derive_scalar(curve, b"cross", label).unwrap();
            let scalar = &scalar[..curve.scalar_len()];
            let public = match curve {
                Curve::P256 => p256::ecdsa::SigningKey::from_slice(scalar)
                    .unwrap()
                    .verifying_key()
                    .to_sec1_point(false)
                    .as_bytes()
                    .to_vec(),
                Curve::P384 => p384::ecdsa::SigningKey::from_slice(scalar)
                    .unwrap()
                    .verifying_key()
                    .to_sec1_point(false)
                    .as_bytes()
                    .to_vec(),
            };
            assert_eq!(key.public_sec1(), public.as_slice());
        }
    }

    #[test]
    fn signatures_verify_with_the_default_provider() {
        use crate::crypto::{PublicKey, Signature, SignatureAlg, default_provider};
        for curve in [Curve::P256, Curve::P384] {
            let key = EcdsaSigningKey::from_seed(curve, b"sign", b"test").unwrap();
            let sig = key.sign(b"message").unwrap();
            assert_eq!(sig.len(), curve.fixed_signature_len());
            let alg = SignatureAlg::Ecdsa {
                curve,
                hash: curve.default_hash(),
            };
            let spki = key.spki_der().unwrap();
            let provider = default_provider();
            provider
                .verify(
                    alg,
                    PublicKey::Spki(&spki),
                    b"message",
                    Signature::EcdsaFixed(&sig),
                )
                .unwrap();
            assert_eq!(
                provider.verify(
                    alg,
                    PublicKey::Spki(&spki),
                    b"messagf",
                    Signature::EcdsaFixed(&sig)
                ),
                Err(CryptoError::BadSignature)
            );
        }
    }
}
