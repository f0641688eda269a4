//! The `TCG_EfiSpecIDEvent` (PFP §10.4.5.1): the data of the first record of a crypto-agile
//! log, which says which digest algorithms every later record carries and their sizes.

use super::algorithm::{AlgorithmId, MAX_DIGEST_LEN};
use super::error::EventLogError;
use super::raw::{AlgorithmSize, SpecIdEventHead};
use zerocopy::FromBytes;

/// The signature of a crypto-agile log's Spec ID event.
pub const SPEC_ID_SIGNATURE: &[u8; 16] = b"Spec ID Event03\0";

/// More algorithms than any TPM implements; a bound that keeps per-record checks cheap (a
/// 16-bit mask tracks which algorithms a record has listed).
pub const MAX_ALGORITHMS: usize = 16;

/// A parsed Spec ID event, borrowing the log.
#[derive(Clone, Copy, Debug)]
pub struct SpecIdEvent<'a> {
    head: &'a SpecIdEventHead,
    algorithms: &'a [AlgorithmSize],
    vendor_info: &'a [u8],
}

fn bad(reason: &'static str) -> EventLogError {
    EventLogError::SpecId { reason }
}

impl<'a> SpecIdEvent<'a> {
    /// Parses the event data of the first record; the data must be exactly the structure.
    pub(crate) fn parse(data: &'a [u8]) -> Result<Self, EventLogError> {
        let (head, rest) =
            SpecIdEventHead::ref_from_prefix(data).map_err(|_| bad("shorter than its header"))?;
        if &head.signature != SPEC_ID_SIGNATURE {
            return Err(bad("signature is not \"Spec ID Event03\""));
        }
        if head.spec_version_major != 2 || head.spec_version_minor != 0 {
            return Err(bad("version is not 2.0"));
        }
        if !matches!(head.uintn_size, 1 | 2) {
            return Err(bad("uintnSize is neither 1 nor 2"));
        }
        let count = usize::try_from(head.number_of_algorithms.get()).unwrap_or(usize::MAX);
        if count == 0 || count > MAX_ALGORITHMS {
            return Err(bad("numberOfAlgorithms is not 1..=16"));
        }
        let (algorithms, rest) = <[AlgorithmSize]>::ref_from_prefix_with_elems(rest, count)
            .map_err(|_| bad("algorithm table runs past the event"))?;
        check_algorithms(algorithms)?;
        let (&vendor_size, vendor_info) = rest
            .split_first()
            .ok_or_else(|| bad("vendorInfoSize missing"))?;
        if vendor_info.len() != usize::from(vendor_size) {
            return Err(bad("vendorInfoSize does not end the event"));
        }
        Ok(Self {
            head,
            algorithms,
            vendor_info,
        })
    }

    /// platformClass (0 client, 1 server).
    pub fn platform_class(&self) -> u32 {
        self.head.platform_class.get()
    }

    /// (specVersionMajor, specVersionMinor, specErrata).
    pub fn spec_version(&self) -> (u8, u8, u8) {
        (
            self.head.spec_version_major,
            self.head.spec_version_minor,
            self.head.spec_errata,
        )
    }

    /// uintnSize: 1 for UINT32, 2 for UINT64.
    pub fn uintn_size(&self) -> u8 {
        self.head.uintn_size
    }

    /// The algorithms every record carries, with their digest sizes, in the log's order.
    pub fn algorithms(&self) -> impl ExactSizeIterator<Item = (AlgorithmId, usize)> + '_ {
        self.algorithms.iter().map(|a| {
            (
                AlgorithmId(a.algorithm_id.get()),
                usize::from(a.digest_size.get()),
            )
        })
    }

    /// The vendor information bytes.
    pub fn vendor_info(&self) -> &'a [u8] {
        self.vendor_info
    }

    /// The position of `algorithm` in the table and its digest size.
    pub(crate) fn lookup(&self, algorithm: u16) -> Option<(usize, usize)> {
        self.algorithms
            .iter()
            .position(|a| a.algorithm_id.get() == algorithm)
            .and_then(|i| {
                let size = self.algorithms.get(i)?.digest_size.get();
                Some((i, usize::from(size)))
            })
    }

    /// The number of algorithms.
    pub(crate) fn len(&self) -> usize {
        self.algorithms.len()
    }
}

/// Known algorithms must have their registered size; unknown ones a size from 1 to 64; no
/// algorithm twice.
fn check_algorithms(algorithms: &[AlgorithmSize]) -> Result<(), EventLogError> {
    for (i, entry) in algorithms.iter().enumerate() {
        let id = AlgorithmId(entry.algorithm_id.get());
        let size = usize::from(entry.digest_size.get());
        match id.digest_len() {
            Some(expected) if expected != size => {
                return Err(bad("a registered algorithm with the wrong digest size"));
            }
            None if size == 0 || size > MAX_DIGEST_LEN => {
                return Err(bad("an algorithm with a digest size outside 1..=64"));
            }
            _ => {}
        }
        let earlier = algorithms.get(..i).unwrap_or(&[]);
        if earlier.iter().any(|e| e.algorithm_id.get() == id.0) {
            return Err(bad("an algorithm listed twice"));
        }
    }
    Ok(())
}
