//! Mock evidence through the production checks: it verifies with the mock root trusted and
//! fails, naming the check, for every way it can be wrong.
// Helpers outside `#[test]` functions build fixtures; a failure there should fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_core::cmw::Encoding;
use attester_core::cose::{self, Sign1};
use attester_core::crypto::{Curve, EcdsaSigningKey};
use attester_core::x509::TrustAnchors;
use attester_core::{Attester, Challenge, Check, ErrorKind, Evidence, FillRule, Platform};
use attester_mock::eat::{DebugStatus, MockClaims};
use attester_mock::verify::{MockPolicy, verify};
use attester_mock::{MockAttester, MockPki};
use proptest::prelude::*;
use std::sync::OnceLock;
use time::OffsetDateTime;
use time::macros::datetime;

const AT: OffsetDateTime = datetime!(2026-11-27 00:00 UTC);

fn challenge() -> Challenge {
    Challenge::new(b"a challenge of 32 bytes exactly!").unwrap()
}

fn pki() -> MockPki {
    MockPki::from_default_seed().unwrap()
}

fn evidence() -> &'static Evidence {
    static EVIDENCE: OnceLock<Evidence> = OnceLock::new();
    EVIDENCE.get_or_init(|| MockAttester::new(pki()).attest(&challenge()).unwrap())
}

fn anchors() -> TrustAnchors {
    pki().trust_anchors().unwrap()
}

fn failed_check(evidence: &Evidence, anchors: &TrustAnchors, policy: &MockPolicy) -> Check {
    let err = verify(evidence, &challenge(), anchors, AT, policy).unwrap_err();
    err.check_failed()
        .unwrap_or_else(|| panic!("not a check failure: {err}"))
        .check
        .clone()
}

#[test]
fn verifies_with_the_mock_root() {
    let appraisal = verify(
        evidence(),
        &challenge(),
        &anchors(),
        AT,
        &MockPolicy::default(),
    )
    .unwrap();
    assert_eq!(appraisal.claims.nonce, challenge().as_bytes());
    assert_eq!(appraisal.claims.debug, DebugStatus::DisabledPermanently);
    assert_eq!(
        appraisal.passed,
        [
            Check::Signature,
            Check::Chain,
            Check::Validity,
            Check::Trust,
            Check::Binding,
            Check::Policy("debug".into())
        ]
    );
    assert!(appraisal.signer.contains("NOT SECURE"));
}

#[test]
fn survives_the_cmw_round_trip_in_both_encodings() {
    for encoding in [Encoding::Json, Encoding::Cbor] {
        let decoded = Evidence::from_cmw(&evidence().to_cmw(encoding)).unwrap();
        assert_eq!(&decoded, evidence());
        verify(
            &decoded,
            &challenge(),
            &anchors(),
            AT,
            &MockPolicy::default(),
        )
        .unwrap();
    }
}

#[test]
fn untrusted_roots_fail_trust() {
    let policy = MockPolicy::default();
    assert_eq!(
        failed_check(evidence(), &TrustAnchors::new(), &policy),
        Check::Trust
    );
    let other = MockPki::from_seed([7; 32])
        .unwrap()
        .trust_anchors()
        .unwrap();
    assert_eq!(failed_check(evidence(), &other, &policy), Check::Trust);
}

#[test]
fn seeds_give_deterministic_keys_and_different_pkis() {
    let a = MockPki::from_seed([1; 32]).unwrap();
    let b = MockPki::from_seed([1; 32]).unwrap();
    let c = MockPki::from_seed([2; 32]).unwrap();
    let spki = |p: &MockPki| p.attestation_key().spki_der().unwrap();
    assert_eq!(spki(&a), spki(&b));
    assert_ne!(spki(&a), spki(&c));
    assert_eq!(a.ueid(), b.ueid());
    assert_ne!(a.ueid(), c.ueid());
    // Evidence of one seed does not verify against another seed's root.
    let ev = MockAttester::new(c).attest(&challenge()).unwrap();
    assert_eq!(
        failed_check(&ev, &a.trust_anchors().unwrap(), &MockPolicy::default()),
        Check::Trust
    );
}

#[test]
fn other_challenge_fails_binding() {
    let other = Challenge::new(b"another challenge, same length!!").unwrap();
    let err = verify(evidence(), &other, &anchors(), AT, &MockPolicy::default()).unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Binding);
    let mut wrong_fill = evidence().clone();
    wrong_fill.fill = FillRule::ZeroPad { field_len: 64 };
    assert_eq!(
        failed_check(&wrong_fill, &anchors(), &MockPolicy::default()),
        Check::Binding
    );
}

#[test]
fn debug_fails_policy_unless_allowed() {
    let ev = MockAttester::new(pki())
        .with_debug(true)
        .attest(&challenge())
        .unwrap();
    assert_eq!(
        failed_check(&ev, &anchors(), &MockPolicy::default()),
        Check::Policy("debug".into())
    );
    let allow = MockPolicy {
        allow_debug: true,
        measurement: None,
    };
    verify(&ev, &challenge(), &anchors(), AT, &allow).unwrap();
}

#[test]
fn measurement_policy() {
    let expected = evidence_measurement();
    let good = MockPolicy {
        allow_debug: false,
        measurement: Some(expected.clone()),
    };
    let passed = verify(evidence(), &challenge(), &anchors(), AT, &good)
        .unwrap()
        .passed;
    assert_eq!(passed.last(), Some(&Check::Policy("measurement".into())));
    let bad = MockPolicy {
        allow_debug: false,
        measurement: Some(vec![0; 48]),
    };
    assert_eq!(
        failed_check(evidence(), &anchors(), &bad),
        Check::Policy("measurement".into())
    );
}

fn evidence_measurement() -> Vec<u8> {
    let message = Sign1::decode(&evidence().body.bytes).unwrap();
    MockClaims::decode(message.payload).unwrap().measurement
}

#[test]
fn expired_or_not_yet_valid_fails_validity() {
    let err = verify(
        evidence(),
        &challenge(),
        &anchors(),
        datetime!(2024-12-31 23:59 UTC),
        &MockPolicy::default(),
    )
    .unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Validity);
}

#[test]
fn a_token_signed_by_another_key_fails_signature() {
    let stranger = EcdsaSigningKey::from_seed(Curve::P384, b"stranger", b"key").unwrap();
    let message = Sign1::decode(&evidence().body.bytes).unwrap();
    let forged = cose::encode_sign1(message.protected, message.payload, |tbs| {
        Ok(stranger.sign(tbs)?)
    })
    .unwrap();
    let mut ev = evidence().clone();
    ev.body.bytes = forged;
    assert_eq!(
        failed_check(&ev, &anchors(), &MockPolicy::default()),
        Check::Signature
    );
}

#[test]
fn wrong_alg_fails_signature_and_missing_certificate_fails_format() {
    let message = Sign1::decode(&evidence().body.bytes).unwrap();
    let key = pki();
    let es256 = cose::encode_sign1(
        &cose::protected_alg_header(cose::ALG_ES256),
        message.payload,
        |tbs| Ok(key.attestation_key().sign(tbs)?),
    )
    .unwrap();
    let mut ev = evidence().clone();
    ev.body.bytes = es256;
    assert_eq!(
        failed_check(&ev, &anchors(), &MockPolicy::default()),
        Check::Signature
    );

    let mut bare = evidence().clone();
    bare.endorsements.clear();
    assert!(matches!(
        failed_check(&bare, &anchors(), &MockPolicy::default()),
        Check::Format(_)
    ));
    let mut two = evidence().clone();
    two.endorsements.push(two.endorsements[0].clone());
    assert!(matches!(
        failed_check(&two, &anchors(), &MockPolicy::default()),
        Check::Format(_)
    ));
}

#[test]
fn evidence_of_another_platform_is_malformed() {
    let mut ev = evidence().clone();
    ev.platform = Platform::Snp;
    let err = verify(&ev, &challenge(), &anchors(), AT, &MockPolicy::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
}

#[test]
fn capabilities_accept_8_to_64_and_never_truncate() {
    let mut attester = MockAttester::new(pki());
    let caps = attester.capabilities();
    assert_eq!(caps.challenge_lengths, 8..=64);
    assert_eq!(caps.fill, FillRule::Exact);
    assert!(attester.extender().is_none());
    for len in [8, 33, 64] {
        let c = Challenge::new(&vec![0x5a; len]).unwrap();
        let ev = attester.attest(&c).unwrap();
        let claims = MockClaims::decode(Sign1::decode(&ev.body.bytes).unwrap().payload).unwrap();
        assert_eq!(claims.nonce.len(), len);
    }
}

fn flip(bytes: &mut [u8], bit: usize) {
    bytes[bit / 8] ^= 1 << (bit % 8);
}

/// The signed region of the token: everything but the signature bstr at its end.
fn signed_len(token: &[u8]) -> usize {
    token.len() - Sign1::decode(token).unwrap().signature.len()
}

#[test]
fn every_bit_flip_of_the_token_fails() {
    let token = &evidence().body.bytes;
    for bit in 0..token.len() * 8 {
        let mut ev = evidence().clone();
        flip(&mut ev.body.bytes, bit);
        let result = verify(&ev, &challenge(), &anchors(), AT, &MockPolicy::default());
        let err = result.expect_err("a flipped token must not verify");
        // Structure bits may make it unparseable; anything that still parses fails a check.
        assert!(
            matches!(err.kind(), ErrorKind::Malformed | ErrorKind::Verification),
            "bit {bit} (signed region ends at byte {}): {err}",
            signed_len(token)
        );
    }
}

proptest! {
    #[test]
    fn random_mutations_never_verify_or_panic(
        flips in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut ev = evidence().clone();
        let len = ev.body.bytes.len();
        // The same bit flipped twice is no mutation at all: flip each chosen bit once.
        let mut bits: Vec<usize> = flips.iter().map(|index| index.index(len * 8)).collect();
        bits.sort_unstable();
        bits.dedup();
        for bit in bits {
            flip(&mut ev.body.bytes, bit);
        }
        if let Some(cut) = cut {
            ev.body.bytes.truncate(cut.index(len));
        }
        prop_assert!(verify(&ev, &challenge(), &anchors(), AT, &MockPolicy::default()).is_err());
    }

    #[test]
    fn certificate_mutations_never_verify_or_panic(index in any::<prop::sample::Index>()) {
        let mut ev = evidence().clone();
        let cert = &mut ev.endorsements[0].bytes;
        let bit = index.index(cert.len() * 8);
        flip(cert, bit);
        prop_assert!(verify(&ev, &challenge(), &anchors(), AT, &MockPolicy::default()).is_err());
    }
}
