//! Parses arbitrary bytes as a TCG PC Client event log. Whatever parses must replay and yield
//! its boot facts without panicking, and keep its invariants: every event lies inside the
//! input and is in PCR 0..=23, a crypto-agile record has one digest per listed algorithm of
//! the listed size, every replayed PCR has its bank's digest size.

#![no_main]

use attester_tpm::eventlog::{BootFacts, EventLog, LogFormat, PCR_COUNT, replay};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(log) = EventLog::parse(data) else {
        return;
    };
    let range = data.as_ptr_range();
    for event in log.events() {
        let inside = event.data().as_ptr_range();
        assert!(inside.start >= range.start && inside.end <= range.end);
        assert!((event.pcr() as usize) < PCR_COUNT);
        let _ = event.event_type().to_string();
        if let LogFormat::CryptoAgile(spec) = log.format() {
            if event.offset() > 0 {
                let algorithms: Vec<_> = spec.algorithms().collect();
                let digests: Vec<_> = event.digests().iter().collect();
                assert_eq!(digests.len(), algorithms.len());
                for (alg, digest) in digests {
                    let size = algorithms.iter().find(|(a, _)| *a == alg).map(|(_, s)| *s);
                    assert_eq!(size, Some(digest.len()));
                }
            }
        }
    }
    let pcrs = replay(&log);
    for bank in pcrs.banks() {
        for (_, value) in bank.iter() {
            assert_eq!(Some(value.as_bytes().len()), bank.algorithm().digest_len());
        }
    }
    let facts = BootFacts::extract(&log);
    let _ = (facts.boot_loader(), facts.kernel.as_ref(), facts.secure_boot);
});
