//! Keys parsed once for many verifications: a verifier that checks every report of one
//! platform key (an SNP VCEK, a CCA platform key) pays for the key's decoding, its curve
//! check and the library's key object once, and per signature only for the signature.

use std::fmt;

use super::prepare::{Prepared, PreparedKey, RsaScheme, prepare_signature};
use super::{CryptoError, Curve, HashAlg, Signature, SignatureAlg};

/// What a provider keeps of a parsed key: the library's own key object.
pub(crate) trait ParsedVerifier: Send + Sync + fmt::Debug {
    /// Verifies a signature already checked against the key by [`prepare_signature`].
    fn verify(&self, prepared: Prepared<'_>, message: &[u8]) -> Result<(), CryptoError>;
}

/// The algorithm-level shape of a parsed key, kept to check each signature against it exactly
/// as a one-shot [`Provider::verify`](super::Provider::verify) would.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Ecdsa { curve: Curve, hash: HashAlg },
    Rsa { scheme: RsaScheme, hash: HashAlg },
}

/// A public key checked for one [`SignatureAlg`] and parsed by one provider, from
/// [`Provider::parse_key`](super::Provider::parse_key).
///
/// [`ParsedKey::verify`] returns exactly what the provider's `verify` would return for the
/// same algorithm, key, message and signature; only the key work is done once.
pub struct ParsedKey {
    alg: SignatureAlg,
    shape: Shape,
    /// The EC point, or the RSA modulus followed by the exponent.
    material: Box<[u8]>,
    /// Where the RSA exponent starts in `material`.
    split: usize,
    verifier: Box<dyn ParsedVerifier>,
}

impl fmt::Debug for ParsedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParsedKey")
            .field("alg", &self.alg)
            .field("verifier", &self.verifier)
            .finish_non_exhaustive()
    }
}

impl ParsedKey {
    /// Wraps a provider's key object with the checked key it was built from.
    pub(crate) fn new(
        alg: SignatureAlg,
        key: PreparedKey<'_>,
        verifier: Box<dyn ParsedVerifier>,
    ) -> Self {
        let (shape, material, split) = match key {
            PreparedKey::Ecdsa { curve, hash, point } => {
                (Shape::Ecdsa { curve, hash }, point.into(), point.len())
            }
            PreparedKey::Rsa { scheme, hash, n, e } => {
                let mut material = Vec::with_capacity(n.len() + e.len());
                material.extend_from_slice(n);
                material.extend_from_slice(e);
                (Shape::Rsa { scheme, hash }, material.into(), n.len())
            }
        };
        Self {
            alg,
            shape,
            material,
            split,
            verifier,
        }
    }

    /// The algorithm the key was parsed for.
    pub fn alg(&self) -> SignatureAlg {
        self.alg
    }

    fn prepared_key(&self) -> PreparedKey<'_> {
        match self.shape {
            Shape::Ecdsa { curve, hash } => PreparedKey::Ecdsa {
                curve,
                hash,
                point: &self.material,
            },
            Shape::Rsa { scheme, hash } => {
                let (n, e) = self.material.split_at(self.split.min(self.material.len()));
                PreparedKey::Rsa { scheme, hash, n, e }
            }
        }
    }

    /// Verifies that `signature` is a signature by this key over `message`.
    ///
    /// # Errors
    /// [`CryptoError::MalformedSignature`] or [`CryptoError::BadSignature`], as the provider's
    /// `verify` would return them.
    pub fn verify(&self, message: &[u8], signature: Signature<'_>) -> Result<(), CryptoError> {
        let prepared = prepare_signature(self.prepared_key(), signature)?;
        self.verifier.verify(prepared, message)
    }
}
