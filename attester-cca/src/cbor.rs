//! The few strict CBOR reading steps the token needs, on top of minicbor's borrowed decoder.
//! Every helper maps a decoder failure to [`TokenError`] with the part being read, so the
//! decoding code stays a list of claims rather than of error conversions.

use crate::error::{Part, TokenError};
use minicbor::Decoder;
use minicbor::data::Type;

/// The most entries a claims map may have. CCA claim sets have at most a dozen; a fixed bound
/// lets duplicate detection live on the stack.
pub(crate) const MAX_ENTRIES: usize = 32;

pub(crate) fn cbor(part: Part, d: &Decoder<'_>) -> TokenError {
    TokenError::Cbor {
        part,
        offset: d.position(),
    }
}

pub(crate) fn datatype(d: &Decoder<'_>, part: Part) -> Result<Type, TokenError> {
    d.datatype().map_err(|_| cbor(part, d))
}

/// A definite-length map header; indefinite maps are refused (no CCA producer emits them and
/// they make "exactly these entries" harder to state).
pub(crate) fn map_len(d: &mut Decoder<'_>, part: Part, key: i64) -> Result<usize, TokenError> {
    // Read directly and classify failures afterwards: peeking the type first would parse
    // every header twice on the hot path.
    let wrong = TokenError::WrongType {
        part,
        key,
        expected: "a definite-length map",
    };
    let len = d
        .map()
        .map_err(|e| {
            if e.is_type_mismatch() {
                wrong.clone()
            } else {
                cbor(part, d)
            }
        })?
        .ok_or(wrong)?;
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > MAX_ENTRIES {
        return Err(TokenError::TooManyEntries {
            part,
            limit: MAX_ENTRIES,
        });
    }
    Ok(len)
}

/// A definite-length array header.
pub(crate) fn array_len(d: &mut Decoder<'_>, part: Part, key: i64) -> Result<u64, TokenError> {
    if datatype(d, part)? != Type::Array {
        return Err(TokenError::WrongType {
            part,
            key,
            expected: "a definite-length array",
        });
    }
    d.array()
        .map_err(|_| cbor(part, d))?
        .ok_or(TokenError::WrongType {
            part,
            key,
            expected: "a definite-length array",
        })
}

/// An integer map key (CCA and COSE keys are all integers).
pub(crate) fn int_key(d: &mut Decoder<'_>, part: Part) -> Result<i64, TokenError> {
    d.i64().map_err(|e| {
        if e.is_type_mismatch() || e.is_message() {
            TokenError::WrongType {
                part,
                key: 0,
                expected: "a map with integer keys in the i64 range",
            }
        } else {
            cbor(part, d)
        }
    })
}

/// A definite-length byte string.
pub(crate) fn bytes<'a>(d: &mut Decoder<'a>, part: Part, key: i64) -> Result<&'a [u8], TokenError> {
    d.bytes().map_err(|e| {
        if e.is_type_mismatch() {
            TokenError::WrongType {
                part,
                key,
                expected: "a definite-length byte string",
            }
        } else {
            cbor(part, d)
        }
    })
}

/// A byte string whose length is one of `sizes`.
pub(crate) fn bytes_sized<'a>(
    d: &mut Decoder<'a>,
    part: Part,
    key: i64,
    sizes: &[usize],
    expected: &'static str,
) -> Result<&'a [u8], TokenError> {
    let value = bytes(d, part, key)?;
    if sizes.contains(&value.len()) {
        Ok(value)
    } else {
        Err(TokenError::WrongSize {
            part,
            key,
            len: value.len(),
            expected,
        })
    }
}

/// A definite-length text string.
pub(crate) fn text<'a>(d: &mut Decoder<'a>, part: Part, key: i64) -> Result<&'a str, TokenError> {
    d.str().map_err(|e| {
        if e.is_type_mismatch() {
            TokenError::WrongType {
                part,
                key,
                expected: "a definite-length text string",
            }
        } else {
            cbor(part, d)
        }
    })
}

/// An unsigned integer.
pub(crate) fn uint(d: &mut Decoder<'_>, part: Part, key: i64) -> Result<u64, TokenError> {
    d.u64().map_err(|e| {
        if e.is_type_mismatch() || e.is_message() {
            TokenError::WrongType {
                part,
                key,
                expected: "an unsigned integer",
            }
        } else {
            cbor(part, d)
        }
    })
}

/// Skips one data item of any type (unknown claims).
pub(crate) fn skip(d: &mut Decoder<'_>, part: Part) -> Result<(), TokenError> {
    d.skip().map_err(|_| cbor(part, d))
}

/// Refuses bytes after the decoder's position.
pub(crate) fn end(d: &Decoder<'_>, input_len: usize, part: Part) -> Result<(), TokenError> {
    match input_len.checked_sub(d.position()) {
        Some(0) => Ok(()),
        Some(count) => Err(TokenError::Trailing { part, count }),
        None => Err(cbor(part, d)),
    }
}

/// The keys already seen in one map, on the stack.
pub(crate) struct Seen {
    keys: [i64; MAX_ENTRIES],
    len: usize,
}

impl Seen {
    pub(crate) fn new() -> Self {
        Self {
            keys: [0; MAX_ENTRIES],
            len: 0,
        }
    }

    /// Records `key`, refusing a repeat.
    pub(crate) fn insert(&mut self, part: Part, key: i64) -> Result<(), TokenError> {
        let seen = self.keys.get(..self.len).unwrap_or(&[]);
        if seen.contains(&key) {
            return Err(TokenError::DuplicateKey { part, key });
        }
        let slot = self
            .keys
            .get_mut(self.len)
            .ok_or(TokenError::TooManyEntries {
                part,
                limit: MAX_ENTRIES,
            })?;
        *slot = key;
        self.len += 1;
        Ok(())
    }
}

/// `Some(value)` or the missing-claim error.
pub(crate) fn required<T>(value: Option<T>, part: Part, key: i64) -> Result<T, TokenError> {
    value.ok_or(TokenError::Missing { part, key })
}
