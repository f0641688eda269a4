//! The CCA attestation token: the collection of a platform token and a realm token (RMM
//! specification DEN0137 A7.2.3), in both encodings RMM has emitted:
//!
//! - tag 399 (RMM 1.0, TF-RMM up to v0.8.0): `{44234: bstr, 44241: bstr}`;
//! - tag 907 (RMM 1.1-alp14 and 2.0, TF-RMM v0.9.0 on): a CMW collection
//!   `{44234: [263, bstr], 44241: [263, bstr], ? 44258: [601, bstr]}`.
//!
//! Either value form is accepted under either tag (the draft-ffm CDDL mixes them). Each bstr
//! holds a tagged COSE_Sign1 whose protected header and payload are kept as the exact bytes
//! received: signatures and the binding are checked over those, never over a re-encoding.

use crate::cbor::{Reader, once, required, skip_unknown};
use crate::claims::{PlatformClaims, RealmClaims};
use crate::error::{Part, TokenError};
use attester_core::cose::{HEADER_ALG, Sign1, Sign1Tags};
use minicbor::Decoder;
use minicbor::data::Type;

/// The legacy collection tag (RMM 1.0).
pub const TAG_COLLECTION_LEGACY: u64 = 399;
/// The CMW collection tag (RMM 1.1-alp14 and later).
pub const TAG_COLLECTION_CMW: u64 = 907;
/// Collection label of the platform token.
pub const LABEL_PLATFORM: i64 = 44234;
/// Collection label of the realm token.
pub const LABEL_REALM: i64 = 44241;
/// Collection label of the RMM 2.0 device claims.
pub const LABEL_DEVICES: i64 = 44258;
/// CoAP content format of `application/eat+cwt`, the type of both tokens in CMW records.
pub const CF_EAT_CWT: u64 = 263;
/// CoAP content format of `application/uccs+cbor`, the type of the device claims.
pub const CF_UCCS: u64 = 601;
/// The COSE_Sign1 tag.
const TAG_SIGN1: u64 = 18;
/// The CBOR major type of tags.
const MAJOR_TAG: u8 = 6;

/// Which tag the collection carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Collection {
    /// Tag 399.
    Legacy,
    /// Tag 907.
    Cmw,
}

impl Collection {
    /// The CBOR tag.
    pub fn tag(self) -> u64 {
        match self {
            Self::Legacy => TAG_COLLECTION_LEGACY,
            Self::Cmw => TAG_COLLECTION_CMW,
        }
    }
}

/// How one collection entry carried its token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryForm {
    /// A bare byte string.
    Bytes,
    /// A CMW record `[content-format, bstr]`.
    CmwRecord {
        /// The content format.
        content_format: u64,
    },
}

/// A signed token: the COSE_Sign1 with its algorithm, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signed<'a> {
    bytes: &'a [u8],
    form: EntryForm,
    message: Sign1<'a>,
    alg: i64,
}

impl<'a> Signed<'a> {
    fn decode(bytes: &'a [u8], form: EntryForm, part: Part) -> Result<Self, TokenError> {
        let message = match read_sign1(bytes) {
            Some(message) => message,
            None => slow_sign1(bytes, part)?,
        };
        let alg = protected_alg(message.protected, part)?;
        Ok(Self {
            bytes,
            form,
            message,
            alg,
        })
    }

    /// The COSE_Sign1 bytes exactly as in the collection.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// How the collection entry carried it.
    pub fn form(&self) -> EntryForm {
        self.form
    }

    /// The COSE_Sign1 view (protected header, payload and signature as received).
    pub fn message(&self) -> &Sign1<'a> {
        &self.message
    }

    /// The COSE algorithm of the protected header.
    pub fn alg(&self) -> i64 {
        self.alg
    }
}

/// The COSE_Sign1 of a collection entry as CCA has it, `18([protected: bstr, unprotected:
/// map, payload: bstr, signature: bstr])` spanning all of `bytes`, read with the crate's reader
/// (this is on the hot path). `None` for anything else, which [`slow_sign1`] then decodes with
/// the core's general decoder to name the error (or to accept a form this fast read does not
/// know, such as an unprotected header holding indefinite-length items).
fn read_sign1(bytes: &[u8]) -> Option<Sign1<'_>> {
    const P: Part = Part::Collection;
    let mut r = Reader::new(bytes);
    if r.tag(P).ok()? != TAG_SIGN1 || r.array_len(P, 0).ok()? != 4 {
        return None;
    }
    let protected = r.bytes(P, 0).ok()?;
    let unprotected_start = r.position();
    if !r.next_is_map() {
        return None;
    }
    r.skip(P).ok()?;
    let unprotected = bytes.get(unprotected_start..r.position())?;
    let payload = r.bytes(P, 0).ok()?;
    let signature = r.bytes(P, 0).ok()?;
    r.end(P).ok()?;
    Some(Sign1 {
        protected,
        unprotected,
        payload,
        signature,
        tags: Sign1Tags {
            cwt: false,
            sign1: true,
        },
    })
}

/// The core's COSE_Sign1 decoding, with its failures made typed: what decides the error of a
/// message [`read_sign1`] refused. CCA messages must carry tag 18 and no CWT tag.
#[cold]
fn slow_sign1(bytes: &[u8], part: Part) -> Result<Sign1<'_>, TokenError> {
    let message = Sign1::decode(bytes).map_err(|_| sign1_error(bytes, part))?;
    if !message.tags.sign1 || message.tags.cwt {
        return Err(TokenError::UnknownTag { part, tag: 0 });
    }
    Ok(message)
}

/// A more precise error than the core's for a COSE_Sign1 that does not decode: the
/// position-free message of the core is replaced by a typed variant.
fn sign1_error(bytes: &[u8], part: Part) -> TokenError {
    let mut d = Decoder::new(bytes);
    match d.datatype() {
        Ok(Type::Tag) => match d.tag() {
            Ok(tag) if tag.as_u64() != TAG_SIGN1 => TokenError::UnknownTag {
                part,
                tag: tag.as_u64(),
            },
            _ => TokenError::WrongType {
                part,
                key: 0,
                expected: "a COSE_Sign1 (tag 18, array of protected, unprotected, payload, signature)",
            },
        },
        Ok(_) => TokenError::WrongType {
            part,
            key: 0,
            expected: "a COSE_Sign1 (tag 18, array of protected, unprotected, payload, signature)",
        },
        Err(_) => TokenError::Cbor {
            part,
            offset: d.position(),
        },
    }
}

/// The `alg` of a serialized protected header, with duplicate labels and trailing bytes
/// refused; read here rather than by the core, which allocates for its duplicate check.
fn protected_alg(protected: &[u8], part: Part) -> Result<i64, TokenError> {
    let mut r = Reader::new(protected);
    let entries = r.map_len(part, HEADER_ALG)?;
    let start = r.position();
    let mut alg = None;
    for index in 0..entries {
        let key = r.int_key(part)?;
        if key == HEADER_ALG {
            once(&mut alg, part, key, || {
                r.int(part, key, "an integer COSE algorithm")
            })?;
        } else {
            skip_unknown(&mut r, part, key, start, index)?;
        }
    }
    r.end(part)?;
    required(alg, part, HEADER_ALG)
}

/// The platform token: its signature envelope and claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformToken<'a> {
    signed: Signed<'a>,
    claims: PlatformClaims<'a>,
}

impl<'a> PlatformToken<'a> {
    /// Decodes a bare platform token (a tagged COSE_Sign1, what TF-A hands to RMM).
    pub fn decode(bytes: &'a [u8]) -> Result<Self, TokenError> {
        Self::decode_entry(bytes, EntryForm::Bytes)
    }

    #[inline(always)]
    fn decode_entry(bytes: &'a [u8], form: EntryForm) -> Result<Self, TokenError> {
        let signed = Signed::decode(bytes, form, Part::Platform)?;
        let claims = PlatformClaims::decode(signed.message.payload)?;
        Ok(Self { signed, claims })
    }

    /// The COSE_Sign1.
    pub fn signed(&self) -> &Signed<'a> {
        &self.signed
    }

    /// The claims.
    pub fn claims(&self) -> &PlatformClaims<'a> {
        &self.claims
    }
}

/// The realm token: its signature envelope and claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RealmToken<'a> {
    signed: Signed<'a>,
    claims: RealmClaims<'a>,
}

impl<'a> RealmToken<'a> {
    /// Decodes a bare realm token (a tagged COSE_Sign1).
    pub fn decode(bytes: &'a [u8]) -> Result<Self, TokenError> {
        Self::decode_entry(bytes, EntryForm::Bytes)
    }

    #[inline(always)]
    fn decode_entry(bytes: &'a [u8], form: EntryForm) -> Result<Self, TokenError> {
        let signed = Signed::decode(bytes, form, Part::Realm)?;
        let claims = RealmClaims::decode(signed.message.payload)?;
        Ok(Self { signed, claims })
    }

    /// The COSE_Sign1.
    pub fn signed(&self) -> &Signed<'a> {
        &self.signed
    }

    /// The claims.
    pub fn claims(&self) -> &RealmClaims<'a> {
        &self.claims
    }
}

/// A decoded CCA attestation token, borrowing every byte from its input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CcaToken<'a> {
    bytes: &'a [u8],
    collection: Collection,
    platform: PlatformToken<'a>,
    realm: RealmToken<'a>,
    device_claims: Option<&'a [u8]>,
    unknown_entries: usize,
}

impl<'a> CcaToken<'a> {
    /// Decodes a whole CCA token: the collection, both COSE_Sign1 messages and all claims.
    ///
    /// Every accessor borrows from `bytes`; the one allocation holds the decoded software
    /// components.
    pub fn decode(bytes: &'a [u8]) -> Result<Self, TokenError> {
        const P: Part = Part::Collection;
        let mut r = Reader::new(bytes);
        match r.peek_major() {
            Some(MAJOR_TAG) => {}
            Some(_) => return Err(TokenError::UnknownTag { part: P, tag: 0 }),
            None => return Err(r.malformed(P)),
        }
        let collection = match r.tag(P)? {
            TAG_COLLECTION_LEGACY => Collection::Legacy,
            TAG_COLLECTION_CMW => Collection::Cmw,
            other => {
                return Err(TokenError::UnknownTag {
                    part: P,
                    tag: other,
                });
            }
        };
        let entries = r.map_len(P, 0)?;
        let start = r.position();
        let mut platform = None;
        let mut realm = None;
        let mut device_claims = None;
        let mut unknown_entries = 0;
        for index in 0..entries {
            let key = r.int_key(P)?;
            match key {
                LABEL_PLATFORM => once(&mut platform, P, key, || entry(&mut r, key, CF_EAT_CWT))?,
                LABEL_REALM => once(&mut realm, P, key, || entry(&mut r, key, CF_EAT_CWT))?,
                LABEL_DEVICES => once(&mut device_claims, P, key, || {
                    Ok(entry(&mut r, key, CF_UCCS)?.1)
                })?,
                _ => {
                    unknown_entries += 1;
                    skip_unknown(&mut r, P, key, start, index)?;
                }
            }
        }
        r.end(P)?;
        // The tokens are decoded once the collection is known to be well-formed, straight
        // into the token built here (decoding them inside the loop moved each twice more).
        Ok(Self {
            bytes,
            collection,
            platform: {
                let (form, entry) = required(platform, P, LABEL_PLATFORM)?;
                PlatformToken::decode_entry(entry, form)?
            },
            realm: {
                let (form, entry) = required(realm, P, LABEL_REALM)?;
                RealmToken::decode_entry(entry, form)?
            },
            device_claims,
            unknown_entries,
        })
    }

    /// The token bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Which collection tag the token carried.
    pub fn collection(&self) -> Collection {
        self.collection
    }

    /// The platform token.
    pub fn platform(&self) -> &PlatformToken<'a> {
        &self.platform
    }

    /// The realm token.
    pub fn realm(&self) -> &RealmToken<'a> {
        &self.realm
    }

    /// The RMM 2.0 device claims (label 44258), undecoded.
    pub fn device_claims(&self) -> Option<&'a [u8]> {
        self.device_claims
    }

    /// How many collection entries had labels this crate does not know (they are skipped).
    pub fn unknown_entries(&self) -> usize {
        self.unknown_entries
    }
}

/// One collection value: a bstr, or a CMW record `[cf, bstr]` whose content format must be
/// `expected_cf`.
#[inline(always)]
fn entry<'a>(
    r: &mut Reader<'a>,
    key: i64,
    expected_cf: u64,
) -> Result<(EntryForm, &'a [u8]), TokenError> {
    const P: Part = Part::Collection;
    if r.next_is_bytes() {
        return Ok((EntryForm::Bytes, r.bytes(P, key)?));
    }
    if !r.next_is_array() {
        if r.peek_major().is_none() {
            return Err(r.malformed(P));
        }
        return Err(TokenError::WrongType {
            part: P,
            key,
            expected: "a byte string or a CMW record",
        });
    }
    if r.array_len(P, key)? != 2 {
        return Err(TokenError::WrongType {
            part: P,
            key,
            expected: "a CMW record of 2 items",
        });
    }
    let content_format = r.uint(P, key)?;
    if content_format != expected_cf {
        return Err(TokenError::BadValue {
            part: P,
            key,
            reason: "CMW record content format is not the one of this entry",
        });
    }
    let value = r.bytes(P, key)?;
    Ok((EntryForm::CmwRecord { content_format }, value))
}
