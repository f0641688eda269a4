//! Randomness from the operating system, the same whichever provider is compiled in.

use super::CryptoError;

/// Fills `out` with random bytes from the operating system.
pub fn random_bytes(out: &mut [u8]) -> Result<(), CryptoError> {
    getrandom::fill(out).map_err(|_| CryptoError::Provider("the OS random source failed"))
}
