//! The checks every provider runs before its own arithmetic.
//!
//! Libraries disagree at the edges (aws-lc-rs reports one opaque error for a bad key and a bad
//! signature alike; RustCrypto accepts RSA signatures shorter than the modulus). Deciding key
//! and signature well-formedness here, once, is what lets both providers return the same
//! [`CryptoError`] variant for the same input. What is left to a provider is only what needs
//! curve or modular arithmetic: whether a point is on its curve, and the signature equation.

use super::encoding::{
    FixedEcdsa, RawKey, be_less_than, bit_len, encode_ec_spki, encode_rsa_spki, parse_spki,
    strip_leading_zeros,
};
use super::{CryptoError, Curve, HashAlg, KeyType, PublicKey, Signature, SignatureAlg};

/// The smallest RSA modulus accepted, in bits (TPM AKs and everything newer use 2048 or more).
pub(crate) const RSA_MIN_BITS: usize = 2048;
/// The largest RSA modulus accepted, in bits (AMD's ARK and ASK are 4096).
pub(crate) const RSA_MAX_BITS: usize = 8192;
/// The largest public exponent accepted, in bits; both libraries refuse longer ones.
const RSA_MAX_EXPONENT_BITS: usize = 33;

/// A verification with its inputs checked and normalised.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Prepared<'a> {
    /// ECDSA: an uncompressed point of the right length (not yet known to be on the curve) and
    /// `r, s` in range.
    Ecdsa {
        curve: Curve,
        hash: HashAlg,
        point: &'a [u8],
        signature: FixedEcdsa,
    },
    /// RSA: a modulus of accepted size, an odd exponent, a signature of exactly the modulus
    /// length and numerically below it.
    Rsa {
        scheme: RsaScheme,
        hash: HashAlg,
        n: &'a [u8],
        e: &'a [u8],
        signature: &'a [u8],
    },
}

/// The RSA signature scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RsaScheme {
    Pss,
    Pkcs1,
}

impl PublicKey<'_> {
    /// The type of this key, after checking its encoding (not its arithmetic).
    ///
    /// # Errors
    /// [`CryptoError::MalformedKey`] when the encoding is wrong, [`CryptoError::Unsupported`]
    /// for another algorithm or curve.
    pub fn key_type(&self) -> Result<KeyType, CryptoError> {
        Ok(match raw_key(*self)? {
            RawKey::Ec { curve, .. } => KeyType::Ec(curve),
            RawKey::Rsa { .. } => KeyType::Rsa,
        })
    }

    /// The key as a DER `SubjectPublicKeyInfo` in one canonical form (EC: `id-ecPublicKey`
    /// with the named curve; RSA: `rsaEncryption` with NULL parameters and minimal integers),
    /// so that the same key from a certificate, a PEM file or a TPM public area compares equal.
    /// An `id-RSASSA-PSS` SPKI is returned as given (its parameters restrict the key).
    ///
    /// # Errors
    /// As [`Self::key_type`].
    pub fn to_spki_der(&self) -> Result<Vec<u8>, CryptoError> {
        let encoded = match raw_key(*self)? {
            RawKey::Rsa { pss_only: true, .. } => match self {
                PublicKey::Spki(der) => return Ok(der.to_vec()),
                _ => return Err(CryptoError::MalformedKey("PSS-only key without an SPKI")),
            },
            RawKey::Ec { curve, point } => encode_ec_spki(curve, point),
            RawKey::Rsa { n, e, .. } => encode_rsa_spki(n, e),
        };
        encoded.map_err(|_| CryptoError::MalformedKey("cannot encode the key as an SPKI"))
    }
}

fn raw_key(key: PublicKey<'_>) -> Result<RawKey<'_>, CryptoError> {
    match key {
        PublicKey::Spki(der) => parse_spki(der),
        PublicKey::EcPoint { curve, sec1 } => Ok(RawKey::Ec { curve, point: sec1 }),
        PublicKey::Rsa { n, e } => Ok(RawKey::Rsa {
            n: strip_leading_zeros(n),
            e: strip_leading_zeros(e),
            pss_only: false,
        }),
    }
}

/// A key checked for one algorithm, before any arithmetic: what [`prepare_key`] returns and
/// [`prepare_signature`] checks a signature against.
#[derive(Clone, Copy, Debug)]
pub(crate) enum PreparedKey<'a> {
    /// An uncompressed point of the right length for `curve` (not yet known to be on it).
    Ecdsa {
        curve: Curve,
        hash: HashAlg,
        point: &'a [u8],
    },
    /// A modulus of accepted size and an odd exponent, both without leading zeros.
    Rsa {
        scheme: RsaScheme,
        hash: HashAlg,
        n: &'a [u8],
        e: &'a [u8],
    },
}

/// Checks and normalises the inputs of a verification: the key, then the signature.
pub(crate) fn prepare<'a>(
    alg: SignatureAlg,
    key: PublicKey<'a>,
    signature: Signature<'a>,
) -> Result<Prepared<'a>, CryptoError> {
    let key = prepare_key(alg, key)?;
    prepare_signature(key, signature)
}

/// Checks `key` for `alg`: the first half of [`prepare`], done once for a parsed key.
pub(crate) fn prepare_key(
    alg: SignatureAlg,
    key: PublicKey<'_>,
) -> Result<PreparedKey<'_>, CryptoError> {
    let key = raw_key(key).map_err(|err| match err {
        // A key this crate cannot use is, for the algorithm asked for, a wrong key.
        CryptoError::Unsupported(reason) => CryptoError::MalformedKey(reason),
        other => other,
    })?;
    match alg {
        SignatureAlg::Ecdsa { curve, hash } => {
            let RawKey::Ec {
                curve: key_curve,
                point,
            } = key
            else {
                return Err(CryptoError::MalformedKey("ECDSA needs an EC key"));
            };
            if key_curve != curve {
                return Err(CryptoError::MalformedKey("EC key is on another curve"));
            }
            if point.len() != curve.uncompressed_point_len() || point.first() != Some(&0x04) {
                return Err(CryptoError::MalformedKey(
                    "EC key is not an uncompressed point of the curve's size",
                ));
            }
            Ok(PreparedKey::Ecdsa { curve, hash, point })
        }
        SignatureAlg::RsaPss { hash } | SignatureAlg::RsaPkcs1 { hash } => {
            let scheme = match alg {
                SignatureAlg::RsaPss { .. } => RsaScheme::Pss,
                _ => RsaScheme::Pkcs1,
            };
            let RawKey::Rsa { n, e, pss_only } = key else {
                return Err(CryptoError::MalformedKey("RSA signature needs an RSA key"));
            };
            if pss_only && scheme == RsaScheme::Pkcs1 {
                return Err(CryptoError::MalformedKey("key is restricted to RSASSA-PSS"));
            }
            check_rsa_key(n, e)?;
            Ok(PreparedKey::Rsa { scheme, hash, n, e })
        }
    }
}

/// Checks `signature` against a checked key: the second half of [`prepare`], done for every
/// signature a parsed key verifies.
pub(crate) fn prepare_signature<'a>(
    key: PreparedKey<'a>,
    signature: Signature<'a>,
) -> Result<Prepared<'a>, CryptoError> {
    match key {
        PreparedKey::Ecdsa { curve, hash, point } => {
            let signature = match signature {
                Signature::EcdsaFixed(sig) => FixedEcdsa::from_fixed(curve, sig)?,
                Signature::EcdsaDer(sig) => FixedEcdsa::from_der(curve, sig)?,
                Signature::Rsa(_) => {
                    return Err(CryptoError::MalformedSignature(
                        "RSA signature given for ECDSA",
                    ));
                }
            };
            Ok(Prepared::Ecdsa {
                curve,
                hash,
                point,
                signature,
            })
        }
        PreparedKey::Rsa { scheme, hash, n, e } => {
            let Signature::Rsa(signature) = signature else {
                return Err(CryptoError::MalformedSignature(
                    "ECDSA signature given for RSA",
                ));
            };
            if signature.len() != n.len() {
                return Err(CryptoError::MalformedSignature(
                    "RSA signature is not the modulus length",
                ));
            }
            if !be_less_than(strip_leading_zeros(signature), n) {
                return Err(CryptoError::MalformedSignature(
                    "RSA signature is not below the modulus",
                ));
            }
            Ok(Prepared::Rsa {
                scheme,
                hash,
                n,
                e,
                signature,
            })
        }
    }
}

/// `n` and `e` without leading zeros.
fn check_rsa_key(n: &[u8], e: &[u8]) -> Result<(), CryptoError> {
    let bits = bit_len(n);
    if !(RSA_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(CryptoError::MalformedKey(
            "RSA modulus is not 2048 to 8192 bits",
        ));
    }
    if n.last().is_none_or(|b| b & 1 == 0) {
        return Err(CryptoError::MalformedKey("RSA modulus is even"));
    }
    if e.last().is_none_or(|b| b & 1 == 0) || (e.len() == 1 && e.first() == Some(&1)) {
        return Err(CryptoError::MalformedKey(
            "RSA exponent is not an odd number above 1",
        ));
    }
    if bit_len(e) > RSA_MAX_EXPONENT_BITS {
        return Err(CryptoError::MalformedKey(
            "RSA exponent is longer than 33 bits",
        ));
    }
    Ok(())
}
