//! The crypto seam: every hash, signature check and mock signature in the workspace goes
//! through here, so one feature switches the whole workspace between aws-lc-rs and RustCrypto.
//!
//! - [`HashAlg`], [`digest`], [`digest_parts`]: hashing (always `sha2`).
//! - [`SignatureAlg`], [`PublicKey`], [`Signature`]: algorithms, keys and signatures in the
//!   encodings the platforms use.
//! - [`ParsedKey`] ([`Provider::parse_key`]): a key checked and parsed once, for verifiers
//!   that check many signatures with one key.
//! - [`Provider`] with [`AwsLc`] (feature `aws-lc`, the default) and [`RustCrypto`] (feature
//!   `rustcrypto`); [`default_provider`] picks aws-lc-rs whenever it is compiled in.
//! - [`CryptoError`]: malformed key, malformed signature, or a signature that does not verify —
//!   the same variant from both providers for the same input.
//! - [`EcdsaSigningKey`]: seeded test keys for the mock backend and test PKIs;
//!   [`RsaSigningKey`]: RSASSA-PSS test keys (the mock's AMD-shaped ARK and ASK).

mod alg;
#[cfg(feature = "aws-lc")]
mod aws_lc;
pub(crate) mod encoding;
mod error;
mod hash;
mod parsed;
mod prepare;
mod provider;
mod random;
#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
mod rsa_signing;
#[cfg(feature = "rustcrypto")]
mod rust_crypto;
#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
mod signing;

pub use alg::{Curve, KeyType, PublicKey, Signature, SignatureAlg};
#[cfg(feature = "aws-lc")]
pub use aws_lc::AwsLc;
pub use error::CryptoError;
pub use hash::{Digest, HashAlg, digest, digest_parts};
pub use parsed::ParsedKey;
pub use provider::Provider;
#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
pub use provider::default_provider;
pub use random::random_bytes;
#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
pub use rsa_signing::RsaSigningKey;
#[cfg(feature = "rustcrypto")]
pub use rust_crypto::RustCrypto;
#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
pub use signing::EcdsaSigningKey;
