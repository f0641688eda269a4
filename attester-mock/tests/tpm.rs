//! mock-tpm: its quotes verify with the production TPM verifier only when the mock AK is
//! trusted, carry the challenge exactly, and show extended PCRs.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_core::crypto::{HashAlg, digest, digest_parts};
use attester_core::x509::TrustAnchors;
use attester_core::{Attester, Challenge, Check, Error, ErrorKind};
use attester_mock::tpm::{MockTpm, MockTpmAttester};
use attester_tpm::verify::{Options, verify};
use attester_tpm::{Attest, HashAlgId, QuoteBundle};
use time::OffsetDateTime;

fn attester() -> MockTpmAttester {
    MockTpmAttester::new(MockTpm::from_default_seed().unwrap())
}

#[test]
fn verifies_only_with_the_mock_ak_trusted() {
    let mut backend = attester();
    let anchors = backend.tpm().trust_anchors().unwrap();
    for len in [8, 32, 48, 64] {
        let challenge = Challenge::new(&vec![0x5a; len]).unwrap();
        let evidence = backend.attest(&challenge).unwrap();
        let options = Options::new(&anchors, OffsetDateTime::now_utc());
        let appraisal = verify(&evidence, &challenge, &options).unwrap();
        assert!(appraisal.pcrs_checked);
        let bundle = QuoteBundle::decode(&evidence.body.bytes).unwrap();
        assert_eq!(
            Attest::parse(bundle.attest).unwrap().extra_data(),
            challenge.as_bytes()
        );

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

        let other = Challenge::new(&vec![0xa5; len]).unwrap();
        let err = verify(&evidence, &other, &options).unwrap_err();
        assert_eq!(err.check_failed().unwrap().check, Check::Binding);
    }
}

#[test]
fn extend_shows_in_the_next_quote() {
    let mut backend = attester();
    let before = backend.tpm().pcr(16).unwrap();
    let measurement = digest(HashAlg::Sha256, b"app v2");
    backend
        .extender()
        .unwrap()
        .extend(16, measurement.as_bytes())
        .unwrap();
    let expected = digest_parts(HashAlg::Sha256, &[&before, measurement.as_bytes()]);
    let challenge = Challenge::new(&[7; 32]).unwrap();
    let evidence = backend.attest(&challenge).unwrap();
    let bundle = QuoteBundle::decode(&evidence.body.bytes).unwrap();
    assert_eq!(
        bundle.pcrs.get(HashAlgId::SHA256, 16).unwrap(),
        expected.as_bytes()
    );
    let anchors = backend.tpm().trust_anchors().unwrap();
    verify(
        &evidence,
        &challenge,
        &Options::new(&anchors, OffsetDateTime::now_utc()),
    )
    .unwrap();
    let err = backend
        .extender()
        .unwrap()
        .extend(24, measurement.as_bytes())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
}

#[test]
fn same_seed_same_ak() {
    let a = MockTpm::from_default_seed().unwrap();
    let b = MockTpm::from_default_seed().unwrap();
    assert_eq!(a.ak_spki_der().unwrap(), b.ak_spki_der().unwrap());
    assert_ne!(
        a.ak_spki_der().unwrap(),
        MockTpm::from_seed([9; 32]).unwrap().ak_spki_der().unwrap()
    );
}

mod mutations {
    use super::*;
    use attester_tpm::QuoteBundle;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any single bit changed in the quote or its signature fails verification (a failed
        /// check or a parse error, never a panic, never a pass).
        #[test]
        fn a_flipped_bit_never_verifies(bit in 0usize..(217 * 8), in_signature: bool) {
            let mut tpm = MockTpm::from_default_seed().unwrap();
            let challenge = Challenge::new(&[0x33; 32]).unwrap();
            let body = tpm.quote(challenge.as_bytes()).unwrap();
            let bundle = QuoteBundle::decode(&body).unwrap();
            let (mut attest, mut signature) = (bundle.attest.to_vec(), bundle.signature.to_vec());
            let target = if in_signature { &mut signature } else { &mut attest };
            let bit = bit % (target.len() * 8);
            target[bit / 8] ^= 1 << (bit % 8);
            let changed = QuoteBundle { attest: &attest, signature: &signature, ..bundle.clone() };
            let mut evidence = MockTpmAttester::new(MockTpm::from_default_seed().unwrap())
                .attest(&challenge)
                .unwrap();
            evidence.body.bytes = changed.encode();
            let anchors = tpm.trust_anchors().unwrap();
            let result = verify(&evidence, &challenge, &Options::new(&anchors, OffsetDateTime::now_utc()));
            prop_assert!(result.is_err());
        }
    }
}
