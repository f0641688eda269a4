//! One record of the log, borrowed: its PCR, typed event type, digests and event data.

use super::algorithm::AlgorithmId;
use super::event_type::EventType;
use super::spec_id::SpecIdEvent;

/// One event record.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    pub(crate) offset: usize,
    pub(crate) pcr: u32,
    pub(crate) event_type: EventType,
    pub(crate) digests: Digests<'a>,
    pub(crate) data: &'a [u8],
}

impl<'a> Event<'a> {
    /// The byte offset of the record in the log.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// pcrIndex (0..=23).
    pub fn pcr(&self) -> u32 {
        self.pcr
    }

    /// eventType.
    pub fn event_type(&self) -> EventType {
        self.event_type
    }

    /// The event data.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The digests, one per bank.
    pub fn digests(&self) -> Digests<'a> {
        self.digests
    }

    /// The digest of bank `algorithm`, if the record has one.
    pub fn digest(&self, algorithm: AlgorithmId) -> Option<&'a [u8]> {
        self.digests
            .iter()
            .find_map(|(alg, digest)| (alg == algorithm).then_some(digest))
    }

    /// Whether the record is extended into its PCR (every type but `EV_NO_ACTION`).
    pub fn is_extended(&self) -> bool {
        self.event_type != EventType::NoAction
    }
}

/// The digests of one record, borrowed from the log.
#[derive(Clone, Copy, Debug)]
pub struct Digests<'a> {
    pub(crate) repr: DigestsRepr<'a>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum DigestsRepr<'a> {
    /// A SHA-1 record: one 20-byte digest.
    Sha1(&'a [u8]),
    /// A `TPML_DIGEST_VALUES` already checked against the Spec ID table: `count` × (u16 alg ‖
    /// digest).
    Agile {
        bytes: &'a [u8],
        spec: SpecIdEvent<'a>,
    },
}

impl<'a> Digests<'a> {
    /// (algorithm, digest) pairs in the record's order.
    pub fn iter(&self) -> DigestIter<'a> {
        match self.repr {
            DigestsRepr::Sha1(digest) => DigestIter {
                sha1: Some(digest),
                rest: &[],
                spec: None,
            },
            DigestsRepr::Agile { bytes, spec } => DigestIter {
                sha1: None,
                rest: bytes,
                spec: Some(spec),
            },
        }
    }
}

/// Iterator over a record's digests.
#[derive(Clone, Debug)]
pub struct DigestIter<'a> {
    sha1: Option<&'a [u8]>,
    rest: &'a [u8],
    spec: Option<SpecIdEvent<'a>>,
}

impl<'a> Iterator for DigestIter<'a> {
    type Item = (AlgorithmId, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(digest) = self.sha1.take() {
            return Some((AlgorithmId::SHA1, digest));
        }
        // The bytes were validated when the log was parsed; a failure here only ends the walk.
        let spec = self.spec?;
        let (id, rest) = self.rest.split_first_chunk::<2>()?;
        let id = u16::from_le_bytes(*id);
        let (_, size) = spec.lookup(id)?;
        let (digest, rest) = rest.split_at_checked(size)?;
        self.rest = rest;
        Some((AlgorithmId(id), digest))
    }
}
