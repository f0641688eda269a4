//! Generated inputs: parsing is total (never a panic, always a typed error), and a mutated
//! corpus report never verifies — with the same verdict from both crypto providers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_core::x509::Certificate;
use attester_core::{Challenge, ErrorKind};
use attester_snp::verify::{self, AmdRoots, Options, Policy};
use attester_snp::{CertKind, CertTable, REPORT_LEN, Report};
use proptest::prelude::*;
use std::sync::OnceLock;
use time::Duration;

/// A corpus report and the certificate of the key that signed it.
type Signed = (Vec<u8>, Certificate);

/// Three corpus reports (Turin v5, Milan v2, Milan v3 VLEK) with their keys, when there is a
/// corpus.
fn corpus() -> &'static Option<Vec<Signed>> {
    static CORPUS: OnceLock<Option<Vec<Signed>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut out = Vec::new();
        for (name, key) in [
            ("turin_v5_mstav", "vcek.pem"),
            ("milan_v2_gosev", "vcek.der"),
            ("milan_v3_vlek_aws_trustee", "vlek.der"),
        ] {
            let test = "proptest corpus mutations";
            let report = support::corpus_file(test, &format!("snp/reports/{name}/report.bin"))?;
            let key = support::corpus_file(test, &format!("snp/reports/{name}/{key}"))?;
            let key = if key.starts_with(b"-----") {
                Certificate::from_pem(&key).unwrap()
            } else {
                Certificate::from_der(&key).unwrap()
            };
            out.push((report, key));
        }
        Some(out)
    })
}

/// The verdict as something comparable across providers: `None` when verified, else the
/// failed check's name (or the error kind for a parse error).
fn verdict(
    report: &[u8],
    key: &Certificate,
    challenge: &Challenge,
    provider: &'static dyn attester_core::crypto::Provider,
) -> Option<String> {
    let policy = Policy {
        allow_debug: true,
        ..Policy::default()
    };
    let mut options = Options::new(
        AmdRoots::builtin().unwrap(),
        key.not_before() + Duration::days(1),
        &policy,
    );
    options.provider = provider;
    match verify::verify(report, std::slice::from_ref(key), challenge, &options) {
        Ok(_) => None,
        Err(e) => Some(match e.check_failed() {
            Some(failed) => failed.check.to_string(),
            None => e.kind().to_string(),
        }),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn report_parsing_is_total(bytes in proptest::collection::vec(any::<u8>(), 0..1300)) {
        if let Err(e) = Report::parse(&bytes) {
            prop_assert_eq!(e.kind(), ErrorKind::Malformed);
        } else {
            prop_assert_eq!(bytes.len(), REPORT_LEN);
        }
    }

    #[test]
    fn report_sized_garbage_with_a_valid_header_is_refused_or_consistent(
        version in prop::sample::select(vec![2u32, 3, 4, 5]),
        body in proptest::collection::vec(any::<u8>(), REPORT_LEN),
    ) {
        let mut bytes = body;
        bytes[..4].copy_from_slice(&version.to_le_bytes());
        bytes[0x34..0x38].copy_from_slice(&1u32.to_le_bytes());
        // Random reserved bytes are almost never all zero: parsing refuses them.
        match Report::parse(&bytes) {
            Ok(report) => prop_assert_eq!(report.version(), version),
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Malformed),
        }
    }

    #[test]
    fn certificate_table_parsing_is_total(
        entries in proptest::collection::vec(
            (any::<[u8; 16]>(), any::<u32>(), any::<u32>()), 0..4),
        tail in proptest::collection::vec(any::<u8>(), 0..256),
    ) {
        let mut bytes = Vec::new();
        for (guid, offset, length) in &entries {
            bytes.extend_from_slice(guid);
            bytes.extend_from_slice(&(offset % 512).to_le_bytes());
            bytes.extend_from_slice(&(length % 512).to_le_bytes());
        }
        bytes.extend_from_slice(&tail);
        if let Ok(table) = CertTable::parse(&bytes) {
            let range = bytes.as_ptr_range();
            for entry in table.entries() {
                let inside = entry.bytes.as_ptr_range();
                prop_assert!(inside.start >= range.start && inside.end <= range.end);
            }
        }
    }

    #[test]
    fn encoded_tables_round_trip(blobs in proptest::collection::vec(
        proptest::collection::vec(any::<u8>(), 0..64), 0..4)) {
        let kinds = [CertKind::Vcek, CertKind::Ask, CertKind::Ark, CertKind::Crl];
        let entries: Vec<(CertKind, &[u8])> =
            kinds.iter().copied().zip(blobs.iter().map(Vec::as_slice)).collect();
        let table = CertTable::encode(&entries);
        let parsed = CertTable::parse(&table).unwrap();
        prop_assert_eq!(parsed.entries().len(), entries.len());
        for (kind, blob) in entries {
            prop_assert_eq!(parsed.get(kind), Some(blob));
        }
    }
}

proptest! {
    // Each case verifies under both providers; RustCrypto without optimisation is slow.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn mutated_corpus_reports_never_verify_and_providers_agree(
        which in 0usize..3,
        edits in proptest::collection::vec((0usize..REPORT_LEN, 1u8..=255), 1..4),
    ) {
        let Some(corpus) = corpus() else { return Ok(()) };
        let (report, key) = &corpus[which];
        let challenge = Challenge::new(Report::parse(report).unwrap().report_data()).unwrap();
        let mut bad = report.clone();
        for (offset, xor) in &edits {
            bad[*offset] ^= xor;
        }
        if bad == *report {
            // Two edits of one byte cancelled out.
            return Ok(());
        }
        let default = verdict(&bad, key, &challenge, attester_core::crypto::default_provider());
        prop_assert!(default.is_some(), "a mutated report verified");
        #[cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
        {
            let pure = verdict(&bad, key, &challenge, &attester_core::crypto::RustCrypto);
            prop_assert_eq!(default, pure);
        }
    }
}
