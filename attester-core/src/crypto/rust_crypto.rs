//! The RustCrypto provider (feature `rustcrypto`): pure Rust, no C toolchain needed.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::BoxedUint;
use rsa::traits::SignatureScheme;

use super::encoding::FixedEcdsa;
use super::parsed::{ParsedKey, ParsedVerifier};
use super::prepare::{
    Prepared, PreparedKey, RSA_MAX_BITS, RSA_MIN_BITS, RsaScheme, prepare, prepare_key,
};
use super::{CryptoError, Curve, HashAlg, Provider, PublicKey, Signature, SignatureAlg, digest};

/// Verification through the RustCrypto crates `p256`, `p384` and `rsa`.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCrypto;

impl Provider for RustCrypto {
    fn name(&self) -> &'static str {
        "rustcrypto"
    }

    fn verify(
        &self,
        alg: SignatureAlg,
        key: PublicKey<'_>,
        message: &[u8],
        signature: Signature<'_>,
    ) -> Result<(), CryptoError> {
        match prepare(alg, key, signature)? {
            Prepared::Ecdsa {
                curve,
                hash,
                point,
                signature,
            } => {
                // ECDSA truncates or pads the digest to the curve itself (`bits2int`), so any
                // hash pairs with any curve through the prehash interface.
                let prehash = digest(hash, message);
                match curve {
                    Curve::P256 => verify_p256(point, prehash.as_bytes(), signature),
                    Curve::P384 => verify_p384(point, prehash.as_bytes(), signature),
                }
            }
            Prepared::Rsa {
                scheme,
                hash,
                n,
                e,
                signature,
            } => verify_rsa(&rsa_key(n, e)?, scheme, hash, message, signature),
        }
    }

    fn parse_key(&self, alg: SignatureAlg, key: PublicKey<'_>) -> Result<ParsedKey, CryptoError> {
        let prepared = prepare_key(alg, key)?;
        let parsed = match prepared {
            PreparedKey::Ecdsa {
                curve: Curve::P256,
                point,
                ..
            } => RustCryptoKey::P256(
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map_err(|_| CryptoError::MalformedKey("EC point is not on the curve"))?,
            ),
            PreparedKey::Ecdsa {
                curve: Curve::P384,
                point,
                ..
            } => RustCryptoKey::P384(
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map_err(|_| CryptoError::MalformedKey("EC point is not on the curve"))?,
            ),
            PreparedKey::Rsa { n, e, .. } => RustCryptoKey::Rsa(rsa_key(n, e)?),
        };
        Ok(ParsedKey::new(alg, prepared, Box::new(parsed)))
    }
}

/// A RustCrypto key object.
#[derive(Debug)]
enum RustCryptoKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Rsa(rsa::PublicKey),
}

impl ParsedVerifier for RustCryptoKey {
    fn verify(&self, prepared: Prepared<'_>, message: &[u8]) -> Result<(), CryptoError> {
        match (self, prepared) {
            (
                Self::P256(key),
                Prepared::Ecdsa {
                    hash, signature, ..
                },
            ) => verify_prehash_p256(key, digest(hash, message).as_bytes(), signature),
            (
                Self::P384(key),
                Prepared::Ecdsa {
                    hash, signature, ..
                },
            ) => verify_prehash_p384(key, digest(hash, message).as_bytes(), signature),
            (
                Self::Rsa(key),
                Prepared::Rsa {
                    scheme,
                    hash,
                    signature,
                    ..
                },
            ) => verify_rsa(key, scheme, hash, message, signature),
            // `ParsedKey` prepares signatures with the shape the key was parsed for.
            _ => Err(CryptoError::Provider(
                "parsed key used for another algorithm",
            )),
        }
    }
}

fn rsa_key(n: &[u8], e: &[u8]) -> Result<rsa::PublicKey, CryptoError> {
    rsa::PublicKey::new_with_size_limits(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
        RSA_MIN_BITS..=RSA_MAX_BITS,
    )
    .map_err(|_| CryptoError::MalformedKey("RSA key rejected by rsa"))
}

fn verify_rsa(
    key: &rsa::PublicKey,
    scheme: RsaScheme,
    hash: HashAlg,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    let hashed = digest(hash, message);
    let hashed = hashed.as_bytes();
    let result = match (scheme, hash) {
        (RsaScheme::Pss, HashAlg::Sha256) => {
            rsa::Pss::<sha2::Sha256>::new().verify(key, hashed, signature)
        }
        (RsaScheme::Pss, HashAlg::Sha384) => {
            rsa::Pss::<sha2::Sha384>::new().verify(key, hashed, signature)
        }
        (RsaScheme::Pss, HashAlg::Sha512) => {
            rsa::Pss::<sha2::Sha512>::new().verify(key, hashed, signature)
        }
        (RsaScheme::Pkcs1, HashAlg::Sha256) => {
            rsa::Pkcs1v15Sign::new::<sha2::Sha256>().verify(key, hashed, signature)
        }
        (RsaScheme::Pkcs1, HashAlg::Sha384) => {
            rsa::Pkcs1v15Sign::new::<sha2::Sha384>().verify(key, hashed, signature)
        }
        (RsaScheme::Pkcs1, HashAlg::Sha512) => {
            rsa::Pkcs1v15Sign::new::<sha2::Sha512>().verify(key, hashed, signature)
        }
    };
    result.map_err(|_| CryptoError::BadSignature)
}

/// ECDSA verification for one curve crate; the two crates share an API but no trait this crate
/// can name without depending on `ecdsa` and `elliptic-curve` directly.
macro_rules! verify_ecdsa {
    ($name:ident, $prehash:ident, $krate:ident) => {
        fn $name(point: &[u8], prehash: &[u8], signature: FixedEcdsa) -> Result<(), CryptoError> {
            let key = $krate::ecdsa::VerifyingKey::from_sec1_bytes(point)
                .map_err(|_| CryptoError::MalformedKey("EC point is not on the curve"))?;
            $prehash(&key, prehash, signature)
        }

        fn $prehash(
            key: &$krate::ecdsa::VerifyingKey,
            prehash: &[u8],
            signature: FixedEcdsa,
        ) -> Result<(), CryptoError> {
            let signature = $krate::ecdsa::Signature::from_slice(signature.as_bytes())
                .map_err(|_| CryptoError::MalformedSignature("ECDSA r or s is not in 1..n-1"))?;
            key.verify_prehash(prehash, &signature)
                .map_err(|_| CryptoError::BadSignature)
        }
    };
}

verify_ecdsa!(verify_p256, verify_prehash_p256, p256);
verify_ecdsa!(verify_p384, verify_prehash_p384, p384);
