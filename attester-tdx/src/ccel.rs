//! The CC event log (CCEL): the ACPI `CCEL` table (Intel GHCI §4.3.3) and the log it points
//! at, in the TCG PC Client crypto-agile format (a SHA-1-format "Spec ID Event03" header, then
//! `TCG_PCR_EVENT2` records), and its replay into RTMR0–3.
//!
//! The "PCR index" of each record is the CC measurement register index: 0 = MRTD, 1..=4 =
//! RTMR0..RTMR3 (UEFI 2.10 §38.4.1). Replaying is `RTMR[i-1] = SHA-384(RTMR[i-1] || digest)`
//! from 48 zero bytes, skipping `EV_NO_ACTION`. The log is unauthenticated: it means something
//! only once its replay equals the RTMRs of a verified quote ([`EventLog::check_rtmrs`]).

use attester_core::crypto::{HashAlg, digest_parts};
use attester_core::{Error, Result};
use zerocopy::FromBytes;
use zerocopy::little_endian::{U16, U32, U64};

const WHAT: &str = "CC event log";

/// `EV_NO_ACTION`: not extended into any register.
pub const EV_NO_ACTION: u32 = 3;

/// TPM_ALG_SHA384, the digest TDX firmware logs.
pub const TPM_ALG_SHA384: u16 = 0x000C;

/// The signature of the crypto-agile header event.
const SPEC_ID_SIGNATURE: &[u8; 16] = b"Spec ID Event03\0";

/// The most digest algorithms a header may declare (the TCG registry has far fewer).
const MAX_ALGORITHMS: usize = 16;

/// The size of the ACPI `CCEL` table.
pub const CCEL_TABLE_LEN: usize = 56;

/// The ACPI `CCEL` table (36-byte ACPI header, then CC type, subtype, reserved, LAML, LASA).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CcelTable {
    /// The ACPI revision.
    pub revision: u8,
    /// The CC type (2 = TDX).
    pub cc_type: u8,
    /// The CC subtype.
    pub cc_subtype: u8,
    /// The log area minimum length.
    pub laml: u64,
    /// The log area start address (guest physical).
    pub lasa: u64,
}

impl CcelTable {
    /// Parses the 56-byte table: signature `CCEL`, length 56, a valid ACPI checksum, the
    /// reserved field zero.
    ///
    /// # Errors
    /// [`Error::Malformed`].
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let bad = |reason: &'static str| Error::malformed("CCEL table", reason);
        if bytes.len() != CCEL_TABLE_LEN {
            return Err(bad("the table is not 56 bytes"));
        }
        if bytes.get(..4) != Some(b"CCEL") {
            return Err(bad("the signature is not CCEL"));
        }
        let length = read_u32(bytes, 4).ok_or(bad("truncated"))?;
        if length as usize != CCEL_TABLE_LEN {
            return Err(bad("the length field is not 56"));
        }
        if bytes.iter().fold(0u8, |sum, b| sum.wrapping_add(*b)) != 0 {
            return Err(bad("the ACPI checksum does not add up to zero"));
        }
        let field = |offset: usize| bytes.get(offset).copied().ok_or(bad("truncated"));
        if bytes.get(38..40) != Some(&[0, 0]) {
            return Err(bad("the reserved field must be zero"));
        }
        let u64_at = |offset: usize| {
            bytes
                .get(offset..)
                .and_then(|b| U64::read_from_prefix(b).ok())
                .map(|(v, _)| v.get())
                .ok_or(bad("truncated"))
        };
        Ok(Self {
            revision: field(8)?,
            cc_type: field(36)?,
            cc_subtype: field(37)?,
            laml: u64_at(40)?,
            lasa: u64_at(48)?,
        })
    }
}

fn read_u32(bytes: &[u8], offset: usize) -> Option<u32> {
    let (v, _) = U32::read_from_prefix(bytes.get(offset..)?).ok()?;
    Some(v.get())
}

/// One digest algorithm of the log and its digest size, from the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AlgorithmSize {
    /// The TPM algorithm ID.
    pub alg: u16,
    /// The digest size in bytes.
    pub size: u16,
}

/// One measured event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event<'a> {
    /// The CC measurement register index (0 = MRTD, 1..=4 = RTMR0..RTMR3).
    pub mr_index: u32,
    /// The event type.
    pub event_type: u32,
    /// Each digest: algorithm and bytes.
    pub digests: Vec<(u16, &'a [u8])>,
    /// The event data.
    pub data: &'a [u8],
}

impl<'a> Event<'a> {
    /// The SHA-384 digest, if the event has one.
    pub fn sha384(&self) -> Option<&'a [u8]> {
        self.digests
            .iter()
            .find(|(alg, _)| *alg == TPM_ALG_SHA384)
            .map(|(_, d)| *d)
    }
}

/// A parsed CC event log, borrowing the log bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventLog<'a> {
    /// The digest algorithms the header declares.
    pub algorithms: Vec<AlgorithmSize>,
    /// The events after the header, in order.
    pub events: Vec<Event<'a>>,
    /// Bytes after the last event (the 0xFF padding of the log area).
    pub padding: usize,
}

fn malformed(reason: &'static str) -> Error {
    Error::malformed(WHAT, reason)
}

/// A cursor over the log bytes.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, what: &'static str) -> Result<&'a [u8]> {
        if self.bytes.len() < len {
            return Err(malformed(what));
        }
        let (head, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(head)
    }

    fn u32(&mut self, what: &'static str) -> Result<u32> {
        let (v, rest) = U32::read_from_prefix(self.bytes).map_err(|_| malformed(what))?;
        self.bytes = rest;
        Ok(v.get())
    }

    fn u16(&mut self, what: &'static str) -> Result<u16> {
        let (v, rest) = U16::read_from_prefix(self.bytes).map_err(|_| malformed(what))?;
        self.bytes = rest;
        Ok(v.get())
    }

    fn u8(&mut self, what: &'static str) -> Result<u8> {
        let (first, rest) = self.bytes.split_first().ok_or_else(|| malformed(what))?;
        self.bytes = rest;
        Ok(*first)
    }

    /// Whether the next record is the end marker (all-ones index or type) or the end.
    fn at_end(&self) -> bool {
        let index = read_u32(self.bytes, 0);
        let kind = read_u32(self.bytes, 4);
        self.bytes.is_empty() || index == Some(u32::MAX) || kind == Some(u32::MAX)
    }
}

impl<'a> EventLog<'a> {
    /// Parses a crypto-agile log: the SHA-1-format header event with the "Spec ID Event03"
    /// structure, then `TCG_PCR_EVENT2` records until the end of the bytes or a record whose
    /// index or type is all ones (the start of the 0xFF padding).
    ///
    /// # Errors
    /// [`Error::Malformed`] for a truncated record, a header that is not "Spec ID Event03", a
    /// digest of an algorithm the header does not declare, or more than 16 algorithms.
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        let mut r = Reader { bytes };
        let algorithms = parse_header(&mut r)?;
        let mut events = Vec::new();
        while !r.at_end() {
            events.push(parse_event(&mut r, &algorithms)?);
        }
        let padding = r.bytes.len();
        Ok(Self {
            algorithms,
            events,
            padding,
        })
    }

    /// Replays the events into RTMR0..RTMR3.
    ///
    /// # Errors
    /// [`Error::Malformed`] when a measured event for RTMR0..3 has no SHA-384 digest, or names
    /// a register index above 4.
    pub fn replay(&self) -> Result<[[u8; 48]; 4]> {
        let mut rtmrs = [[0u8; 48]; 4];
        for event in &self.events {
            if event.event_type == EV_NO_ACTION || event.mr_index == 0 {
                // MRTD is measured by the TDX module at build time, not extended.
                continue;
            }
            let slot = usize::try_from(event.mr_index - 1)
                .ok()
                .and_then(|i| rtmrs.get_mut(i))
                .ok_or_else(|| malformed("an event names a register index above 4"))?;
            let digest = event
                .sha384()
                .ok_or_else(|| malformed("a measured event has no SHA-384 digest"))?;
            let next = digest_parts(HashAlg::Sha384, &[slot.as_slice(), digest]);
            slot.copy_from_slice(next.as_bytes());
        }
        Ok(rtmrs)
    }

    /// Checks that the replay equals `rtmrs` (a verified quote's RTMR0..3).
    ///
    /// # Errors
    /// [`Error::Malformed`] when the log does not replay; otherwise the index of the first RTMR
    /// that differs, as the `Err` of the inner result.
    pub fn check_rtmrs(&self, rtmrs: &[[u8; 48]; 4]) -> Result<std::result::Result<(), usize>> {
        let replayed = self.replay()?;
        Ok(match replayed.iter().zip(rtmrs).position(|(a, b)| a != b) {
            Some(index) => Err(index),
            None => Ok(()),
        })
    }
}

fn parse_header(r: &mut Reader<'_>) -> Result<Vec<AlgorithmSize>> {
    let _index = r.u32("the header event is truncated")?;
    let kind = r.u32("the header event is truncated")?;
    if kind != EV_NO_ACTION {
        return Err(malformed("the first event is not EV_NO_ACTION"));
    }
    r.take(20, "the header event is truncated")?;
    let size = r.u32("the header event is truncated")? as usize;
    let event = r.take(size, "the header event data is truncated")?;
    let mut spec = Reader { bytes: event };
    if spec.take(16, "the Spec ID event is truncated")? != SPEC_ID_SIGNATURE {
        return Err(malformed(
            "the header is not a \"Spec ID Event03\" (not crypto-agile)",
        ));
    }
    spec.take(8, "the Spec ID event is truncated")?; // platform class, versions, errata, uintn
    let count = spec.u32("the Spec ID event is truncated")? as usize;
    if count == 0 || count > MAX_ALGORITHMS {
        return Err(malformed(
            "the Spec ID event declares 0 or more than 16 algorithms",
        ));
    }
    let mut algorithms = Vec::with_capacity(count);
    for _ in 0..count {
        let alg = spec.u16("the Spec ID algorithm list is truncated")?;
        let size = spec.u16("the Spec ID algorithm list is truncated")?;
        algorithms.push(AlgorithmSize { alg, size });
    }
    let vendor = spec.u8("the Spec ID vendor info is truncated")?;
    spec.take(usize::from(vendor), "the Spec ID vendor info is truncated")?;
    if !spec.bytes.is_empty() {
        return Err(malformed("bytes follow the Spec ID event's vendor info"));
    }
    Ok(algorithms)
}

fn parse_event<'a>(r: &mut Reader<'a>, algorithms: &[AlgorithmSize]) -> Result<Event<'a>> {
    let mr_index = r.u32("an event header is truncated")?;
    let event_type = r.u32("an event header is truncated")?;
    let count = r.u32("an event's digest count is truncated")? as usize;
    if count > algorithms.len() {
        return Err(malformed(
            "an event has more digests than the log has algorithms",
        ));
    }
    let mut digests = Vec::with_capacity(count);
    for _ in 0..count {
        let alg = r.u16("an event digest is truncated")?;
        let size = algorithms
            .iter()
            .find(|a| a.alg == alg)
            .map(|a| usize::from(a.size))
            .ok_or_else(|| malformed("an event digest's algorithm is not in the header"))?;
        digests.push((alg, r.take(size, "an event digest is truncated")?));
    }
    let size = r.u32("an event's data size is truncated")? as usize;
    let data = r.take(size, "an event's data is truncated")?;
    Ok(Event {
        mr_index,
        event_type,
        digests,
        data,
    })
}
