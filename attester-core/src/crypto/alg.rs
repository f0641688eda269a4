//! The vocabulary of the seam: algorithms, keys and signatures as the platforms hand them over.
//!
//! Keys and signatures stay in the encoding the evidence carries (an SPKI from a certificate, a
//! raw SEC1 point from a TDX quote, a TPM's RSA modulus; fixed `r||s` from COSE and TDX, DER from
//! X.509), so no verifier re-encodes before calling [`Provider::verify`](super::Provider::verify).

use super::HashAlg;

/// A NIST prime curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    /// P-256 (secp256r1, prime256v1).
    P256,
    /// P-384 (secp384r1).
    P384,
}

impl Curve {
    /// The length in bytes of a scalar, a field element, and of `r` and `s` in a fixed signature.
    pub fn scalar_len(self) -> usize {
        match self {
            Self::P256 => 32,
            Self::P384 => 48,
        }
    }

    /// The length of an uncompressed SEC1 point: `0x04 || X || Y`.
    pub fn uncompressed_point_len(self) -> usize {
        1 + 2 * self.scalar_len()
    }

    /// The length of a fixed `r || s` signature.
    pub fn fixed_signature_len(self) -> usize {
        2 * self.scalar_len()
    }

    /// The hash this workspace pairs with the curve when it signs (SHA-256 for P-256, SHA-384
    /// for P-384), as the platforms do.
    pub fn default_hash(self) -> HashAlg {
        match self {
            Self::P256 => HashAlg::Sha256,
            Self::P384 => HashAlg::Sha384,
        }
    }

    /// The order `n` of the base point, big-endian, exactly [`Self::scalar_len`] bytes.
    ///
    /// Both providers see signatures whose `r` and `s` were already checked against it, so
    /// they agree on which signatures are malformed.
    pub(crate) fn order(self) -> &'static [u8] {
        match self {
            Self::P256 => &P256_ORDER,
            Self::P384 => &P384_ORDER,
        }
    }
}

/// The order of P-256 (SEC 2 v2, section 2.4.2; FIPS 186-5 / SP 800-186).
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// The order of P-384 (SEC 2 v2, section 2.5.1; FIPS 186-5 / SP 800-186).
const P384_ORDER: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

/// A signature algorithm: the scheme, and the hash applied to the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlg {
    /// ECDSA over `curve`, the message hashed with `hash` (truncated to the curve as ECDSA does).
    Ecdsa {
        /// The curve of the key.
        curve: Curve,
        /// The message hash.
        hash: HashAlg,
    },
    /// RSASSA-PSS with MGF1 over the same hash, salt length = hash length, trailer 0xBC
    /// (what AMD, TPMs and X.509 `RSASSA-PSS-params` with those values use).
    RsaPss {
        /// The message hash, also used by MGF1.
        hash: HashAlg,
    },
    /// RSASSA-PKCS1-v1_5.
    RsaPkcs1 {
        /// The message hash, named in the DigestInfo.
        hash: HashAlg,
    },
}

impl SignatureAlg {
    /// The hash applied to the message.
    pub fn hash(self) -> HashAlg {
        match self {
            Self::Ecdsa { hash, .. } | Self::RsaPss { hash } | Self::RsaPkcs1 { hash } => hash,
        }
    }

    /// The kind of key the algorithm needs.
    pub fn key_type(self) -> KeyType {
        match self {
            Self::Ecdsa { curve, .. } => KeyType::Ec(curve),
            Self::RsaPss { .. } | Self::RsaPkcs1 { .. } => KeyType::Rsa,
        }
    }
}

/// The kind of a public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// An elliptic-curve key on the curve.
    Ec(Curve),
    /// An RSA key.
    Rsa,
}

/// A public key in the encoding its source uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PublicKey<'a> {
    /// A DER `SubjectPublicKeyInfo` (RFC 5280): `id-ecPublicKey` with a named curve,
    /// `rsaEncryption`, or `id-RSASSA-PSS`.
    Spki(&'a [u8]),
    /// An uncompressed SEC1 point `0x04 || X || Y` on `curve`.
    EcPoint {
        /// The curve of the point.
        curve: Curve,
        /// The encoded point.
        sec1: &'a [u8],
    },
    /// An RSA key from its big-endian modulus and public exponent (leading zeros allowed).
    Rsa {
        /// The modulus.
        n: &'a [u8],
        /// The public exponent.
        e: &'a [u8],
    },
}

/// A signature in the encoding its source uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Signature<'a> {
    /// ECDSA as big-endian `r || s`, each exactly the curve's scalar length (COSE, TDX, SNP
    /// after byte-order conversion).
    EcdsaFixed(&'a [u8]),
    /// ECDSA as a DER `ECDSA-Sig-Value` (X.509, RFC 3279).
    EcdsaDer(&'a [u8]),
    /// RSA (PSS or PKCS#1 v1.5): big-endian, exactly the modulus length.
    Rsa(&'a [u8]),
}
