//! TPML_PCR_SELECTION (Part 2, Table 111): which PCRs of which banks a quote covers, as a
//! borrowed view that iterates without allocating.

use crate::raw::{MAX_PCR_BANKS, MAX_PCR_SELECT, PcrSelectionHeader};
use crate::reader::Reader;
use crate::{HashAlgId, TpmError};

/// A validated TPML_PCR_SELECTION: `u32 count ‖ count × (u16 hash ‖ u8 sizeofSelect ‖ bitmap)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcrSelection<'a> {
    /// The selections, after the count; each one was checked when parsed.
    entries: &'a [u8],
    count: usize,
}

/// One bank's selection: bit `n` of byte `k` selects PCR `8k + n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PcrBank<'a> {
    hash: HashAlgId,
    select: &'a [u8],
}

impl<'a> PcrSelection<'a> {
    /// Reads a TPML_PCR_SELECTION at the reader's position.
    pub(crate) fn read(reader: &mut Reader<'a>) -> Result<Self, TpmError> {
        let count = reader.u32("TPML_PCR_SELECTION.count")?;
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        if count > MAX_PCR_BANKS {
            return Err(TpmError::TooLong {
                what: "TPML_PCR_SELECTION.count",
                len: count,
                max: MAX_PCR_BANKS,
            });
        }
        let mut len = 0;
        for _ in 0..count {
            let header: &PcrSelectionHeader = reader.view("TPMS_PCR_SELECTION")?;
            let size = usize::from(header.size_of_select);
            if size > MAX_PCR_SELECT {
                return Err(TpmError::TooLong {
                    what: "TPMS_PCR_SELECTION.sizeofSelect",
                    len: size,
                    max: MAX_PCR_SELECT,
                });
            }
            if HashAlgId::new(header.hash.get()).is_none() {
                return Err(TpmError::Unsupported {
                    what: "PCR bank hash",
                    value: header.hash.get(),
                });
            }
            reader.take(size, "TPMS_PCR_SELECTION.pcrSelect")?;
            len += 3 + size;
        }
        Ok(Self {
            entries: reader.recent(len),
            count,
        })
    }

    /// Parses a complete TPML_PCR_SELECTION.
    ///
    /// # Errors
    /// [`TpmError`] for a malformed or over-long list, or a bank hash of unknown size.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, TpmError> {
        let mut reader = Reader::new(bytes);
        let selection = Self::read(&mut reader)?;
        reader.finish("TPML_PCR_SELECTION")?;
        Ok(selection)
    }

    /// How many banks are listed.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no bank is listed.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The banks, in order.
    pub fn banks(&self) -> impl Iterator<Item = PcrBank<'a>> + use<'a> {
        let mut rest = self.entries;
        std::iter::from_fn(move || {
            let (&[h0, h1, size], tail) = rest.split_first_chunk::<3>()?;
            let (select, tail) = tail.split_at_checked(usize::from(size))?;
            rest = tail;
            // Both were checked in `read`.
            let hash = HashAlgId::new(u16::from_be_bytes([h0, h1]))?;
            Some(PcrBank { hash, select })
        })
    }

    /// Every selected PCR as `(bank, index)`, banks in order, indices ascending: the order in
    /// which the TPM concatenates their values into `pcrDigest`.
    pub fn pcrs(&self) -> impl Iterator<Item = (HashAlgId, u32)> + use<'a> {
        self.banks()
            .flat_map(|bank| bank.indices().map(move |index| (bank.hash(), index)))
    }
}

impl<'a> PcrBank<'a> {
    /// The bank's hash.
    pub fn hash(&self) -> HashAlgId {
        self.hash
    }

    /// The raw bitmap.
    pub fn bitmap(&self) -> &'a [u8] {
        self.select
    }

    /// The selected indices, ascending.
    pub fn indices(&self) -> impl Iterator<Item = u32> + use<'a> {
        self.select.iter().zip(0u32..).flat_map(|(&byte, k)| {
            (0u32..8)
                .filter(move |bit| byte & (1 << bit) != 0)
                .map(move |bit| 8 * k + bit)
        })
    }
}
