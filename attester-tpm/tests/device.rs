//! The device backend against a real TPM 2.0 implementation: each test starts its own swtpm
//! on a free loopback port (see `support/swtpm.rs`) and talks to it through tss-esapi.
#![cfg(feature = "device")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "support/swtpm.rs"]
mod swtpm;

use attester_core::crypto::{HashAlg, digest, digest_parts};
use attester_core::x509::TrustAnchors;
use attester_core::{Attester, Challenge, Check, Error, ErrorKind};
use attester_tpm::device::{Config, TpmAttester};
use attester_tpm::verify::{Options, verify};
use attester_tpm::{Attest, HashAlgId, QuoteBundle};
use swtpm::Swtpm;
use time::OffsetDateTime;

fn open(swtpm: &Swtpm) -> TpmAttester {
    let config = Config {
        event_log: None,
        ..Config::with_tcti(swtpm.tcti())
    };
    TpmAttester::open(&config).unwrap()
}

fn pinned(tpm: &TpmAttester) -> TrustAnchors {
    let mut anchors = TrustAnchors::new();
    anchors.add_spki(&tpm.ak_spki_der().unwrap()).unwrap();
    anchors
}

#[test]
fn attest_then_verify_with_64_and_32_byte_challenges() {
    let Some(swtpm) = Swtpm::start("attest_then_verify_with_64_and_32_byte_challenges") else {
        return;
    };
    let mut tpm = open(&swtpm);
    assert_eq!(tpm.max_digest(), 64, "swtpm implements SHA-512");
    let anchors = pinned(&tpm);
    let options = Options::new(&anchors, OffsetDateTime::now_utc());
    for len in [64, 32] {
        let challenge = Challenge::new(&(0..len as u8).collect::<Vec<u8>>()).unwrap();
        let evidence = tpm.attest(&challenge).unwrap();
        let appraisal = verify(&evidence, &challenge, &options).unwrap();
        assert!(appraisal.pcrs_checked);
        let bundle = QuoteBundle::decode(&evidence.body.bytes).unwrap();
        let attest = Attest::parse(bundle.attest).unwrap();
        assert_eq!(attest.extra_data(), challenge.as_bytes());
        // Every allocated bank (swtpm: SHA-1, SHA-256, SHA-384, SHA-512), PCRs 0..23.
        let banks: Vec<HashAlgId> = attest.pcr_select().banks().map(|b| b.hash()).collect();
        assert!(banks.contains(&HashAlgId::SHA256), "{banks:?}");
        assert!(
            attest
                .pcr_select()
                .banks()
                .all(|b| b.indices().count() == 24)
        );
        assert_eq!(bundle.pcrs.iter().count(), 24 * banks.len());

        let none = TrustAnchors::new();
        let err = verify(
            &evidence,
            &challenge,
            &Options::new(&none, OffsetDateTime::now_utc()),
        )
        .unwrap_err();
        let Error::Verification(failed) = err else {
            panic!("{err}")
        };
        assert_eq!(failed.check, Check::Trust);
        assert!(failed.reason.contains("AK not trusted"));
        let other = Challenge::new(&vec![0xee; len]).unwrap();
        let err = verify(&evidence, &other, &options).unwrap_err();
        assert_eq!(err.check_failed().unwrap().check, Check::Binding);
    }
}

#[test]
fn extend_then_quote_shows_the_new_value() {
    let Some(swtpm) = Swtpm::start("extend_then_quote_shows_the_new_value") else {
        return;
    };
    let mut tpm = open(&swtpm);
    let before = tpm.read_pcrs().unwrap();
    let old = before.get(HashAlgId::SHA256, 16).unwrap().to_vec();
    let measurement = digest(HashAlg::Sha256, b"attester device test");
    tpm.extender()
        .unwrap()
        .extend(16, measurement.as_bytes())
        .unwrap();
    let expected = digest_parts(HashAlg::Sha256, &[&old, measurement.as_bytes()]);
    let challenge = Challenge::new(&[0x42; 32]).unwrap();
    let evidence = tpm.attest(&challenge).unwrap();
    let bundle = QuoteBundle::decode(&evidence.body.bytes).unwrap();
    assert_eq!(
        bundle.pcrs.get(HashAlgId::SHA256, 16).unwrap(),
        expected.as_bytes()
    );
    let anchors = pinned(&tpm);
    verify(
        &evidence,
        &challenge,
        &Options::new(&anchors, OffsetDateTime::now_utc()),
    )
    .unwrap();
    let err = tpm
        .extender()
        .unwrap()
        .extend(24, measurement.as_bytes())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
}

#[test]
fn too_long_challenges_are_refused_never_cut() {
    let Some(swtpm) = Swtpm::start("too_long_challenges_are_refused_never_cut") else {
        return;
    };
    let mut tpm = open(&swtpm);
    // swtpm takes 66 bytes, tss-esapi 64: 65 and 67 are both refused before the TPM.
    for len in [65, 67] {
        let err = tpm.quote(&vec![1; len]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChallengeTooLong, "{len}: {err}");
    }
    drop(tpm);
    // A configured cap (34: what every TPM takes) refuses a 64-byte challenge.
    let config = Config {
        event_log: None,
        max_challenge: Some(34),
        ..Config::with_tcti(swtpm.tcti())
    };
    let mut tpm = TpmAttester::open(&config).unwrap();
    let err = tpm.attest(&Challenge::new(&[1; 64]).unwrap()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ChallengeTooLong);
    tpm.attest(&Challenge::new(&[1; 34]).unwrap()).unwrap();
}

#[test]
fn the_ak_is_flushed_and_rederived_identically() {
    let Some(swtpm) = Swtpm::start("the_ak_is_flushed_and_rederived_identically") else {
        return;
    };
    let first = open(&swtpm).ak_spki_der().unwrap();
    // swtpm has 3 transient slots: without the flush in Drop the fourth open fails.
    for _ in 0..5 {
        let tpm = open(&swtpm);
        assert_eq!(tpm.ak_spki_der().unwrap(), first);
    }
}

#[test]
fn a_wrong_tcti_is_a_device_error() {
    let err = TpmAttester::open(&Config::with_tcti("swtpm:host=127.0.0.1,port=1")).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Device | ErrorKind::Busy),
        "{err}"
    );
}
