//! mock-tdx quotes verify with the production TDX verifier given the mock root, and only then.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_core::x509::Certificate;
use attester_core::{Attester, Challenge, Check, media_types};
use attester_mock::tdx::{MockTdx, MockTdxAttester, QuoteShape};
use attester_tdx::verify::{self, IntelRoots, Options};
use attester_tdx::{BodyType, Policy, Quote};
use time::macros::datetime;

const AT: time::OffsetDateTime = datetime!(2026-06-01 0:00 UTC);

fn roots(mock: &MockTdx) -> IntelRoots {
    IntelRoots::empty().with_root(Certificate::from_der(mock.root_certificate_der()).unwrap())
}

#[test]
fn v4_and_v5_quotes_verify_with_the_mock_root() {
    let challenge = Challenge::new(&[0xab; 32]).unwrap();
    for (shape, body, version) in [
        (QuoteShape::V4, BodyType::Td10, 4),
        (QuoteShape::V5, BodyType::Td15, 5),
    ] {
        let mock = MockTdx::from_default_seed().unwrap().with_shape(shape);
        let mut attester =
            MockTdxAttester::new(MockTdx::from_default_seed().unwrap().with_shape(shape));
        let evidence = attester.attest(&challenge).unwrap();
        assert_eq!(evidence.body.media_type, media_types::TDX_QUOTE);
        let quote = Quote::parse(&evidence.body.bytes).unwrap();
        assert_eq!(quote.version(), version);
        assert_eq!(quote.body().body_type(), body);
        assert!(quote.trailing().is_empty());
        let roots = roots(&mock);
        let policy = Policy::default();
        let appraisal = verify::verify(
            &evidence.body.bytes,
            &challenge,
            &Options::new(&roots, AT, &policy),
        )
        .unwrap();
        assert_eq!(
            hex::encode(appraisal.fmspc),
            hex::encode(attester_mock::tdx::FMSPC)
        );
        assert!(appraisal.pck_subject.contains("MOCK NOT SECURE"));
        // Without the mock root: the pinned Intel root does not trust it.
        let err = verify::verify(
            &evidence.body.bytes,
            &challenge,
            &Options::new(IntelRoots::builtin().unwrap(), AT, &policy),
        )
        .unwrap_err();
        assert_eq!(err.check_failed().unwrap().check, Check::Trust);
    }
}

#[test]
fn a_debug_td_is_refused_by_default() {
    let mock = MockTdx::from_default_seed().unwrap().with_debug(true);
    let challenge = Challenge::new(&[1; 16]).unwrap();
    let mut field = [0u8; 64];
    field[..16].copy_from_slice(&[1; 16]);
    let quote = mock.quote(&field).unwrap();
    let roots = roots(&mock);
    let policy = Policy::default();
    let err = verify::verify(&quote, &challenge, &Options::new(&roots, AT, &policy)).unwrap_err();
    assert_eq!(
        err.check_failed().unwrap().check,
        Check::Policy("debug".into())
    );
    let allow = Policy {
        allow_debug: true,
        ..Policy::default()
    };
    verify::verify(&quote, &challenge, &Options::new(&roots, AT, &allow)).unwrap();
}

#[test]
fn policy_measurements() {
    let mock = MockTdx::from_default_seed().unwrap().with_mr_td([7; 48]);
    let challenge = Challenge::new(&[2; 64]).unwrap();
    let quote = mock.quote(&[2; 64]).unwrap();
    let roots = roots(&mock);
    let ok = Policy {
        mr_td: Some([7; 48]),
        min_tee_tcb_svn: Some(attester_mock::tdx::TEE_TCB_SVN),
        ..Policy::default()
    };
    verify::verify(&quote, &challenge, &Options::new(&roots, AT, &ok)).unwrap();
    let wrong = Policy {
        mr_td: Some([8; 48]),
        ..Policy::default()
    };
    let err = verify::verify(&quote, &challenge, &Options::new(&roots, AT, &wrong)).unwrap_err();
    assert_eq!(
        err.check_failed().unwrap().check,
        Check::Policy("mr-td".into())
    );
    let mut min = attester_mock::tdx::TEE_TCB_SVN;
    min[0] += 1;
    let high = Policy {
        min_tee_tcb_svn: Some(min),
        ..Policy::default()
    };
    let err = verify::verify(&quote, &challenge, &Options::new(&roots, AT, &high)).unwrap_err();
    assert_eq!(
        err.check_failed().unwrap().check,
        Check::Policy("min-tee-tcb-svn".into())
    );
    let masked = Policy {
        td_attributes: Some(attester_tdx::Masked {
            value: 0,
            mask: 1 << 28,
        }),
        ..Policy::default()
    };
    let err = verify::verify(&quote, &challenge, &Options::new(&roots, AT, &masked)).unwrap_err();
    assert_eq!(
        err.check_failed().unwrap().check,
        Check::Policy("td-attributes".into())
    );
}
