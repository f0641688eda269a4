//! Every TDX vector of the corpus: quotes parsed to the values of PROVENANCE.md and verified to
//! the pinned Intel root, TDREPORTs with their hash checks, the GCE CC event log replayed to its
//! quote's RTMRs, collateral signatures and TCB status, and mutations refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_core::crypto::Provider;
use attester_core::x509::Certificate;
use attester_core::{Challenge, Check, ErrorKind};
use attester_tdx::ccel::{CcelTable, EventLog};
use attester_tdx::collateral::{Collateral, TcbStatus};
use attester_tdx::verify::{self, IntelRoots, Options, VerifiedPck};
use attester_tdx::{BodyType, Policy, Quote, TdReport};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// A quote of the corpus and what PROVENANCE.md says about it.
struct Expect {
    file: &'static str,
    hex: bool,
    version: u16,
    body: BodyType,
    mr_td: &'static str,
    report_data: &'static str,
    tee_tcb_svn: &'static str,
    td_attributes: u64,
    xfam: u64,
    fmspc: &'static str,
    trailing: usize,
}

const QUOTES: [Expect; 8] = [
    Expect {
        file: "go-tdx-guest/tdx_prod_quote_SPR_E4.dat",
        hex: false,
        version: 4,
        body: BodyType::Td10,
        mr_td: "6363b8043668a3ad",
        report_data: "6c62dec1b8191749",
        tee_tcb_svn: "03000400",
        td_attributes: 0x4000_0000,
        xfam: 0x61ae7,
        fmspc: "50806f000000",
        trailing: 39,
    },
    Expect {
        file: "go-tdx-guest/quote_v5_sample.dat",
        hex: false,
        version: 5,
        body: BodyType::Td15,
        mr_td: "7348651a34b2d2d3",
        report_data: "945eaacf5abc1f71",
        tee_tcb_svn: "0b010400",
        td_attributes: 0x1000_0000,
        xfam: 0x602e7,
        fmspc: "90c06f000000",
        trailing: 0,
    },
    Expect {
        file: "go-tdx-guest/ccel_cos-113-tdx-quote.dat",
        hex: false,
        version: 4,
        body: BodyType::Td10,
        mr_td: "dae67181d3d65e07",
        report_data: "0000000000000000",
        tee_tcb_svn: "04010700",
        td_attributes: 0x1000_0000,
        xfam: 0x600e7,
        fmspc: "00806f050000",
        trailing: 3065,
    },
    Expect {
        file: "dcap-qvl/tdx_quote",
        hex: false,
        version: 4,
        body: BodyType::Td10,
        mr_td: "91eb2b44d141d4ec",
        report_data: "9a9d48e7f6799642",
        tee_tcb_svn: "06010300",
        td_attributes: 0x1000_0000,
        xfam: 0x602e7,
        fmspc: "b0c06f000000",
        trailing: 70,
    },
    Expect {
        file: "dcap-qvl/tdx_quote_outdated",
        hex: false,
        version: 5,
        body: BodyType::Td15,
        mr_td: "273828c46252fcbd",
        report_data: "d2142b643598eb5f",
        tee_tcb_svn: "07010300",
        td_attributes: 0x1000_0000,
        xfam: 0x618e7,
        fmspc: "90c06f000000",
        trailing: 0,
    },
    Expect {
        file: "dcap-qvl/tdx-quote.hex",
        hex: true,
        version: 4,
        body: BodyType::Td10,
        mr_td: "7ba9e262ce697908",
        report_data: "7148f47ef58b475f",
        tee_tcb_svn: "05010200",
        td_attributes: 0x1000_0000,
        xfam: 0x602e7,
        fmspc: "b0c06f000000",
        trailing: 70,
    },
    Expect {
        file: "dcap-qvl/quote-from-tappd.hex",
        hex: true,
        version: 4,
        body: BodyType::Td10,
        mr_td: "c68518a0ebb42136",
        report_data: "7668c6b4eafb6230",
        tee_tcb_svn: "05010200",
        td_attributes: 0x1000_0000,
        xfam: 0x602e7,
        fmspc: "b0c06f000000",
        trailing: 70,
    },
    Expect {
        file: "dcap-qvl/near_gas_test_quote_hex.txt",
        hex: true,
        version: 4,
        body: BodyType::Td10,
        mr_td: "f06dfda6dce1cf90",
        report_data: "0001d579ba6e734a",
        tee_tcb_svn: "06010400",
        td_attributes: 0x1000_0000,
        xfam: 0x207,
        fmspc: "20a06f000000",
        trailing: 70,
    },
];

fn providers() -> Vec<&'static dyn Provider> {
    #[allow(unused_mut)]
    let mut all: Vec<&'static dyn Provider> = vec![attester_core::crypto::default_provider()];
    #[cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
    all.push(&attester_core::crypto::RustCrypto);
    all
}

fn load(test: &str, e: &Expect) -> Option<Vec<u8>> {
    let bytes = support::corpus_file(test, &format!("tdx/{}", e.file))?;
    Some(if e.hex {
        let text = String::from_utf8(bytes).unwrap();
        let text = text.trim();
        hex::decode(text.strip_prefix("0x").unwrap_or(text)).unwrap()
    } else {
        bytes
    })
}

fn leaf(quote: &Quote<'_>) -> Certificate {
    let (_, pem) = verify::qe_certification(quote).unwrap();
    attester_core::x509::parse_pem_chain(pem).unwrap().remove(0)
}

/// A time inside the PCK leaf's validity.
fn inside(quote: &Quote<'_>) -> OffsetDateTime {
    leaf(quote).not_before() + Duration::days(1)
}

fn challenge(quote: &Quote<'_>) -> Challenge {
    Challenge::new(quote.body().report_data()).unwrap()
}

#[test]
fn every_quote_parses_to_its_provenance() {
    for e in &QUOTES {
        let Some(bytes) = load("every_quote_parses_to_its_provenance", e) else {
            return;
        };
        let q = Quote::parse(&bytes).unwrap_or_else(|err| panic!("{}: {err}", e.file));
        let b = q.body();
        assert_eq!(q.version(), e.version, "{}", e.file);
        assert_eq!(b.body_type(), e.body, "{}", e.file);
        assert_eq!(q.att_key_type(), 2);
        assert_eq!(q.tee_type(), 0x81);
        assert_eq!(q.qe_vendor_id(), &attester_tdx::INTEL_QE_VENDOR_ID);
        assert_eq!(hex::encode(&b.mr_td()[..8]), e.mr_td, "{}", e.file);
        assert_eq!(
            hex::encode(&b.report_data()[..8]),
            e.report_data,
            "{}",
            e.file
        );
        assert_eq!(
            hex::encode(&b.tee_tcb_svn()[..4]),
            e.tee_tcb_svn,
            "{}",
            e.file
        );
        assert_eq!(b.td_attributes().0, e.td_attributes, "{}", e.file);
        assert_eq!(b.xfam(), e.xfam, "{}", e.file);
        assert_eq!(q.trailing().len(), e.trailing, "{}", e.file);
        assert_eq!(
            q.signed_bytes().len(),
            if e.version == 4 { 632 } else { 702 }
        );
        let qe = q.qe_report_cert().unwrap();
        assert_eq!(qe.qe_auth_data.len(), 32);
        assert_eq!(qe.qe_report.isv_prod_id(), 2);
        assert_eq!(b.tee_tcb_svn2().is_some(), e.body == BodyType::Td15);
        let pck = attester_tdx::pck::PckExtensions::from_certificate(&leaf(&q)).unwrap();
        assert_eq!(hex::encode(pck.fmspc), e.fmspc, "{}", e.file);
    }
}

#[test]
fn every_quote_verifies_to_the_intel_root() {
    let roots = IntelRoots::builtin().unwrap();
    let policy = Policy::default();
    for e in &QUOTES {
        let Some(bytes) = load("every_quote_verifies_to_the_intel_root", e) else {
            return;
        };
        let q = Quote::parse(&bytes).unwrap();
        for provider in providers() {
            let mut options = Options::new(roots, inside(&q), &policy);
            options.provider = provider;
            let appraisal = verify::verify(&bytes, &challenge(&q), &options)
                .unwrap_or_else(|err| panic!("{} ({}): {err}", e.file, provider.name()));
            assert_eq!(hex::encode(appraisal.fmspc), e.fmspc);
            assert!(appraisal.pck_issuer.contains("Intel SGX PCK Platform CA"));
            assert_eq!(appraisal.trailing_bytes, e.trailing);
        }
        // Outside the chain's validity: a validity failure.
        let options = Options::new(roots, datetime!(2060-01-01 0:00 UTC), &policy);
        let err = verify::verify(&bytes, &challenge(&q), &options).unwrap_err();
        assert_eq!(
            err.check_failed().unwrap().check,
            Check::Validity,
            "{}",
            e.file
        );
        // Another challenge: a binding failure.
        let options = Options::new(roots, inside(&q), &policy);
        let err =
            verify::verify(&bytes, &Challenge::new(&[0x55; 32]).unwrap(), &options).unwrap_err();
        assert_eq!(
            err.check_failed().unwrap().check,
            Check::Binding,
            "{}",
            e.file
        );
    }
}

#[test]
fn another_root_is_not_trusted() {
    let e = &QUOTES[3];
    let Some(bytes) = load("another_root_is_not_trusted", e) else {
        return;
    };
    let q = Quote::parse(&bytes).unwrap();
    let policy = Policy::default();
    let empty = IntelRoots::empty();
    let err = verify::verify(
        &bytes,
        &challenge(&q),
        &Options::new(&empty, inside(&q), &policy),
    )
    .unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Trust);
    // A chain whose root is not Intel's: replace the root certificate in the PEM by another
    // self-signed certificate; the chain check fails (the CA is not signed by it) or trust does.
    let mock = attester_core::x509::build::CertificateBuilder {
        serial: vec![7],
        subject: "CN=Intel SGX Root CA,O=Intel Corporation,L=Santa Clara,ST=CA,C=US".into(),
        issuer: "CN=Intel SGX Root CA,O=Intel Corporation,L=Santa Clara,ST=CA,C=US".into(),
        not_before: datetime!(2018-01-01 0:00 UTC),
        not_after: datetime!(2049-01-01 0:00 UTC),
        spki_der: attester_core::crypto::EcdsaSigningKey::from_seed(
            attester_core::crypto::Curve::P256,
            &[9; 32],
            b"other root",
        )
        .unwrap()
        .spki_der()
        .unwrap(),
        is_ca: true,
        extensions: vec![],
    };
    let key = attester_core::crypto::EcdsaSigningKey::from_seed(
        attester_core::crypto::Curve::P256,
        &[9; 32],
        b"other root",
    )
    .unwrap();
    let other = Certificate::from_der(&mock.sign_with(&key).unwrap()).unwrap();
    let roots = IntelRoots::empty().with_root(other);
    let err = verify::verify(
        &bytes,
        &challenge(&q),
        &Options::new(&roots, inside(&q), &policy),
    )
    .unwrap_err();
    assert!(
        matches!(
            err.check_failed().unwrap().check,
            Check::Trust | Check::Chain
        ),
        "{err}"
    );
}

#[test]
fn every_truncation_fails() {
    for e in &QUOTES[..5] {
        let Some(bytes) = load("every_truncation_fails", e) else {
            return;
        };
        let end = Quote::parse(&bytes).unwrap().quote_bytes().len();
        for len in 0..end {
            let err = Quote::parse(&bytes[..len]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed, "{} at {len}", e.file);
        }
    }
}

#[test]
fn bit_flips_fail() {
    let e = &QUOTES[3];
    let Some(bytes) = load("bit_flips_fail", e) else {
        return;
    };
    let q = Quote::parse(&bytes).unwrap();
    let at = inside(&q);
    let chal = challenge(&q);
    let roots = IntelRoots::builtin().unwrap();
    let policy = Policy::default();
    let options = Options::new(roots, at, &policy);
    let (_, pem) = verify::qe_certification(&q).unwrap();
    let pck = VerifiedPck::verify(pem, roots, at, options.provider).unwrap();
    let pem_start = q.quote_bytes().len() - pem.len() - 1;
    // The leaf and the CA; the root is pinned by its key, so only its key and name matter.
    let root_at = pem.windows(11).rposition(|w| w == b"-----BEGIN ").unwrap();
    // Every bit of the signed region, the signature, the key, the QE report, its signature and
    // the QE authentication data (636..1252 holds all of those).
    for byte in (0..632).chain(636..1252) {
        for bit in 0..8 {
            let mut m = bytes.clone();
            m[byte] ^= 1 << bit;
            let result = match Quote::parse(&m) {
                Ok(_) => verify::verify_with_pck(&m, &pck, &chal, &options),
                Err(err) => Err(err),
            };
            assert!(result.is_err(), "flip at byte {byte} bit {bit} verified");
        }
    }
    // Bits of the PEM chain: every 13th byte of the leaf and CA certificates.
    for byte in (pem_start..pem_start + root_at).step_by(13) {
        let mut m = bytes.clone();
        m[byte] ^= 0x01;
        assert!(
            verify::verify(&m, &chal, &options).is_err(),
            "PEM flip at {byte} verified"
        );
    }
}

#[test]
fn tdreports_parse_and_check_their_hashes() {
    for file in [
        "intel-dcap/tdreport_for_test.dat",
        "azure-cvm-tooling/tdreport_from_hcl-report-tdx.bin",
    ] {
        let Some(bytes) = support::corpus_file(
            "tdreports_parse_and_check_their_hashes",
            &format!("tdx/{file}"),
        ) else {
            return;
        };
        let report = TdReport::parse(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        report.check_hashes().unwrap();
        let mut flipped = bytes.clone();
        flipped[600] ^= 1;
        assert!(TdReport::parse(&flipped).unwrap().check_hashes().is_err());
    }
    let intel = support::corpus_file("tdreports", "tdx/intel-dcap/tdreport_for_test.dat").unwrap();
    let r = TdReport::parse(&intel).unwrap();
    assert_eq!(r.tee_tcb_valid(), 0x1ff);
    assert_eq!(r.td_attributes().0, 0x5000_0000);
    assert_eq!(hex::encode(&r.mr_td()[..4]), "bb1249bd");
    assert_eq!(hex::encode(&r.report_data()[..4]), "b46a00eb");
    let azure = support::corpus_file(
        "tdreports",
        "tdx/azure-cvm-tooling/tdreport_from_hcl-report-tdx.bin",
    )
    .unwrap();
    let r = TdReport::parse(&azure).unwrap();
    assert_eq!(r.tee_tcb_valid(), 0x301ff);
    assert_eq!(hex::encode(&r.mr_td()[..4]), "75f3acc2");
    // go-tdx-guest's report.dat is random bytes: not a TDREPORT.
    let fake = support::corpus_file("tdreports", "tdx/go-tdx-guest/report.dat").unwrap();
    assert!(TdReport::parse(&fake).is_err());
}

#[test]
fn the_gce_event_log_replays_to_its_quote() {
    let Some(log) = support::corpus_file(
        "the_gce_event_log_replays_to_its_quote",
        "tdx/go-tdx-guest/ccel_ccel_data.dat",
    ) else {
        return;
    };
    let table = support::corpus_file("ccel", "tdx/go-tdx-guest/ccel_ccel_table.dat").unwrap();
    let quote =
        support::corpus_file("ccel", "tdx/go-tdx-guest/ccel_cos-113-tdx-quote.dat").unwrap();
    let table = CcelTable::parse(&table).unwrap();
    assert_eq!((table.cc_type, table.laml), (2, 262_144));
    let parsed = EventLog::parse(&log).unwrap();
    assert_eq!(parsed.events.len(), 43);
    let q = Quote::parse(&quote).unwrap();
    assert_eq!(parsed.replay().unwrap(), *q.body().rtmrs());
    assert_eq!(q.body().rtmrs()[3], [0; 48]);
    // Through verification, and refused against another quote.
    let policy = Policy::default();
    let mut options = Options::new(IntelRoots::builtin().unwrap(), inside(&q), &policy);
    options.event_log = Some(&log);
    let appraisal = verify::verify(&quote, &challenge(&q), &options).unwrap();
    assert_eq!(appraisal.event_log_events, Some(43));
    let other = support::corpus_file("ccel", "tdx/dcap-qvl/tdx_quote").unwrap();
    let oq = Quote::parse(&other).unwrap();
    let mut options = Options::new(IntelRoots::builtin().unwrap(), inside(&oq), &policy);
    options.event_log = Some(&log);
    let err = verify::verify(&other, &challenge(&oq), &options).unwrap_err();
    assert_eq!(
        err.check_failed().unwrap().check,
        Check::Format("event-log".into())
    );
    for len in [0, 10, 100, 1000] {
        assert!(EventLog::parse(&log[..len]).is_err() || len >= 1000);
    }
}

fn tcb(
    test: &str,
    quote: &str,
    collateral: &str,
    at: OffsetDateTime,
) -> Option<attester_core::Result<verify::Appraisal>> {
    let bytes = support::corpus_file(test, &format!("tdx/{quote}"))?;
    let bytes = if quote.ends_with(".txt") {
        hex::decode(String::from_utf8(bytes).unwrap().trim()).unwrap()
    } else {
        bytes
    };
    let json = support::corpus_file(test, &format!("tdx/{collateral}"))?;
    let roots = IntelRoots::builtin().unwrap();
    let mut c = Collateral::new();
    c.add_file(&json).unwrap();
    let verified = c
        .verify(roots, at, attester_core::crypto::default_provider())
        .unwrap();
    let q = Quote::parse(&bytes).unwrap();
    let policy = Policy::default();
    let mut options = Options::new(roots, at, &policy);
    options.collateral = Some(&verified);
    Some(verify::verify(&bytes, &challenge(&q), &options))
}

#[test]
fn collateral_gives_the_tcb_status_of_provenance() {
    let Some(up) = tcb(
        "collateral",
        "dcap-qvl/tdx_quote",
        "dcap-qvl/tdx_quote_collateral.json",
        datetime!(2025-06-19 11:00 UTC),
    ) else {
        return;
    };
    let evaluation = up.unwrap().tcb.unwrap();
    assert_eq!(evaluation.status, TcbStatus::UpToDate);
    assert_eq!(evaluation.module_id.as_deref(), Some("TDX_01"));
    let near = tcb(
        "collateral",
        "dcap-qvl/near_gas_test_quote_hex.txt",
        "dcap-qvl/near_gas_test_quote_collateral.json",
        datetime!(2025-09-02 08:00 UTC),
    )
    .unwrap();
    assert_eq!(near.unwrap().tcb.unwrap().status, TcbStatus::UpToDate);
    let outdated = tcb(
        "collateral",
        "dcap-qvl/tdx_quote_outdated",
        "dcap-qvl/tdx_quote_outdated_collateral.json",
        datetime!(2026-02-18 12:00 UTC),
    )
    .unwrap();
    let err = outdated.unwrap_err();
    assert_eq!(
        err.check_failed().unwrap().check,
        Check::Format("tcb-level".into()),
        "{err}"
    );
    // Expired collateral: a validity failure.
    let json =
        support::corpus_file("collateral", "tdx/dcap-qvl/tdx_quote_collateral.json").unwrap();
    let mut c = Collateral::new();
    c.add_file(&json).unwrap();
    let err = c
        .verify(
            IntelRoots::builtin().unwrap(),
            datetime!(2025-08-01 0:00 UTC),
            attester_core::crypto::default_provider(),
        )
        .unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Validity);
    // A changed TCB Info: its signature fails.
    let text = String::from_utf8(json)
        .unwrap()
        .replacen("UpToDate", "OutOfDate", 1);
    let mut c = Collateral::new();
    c.add_file(text.as_bytes()).unwrap();
    let err = c
        .verify(
            IntelRoots::builtin().unwrap(),
            datetime!(2025-06-19 11:00 UTC),
            attester_core::crypto::default_provider(),
        )
        .unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Signature);
}

#[test]
fn pcs_responses_and_crl_files_are_collateral() {
    let Some(bundle) = support::corpus_file("pcs", "tdx/dcap-qvl/tdx_quote_collateral.json") else {
        return;
    };
    let chain: serde_json::Value = serde_json::from_slice(&bundle).unwrap();
    let chain = chain["tcb_info_issuer_chain"].as_str().unwrap().to_owned();
    for (tcb_file, at) in [
        (
            "go-tdx-guest/sample_tcbInfo_response",
            datetime!(2023-06-18 10:00 UTC),
        ),
        (
            "go-tdx-guest/sample_tcbinfo_response_v5",
            datetime!(2026-02-01 12:00 UTC),
        ),
    ] {
        let mut c = Collateral::new();
        c.add_file(&support::corpus_file("pcs", &format!("tdx/{tcb_file}")).unwrap())
            .unwrap();
        c.add_file(
            &support::corpus_file("pcs", "tdx/go-tdx-guest/sample_qeIdentity_response").unwrap(),
        )
        .unwrap();
        c.add_file(chain.as_bytes()).unwrap();
        c.add_file(&support::corpus_file("pcs", "tdx/go-tdx-guest/pckcrl").unwrap())
            .unwrap();
        c.add_file(&support::corpus_file("pcs", "tdx/go-tdx-guest/rootcrl.der").unwrap())
            .unwrap();
        assert!(c.tcb_info.is_some() && c.qe_identity.is_some());
        assert_eq!(c.crls.len(), 2);
        // The QE identity sample expired long before the v5 TCB Info was issued: one of the
        // two is always out of date, so verification fails on validity, never on a signature.
        let err = c
            .verify(
                IntelRoots::builtin().unwrap(),
                at,
                attester_core::crypto::default_provider(),
            )
            .unwrap_err();
        assert_eq!(
            err.check_failed().unwrap().check,
            Check::Validity,
            "{tcb_file}: {err}"
        );
    }
}
