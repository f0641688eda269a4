//! The `mock-cca` attester: real-format tokens in both encodings that the production CCA
//! verifier accepts with the mock CPAK trusted and refuses otherwise; and the CCA device
//! backend on the configfs-tsm emulator.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_cca::device::CcaAttester;
use attester_cca::trust::{PlatformKey, PlatformKeys};
use attester_cca::verify::{self, CcaPolicy};
use attester_cca::{CcaToken, Collection, RakEncoding};
use attester_core::cmw::Encoding;
use attester_core::crypto::Curve;
use attester_core::tsm::{ARM_CCA_GUEST, SEV_GUEST, TsmReportClient};
use attester_core::{Attester, Challenge, Check, ErrorKind, Evidence, FillRule, Platform};
use attester_mock::TsmEmulator;
use attester_mock::cca::{LIFECYCLE_DEBUG, MockCca, MockCcaAttester};

fn challenge(len: usize) -> Challenge {
    let bytes: Vec<u8> = (0..len).map(|i| i as u8 ^ 0x5a).collect();
    Challenge::new(&bytes).unwrap()
}

#[track_caller]
fn failed_check(result: attester_core::Result<verify::CcaAppraisal>) -> Check {
    let err = result.unwrap_err();
    err.check_failed()
        .unwrap_or_else(|| panic!("not a check failure: {err}"))
        .check
        .clone()
}

fn all_variants() -> Vec<MockCca> {
    let mut out = Vec::new();
    for collection in [Collection::Legacy, Collection::Cmw] {
        for rak in [RakEncoding::RawPoint, RakEncoding::CoseKey] {
            out.push(
                MockCca::from_default_seed()
                    .unwrap()
                    .with_collection(collection)
                    .with_rak_encoding(rak),
            );
        }
    }
    out
}

#[test]
fn every_encoding_verifies_with_the_mock_cpak() {
    for platform in all_variants() {
        let keys = platform.platform_keys().unwrap();
        let mut attester = MockCcaAttester::new(platform);
        for len in [8, 32, 64] {
            let challenge = challenge(len);
            let evidence = attester.attest(&challenge).unwrap();
            assert_eq!(evidence.platform, Platform::Cca);
            assert_eq!(evidence.fill, FillRule::ZeroPad { field_len: 64 });
            let token = CcaToken::decode(&evidence.body.bytes).unwrap();
            let realm_challenge = token.realm().claims().challenge();
            assert_eq!(&realm_challenge[..len], challenge.as_bytes());
            assert!(realm_challenge[len..].iter().all(|&b| b == 0));
            let appraisal =
                verify::verify(&evidence, &challenge, &keys, &CcaPolicy::default()).unwrap();
            assert!(appraisal.passed.contains(&Check::Binding));
            assert!(
                appraisal
                    .passed
                    .contains(&Check::Policy("lifecycle".into()))
            );
        }
    }
}

#[test]
fn both_encodings_are_what_they_claim() {
    for platform in all_variants() {
        let (collection, rak) = (
            CcaToken::decode(&platform.token(&[1; 64]).unwrap())
                .unwrap()
                .collection(),
            platform.rak_claim(),
        );
        let token_bytes = platform.token(&[1; 64]).unwrap();
        let token = CcaToken::decode(&token_bytes).unwrap();
        assert_eq!(token.collection(), collection);
        let realm = token.realm().claims();
        assert_eq!(realm.public_key().claim_bytes(), rak.as_slice());
        match realm.public_key().encoding() {
            RakEncoding::RawPoint => assert_eq!(rak.len(), 97),
            RakEncoding::CoseKey => {
                // The t_cose layout, 107 bytes.
                assert_eq!(rak.len(), 107);
                assert_eq!(&rak[..8], &[0xa4, 0x01, 0x02, 0x20, 0x02, 0x21, 0x58, 0x30]);
                assert!(realm.profile().is_some());
            }
        }
        let prefix: &[u8] = match token.collection() {
            Collection::Legacy => &[0xd9, 0x01, 0x8f, 0xa2, 0x19, 0xac, 0xca, 0x59],
            Collection::Cmw => &[
                0xd9, 0x03, 0x8b, 0xa2, 0x19, 0xac, 0xca, 0x82, 0x19, 0x01, 0x07,
            ],
        };
        assert!(token_bytes.starts_with(prefix));
    }
}

#[test]
fn refused_without_the_mock_cpak() {
    let platform = MockCca::from_default_seed().unwrap();
    let challenge = challenge(32);
    let evidence = MockCcaAttester::new(MockCca::from_default_seed().unwrap())
        .attest(&challenge)
        .unwrap();
    let policy = CcaPolicy::default();
    // No key at all.
    assert_eq!(
        failed_check(verify::verify(
            &evidence,
            &challenge,
            &PlatformKeys::new(),
            &policy
        )),
        Check::Trust
    );
    // Another seed's store: keyed by another instance ID, so no key applies.
    let other = MockCca::from_seed([9; 32]).unwrap();
    assert_eq!(
        failed_check(verify::verify(
            &evidence,
            &challenge,
            &other.platform_keys().unwrap(),
            &policy
        )),
        Check::Trust
    );
    // Another seed's CPAK trusted for any instance: the signature fails.
    let mut any = PlatformKeys::new();
    any.add_key(PlatformKey::from_sec1(Curve::P384, other.cpak_public_sec1()).unwrap());
    assert_eq!(
        failed_check(verify::verify(&evidence, &challenge, &any, &policy)),
        Check::Signature
    );
    // The mock's own CPAK as a bare SPKI key works.
    let mut spki = PlatformKeys::new();
    spki.add_file(&platform.cpak_spki_der().unwrap()).unwrap();
    verify::verify(&evidence, &challenge, &spki, &policy).unwrap();
}

#[test]
fn binding_and_policy_failures_are_named() {
    let platform = MockCca::from_default_seed().unwrap();
    let keys = platform.platform_keys().unwrap();
    let challenge = challenge(48);
    let evidence = MockCcaAttester::new(platform).attest(&challenge).unwrap();
    let policy = CcaPolicy::default();

    // Another challenge; a challenge that differs only in the padding region.
    assert_eq!(
        failed_check(verify::verify(
            &evidence,
            &challenge_other(),
            &keys,
            &policy
        )),
        Check::Binding
    );
    let mut padded = challenge.as_bytes().to_vec();
    padded.push(0);
    let padded = Challenge::new(&padded).unwrap();
    verify::verify(&evidence, &padded, &keys, &policy).unwrap();

    // A recorded fill rule that is not CCA's.
    let mut exact = evidence.clone();
    exact.fill = FillRule::Exact;
    assert_eq!(
        failed_check(verify::verify(&exact, &challenge, &keys, &policy)),
        Check::Binding
    );

    // RIM reference value.
    let mut rim = policy.clone();
    rim.rim = Some(MockCca::from_default_seed().unwrap().rim().to_vec());
    let ok = verify::verify(&evidence, &challenge, &keys, &rim).unwrap();
    assert!(ok.passed.contains(&Check::Policy("rim".into())));
    rim.rim = Some(vec![0; 32]);
    assert_eq!(
        failed_check(verify::verify(&evidence, &challenge, &keys, &rim)),
        Check::Policy("rim".into())
    );
    // REMs, personalization value, software components, profiles.
    let mut rems = policy.clone();
    rems.rems[3] = Some(vec![1; 32]);
    assert_eq!(
        failed_check(verify::verify(&evidence, &challenge, &keys, &rems)),
        Check::Policy("rems".into())
    );
    rems.rems[3] = Some(vec![0; 32]);
    verify::verify(&evidence, &challenge, &keys, &rems).unwrap();
    let mut rpv = policy.clone();
    rpv.personalization_value = Some(vec![1; 64]);
    assert_eq!(
        failed_check(verify::verify(&evidence, &challenge, &keys, &rpv)),
        Check::Policy("personalization-value".into())
    );
    let mut sw = policy.clone();
    sw.sw_measurements = Some(vec![vec![0; 32]]);
    assert_eq!(
        failed_check(verify::verify(&evidence, &challenge, &keys, &sw)),
        Check::Policy("sw-components".into())
    );
    let mut profiles = policy.clone();
    profiles.platform_profiles = Some(vec!["http://arm.com/CCA-SSD/1.0.0".into()]);
    assert_eq!(
        failed_check(verify::verify(&evidence, &challenge, &keys, &profiles)),
        Check::Policy("profile".into())
    );
}

fn challenge_other() -> Challenge {
    Challenge::new(&[0xee; 48]).unwrap()
}

#[test]
fn a_debug_lifecycle_needs_allow_debug() {
    let platform = MockCca::from_default_seed()
        .unwrap()
        .with_lifecycle(LIFECYCLE_DEBUG);
    let keys = platform.platform_keys().unwrap();
    let challenge = challenge(64);
    let evidence = MockCcaAttester::new(platform).attest(&challenge).unwrap();
    assert_eq!(
        failed_check(verify::verify(
            &evidence,
            &challenge,
            &keys,
            &CcaPolicy::default()
        )),
        Check::Policy("lifecycle".into())
    );
    let allow = CcaPolicy {
        allow_debug: true,
        ..CcaPolicy::default()
    };
    verify::verify(&evidence, &challenge, &keys, &allow).unwrap();
}

#[test]
fn evidence_survives_the_cmw_envelope() {
    let platform = MockCca::from_default_seed().unwrap();
    let keys = platform.platform_keys().unwrap();
    let challenge = challenge(32);
    let evidence = MockCcaAttester::new(platform).attest(&challenge).unwrap();
    for encoding in [Encoding::Json, Encoding::Cbor] {
        let back = Evidence::from_cmw(&evidence.to_cmw(encoding)).unwrap();
        assert_eq!(back, evidence);
        verify::verify(&back, &challenge, &keys, &CcaPolicy::default()).unwrap();
    }
}

fn emulator(provider: &str) -> TsmEmulator {
    let platform = MockCca::from_default_seed().unwrap();
    TsmEmulator::new(provider, move |_, inblob, _| {
        let mut challenge = [0u8; 64];
        challenge[..inblob.len()].copy_from_slice(inblob);
        (platform.token(&challenge).unwrap(), None)
    })
}

#[test]
fn device_attests_through_configfs_tsm() {
    let emu = emulator(ARM_CCA_GUEST);
    let mut attester = CcaAttester::with_client(TsmReportClient::with_fs(&emu));
    assert_eq!(attester.platform(), Platform::Cca);
    let caps = attester.capabilities();
    assert_eq!(caps.fill, FillRule::ZeroPad { field_len: 64 });
    assert!(
        caps.extend.is_none(),
        "upstream Linux exposes no REM extension"
    );
    let keys = MockCca::from_default_seed()
        .unwrap()
        .platform_keys()
        .unwrap();
    for len in [8, 31, 32, 64] {
        let challenge = challenge(len);
        let evidence = attester.attest(&challenge).unwrap();
        verify::verify(&evidence, &challenge, &keys, &CcaPolicy::default()).unwrap();
    }
    assert_eq!(emu.reports_generated(), 4);
    assert!(emu.live_entries().is_empty());
}

#[test]
fn device_errors_are_typed() {
    // Another provider behind configfs-tsm.
    let emu = emulator(SEV_GUEST);
    let mut attester = CcaAttester::with_client(TsmReportClient::with_fs(&emu));
    let err = attester.attest(&challenge(32)).unwrap_err();
    assert_ne!(err.kind(), ErrorKind::Verification, "{err}");
    // No provider registered.
    let emu = emulator(ARM_CCA_GUEST);
    emu.set_provider_registered(false);
    let mut attester = CcaAttester::with_client(TsmReportClient::with_fs(&emu));
    assert_eq!(
        attester.attest(&challenge(32)).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
    // An outblob that is not a token, and a token for another challenge.
    let garbage = TsmEmulator::new(ARM_CCA_GUEST, |_, _, _| (b"not a token".to_vec(), None));
    let mut attester = CcaAttester::with_client(TsmReportClient::with_fs(&garbage));
    assert_eq!(
        attester.attest(&challenge(32)).unwrap_err().kind(),
        ErrorKind::Device
    );
    let platform = MockCca::from_default_seed().unwrap();
    let stale = TsmEmulator::new(ARM_CCA_GUEST, move |_, _, _| {
        (platform.token(&[0; 64]).unwrap(), None)
    });
    let mut attester = CcaAttester::with_client(TsmReportClient::with_fs(&stale));
    assert_eq!(
        attester.attest(&challenge(32)).unwrap_err().kind(),
        ErrorKind::Device
    );
    // Too long for the field: refused before the device is touched.
    assert!(Challenge::new(&[0; 65]).is_err());
}
