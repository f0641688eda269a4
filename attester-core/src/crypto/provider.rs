//! The provider trait, and the choice of the default provider.

use std::fmt;

use super::{CryptoError, ParsedKey, PublicKey, Signature, SignatureAlg};

/// A signature-verification implementation.
///
/// Object-safe so verifiers take `&dyn Provider` and tests can run every verifier under both
/// implementations. Every implementation first applies the same well-formedness checks to key
/// and signature, so they return the same [`CryptoError`] variant for the same input.
pub trait Provider: Send + Sync + fmt::Debug {
    /// A short stable name (`"aws-lc-rs"`, `"rustcrypto"`).
    fn name(&self) -> &'static str;

    /// Verifies that `signature` is a signature by `key` over `message` with `alg`.
    ///
    /// # Errors
    /// [`CryptoError::MalformedKey`] when the key is not a valid key for `alg` (bad encoding,
    /// not on its curve, another type or curve), [`CryptoError::MalformedSignature`] when the
    /// signature is not a valid encoding for `alg` and the key, [`CryptoError::BadSignature`]
    /// when both are well-formed but the signature does not verify.
    fn verify(
        &self,
        alg: SignatureAlg,
        key: PublicKey<'_>,
        message: &[u8],
        signature: Signature<'_>,
    ) -> Result<(), CryptoError>;

    /// Checks and parses `key` for `alg` once, for verifying many signatures with it (a
    /// verifier's cache of platform keys). [`ParsedKey::verify`] then returns what
    /// [`Provider::verify`] returns for the same inputs.
    ///
    /// # Errors
    /// [`CryptoError::MalformedKey`] as [`Provider::verify`] would return it for this key.
    fn parse_key(&self, alg: SignatureAlg, key: PublicKey<'_>) -> Result<ParsedKey, CryptoError>;
}

#[cfg(not(any(feature = "aws-lc", feature = "rustcrypto")))]
compile_error!(
    "attester-core needs a crypto provider: enable the feature `aws-lc` (the default) or \
     `rustcrypto`"
);

/// The provider verifiers use unless told otherwise: aws-lc-rs when the `aws-lc` feature is on,
/// otherwise RustCrypto.
///
/// Enabling `rustcrypto` next to `aws-lc` only makes [`RustCrypto`](super::RustCrypto)
/// available; it never changes this default, so adding a feature cannot change behaviour
/// elsewhere in a build.
#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
pub fn default_provider() -> &'static dyn Provider {
    #[cfg(feature = "aws-lc")]
    {
        &super::AwsLc
    }
    #[cfg(all(feature = "rustcrypto", not(feature = "aws-lc")))]
    {
        &super::RustCrypto
    }
}
