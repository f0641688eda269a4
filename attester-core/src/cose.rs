//! COSE_Sign1 (RFC 9052 §4.2): a borrowed view that keeps the original bytes of the protected
//! header and payload, because signatures are checked over those bytes and never over a
//! re-encoding; and the encoder the mocks sign with.

use crate::error::{Error, Result};
use minicbor::data::{Tag, Type};
use minicbor::{Decoder, Encoder};

/// The CBOR tag of COSE_Sign1.
pub const TAG_COSE_SIGN1: u64 = 18;
/// The CBOR tag of a CWT (RFC 8392), which may wrap a tagged COSE_Sign1.
pub const TAG_CWT: u64 = 61;
/// COSE algorithm ES256 (ECDSA P-256 with SHA-256).
pub const ALG_ES256: i64 = -7;
/// COSE algorithm ES384 (ECDSA P-384 with SHA-384).
pub const ALG_ES384: i64 = -35;
/// COSE algorithm ES512 (ECDSA P-521 with SHA-512).
pub const ALG_ES512: i64 = -36;
/// The COSE header label of the algorithm.
pub const HEADER_ALG: i64 = 1;
/// The COSE header label of the content type.
pub const HEADER_CONTENT_TYPE: i64 = 3;

const WHAT: &str = "COSE_Sign1";

/// A decoded COSE_Sign1, borrowing every part from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sign1<'a> {
    /// The contents of the protected-header bstr (a serialized map, possibly empty).
    pub protected: &'a [u8],
    /// The unprotected header map, as its original CBOR bytes.
    pub unprotected: &'a [u8],
    /// The payload bstr contents (COSE_Sign1 with a detached payload is refused).
    pub payload: &'a [u8],
    /// The signature bstr contents.
    pub signature: &'a [u8],
    /// Whether the message carried tag 18 (and tag 61 before it).
    pub tags: Sign1Tags,
}

/// Which tags preceded the COSE_Sign1 array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Sign1Tags {
    /// Tag 61 (CWT) was present.
    pub cwt: bool,
    /// Tag 18 (COSE_Sign1) was present.
    pub sign1: bool,
}

fn cbor_error(e: minicbor::decode::Error) -> Error {
    Error::malformed(WHAT, e.to_string())
}

impl<'a> Sign1<'a> {
    /// Decodes exactly one COSE_Sign1 (optionally tagged 18, optionally inside tag 61) that
    /// spans all of `bytes`.
    pub fn decode(bytes: &'a [u8]) -> Result<Self> {
        let mut d = Decoder::new(bytes);
        let tags = read_tags(&mut d)?;
        if d.array().map_err(cbor_error)? != Some(4) {
            return Err(Error::malformed(WHAT, "not a definite array of 4 items"));
        }
        let protected = d.bytes().map_err(cbor_error)?;
        let unprotected_start = d.position();
        if d.datatype().map_err(cbor_error)? != Type::Map {
            return Err(Error::malformed(WHAT, "unprotected header is not a map"));
        }
        d.skip().map_err(cbor_error)?;
        let unprotected = bytes
            .get(unprotected_start..d.position())
            .ok_or_else(|| Error::malformed(WHAT, "unprotected header out of bounds"))?;
        if d.datatype().map_err(cbor_error)? != Type::Bytes {
            return Err(Error::malformed(
                WHAT,
                "payload is not a bstr (detached payloads are not accepted)",
            ));
        }
        let payload = d.bytes().map_err(cbor_error)?;
        let signature = d.bytes().map_err(cbor_error)?;
        if d.position() != bytes.len() {
            return Err(Error::malformed(WHAT, "trailing bytes after the message"));
        }
        Ok(Self {
            protected,
            unprotected,
            payload,
            signature,
            tags,
        })
    }

    /// The `alg` of the protected header: the only place it is trusted from.
    pub fn alg(&self) -> Result<i64> {
        protected_int(self.protected, HEADER_ALG)?
            .ok_or_else(|| Error::malformed(WHAT, "protected header has no alg"))
    }

    /// The Sig_structure the signature covers: `["Signature1", protected, h'', payload]`.
    pub fn to_be_signed(&self) -> Vec<u8> {
        to_be_signed(self.protected, self.payload)
    }
}

fn read_tags(d: &mut Decoder<'_>) -> Result<Sign1Tags> {
    let mut tags = Sign1Tags::default();
    if d.datatype().map_err(cbor_error)? == Type::Tag {
        let tag = d.tag().map_err(cbor_error)?.as_u64();
        if tag == TAG_CWT {
            tags.cwt = true;
            if d.datatype().map_err(cbor_error)? != Type::Tag {
                return Err(Error::malformed(WHAT, "tag 61 not followed by tag 18"));
            }
            let inner = d.tag().map_err(cbor_error)?.as_u64();
            if inner != TAG_COSE_SIGN1 {
                return Err(Error::malformed(
                    WHAT,
                    format!("unexpected tag {inner} inside tag 61"),
                ));
            }
            tags.sign1 = true;
        } else if tag == TAG_COSE_SIGN1 {
            tags.sign1 = true;
        } else {
            return Err(Error::malformed(WHAT, format!("unexpected tag {tag}")));
        }
    }
    Ok(tags)
}

/// Reads integer header `label` from a serialized protected-header map; duplicate labels and
/// trailing bytes are errors, an absent label is `None`.
pub fn protected_int(protected: &[u8], label: i64) -> Result<Option<i64>> {
    if protected.is_empty() {
        return Ok(None);
    }
    let mut d = Decoder::new(protected);
    let entries = d
        .map()
        .map_err(cbor_error)?
        .ok_or_else(|| Error::malformed(WHAT, "indefinite protected header map"))?;
    let mut seen: Vec<i64> = Vec::new();
    let mut found = None;
    for _ in 0..entries {
        let key = match d.datatype().map_err(cbor_error)? {
            Type::U8
            | Type::U16
            | Type::U32
            | Type::U64
            | Type::I8
            | Type::I16
            | Type::I32
            | Type::I64 => d.i64().map_err(cbor_error)?,
            _ => {
                // Text labels are legal COSE; none that we read are text.
                d.skip().map_err(cbor_error)?;
                d.skip().map_err(cbor_error)?;
                continue;
            }
        };
        if seen.contains(&key) {
            return Err(Error::malformed(
                WHAT,
                format!("duplicate header label {key}"),
            ));
        }
        seen.push(key);
        if key == label {
            found = Some(d.i64().map_err(cbor_error)?);
        } else {
            d.skip().map_err(cbor_error)?;
        }
    }
    if d.position() != protected.len() {
        return Err(Error::malformed(WHAT, "trailing bytes in protected header"));
    }
    Ok(found)
}

/// The Sig_structure for COSE_Sign1 with empty external AAD.
pub fn to_be_signed(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut e = Encoder::new(Vec::with_capacity(protected.len() + payload.len() + 24));
    // Writing into a Vec cannot fail, so the encoder results carry no information.
    let _ = e
        .array(4)
        .and_then(|e| e.str("Signature1"))
        .and_then(|e| e.bytes(protected))
        .and_then(|e| e.bytes(&[]))
        .and_then(|e| e.bytes(payload));
    e.into_writer()
}

/// The serialized protected header `{1: alg}`.
pub fn protected_alg_header(alg: i64) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = e
        .map(1)
        .and_then(|e| e.i64(HEADER_ALG))
        .and_then(|e| e.i64(alg));
    e.into_writer()
}

/// Encodes a COSE_Sign1 tagged 18 with an empty unprotected header, signing the
/// Sig_structure with `sign`.
pub fn encode_sign1(
    protected: &[u8],
    payload: &[u8],
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    let signature = sign(&to_be_signed(protected, payload))?;
    let mut e = Encoder::new(Vec::with_capacity(
        protected.len() + payload.len() + signature.len() + 16,
    ));
    // Writing into a Vec cannot fail.
    let _ = e
        .tag(Tag::new(TAG_COSE_SIGN1))
        .and_then(|e| e.array(4))
        .and_then(|e| e.bytes(protected))
        .and_then(|e| e.map(0))
        .and_then(|e| e.bytes(payload))
        .and_then(|e| e.bytes(&signature));
    Ok(e.into_writer())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        encode_sign1(&protected_alg_header(ALG_ES384), b"payload", |tbs| {
            assert!(tbs.starts_with(&[0x84, 0x6a]));
            Ok(vec![7; 96])
        })
        .unwrap()
    }

    #[test]
    fn round_trip_keeps_original_bytes() {
        let bytes = sample();
        let msg = Sign1::decode(&bytes).unwrap();
        assert_eq!(msg.payload, b"payload");
        assert_eq!(msg.signature, &[7; 96]);
        assert_eq!(msg.alg().unwrap(), ALG_ES384);
        assert!(msg.tags.sign1 && !msg.tags.cwt);
        assert_eq!(msg.unprotected, &[0xa0]);
    }

    #[test]
    fn cwt_tag_accepted_and_trailing_refused() {
        let mut bytes = vec![0xd8, 61];
        bytes.extend(sample());
        assert!(Sign1::decode(&bytes).unwrap().tags.cwt);
        bytes.push(0);
        assert!(Sign1::decode(&bytes).is_err());
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = sample();
        for len in 0..bytes.len() {
            assert!(Sign1::decode(&bytes[..len]).is_err(), "len {len}");
        }
    }

    #[test]
    fn duplicate_alg_refused() {
        // {1: -35, 1: -7}
        let protected = [0xa2, 0x01, 0x38, 0x22, 0x01, 0x26];
        assert!(protected_int(&protected, HEADER_ALG).is_err());
    }
}
