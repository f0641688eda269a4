//! The strict CBOR reader of the token (RFC 8949): one data item head at a time, over borrowed
//! bytes, with every failure a [`TokenError`] naming the part being read.
//!
//! It reads only what CCA tokens contain (integers, byte and text strings, arrays, maps, tags),
//! definite lengths only, every length bounds-checked against the input, so decoding is a
//! list of claims rather than of error conversions. It is hand-written rather than minicbor's
//! general decoder because decoding sits on the verifier's hot path (`BENCHMARKS.md`): a head
//! is one byte match and at most eight argument bytes, and the typed error is built only on
//! the failure path.
//!
//! What it accepts is what the token decoder accepted through minicbor: heads need not be in
//! their shortest form (RFC 8949 §4.2 preferred serialization is a SHOULD for producers, and
//! signatures cover the bytes as received, never a re-encoding); reserved additional
//! information (28..=30) and truncation are not well-formed; an indefinite length where a
//! value is read is the wrong type. Unknown claims are skipped whatever well-formed item they
//! hold, indefinite lengths included.

use crate::error::{Part, TokenError};

/// The most entries a map may have. CCA claim sets have at most a dozen; the bound keeps
/// hostile lengths from meaning anything and duplicate detection cheap.
pub(crate) const MAX_ENTRIES: usize = 32;

/// Major type 0: unsigned integer.
const UNSIGNED: u8 = 0;
/// Major type 1: negative integer.
const NEGATIVE: u8 = 1;
/// Major type 2: byte string.
const BYTES: u8 = 2;
/// Major type 3: text string.
const TEXT: u8 = 3;
/// Major type 4: array.
const ARRAY: u8 = 4;
/// Major type 5: map.
const MAP: u8 = 5;
/// Major type 6: tag.
const TAG: u8 = 6;
/// Not a major type: "an integer, major type 0 or 1", for [`Reader::error_at`].
const INTEGER: u8 = 8;
/// Additional information of an indefinite length (or of the break code in major type 7).
const INDEFINITE: u8 = 31;

/// A read position in borrowed CBOR bytes: what is left to read, a suffix of the input (so
/// a read is a split of that slice, with no offset arithmetic to check).
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    input: &'a [u8],
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { input, rest: input }
    }

    /// The offset of the next item in the input.
    pub(crate) fn position(&self) -> usize {
        self.input.len() - self.rest.len()
    }

    /// How many bytes are left after the current position.
    pub(crate) fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// The not-well-formed error at the current position.
    pub(crate) fn malformed(&self, part: Part) -> TokenError {
        TokenError::Cbor {
            part,
            offset: self.position(),
        }
    }

    /// The major type of the next item, without reading it; `None` at the end of the input.
    pub(crate) fn peek_major(&self) -> Option<u8> {
        self.rest.first().map(|initial| initial >> 5)
    }

    /// Whether the next item is a definite-length item of major type `major`.
    fn next_is(&self, major: u8) -> bool {
        self.rest
            .first()
            .is_some_and(|initial| initial >> 5 == major && initial & 0x1f != INDEFINITE)
    }

    // The reading steps come in two halves. The `try_` half is the hot path: inlined into the
    // claim decoders, it answers `None` for anything but the expected item and then leaves
    // the position where it was. The typed half calls it and, only on `None`, asks the cold
    // `error_at` what exactly is wrong at that position. So no 40-byte error travels through
    // the hot path, and every error is still typed.

    /// The argument of a head of major type `major` with a definite length; `None` (nothing
    /// consumed) for another major type, an indefinite length or a truncated head.
    #[inline(always)]
    fn try_head(&mut self, major: u8) -> Option<u64> {
        let (&initial, after) = self.rest.split_first()?;
        if initial >> 5 != major {
            return None;
        }
        let (value, after) = argument(initial, after)?;
        self.rest = after;
        Some(value)
    }

    /// The next `len` bytes (the contents of a string); `None` past the end.
    #[inline(always)]
    fn try_take(&mut self, len: u64) -> Option<&'a [u8]> {
        let (value, after) = self.rest.split_at_checked(usize::try_from(len).ok()?)?;
        self.rest = after;
        Some(value)
    }

    /// A definite-length string of major type `major`: its contents.
    #[inline(always)]
    fn try_string(&mut self, major: u8) -> Option<&'a [u8]> {
        let start = self.rest;
        let len = self.try_head(major)?;
        let value = self.try_take(len);
        if value.is_none() {
            self.rest = start;
        }
        value
    }

    /// An integer of major type 0 or 1 within the i64 range.
    #[inline(always)]
    fn try_int(&mut self) -> Option<i64> {
        let (&initial, after) = self.rest.split_first()?;
        let negative = match initial >> 5 {
            UNSIGNED => false,
            NEGATIVE => true,
            _ => return None,
        };
        let (value, after) = argument(initial, after)?;
        // -1 - n for a negative integer: within i64 exactly when n is.
        let n = i64::try_from(value).ok()?;
        self.rest = after;
        Some(if negative { -1 - n } else { n })
    }

    /// Why the item at the current position is not a definite-length item of major type
    /// `major` ([`INTEGER`]: 0 or 1 within i64) that fits in the input: not well-formed
    /// (truncated, reserved additional information, invalid UTF-8) or of the wrong type
    /// (another major type, an indefinite-length string or container, an integer beyond
    /// i64), which `expected` describes.
    #[cold]
    #[inline(never)]
    fn error_at(&self, major: u8, part: Part, key: i64, expected: &'static str) -> TokenError {
        let wrong = TokenError::WrongType {
            part,
            key,
            expected,
        };
        let Some((&initial, after)) = self.rest.split_first() else {
            return self.malformed(part);
        };
        let found = initial >> 5;
        let integer = major == INTEGER && found <= NEGATIVE;
        if found != major && !integer {
            return wrong;
        }
        if initial & 0x1f == INDEFINITE && (BYTES..=MAP).contains(&found) {
            return wrong;
        }
        let Some((argument, _)) = argument(initial, after) else {
            return self.malformed(part);
        };
        if integer && i64::try_from(argument).is_err() {
            return wrong;
        }
        // A head that reads: the string it announces runs past the end or is not UTF-8.
        self.malformed(part)
    }

    /// A definite-length map header: its number of entries, at most [`MAX_ENTRIES`].
    #[inline(always)]
    pub(crate) fn map_len(&mut self, part: Part, key: i64) -> Result<usize, TokenError> {
        match self.try_head(MAP) {
            Some(len) if len <= MAX_ENTRIES as u64 => Ok(len as usize),
            Some(_) => Err(TokenError::TooManyEntries {
                part,
                limit: MAX_ENTRIES,
            }),
            None => Err(self.error_at(MAP, part, key, "a definite-length map")),
        }
    }

    /// A definite-length array header: its number of items.
    #[inline(always)]
    pub(crate) fn array_len(&mut self, part: Part, key: i64) -> Result<u64, TokenError> {
        self.try_head(ARRAY)
            .ok_or_else(|| self.error_at(ARRAY, part, key, "a definite-length array"))
    }

    /// A tag head: its number.
    #[inline(always)]
    pub(crate) fn tag(&mut self, part: Part) -> Result<u64, TokenError> {
        self.try_head(TAG)
            .ok_or_else(|| self.error_at(TAG, part, 0, "a tag"))
    }

    /// An integer in the i64 range; `expected` names it in the error.
    #[inline(always)]
    pub(crate) fn int(
        &mut self,
        part: Part,
        key: i64,
        expected: &'static str,
    ) -> Result<i64, TokenError> {
        self.try_int()
            .ok_or_else(|| self.error_at(INTEGER, part, key, expected))
    }

    /// An integer map key (CCA and COSE keys are all integers).
    #[inline(always)]
    pub(crate) fn int_key(&mut self, part: Part) -> Result<i64, TokenError> {
        self.int(part, 0, "a map with integer keys in the i64 range")
    }

    /// An unsigned integer.
    #[inline(always)]
    pub(crate) fn uint(&mut self, part: Part, key: i64) -> Result<u64, TokenError> {
        self.try_head(UNSIGNED)
            .ok_or_else(|| self.error_at(UNSIGNED, part, key, "an unsigned integer"))
    }

    /// A definite-length byte string.
    #[inline(always)]
    pub(crate) fn bytes(&mut self, part: Part, key: i64) -> Result<&'a [u8], TokenError> {
        self.try_string(BYTES)
            .ok_or_else(|| self.error_at(BYTES, part, key, "a definite-length byte string"))
    }

    /// A byte string of exactly `size` bytes (`expected` says it for the error).
    #[inline(always)]
    pub(crate) fn bytes_sized(
        &mut self,
        part: Part,
        key: i64,
        size: usize,
        expected: &'static str,
    ) -> Result<&'a [u8], TokenError> {
        let value = self.bytes(part, key)?;
        if value.len() == size {
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

    /// A definite-length text string; invalid UTF-8 is not well-formed.
    #[inline(always)]
    pub(crate) fn text(&mut self, part: Part, key: i64) -> Result<&'a str, TokenError> {
        self.text_known(part, key, &[])
    }

    /// A text string that is most likely one of `known` (a profile, a hash algorithm name):
    /// a match is answered with the equal constant, which is cheaper than validating UTF-8
    /// (`str::from_utf8`'s set-up dominates for short strings); other text is validated.
    #[inline(always)]
    pub(crate) fn text_known(
        &mut self,
        part: Part,
        key: i64,
        known: &[&'static str],
    ) -> Result<&'a str, TokenError> {
        let start = self.rest;
        let Some(value) = self.try_string(TEXT) else {
            return Err(self.error_at(TEXT, part, key, "a definite-length text string"));
        };
        for name in known {
            if name.as_bytes() == value {
                return Ok(name);
            }
        }
        std::str::from_utf8(value).map_err(|_| {
            self.rest = start;
            self.malformed(part)
        })
    }

    /// Skips one data item of any type (an unknown claim, an unprotected header). The empty
    /// map, which every COSE_Sign1 of a CCA token has as its unprotected header, is one byte.
    #[inline(always)]
    pub(crate) fn skip(&mut self, part: Part) -> Result<(), TokenError> {
        match self.rest.split_first() {
            Some((0xa0, after)) => {
                self.rest = after;
                Ok(())
            }
            _ => self.skip_item(part),
        }
    }

    /// The general case of [`Self::skip`], checking that the item is well-formed: nested
    /// items are counted rather than recursed into, so depth costs nothing. An item with an
    /// indefinite length somewhere inside is handed to minicbor's skip, which tracks the
    /// nesting that needs; no CCA producer emits one.
    fn skip_item(&mut self, part: Part) -> Result<(), TokenError> {
        let item_start = self.position();
        // Items still to skip: each head read takes one and a container adds its contents.
        let mut pending: u64 = 1;
        while pending > 0 {
            pending -= 1;
            let Some((&initial, after)) = self.rest.split_first() else {
                return Err(self.malformed(part));
            };
            let major = initial >> 5;
            if initial & 0x1f == INDEFINITE {
                if major == 7 {
                    // A break code outside an indefinite-length item.
                    return Err(self.malformed(part));
                }
                return self.skip_indefinite(item_start, part);
            }
            let at = self.position();
            let Some((argument, after)) = argument(initial, after) else {
                return Err(self.malformed(part));
            };
            self.rest = after;
            match major {
                BYTES | TEXT => {
                    let Some(value) = self.try_take(argument) else {
                        return Err(TokenError::Cbor { part, offset: at });
                    };
                    if major == TEXT && std::str::from_utf8(value).is_err() {
                        return Err(TokenError::Cbor { part, offset: at });
                    }
                }
                ARRAY | MAP => {
                    // Every item takes at least one byte: a count beyond what is left is a
                    // truncation, and refusing it here keeps `pending` small.
                    let items = if major == MAP {
                        argument.saturating_mul(2)
                    } else {
                        argument
                    };
                    let left = self.rest.len() as u64;
                    if items > left - pending.min(left) {
                        return Err(self.malformed(part));
                    }
                    pending += items;
                }
                TAG => pending += 1,
                // Integers, and simple values and floats (whose argument was their value).
                _ => {}
            }
        }
        Ok(())
    }

    /// Skips the item starting at `start` with minicbor, which accepts indefinite lengths.
    #[cold]
    fn skip_indefinite(&mut self, start: usize, part: Part) -> Result<(), TokenError> {
        let mut decoder = minicbor::Decoder::new(self.input);
        decoder.set_position(start);
        decoder.skip().map_err(|_| TokenError::Cbor {
            part,
            offset: decoder.position(),
        })?;
        self.rest = self.input.get(decoder.position()..).unwrap_or_default();
        Ok(())
    }

    /// Refuses bytes after the current position: the item read must span the whole input.
    pub(crate) fn end(&self, part: Part) -> Result<(), TokenError> {
        match self.rest.len() {
            0 => Ok(()),
            count => Err(TokenError::Trailing { part, count }),
        }
    }

    /// Whether the next item is a definite-length map (the unprotected header must be one).
    pub(crate) fn next_is_map(&self) -> bool {
        self.next_is(MAP)
    }

    /// Whether the next item is a definite-length byte string.
    pub(crate) fn next_is_bytes(&self) -> bool {
        self.next_is(BYTES)
    }

    /// Whether the next item is a definite-length array.
    pub(crate) fn next_is_array(&self) -> bool {
        self.next_is(ARRAY)
    }

    /// Whether `key` is among the first `count` keys of the map whose entries start at
    /// `entries` of this reader's input: how a repeated unknown key is found. Known keys are
    /// caught by their claim slot already being filled, so this scan runs only for keys the
    /// decoder does not know, which no current token has; it needs no table of seen keys.
    pub(crate) fn key_seen(
        &self,
        entries: usize,
        count: usize,
        key: i64,
        part: Part,
    ) -> Result<bool, TokenError> {
        let mut earlier = Reader {
            input: self.input,
            rest: self.input.get(entries..).unwrap_or_default(),
        };
        for _ in 0..count {
            if earlier.int_key(part)? == key {
                return Ok(true);
            }
            earlier.skip(part)?;
        }
        Ok(false)
    }
}

/// The argument of a head whose initial byte is `initial`, and the bytes after the head;
/// `None` if the head is truncated or its additional information is 28..=31. The one- and
/// two-byte arguments (lengths 24..=255, keys such as 265 and 44235) come before the rest.
#[inline(always)]
fn argument(initial: u8, after: &[u8]) -> Option<(u64, &[u8])> {
    let info = initial & 0x1f;
    if info < 24 {
        return Some((u64::from(info), after));
    }
    if info == 24 {
        let (&value, after) = after.split_first()?;
        return Some((u64::from(value), after));
    }
    if info == 25 {
        let (value, after) = after.split_first_chunk::<2>()?;
        return Some((u64::from(u16::from_be_bytes(*value)), after));
    }
    long_argument(info, after)
}

/// A four- or eight-byte argument (additional information 26 or 27).
#[inline(never)]
fn long_argument(info: u8, after: &[u8]) -> Option<(u64, &[u8])> {
    match info {
        26 => {
            let (value, after) = after.split_first_chunk::<4>()?;
            Some((u64::from(u32::from_be_bytes(*value)), after))
        }
        27 => {
            let (value, after) = after.split_first_chunk::<8>()?;
            Some((u64::from_be_bytes(*value), after))
        }
        _ => None,
    }
}

/// Records the value of a claim that must appear once: a filled slot is a duplicate key,
/// found before the repeated value is read (so a duplicate is named as one whatever it holds).
#[inline(always)]
pub(crate) fn once<T>(
    slot: &mut Option<T>,
    part: Part,
    key: i64,
    read: impl FnOnce() -> Result<T, TokenError>,
) -> Result<(), TokenError> {
    if slot.is_some() {
        return Err(TokenError::DuplicateKey { part, key });
    }
    *slot = Some(read()?);
    Ok(())
}

/// Skips the value of an unknown key, after refusing a repeat of the key. `entries` is where
/// the map's entries start and `index` the index of this entry.
pub(crate) fn skip_unknown(
    r: &mut Reader<'_>,
    part: Part,
    key: i64,
    entries: usize,
    index: usize,
) -> Result<(), TokenError> {
    if r.key_seen(entries, index, key, part)? {
        return Err(TokenError::DuplicateKey { part, key });
    }
    r.skip(part)
}

/// `Some(value)` or the missing-claim error.
pub(crate) fn required<T>(value: Option<T>, part: Part, key: i64) -> Result<T, TokenError> {
    value.ok_or(TokenError::Missing { part, key })
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use super::*;
    use proptest::prelude::*;

    const P: Part = Part::Realm;

    fn reader(bytes: &[u8]) -> Reader<'_> {
        Reader::new(bytes)
    }

    #[test]
    fn heads_in_every_argument_size_decode() {
        for (bytes, value) in [
            (&[0x17][..], 23u64),
            (&[0x18, 0x18], 24),
            (&[0x19, 0x01, 0x00], 256),
            (&[0x1a, 0x00, 0x01, 0x00, 0x00], 65536),
            (&[0x1b, 0, 0, 0, 1, 0, 0, 0, 0], 1 << 32),
            (
                &[0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                u64::MAX,
            ),
        ] {
            let mut r = reader(bytes);
            assert_eq!(r.uint(P, 1).unwrap(), value, "{bytes:02x?}");
            r.end(P).unwrap();
        }
        let mut r = reader(&[0x39, 0x01, 0x00]);
        assert_eq!(r.int_key(P).unwrap(), -257);
        let mut r = reader(&[0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(r.int_key(P).unwrap(), i64::MIN);
    }

    #[test]
    fn non_shortest_heads_are_read_as_before() {
        // minicbor accepted them and producers may emit them; the value is what counts.
        for bytes in [
            &[0x18, 0x05][..],
            &[0x19, 0x00, 0x05],
            &[0x1a, 0, 0, 0, 5],
            &[0x1b, 0, 0, 0, 0, 0, 0, 0, 5],
        ] {
            assert_eq!(reader(bytes).uint(P, 1).unwrap(), 5, "{bytes:02x?}");
        }
        let mut r = reader(&[0x58, 0x02, 0xaa, 0xbb]);
        assert_eq!(r.bytes(P, 1).unwrap(), &[0xaa, 0xbb]);
        let mut r = reader(&[0xb8, 0x01, 0x01, 0x02]);
        assert_eq!(r.map_len(P, 0).unwrap(), 1);
    }

    #[test]
    fn truncated_heads_and_strings_are_not_well_formed() {
        for bytes in [
            &[][..],
            &[0x18],
            &[0x19, 0x01],
            &[0x1a, 0, 0, 1],
            &[0x1b, 0, 0, 0, 0, 0, 0, 1],
        ] {
            assert!(
                matches!(reader(bytes).uint(P, 1), Err(TokenError::Cbor { .. })),
                "{bytes:02x?}"
            );
        }
        assert!(matches!(
            reader(&[0x43, 1, 2]).bytes(P, 1),
            Err(TokenError::Cbor { .. })
        ));
        assert!(matches!(
            reader(&[0x63, b'a', b'b']).text(P, 1),
            Err(TokenError::Cbor { .. })
        ));
        assert!(matches!(
            reader(&[0x82, 0x01]).skip(P),
            Err(TokenError::Cbor { .. })
        ));
    }

    #[test]
    fn oversized_lengths_are_refused_without_reading_past_the_end() {
        let huge_bstr = [0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0];
        assert!(matches!(
            reader(&huge_bstr).bytes(P, 1),
            Err(TokenError::Cbor { .. })
        ));
        assert!(matches!(
            reader(&huge_bstr).skip(P),
            Err(TokenError::Cbor { .. })
        ));
        let huge_array = [0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0];
        assert!(matches!(
            reader(&huge_array).skip(P),
            Err(TokenError::Cbor { .. })
        ));
        let huge_map = [0xbb, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0];
        assert!(matches!(
            reader(&huge_map).skip(P),
            Err(TokenError::Cbor { .. })
        ));
        assert_eq!(
            reader(&[0xb8, 33]).map_len(P, 0).unwrap_err(),
            TokenError::TooManyEntries {
                part: P,
                limit: MAX_ENTRIES
            }
        );
        // Integers beyond i64 are the wrong type of key.
        let big = [0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            reader(&big).int_key(P),
            Err(TokenError::WrongType { .. })
        ));
        let big_negative = [0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            reader(&big_negative).int_key(P),
            Err(TokenError::WrongType { .. })
        ));
    }

    #[test]
    fn reserved_additional_information_is_not_well_formed() {
        for initial in [0x1c, 0x1d, 0x1e, 0x5c, 0x7d, 0x9e, 0xbc, 0xdc, 0xfc] {
            let bytes = [initial, 0, 0, 0, 0, 0, 0, 0, 0];
            assert!(
                matches!(reader(&bytes).skip(P), Err(TokenError::Cbor { .. })),
                "{initial:02x}"
            );
        }
        assert!(matches!(
            reader(&[0x1c]).uint(P, 1),
            Err(TokenError::Cbor { .. })
        ));
    }

    #[test]
    fn indefinite_lengths_are_the_wrong_type_where_a_value_is_read() {
        type Read = fn(&mut Reader<'_>) -> Result<(), TokenError>;
        let cases: [(&[u8], Read); 4] = [
            (&[0xbf, 0xff], |r| r.map_len(P, 0).map(drop)),
            (&[0x9f, 0xff], |r| r.array_len(P, 0).map(drop)),
            (&[0x5f, 0x41, 0x00, 0xff], |r| r.bytes(P, 0).map(drop)),
            (&[0x7f, 0x61, b'a', 0xff], |r| r.text(P, 0).map(drop)),
        ];
        for (bytes, read) in cases {
            let mut r = reader(bytes);
            assert!(
                matches!(read(&mut r), Err(TokenError::WrongType { .. })),
                "{bytes:02x?}"
            );
            assert_eq!(r.position(), 0, "nothing consumed on an error");
        }
    }

    #[test]
    fn skip_takes_exactly_one_item() {
        let cases: [&[u8]; 8] = [
            &[0x01],
            &[0x38, 0x20],
            &[0x42, 1, 2],
            &[0x62, b'h', b'i'],
            &[0x83, 0x01, 0x82, 0x02, 0x03, 0x04],
            &[0xa2, 0x01, 0x02, 0x03, 0x80],
            &[0xd8, 0x18, 0x41, 0x00],
            &[0xfb, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0],
        ];
        for bytes in cases {
            let mut input = bytes.to_vec();
            input.push(0x07);
            let mut r = reader(&input);
            r.skip(P).unwrap();
            assert_eq!(r.position(), bytes.len(), "{bytes:02x?}");
        }
        // Indefinite lengths inside skipped items are still accepted, as before.
        let mut r = reader(&[0x9f, 0x01, 0xbf, 0x01, 0x02, 0xff, 0xff, 0x07]);
        r.skip(P).unwrap();
        assert_eq!(r.position(), 7);
        // A lone break code and invalid UTF-8 are not.
        assert!(reader(&[0xff]).skip(P).is_err());
        assert!(reader(&[0x81, 0xff]).skip(P).is_err());
        assert!(reader(&[0x61, 0xff]).skip(P).is_err());
    }

    #[test]
    fn repeated_keys_are_found_known_or_not() {
        // {1: 0, 99: [1, 2], 99: 0}
        let bytes = [0xa3, 0x01, 0x00, 0x18, 99, 0x82, 0x01, 0x02, 0x18, 99, 0x00];
        let mut r = reader(&bytes);
        let entries = r.map_len(P, 0).unwrap();
        let start = r.position();
        let mut known = None;
        let mut error = None;
        for index in 0..entries {
            let key = r.int_key(P).unwrap();
            let result = if key == 1 {
                once(&mut known, P, key, || r.uint(P, key))
            } else {
                skip_unknown(&mut r, P, key, start, index)
            };
            if let Err(e) = result {
                error = Some(e);
                break;
            }
        }
        assert_eq!(error, Some(TokenError::DuplicateKey { part: P, key: 99 }));
        let mut slot = Some(1u64);
        assert_eq!(
            once(&mut slot, P, 7, || Ok(2)),
            Err(TokenError::DuplicateKey { part: P, key: 7 })
        );
    }

    proptest! {
        /// The reader agrees with minicbor, the decoder it replaced, on every value both
        /// accept, and skips exactly the bytes minicbor skips.
        #[test]
        fn agrees_with_minicbor(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            let mut ours = reader(&bytes);
            let mut theirs = minicbor::Decoder::new(&bytes);
            if let (Ok(a), Ok(b)) = (ours.uint(P, 0), theirs.u64()) {
                prop_assert_eq!(a, b);
                prop_assert_eq!(ours.position(), theirs.position());
            }
            let mut ours = reader(&bytes);
            let mut theirs = minicbor::Decoder::new(&bytes);
            match (ours.int_key(P), theirs.i64()) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Ok(a), Err(e)) => prop_assert!(false, "{a} refused by minicbor: {e}"),
                _ => {}
            }
            let mut ours = reader(&bytes);
            let mut theirs = minicbor::Decoder::new(&bytes);
            match (ours.bytes(P, 0), theirs.bytes()) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Ok(_), Err(e)) => prop_assert!(false, "refused by minicbor: {e}"),
                _ => {}
            }
            let mut ours = reader(&bytes);
            let mut theirs = minicbor::Decoder::new(&bytes);
            match (ours.text(P, 0), theirs.str()) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Ok(_), Err(e)) => prop_assert!(false, "refused by minicbor: {e}"),
                _ => {}
            }
            let mut ours = reader(&bytes);
            let mut theirs = minicbor::Decoder::new(&bytes);
            if ours.skip(P).is_ok() {
                prop_assert!(theirs.skip().is_ok());
                prop_assert_eq!(ours.position(), theirs.position());
            }
        }

        /// Any prefix of a well-formed item is refused, never read past.
        #[test]
        fn truncated_items_never_skip(cut in 0usize..40) {
            let item = [
                0xa3, 0x01, 0x63, b'a', b'b', b'c', 0x20, 0x82, 0x58, 0x02, 0xaa, 0xbb, 0xd8,
                0x18, 0x19, 0x01, 0x00, 0x39, 0x01, 0x00, 0x1b, 0, 0, 0, 0, 0, 0, 0, 9,
            ];
            let cut = cut.min(item.len() - 1);
            prop_assert!(reader(&item[..cut]).skip(P).is_err());
            let mut whole = reader(&item);
            prop_assert!(whole.skip(P).is_ok());
            prop_assert_eq!(whole.position(), item.len());
        }
    }
}
