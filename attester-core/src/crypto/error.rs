//! Why a signature check or a signing operation failed.

use crate::{Check, CheckFailed, ErrorKind};

/// A failed signature check or signing operation.
///
/// The variant is part of the contract between the providers: for the same input, aws-lc-rs and
/// RustCrypto return the same variant (the cross-provider tests hold them to it). The reasons
/// never contain key material.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The public key is not a valid key for the algorithm: bad DER, a point not on its curve,
    /// an RSA modulus of an unaccepted size, or a key of another type or curve.
    #[error("malformed public key: {0}")]
    MalformedKey(&'static str),
    /// The signature is not a valid encoding for the algorithm and key: wrong length, bad DER,
    /// `r` or `s` out of range, an RSA value not below the modulus.
    #[error("malformed signature: {0}")]
    MalformedSignature(&'static str),
    /// Key and signature are well-formed but the signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// The operation or combination is not available in this build.
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// The crypto library failed where it should not have (for example while loading a key this
    /// crate derived itself).
    #[error("crypto provider failure: {0}")]
    Provider(&'static str),
}

impl CryptoError {
    /// The class of this error: verification for anything wrong with a key or signature (it
    /// parsed as a key or signature field but is not a valid one), unsupported otherwise.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::MalformedKey(_) | Self::MalformedSignature(_) | Self::BadSignature => {
                ErrorKind::Verification
            }
            Self::Unsupported(_) | Self::Provider(_) => ErrorKind::Unsupported,
        }
    }

    /// This error as a failure of `check`, for verifiers that report which check failed.
    pub fn to_check(&self, check: Check) -> CheckFailed {
        CheckFailed::new(check, self.to_string())
    }
}
