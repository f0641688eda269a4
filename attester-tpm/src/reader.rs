//! A big-endian cursor over a TPM structure: every read checks the bytes are there, every
//! `TPM2B` its maximum, so no parser indexes a slice.

use zerocopy::{FromBytes, Immutable, KnownLayout, Unaligned};

use crate::TpmError;

pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    pub(crate) fn take(&mut self, len: usize, what: &'static str) -> Result<&'a [u8], TpmError> {
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        let taken = rest.get(..len).ok_or(TpmError::Truncated {
            what,
            offset: self.pos,
            need: len.saturating_sub(rest.len()),
        })?;
        self.pos += len;
        Ok(taken)
    }

    pub(crate) fn view<T>(&mut self, what: &'static str) -> Result<&'a T, TpmError>
    where
        T: FromBytes + KnownLayout + Immutable + Unaligned,
    {
        let bytes = self.take(size_of::<T>(), what)?;
        // `take` returned exactly size_of::<T>() bytes and T has alignment 1.
        T::ref_from_bytes(bytes).map_err(|_| TpmError::Invalid {
            what,
            reason: "layout mismatch",
        })
    }

    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, TpmError> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, TpmError> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    pub(crate) fn u64(&mut self, what: &'static str) -> Result<u64, TpmError> {
        Ok(u64::from_be_bytes(self.array(what)?))
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], TpmError> {
        let bytes = self.take(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// A `TPM2B`: `u16 size ‖ size bytes`, with `size <= max`.
    pub(crate) fn tpm2b(&mut self, what: &'static str, max: usize) -> Result<&'a [u8], TpmError> {
        let len = usize::from(self.u16(what)?);
        if len > max {
            return Err(TpmError::TooLong { what, len, max });
        }
        self.take(len, what)
    }

    /// The `len` bytes just read (ending at the current position).
    pub(crate) fn recent(&self, len: usize) -> &'a [u8] {
        let start = self.pos.saturating_sub(len);
        self.bytes.get(start..self.pos).unwrap_or(&[])
    }

    /// Ends the structure: any byte left is an error.
    pub(crate) fn finish(&self, what: &'static str) -> Result<(), TpmError> {
        match self.bytes.len().saturating_sub(self.pos) {
            0 => Ok(()),
            len => Err(TpmError::TrailingBytes { what, len }),
        }
    }
}
