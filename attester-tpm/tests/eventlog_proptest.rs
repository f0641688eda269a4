//! Mutations of a small crypto-agile log built here: every truncation that does not fall on a
//! record boundary fails with a typed error, bit flips never panic, and the strict checks
//! (Spec ID fields, digest lists, PCR indices, StartupLocality) each reject their case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_tpm::eventlog::{
    AlgorithmId, BootFacts, EventLog, EventLogError, SPEC_ID_SIGNATURE, replay,
};
use proptest::prelude::*;

const NO_ACTION: u32 = 3;
const SEPARATOR: u32 = 4;

fn spec_id_event(algs: &[(u16, u16)]) -> Vec<u8> {
    let mut data = SPEC_ID_SIGNATURE.to_vec();
    data.extend_from_slice(&0u32.to_le_bytes()); // platformClass
    data.extend_from_slice(&[0, 2, 0, 2]); // minor, major, errata, uintnSize
    data.extend_from_slice(&(algs.len() as u32).to_le_bytes());
    for (alg, size) in algs {
        data.extend_from_slice(&alg.to_le_bytes());
        data.extend_from_slice(&size.to_le_bytes());
    }
    data.push(0); // vendorInfoSize
    let mut record = Vec::new();
    record.extend_from_slice(&0u32.to_le_bytes());
    record.extend_from_slice(&NO_ACTION.to_le_bytes());
    record.extend_from_slice(&[0; 20]);
    record.extend_from_slice(&(data.len() as u32).to_le_bytes());
    record.extend_from_slice(&data);
    record
}

fn event2(pcr: u32, event_type: u32, algs: &[(u16, u16)], fill: u8, data: &[u8]) -> Vec<u8> {
    let mut record = Vec::new();
    record.extend_from_slice(&pcr.to_le_bytes());
    record.extend_from_slice(&event_type.to_le_bytes());
    record.extend_from_slice(&(algs.len() as u32).to_le_bytes());
    for (alg, size) in algs {
        record.extend_from_slice(&alg.to_le_bytes());
        record.extend(std::iter::repeat_n(fill, usize::from(*size)));
    }
    record.extend_from_slice(&(data.len() as u32).to_le_bytes());
    record.extend_from_slice(data);
    record
}

const ALGS: [(u16, u16); 2] = [(0x0004, 20), (0x000B, 32)];

/// A header, a StartupLocality 3, separators in PCRs 0-7 and one more PCR 0 event; returns the
/// log and the offset where each record ends.
fn sample() -> (Vec<u8>, Vec<usize>) {
    let mut log = spec_id_event(&ALGS);
    let mut ends = vec![log.len()];
    let mut locality = b"StartupLocality\0".to_vec();
    locality.push(3);
    let mut records = vec![event2(0, NO_ACTION, &ALGS, 0, &locality)];
    for pcr in 0..8 {
        records.push(event2(pcr, SEPARATOR, &ALGS, pcr as u8, &[0; 4]));
    }
    records.push(event2(
        0,
        0x8000_0007,
        &ALGS,
        0xaa,
        b"Exit Boot Services Invocation",
    ));
    for record in records {
        log.extend_from_slice(&record);
        ends.push(log.len());
    }
    (log, ends)
}

#[test]
fn sample_parses_and_replays() {
    let (bytes, ends) = sample();
    let log = EventLog::parse(&bytes).unwrap();
    assert_eq!(log.events().len(), ends.len());
    assert_eq!(log.startup_locality(), Some(3));
    let pcrs = replay(&log);
    let sha256 = pcrs.bank(AlgorithmId::SHA256).unwrap();
    assert_eq!(sha256.iter().count(), 8);
    // PCR0 = H(H(00..03 || 00*32) || aa*32).
    let mut start = [0u8; 32];
    start[31] = 3;
    let pcr0 =
        attester_tpm::eventlog::hash_parts(AlgorithmId::SHA256, &[&start, &[0; 32]]).unwrap();
    let pcr0 =
        attester_tpm::eventlog::hash_parts(AlgorithmId::SHA256, &[pcr0.as_bytes(), &[0xaa; 32]])
            .unwrap();
    assert_eq!(sha256.get(0), Some(&pcr0));
    let facts = BootFacts::extract(&log);
    assert_eq!(facts.separators.len(), 8);
    assert_eq!(facts.efi_actions, ["Exit Boot Services Invocation"]);
}

#[test]
fn every_truncation_off_a_record_boundary_fails() {
    let (bytes, ends) = sample();
    for len in 0..bytes.len() {
        let result = EventLog::parse(&bytes[..len]);
        if ends.contains(&len) {
            assert_eq!(
                result.unwrap().events().len(),
                ends.iter().position(|&e| e == len).unwrap() + 1
            );
        } else if len == 0 {
            assert_eq!(result.unwrap_err(), EventLogError::Empty);
        } else {
            let err = result.unwrap_err();
            assert_eq!(
                err.kind(),
                attester_core::ErrorKind::Malformed,
                "{len}: {err}"
            );
        }
    }
}

fn parse_err(bytes: &[u8]) -> EventLogError {
    EventLog::parse(bytes).unwrap_err()
}

#[test]
fn strict_checks_each_reject_their_case() {
    let header = spec_id_event(&ALGS);
    let ok = |records: &[Vec<u8>]| {
        let mut log = header.clone();
        for r in records {
            log.extend_from_slice(r);
        }
        log
    };
    // One digest missing, an unknown algorithm, one algorithm twice.
    let err = parse_err(&ok(&[event2(1, SEPARATOR, &ALGS[..1], 0, &[0; 4])]));
    assert!(
        matches!(
            err,
            EventLogError::DigestCount {
                count: 1,
                expected: 2,
                ..
            }
        ),
        "{err}"
    );
    let err = parse_err(&ok(&[event2(
        1,
        SEPARATOR,
        &[(4, 20), (0x0c, 48)],
        0,
        &[0; 4],
    )]));
    assert!(
        matches!(
            err,
            EventLogError::UnknownAlgorithm {
                algorithm: 0x0c,
                ..
            }
        ),
        "{err}"
    );
    let err = parse_err(&ok(&[event2(
        1,
        SEPARATOR,
        &[(4, 20), (4, 20)],
        0,
        &[0; 4],
    )]));
    assert!(
        matches!(err, EventLogError::DuplicateAlgorithm { algorithm: 4, .. }),
        "{err}"
    );
    // PCR 24.
    let err = parse_err(&ok(&[event2(24, SEPARATOR, &ALGS, 0, &[0; 4])]));
    assert!(
        matches!(err, EventLogError::PcrIndex { pcr: 24, .. }),
        "{err}"
    );
    // StartupLocality after PCR0 was extended, repeated, of a bad length or locality.
    let mut locality = b"StartupLocality\0".to_vec();
    locality.push(3);
    let sep0 = event2(0, SEPARATOR, &ALGS, 0, &[0; 4]);
    let loc = event2(0, NO_ACTION, &ALGS, 0, &locality);
    let err = parse_err(&ok(&[sep0, loc.clone()]));
    assert!(matches!(
        err,
        EventLogError::StartupLocality {
            reason: "after PCR0 was extended",
            ..
        }
    ));
    let err = parse_err(&ok(&[loc.clone(), loc]));
    assert!(matches!(
        err,
        EventLogError::StartupLocality {
            reason: "repeated",
            ..
        }
    ));
    let err = parse_err(&ok(&[event2(0, NO_ACTION, &ALGS, 0, b"StartupLocality\0")]));
    assert!(matches!(
        err,
        EventLogError::StartupLocality {
            reason: "data is not 17 bytes",
            ..
        }
    ));
    locality[16] = 2;
    let err = parse_err(&ok(&[event2(0, NO_ACTION, &ALGS, 0, &locality)]));
    assert!(matches!(err, EventLogError::StartupLocality { .. }));
    // Spec ID: a wrong digest size for SHA-256, no algorithms, a non-zero header digest.
    let err = parse_err(&spec_id_event(&[(0x0b, 20)]));
    assert!(matches!(err, EventLogError::SpecId { .. }), "{err}");
    let err = parse_err(&spec_id_event(&[]));
    assert!(matches!(err, EventLogError::SpecId { .. }), "{err}");
    let mut bad = header.clone();
    bad[8] = 1;
    assert!(matches!(parse_err(&bad), EventLogError::SpecId { .. }));
    // Trailing bytes after the last record.
    let mut trailing = header.clone();
    trailing.extend_from_slice(&[0; 5]);
    assert!(matches!(
        parse_err(&trailing),
        EventLogError::Truncated { .. }
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any single bit flipped: a typed error or a log, never a panic; replay and facts of
    /// whatever parses never panic either.
    #[test]
    fn bit_flips_never_panic(bit in 0usize..(sample().0.len() * 8)) {
        let (mut bytes, _) = sample();
        bytes[bit / 8] ^= 1 << (bit % 8);
        if let Ok(log) = EventLog::parse(&bytes) {
            let _ = replay(&log);
            let _ = BootFacts::extract(&log);
        }
    }

    /// Arbitrary bytes after a valid header: never a panic.
    #[test]
    fn garbage_after_the_header_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = spec_id_event(&ALGS);
        bytes.extend_from_slice(&tail);
        if let Ok(log) = EventLog::parse(&bytes) {
            let _ = replay(&log);
            let _ = BootFacts::extract(&log);
        }
    }

    /// Arbitrary bytes: never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(log) = EventLog::parse(&bytes) {
            let _ = replay(&log);
            let _ = BootFacts::extract(&log);
        }
    }
}
