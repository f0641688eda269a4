//! Generated inputs: every parser is total (never a panic, always a typed error), and a mutated
//! mock quote never verifies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_core::{Challenge, ErrorKind};
use attester_tdx::ccel::{CcelTable, EventLog};
use attester_tdx::verify::{self, IntelRoots, Options, VerifiedPck};
use attester_tdx::{Policy, Quote, TdReport};
use proptest::prelude::*;
use std::sync::OnceLock;
use time::macros::datetime;

const AT: time::OffsetDateTime = datetime!(2025-06-19 11:00 UTC);

/// The corpus quote dcap-qvl/tdx_quote, its challenge and its verified chain.
fn corpus() -> &'static Option<(Vec<u8>, Challenge, VerifiedPck)> {
    static CORPUS: OnceLock<Option<(Vec<u8>, Challenge, VerifiedPck)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let bytes = support::corpus_file("proptest corpus mutations", "tdx/dcap-qvl/tdx_quote")?;
        let q = Quote::parse(&bytes).unwrap();
        let challenge = Challenge::new(q.body().report_data()).unwrap();
        let (_, pem) = verify::qe_certification(&q).unwrap();
        let pck = VerifiedPck::verify(
            pem,
            IntelRoots::builtin().unwrap(),
            AT,
            attester_core::crypto::default_provider(),
        )
        .unwrap();
        Some((bytes.clone(), challenge, pck))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsers_are_total(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for result in [
            Quote::parse(&bytes).map(|_| ()),
            TdReport::parse(&bytes).map(|_| ()),
            EventLog::parse(&bytes).map(|_| ()),
            CcelTable::parse(&bytes).map(|_| ()),
        ] {
            if let Err(e) = result {
                prop_assert_eq!(e.kind(), ErrorKind::Malformed);
            }
        }
    }

    #[test]
    fn quote_headers_with_random_tails_are_total(
        version in 3u16..7,
        body_type in 0u16..6,
        tail in proptest::collection::vec(any::<u8>(), 0..6000),
    ) {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(&2u16.to_le_bytes());
        bytes.extend_from_slice(&0x81u32.to_le_bytes());
        bytes.extend_from_slice(&[0; 40]);
        bytes.extend_from_slice(&body_type.to_le_bytes());
        bytes.extend_from_slice(&tail);
        if let Err(e) = Quote::parse(&bytes) {
            prop_assert_eq!(e.kind(), ErrorKind::Malformed);
        }
    }

    #[test]
    fn a_mutated_corpus_quote_never_verifies(index in 0usize..1258, bit in 0u8..8, cut in any::<bool>()) {
        let Some((bytes, challenge, pck)) = corpus() else { return Ok(()); };
        let mut m = bytes.clone();
        if cut {
            m.truncate(index);
        } else {
            m[index] ^= 1 << bit;
        }
        let policy = Policy { allow_debug: true, ..Policy::default() };
        let options = Options::new(IntelRoots::builtin().unwrap(), AT, &policy);
        prop_assert!(verify::verify_with_pck(&m, pck, challenge, &options).is_err());
    }

    #[test]
    fn trailing_bytes_never_change_the_verdict(tail in proptest::collection::vec(any::<u8>(), 0..64)) {
        let Some((bytes, challenge, pck)) = corpus() else { return Ok(()); };
        let mut m = bytes.clone();
        m.extend_from_slice(&tail);
        let policy = Policy::default();
        let options = Options::new(IntelRoots::builtin().unwrap(), AT, &policy);
        let appraisal = verify::verify_with_pck(&m, pck, challenge, &options).unwrap();
        prop_assert_eq!(appraisal.trailing_bytes, 70 + tail.len());
    }
}
