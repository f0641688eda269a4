//! The whole log: format detection (crypto-agile with a Spec ID event, or legacy SHA-1), strict
//! record-by-record parsing with every length bounds-checked, and the StartupLocality event.

use super::error::EventLogError;
use super::event::{Digests, DigestsRepr, Event};
use super::event_type::EventType;
use super::raw::{PcClientPcrEvent, PcrEvent2Head};
use super::spec_id::{SPEC_ID_SIGNATURE, SpecIdEvent};
use zerocopy::FromBytes;

/// PC Client TPMs have 24 PCRs.
pub const PCR_COUNT: usize = 24;

/// The data of the StartupLocality event (PFP §10.4.5.3), before its locality byte.
pub const STARTUP_LOCALITY_SIGNATURE: &[u8; 16] = b"StartupLocality\0";

/// Which record format the log uses.
#[derive(Clone, Copy, Debug)]
pub enum LogFormat<'a> {
    /// `TCG_PCR_EVENT2` records after a Spec ID event (TPM 2.0 crypto-agile log).
    CryptoAgile(SpecIdEvent<'a>),
    /// SHA-1 `TCG_PCClientPCREvent` records only (a TPM 1.2-style log).
    LegacySha1,
}

/// A parsed event log, borrowing its bytes.
#[derive(Clone, Debug)]
pub struct EventLog<'a> {
    bytes: &'a [u8],
    format: LogFormat<'a>,
    events: Vec<Event<'a>>,
    startup_locality: Option<u8>,
}

impl<'a> EventLog<'a> {
    /// Parses a whole log (the contents of `binary_bios_measurements`). Every record must be
    /// complete and well-formed, and nothing may follow the last one.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, EventLogError> {
        if bytes.is_empty() {
            return Err(EventLogError::Empty);
        }
        let (first, after_first) = sha1_record(bytes, 0)?;
        let format = match spec_id_of(&first)? {
            Some(spec) => LogFormat::CryptoAgile(spec),
            None => LogFormat::LegacySha1,
        };
        let mut log = Self {
            bytes,
            format,
            events: Vec::with_capacity(bytes.len() / 64),
            startup_locality: None,
        };
        log.push(first)?;
        let mut offset = after_first;
        while offset < bytes.len() {
            let (event, next) = match format {
                LogFormat::CryptoAgile(spec) => agile_record(bytes, offset, spec)?,
                LogFormat::LegacySha1 => sha1_record(bytes, offset)?,
            };
            log.push(event)?;
            offset = next;
        }
        Ok(log)
    }

    /// The log's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The record format (with the Spec ID event of a crypto-agile log).
    pub fn format(&self) -> LogFormat<'a> {
        self.format
    }

    /// Every record in order, the Spec ID header (when present) first.
    pub fn events(&self) -> &[Event<'a>] {
        &self.events
    }

    /// The locality the TPM was started from, when the log has a StartupLocality event.
    pub fn startup_locality(&self) -> Option<u8> {
        self.startup_locality
    }

    fn push(&mut self, event: Event<'a>) -> Result<(), EventLogError> {
        if usize::try_from(event.pcr).map_or(true, |pcr| pcr >= PCR_COUNT) {
            return Err(EventLogError::PcrIndex {
                offset: event.offset,
                pcr: event.pcr,
            });
        }
        if let Some(locality) = startup_locality(&event)? {
            let pcr0_extended = self.events.iter().any(|e| e.pcr == 0 && e.is_extended());
            let reason = if self.startup_locality.is_some() {
                Some("repeated")
            } else if pcr0_extended {
                Some("after PCR0 was extended")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(EventLogError::StartupLocality {
                    offset: event.offset,
                    reason,
                });
            }
            self.startup_locality = Some(locality);
        }
        self.events.push(event);
        Ok(())
    }
}

fn truncated(offset: usize, what: &'static str, needed: u64, left: usize) -> EventLogError {
    EventLogError::Truncated {
        offset,
        what,
        needed,
        left,
    }
}

/// `len` bytes at `at`, or a truncation error for the record at `offset`.
fn take<'a>(
    bytes: &'a [u8],
    offset: usize,
    at: usize,
    len: u64,
    what: &'static str,
) -> Result<(&'a [u8], usize), EventLogError> {
    let left = bytes.len().saturating_sub(at);
    let end = usize::try_from(len)
        .ok()
        .and_then(|len| at.checked_add(len))
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| truncated(offset, what, len, left))?;
    let slice = bytes
        .get(at..end)
        .ok_or_else(|| truncated(offset, what, len, left))?;
    Ok((slice, end))
}

/// A SHA-1 `TCG_PCClientPCREvent` at `offset`; returns it and the offset after it.
fn sha1_record(bytes: &[u8], offset: usize) -> Result<(Event<'_>, usize), EventLogError> {
    const HEAD: u64 = size_of::<PcClientPcrEvent>() as u64;
    let (head_bytes, data_at) = take(bytes, offset, offset, HEAD, "header")?;
    let head = PcClientPcrEvent::ref_from_bytes(head_bytes)
        .map_err(|_| truncated(offset, "header", HEAD, head_bytes.len()))?;
    let size = u64::from(head.event_size.get());
    let (data, next) = take(bytes, offset, data_at, size, "event data")?;
    let event = Event {
        offset,
        pcr: head.pcr_index.get(),
        event_type: EventType::from_u32(head.event_type.get()),
        digests: Digests {
            repr: DigestsRepr::Sha1(&head.digest),
        },
        data,
    };
    Ok((event, next))
}

/// A `TCG_PCR_EVENT2` at `offset`, its digests checked against the Spec ID table: exactly one
/// digest per listed algorithm, none unknown, none twice.
fn agile_record<'a>(
    bytes: &'a [u8],
    offset: usize,
    spec: SpecIdEvent<'a>,
) -> Result<(Event<'a>, usize), EventLogError> {
    const HEAD: u64 = size_of::<PcrEvent2Head>() as u64;
    let (head_bytes, mut at) = take(bytes, offset, offset, HEAD, "header")?;
    let head = PcrEvent2Head::ref_from_bytes(head_bytes)
        .map_err(|_| truncated(offset, "header", HEAD, head_bytes.len()))?;
    let count = head.digest_count.get();
    if usize::try_from(count).ok() != Some(spec.len()) {
        return Err(EventLogError::DigestCount {
            offset,
            count,
            expected: spec.len(),
        });
    }
    let digests_at = at;
    let mut seen = 0u32;
    for _ in 0..count {
        let (id, after_id) = take(bytes, offset, at, 2, "digest algorithm")?;
        let algorithm = u16::from_le_bytes([
            id.first().copied().unwrap_or(0),
            id.get(1).copied().unwrap_or(0),
        ]);
        let (index, size) = spec
            .lookup(algorithm)
            .ok_or(EventLogError::UnknownAlgorithm { offset, algorithm })?;
        let bit = 1u32 << index;
        if seen & bit != 0 {
            return Err(EventLogError::DuplicateAlgorithm { offset, algorithm });
        }
        seen |= bit;
        (_, at) = take(bytes, offset, after_id, size as u64, "digest")?;
    }
    let digest_bytes = bytes.get(digests_at..at).unwrap_or(&[]);
    let (size, data_at) = take(bytes, offset, at, 4, "event size")?;
    let size = u32::from_le_bytes(size.try_into().unwrap_or([0; 4]));
    let (data, next) = take(bytes, offset, data_at, u64::from(size), "event data")?;
    let event = Event {
        offset,
        pcr: head.pcr_index.get(),
        event_type: EventType::from_u32(head.event_type.get()),
        digests: Digests {
            repr: DigestsRepr::Agile {
                bytes: digest_bytes,
                spec,
            },
        },
        data,
    };
    Ok((event, next))
}

/// The Spec ID event of a crypto-agile log when the first record is one. A first record that
/// claims to be one (EV_NO_ACTION with the signature) must be well-formed: PCR 0, zero digest.
fn spec_id_of<'a>(first: &Event<'a>) -> Result<Option<SpecIdEvent<'a>>, EventLogError> {
    if first.event_type != EventType::NoAction || !first.data.starts_with(SPEC_ID_SIGNATURE) {
        return Ok(None);
    }
    if first.pcr != 0 {
        return Err(EventLogError::SpecId {
            reason: "not in PCR 0",
        });
    }
    if first.digests.iter().any(|(_, d)| d.iter().any(|&b| b != 0)) {
        return Err(EventLogError::SpecId {
            reason: "digest is not zero",
        });
    }
    SpecIdEvent::parse(first.data).map(Some)
}

/// The locality of a StartupLocality event (PFP §10.4.5.3: EV_NO_ACTION in PCR 0, data
/// `"StartupLocality\0"` and one byte), `None` for any other event.
fn startup_locality(event: &Event<'_>) -> Result<Option<u8>, EventLogError> {
    if event.event_type != EventType::NoAction
        || !event.data.starts_with(STARTUP_LOCALITY_SIGNATURE)
    {
        return Ok(None);
    }
    let fail = |reason| EventLogError::StartupLocality {
        offset: event.offset,
        reason,
    };
    if event.pcr != 0 {
        return Err(fail("not in PCR 0"));
    }
    if event.data.len() != STARTUP_LOCALITY_SIGNATURE.len() + 1 {
        return Err(fail("data is not 17 bytes"));
    }
    match event.data.last() {
        Some(&locality @ (0 | 3 | 4)) => Ok(Some(locality)),
        _ => Err(fail("locality is not 0, 3 or 4")),
    }
}
