//! DER encodings of keys and ECDSA signatures, shared by both providers so that what counts as
//! well-formed is decided once, here, and not by whichever library is compiled in.

use der::asn1::{BitString, ObjectIdentifier, UintRef};
use der::{Decode, Encode, Header, Length, Reader, SliceReader, Tag};
use x509_cert::spki::{
    AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef,
};

use super::{CryptoError, Curve};

/// `id-ecPublicKey` (RFC 5480).
pub(crate) const ID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// `secp256r1` / `prime256v1` (RFC 5480).
pub(crate) const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// `secp384r1` (RFC 5480).
pub(crate) const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// `rsaEncryption` (RFC 8017).
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `id-RSASSA-PSS` (RFC 8017, RFC 4055).
pub(crate) const ID_RSASSA_PSS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");

impl Curve {
    /// The named-curve OID of the curve (RFC 5480).
    pub(crate) fn oid(self) -> ObjectIdentifier {
        match self {
            Self::P256 => SECP256R1,
            Self::P384 => SECP384R1,
        }
    }
}

/// A public key taken apart, before any curve arithmetic.
#[derive(Clone, Copy, Debug)]
pub(crate) enum RawKey<'a> {
    /// A SEC1 point on `curve`, in whatever form the source had (checked later).
    Ec { curve: Curve, point: &'a [u8] },
    /// RSA modulus and exponent, big-endian without leading zero bytes; `pss_only` when the SPKI
    /// restricts the key to RSASSA-PSS.
    Rsa {
        n: &'a [u8],
        e: &'a [u8],
        pss_only: bool,
    },
}

/// Takes a DER `SubjectPublicKeyInfo` apart.
pub(crate) fn parse_spki(der: &[u8]) -> Result<RawKey<'_>, CryptoError> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|_| CryptoError::MalformedKey("not a DER SubjectPublicKeyInfo"))?;
    let key_bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or(CryptoError::MalformedKey(
            "public key BIT STRING has unused bits",
        ))?;
    let oid = spki.algorithm.oid;
    if oid == ID_EC_PUBLIC_KEY {
        let curve_oid = spki
            .algorithm
            .parameters
            .ok_or(CryptoError::MalformedKey("EC key without curve parameters"))?
            .decode_as::<ObjectIdentifier>()
            .map_err(|_| CryptoError::MalformedKey("EC key parameters are not a named curve"))?;
        let curve = if curve_oid == SECP256R1 {
            Curve::P256
        } else if curve_oid == SECP384R1 {
            Curve::P384
        } else {
            return Err(CryptoError::Unsupported(
                "EC key on a curve other than P-256 or P-384",
            ));
        };
        Ok(RawKey::Ec {
            curve,
            point: key_bits,
        })
    } else if oid == RSA_ENCRYPTION || oid == ID_RSASSA_PSS {
        let pss_only = oid == ID_RSASSA_PSS;
        // rsaEncryption requires NULL parameters (RFC 3279); id-RSASSA-PSS keys may carry
        // RSASSA-PSS-params restricting their use (RFC 4055), which signatures name again.
        if !pss_only && spki.algorithm.parameters.is_some_and(|p| !p.is_null()) {
            return Err(CryptoError::MalformedKey(
                "rsaEncryption parameters are not NULL",
            ));
        }
        let (n, e) = parse_rsa_public_key(key_bits)?;
        Ok(RawKey::Rsa { n, e, pss_only })
    } else {
        Err(CryptoError::Unsupported(
            "public key algorithm other than EC or RSA",
        ))
    }
}

/// Takes a DER `RSAPublicKey` (RFC 8017 A.1.1) apart into `(n, e)` without leading zeros.
pub(crate) fn parse_rsa_public_key(der: &[u8]) -> Result<(&[u8], &[u8]), CryptoError> {
    let parse = || -> der::Result<(&[u8], &[u8])> {
        let mut reader = SliceReader::new(der)?;
        let (n, e) = reader.sequence(|r| {
            let n = UintRef::decode(r)?;
            let e = UintRef::decode(r)?;
            Ok::<_, der::Error>((n.as_bytes(), e.as_bytes()))
        })?;
        reader.finish()?;
        Ok((n, e))
    };
    parse().map_err(|_| CryptoError::MalformedKey("not a DER RSAPublicKey"))
}

/// The DER `RSAPublicKey` for `n` and `e` (big-endian, leading zeros allowed).
pub(crate) fn encode_rsa_public_key(n: &[u8], e: &[u8]) -> Result<Vec<u8>, der::Error> {
    let n = UintRef::new(strip_leading_zeros(n))?.to_der()?;
    let e = UintRef::new(strip_leading_zeros(e))?.to_der()?;
    der_sequence(&[&n, &e])
}

/// The DER SPKI of an uncompressed point on `curve`.
pub(crate) fn encode_ec_spki(curve: Curve, point: &[u8]) -> Result<Vec<u8>, der::Error> {
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ID_EC_PUBLIC_KEY,
            parameters: Some(der::Any::encode_from(&curve.oid())?),
        },
        subject_public_key: BitString::from_bytes(point)?,
    };
    spki.to_der()
}

/// The DER SPKI (`rsaEncryption`, NULL parameters) of the RSA key `n`, `e`.
pub(crate) fn encode_rsa_spki(n: &[u8], e: &[u8]) -> Result<Vec<u8>, der::Error> {
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: RSA_ENCRYPTION,
            parameters: Some(der::Any::null()),
        },
        subject_public_key: BitString::from_bytes(&encode_rsa_public_key(n, e)?)?,
    };
    spki.to_der()
}

/// A DER SEQUENCE around already-encoded elements.
pub(crate) fn der_sequence(parts: &[&[u8]]) -> Result<Vec<u8>, der::Error> {
    der_tlv(Tag::Sequence, parts)
}

/// A DER TLV of `tag` around already-encoded content.
pub(crate) fn der_tlv(tag: Tag, parts: &[&[u8]]) -> Result<Vec<u8>, der::Error> {
    let content_len: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Header::new(tag, Length::try_from(content_len)?).to_der()?;
    out.reserve(content_len);
    for part in parts {
        out.extend_from_slice(part);
    }
    Ok(out)
}

/// `bytes` without its leading zero bytes (an all-zero input becomes empty).
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or(&[])
}

/// `a < b` for big-endian unsigned integers without leading zero bytes.
pub(crate) fn be_less_than(a: &[u8], b: &[u8]) -> bool {
    (a.len(), a) < (b.len(), b)
}

/// The bit length of a big-endian unsigned integer without leading zero bytes.
pub(crate) fn bit_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        None => 0,
        Some(&top) => bytes.len() * 8 - top.leading_zeros() as usize,
    }
}

/// An ECDSA signature as big-endian `r || s`, each the curve's scalar length.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FixedEcdsa {
    bytes: [u8; 96],
    len: usize,
}

impl FixedEcdsa {
    /// The `r || s` bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// From a fixed `r || s`, checking the length and that `0 < r, s < n`.
    pub(crate) fn from_fixed(curve: Curve, sig: &[u8]) -> Result<Self, CryptoError> {
        let half = curve.scalar_len();
        if sig.len() != curve.fixed_signature_len() {
            return Err(CryptoError::MalformedSignature(
                "fixed ECDSA signature is not twice the curve size",
            ));
        }
        let (r, s) = sig.split_at(half);
        Self::from_scalars(curve, r, s)
    }

    /// From a DER `ECDSA-Sig-Value`, strictly (minimal INTEGERs, nothing after the SEQUENCE).
    pub(crate) fn from_der(curve: Curve, sig: &[u8]) -> Result<Self, CryptoError> {
        let parse = || -> der::Result<(&[u8], &[u8])> {
            let mut reader = SliceReader::new(sig)?;
            let rs = reader.sequence(|seq| {
                let r = UintRef::decode(seq)?;
                let s = UintRef::decode(seq)?;
                Ok::<_, der::Error>((r.as_bytes(), s.as_bytes()))
            })?;
            reader.finish()?;
            Ok(rs)
        };
        let (r, s) =
            parse().map_err(|_| CryptoError::MalformedSignature("not a DER ECDSA-Sig-Value"))?;
        Self::from_scalars(curve, r, s)
    }

    fn from_scalars(curve: Curve, r: &[u8], s: &[u8]) -> Result<Self, CryptoError> {
        let half = curve.scalar_len();
        let order = curve.order();
        let mut bytes = [0u8; 96];
        for (value, offset) in [(r, 0), (s, half)] {
            let value = strip_leading_zeros(value);
            if value.is_empty() || !be_less_than(value, order) {
                return Err(CryptoError::MalformedSignature(
                    "ECDSA r or s is not in 1..n-1",
                ));
            }
            // value < order, so it has at most `half` bytes and the slot exists.
            let start = offset + half - value.len();
            let slot = bytes
                .get_mut(start..offset + half)
                .ok_or(CryptoError::MalformedSignature("ECDSA r or s is too long"))?;
            slot.copy_from_slice(value);
        }
        Ok(Self {
            bytes,
            len: 2 * half,
        })
    }

    /// The DER `ECDSA-Sig-Value` of this signature.
    pub(crate) fn to_der(self, curve: Curve) -> Result<Vec<u8>, der::Error> {
        let (r, s) = self.as_bytes().split_at(curve.scalar_len());
        let r = UintRef::new(strip_leading_zeros(r))?.to_der()?;
        let s = UintRef::new(strip_leading_zeros(s))?.to_der()?;
        der_sequence(&[&r, &s])
    }
}
