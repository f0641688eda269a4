//! The TLS presentation language on the wire (RFC 8446 §3): big-endian integers and
//! length-prefixed vectors. Reading is strict: every length is checked against what remains
//! and against the vector's declared bounds, and a reader must be consumed exactly.

use crate::error::Error;

/// A cursor over borrowed bytes that never reads past its end.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`; `what` names the structure in errors.
    pub(crate) fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Self { rest: bytes, what }
    }

    fn malformed(&self, reason: String) -> Error {
        Error::Malformed {
            what: self.what,
            reason,
        }
    }

    /// The next `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.rest.len() {
            return Err(self.malformed(format!("needs {n} more bytes, {} remain", self.rest.len())));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    /// A big-endian unsigned integer of `width` bytes (1..=4).
    fn uint(&mut self, width: usize) -> Result<usize, Error> {
        Ok(self
            .take(width)?
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)))
    }

    /// A `uint8`.
    pub(crate) fn u8(&mut self) -> Result<u8, Error> {
        let [b] = self.take(1)? else {
            return Err(self.malformed("short read".into()));
        };
        Ok(*b)
    }

    /// A `uint16`.
    pub(crate) fn u16(&mut self) -> Result<u16, Error> {
        let v = self.uint(2)?;
        u16::try_from(v).map_err(|_| self.malformed("uint16 out of range".into()))
    }

    /// `opaque x<min..max>` with a length prefix of `width` bytes.
    pub(crate) fn vector(
        &mut self,
        width: usize,
        min: usize,
        max: usize,
        field: &str,
    ) -> Result<&'a [u8], Error> {
        let len = self.uint(width)?;
        if len < min || len > max {
            return Err(self.malformed(format!("{field}: length {len} outside {min}..={max}")));
        }
        self.take(len)
    }

    /// How many bytes are left.
    pub(crate) fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// Whether every byte was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Requires that every byte was read.
    pub(crate) fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(self.malformed(format!("{} trailing bytes", self.rest.len())))
        }
    }
}

/// Appends `opaque x<..max>` with a `width`-byte length prefix.
pub(crate) fn put_vector(
    out: &mut Vec<u8>,
    width: usize,
    max: usize,
    body: &[u8],
    what: &'static str,
) -> Result<(), Error> {
    if body.len() > max {
        return Err(Error::TooLarge {
            what,
            len: body.len(),
            max,
        });
    }
    put_uint(out, width, body.len());
    out.extend_from_slice(body);
    Ok(())
}

/// Appends a big-endian unsigned integer of `width` bytes; the caller has bounded `value`.
pub(crate) fn put_uint(out: &mut Vec<u8>, width: usize, value: usize) {
    let bytes = (value as u64).to_be_bytes();
    out.extend(bytes.iter().skip(8usize.saturating_sub(width)));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn vectors_round_trip_and_bounds_hold() {
        let mut out = Vec::new();
        put_vector(&mut out, 3, 0xff_ffff, b"abc", "t").unwrap();
        assert_eq!(out, [0, 0, 3, b'a', b'b', b'c']);
        let mut r = Reader::new(&out, "t");
        assert_eq!(r.vector(3, 1, 10, "x").unwrap(), b"abc");
        r.finish().unwrap();

        let mut r = Reader::new(&[0, 5, 1], "t");
        assert!(r.vector(2, 0, 10, "x").is_err(), "length beyond the input");
        let mut r = Reader::new(&[0, 0], "t");
        assert!(r.vector(2, 1, 10, "x").is_err(), "below the minimum");
        assert!(put_vector(&mut Vec::new(), 1, 255, &[0; 256], "t").is_err());
    }
}
