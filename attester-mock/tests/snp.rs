//! mock-snp: its reports verify with the production SEV-SNP verifier when the mock ARK is
//! trusted, and fail without it, with every check named.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_core::x509::Certificate;
use attester_core::{Attester, Challenge, Check, Error, Platform, media_types};
use attester_mock::pki::DEFAULT_SEED;
use attester_mock::snp::{MockSnp, MockSnpAttester, VcekShape, default_ark};
use attester_snp::verify::{self, AmdRoots, Options, Policy, ProductRoots};
use attester_snp::{CertTable, Generation, Report, SigningKey};
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-06-01 00:00 UTC);

fn mock_roots(mock: &MockSnp) -> AmdRoots {
    AmdRoots::empty().with_product(ProductRoots {
        generation: Generation::Milan,
        ark: Certificate::from_der(mock.ark_certificate_der()).unwrap(),
        ask: None,
        asvk: None,
    })
}

fn certs_of(table: &[u8]) -> Vec<Certificate> {
    CertTable::parse(table)
        .unwrap()
        .entries()
        .iter()
        .map(|e| Certificate::from_der(e.bytes).unwrap())
        .collect()
}

fn check_of(err: Error) -> Check {
    err.check_failed()
        .unwrap_or_else(|| panic!("expected a failed check, got {err}"))
        .check
        .clone()
}

fn run(
    mock: &MockSnp,
    report: &[u8],
    roots: &AmdRoots,
    challenge: &Challenge,
    policy: &Policy,
) -> attester_core::Result<verify::Appraisal> {
    let certs = certs_of(&mock.cert_table());
    verify::verify(report, &certs, challenge, &Options::new(roots, NOW, policy))
}

fn report_for(mock: &MockSnp, challenge: &Challenge) -> Vec<u8> {
    let mut data = [0u8; 64];
    data[..challenge.len()].copy_from_slice(challenge.as_bytes());
    mock.report(&data, 0).unwrap()
}

#[test]
fn mock_reports_verify_only_when_the_mock_ark_is_trusted() {
    let mock = MockSnp::from_default_seed().unwrap();
    let challenge = Challenge::new(&[0x5a; 32]).unwrap();
    let report = report_for(&mock, &challenge);
    let parsed = Report::parse(&report).unwrap();
    assert_eq!(parsed.version(), 3);
    assert_eq!(parsed.generation(), Some(Generation::Milan));
    assert_eq!(parsed.key_info().signing_key(), SigningKey::Vcek);
    assert_eq!(&parsed.report_data()[..32], &[0x5a; 32]);
    assert_eq!(parsed.chip_id(), mock.chip_id());

    let appraisal = run(
        &mock,
        &report,
        &mock_roots(&mock),
        &challenge,
        &Policy::default(),
    )
    .unwrap();
    assert_eq!(appraisal.generation, Generation::Milan);
    assert_eq!(appraisal.product_name.as_deref(), Some("Milan-B0"));
    assert!(appraisal.passed.contains(&Check::Trust));

    // AMD's roots alone: the mock ASK names a mock ARK that is not trusted.
    let err = run(
        &mock,
        &report,
        AmdRoots::builtin().unwrap(),
        &challenge,
        &Policy::default(),
    )
    .unwrap_err();
    assert_eq!(check_of(err), Check::Trust);
    // AMD's roots and the mock's together (what --allow-mock does): accepted.
    let both = AmdRoots::empty()
        .with_all(AmdRoots::builtin().unwrap())
        .with_all(&mock_roots(&mock));
    run(&mock, &report, &both, &challenge, &Policy::default()).unwrap();
    // Signatures are randomised under aws-lc-rs: the default ARK is the default seed's by key.
    assert_eq!(
        default_ark().unwrap().spki_der(),
        Certificate::from_der(mock.ark_certificate_der())
            .unwrap()
            .spki_der(),
    );
}

#[test]
fn another_seed_is_not_trusted() {
    let trusted = MockSnp::from_default_seed().unwrap();
    let other = MockSnp::from_seed([7; 32]).unwrap();
    let challenge = Challenge::new(&[1; 64]).unwrap();
    let report = report_for(&other, &challenge);
    let err = run(
        &other,
        &report,
        &mock_roots(&trusted),
        &challenge,
        &Policy::default(),
    )
    .unwrap_err();
    // Same names, another key: the ASK's signature does not verify with the trusted ARK.
    assert_eq!(check_of(err), Check::Chain);
}

#[test]
fn debug_binding_and_key_mismatches_are_named() {
    let challenge = Challenge::new(&[3; 16]).unwrap();
    let mock = MockSnp::from_default_seed().unwrap().with_debug(true);
    let roots = mock_roots(&mock);
    let report = report_for(&mock, &challenge);
    let err = run(&mock, &report, &roots, &challenge, &Policy::default()).unwrap_err();
    assert_eq!(check_of(err), Check::Policy("debug".into()));
    let allow = Policy {
        allow_debug: true,
        ..Policy::default()
    };
    run(&mock, &report, &roots, &challenge, &allow).unwrap();
    let other = Challenge::new(&[4; 16]).unwrap();
    let err = run(&mock, &report, &roots, &other, &allow).unwrap_err();
    assert_eq!(check_of(err), Check::Binding);

    let seed = DEFAULT_SEED;
    let honest = MockSnp::from_seed(seed).unwrap();
    let mut tcb = attester_mock::snp::DEFAULT_TCB;
    tcb[7] -= 1;
    let wrong_tcb = MockSnp::with_vcek(
        seed,
        VcekShape {
            tcb,
            hw_id: *honest.chip_id(),
            hw_id_wrapped: false,
        },
    )
    .unwrap();
    let report = report_for(&wrong_tcb, &challenge);
    let err = run(&wrong_tcb, &report, &roots, &challenge, &Policy::default()).unwrap_err();
    assert_eq!(check_of(err), Check::Format("vek-tcb".into()));

    let mut hw_id = *honest.chip_id();
    hw_id[0] ^= 1;
    let wrong_chip = MockSnp::with_vcek(
        seed,
        VcekShape {
            tcb: attester_mock::snp::DEFAULT_TCB,
            hw_id,
            hw_id_wrapped: false,
        },
    )
    .unwrap();
    let report = report_for(&wrong_chip, &challenge);
    let err = run(&wrong_chip, &report, &roots, &challenge, &Policy::default()).unwrap_err();
    assert_eq!(check_of(err), Check::Format("vek-hwid".into()));
}

#[test]
fn a_wrapped_hw_id_is_accepted_when_it_matches() {
    let challenge = Challenge::new(&[6; 16]).unwrap();
    let honest = MockSnp::from_default_seed().unwrap();
    let roots = mock_roots(&honest);
    for (hw_id, verifies) in [(*honest.chip_id(), true), ([0x11; 64], false)] {
        let mock = MockSnp::with_vcek(
            DEFAULT_SEED,
            VcekShape {
                tcb: attester_mock::snp::DEFAULT_TCB,
                hw_id,
                hw_id_wrapped: true,
            },
        )
        .unwrap();
        let cert = Certificate::from_der(mock.vcek_certificate_der()).unwrap();
        let ext = cert.extension(&attester_snp::vek::oid::HW_ID).unwrap();
        assert_eq!(&ext.value[..2], &[0x04, 64]);
        let report = report_for(&mock, &challenge);
        let result = run(&mock, &report, &roots, &challenge, &Policy::default());
        match verifies {
            true => {
                result.unwrap();
            }
            false => assert_eq!(
                check_of(result.unwrap_err()),
                Check::Format("vek-hwid".into())
            ),
        }
    }
}

#[test]
fn every_bit_flip_of_the_signed_region_and_signature_fails() {
    let mock = MockSnp::from_default_seed().unwrap();
    let roots = mock_roots(&mock);
    let challenge = Challenge::new(&[9; 64]).unwrap();
    let report = report_for(&mock, &challenge);
    let certs = certs_of(&mock.cert_table());
    let policy = Policy::default();
    let options = Options::new(&roots, NOW, &policy);
    verify::verify(&report, &certs, &challenge, &options).unwrap();
    for byte in 0..report.len() {
        for bit in 0..8 {
            let mut bad = report.clone();
            bad[byte] ^= 1 << bit;
            assert!(
                verify::verify(&bad, &certs, &challenge, &options).is_err(),
                "flip {byte:#x}:{bit} verified"
            );
        }
    }
}

#[test]
fn the_attester_staples_the_certificate_table() {
    let mut attester = MockSnpAttester::new(MockSnp::from_default_seed().unwrap());
    let challenge = Challenge::new(&[0xC0; 48]).unwrap();
    let evidence = attester.attest(&challenge).unwrap();
    assert_eq!(evidence.platform, Platform::Snp);
    assert_eq!(evidence.body.media_type, media_types::SNP_REPORT);
    assert_eq!(evidence.endorsements[0].media_type, media_types::SNP_CERTS);
    let roots = mock_roots(attester.mock());
    let certs = certs_of(&evidence.endorsements[0].bytes);
    let policy = Policy::default();
    verify::verify(
        &evidence.body.bytes,
        &certs,
        &challenge,
        &Options::new(&roots, NOW, &policy),
    )
    .unwrap();
    let too_long = attester.capabilities().challenge_lengths.end() + 1;
    assert_eq!(too_long, 65);
}

mod device {
    use super::*;
    use attester_core::ErrorKind;
    use attester_core::tsm::errno::{EBUSY, ENOTTY};
    use attester_core::tsm::{Attribute, SEV_GUEST, TDX_GUEST, TsmOp, TsmReportClient};
    use attester_mock::TsmEmulator;
    use attester_snp::device::SnpAttester;
    use std::sync::Arc;

    /// configfs-tsm with a `sev_guest` provider answering from the default mock.
    fn emulator(provider: &str, with_table: bool) -> Arc<TsmEmulator> {
        let mock = MockSnp::from_default_seed().unwrap();
        Arc::new(TsmEmulator::new(provider, move |_, inblob, privlevel| {
            let data: [u8; 64] = inblob.try_into().unwrap();
            let report = mock.report(&data, privlevel).unwrap();
            (report, with_table.then(|| mock.cert_table()))
        }))
    }

    fn attester(emu: &Arc<TsmEmulator>) -> SnpAttester<Arc<TsmEmulator>> {
        SnpAttester::with_client(TsmReportClient::with_fs(Arc::clone(emu)))
    }

    #[test]
    fn configfs_reports_verify_with_the_stapled_table() {
        let emu = emulator(SEV_GUEST, true);
        let mut snp = attester(&emu);
        let challenge = Challenge::new(&[0xA5; 32]).unwrap();
        let evidence = snp.attest(&challenge).unwrap();
        assert!(emu.live_entries().is_empty());
        assert_eq!(evidence.endorsements.len(), 1);
        let mock = MockSnp::from_default_seed().unwrap();
        let certs = certs_of(&evidence.endorsements[0].bytes);
        let policy = Policy::default();
        verify::verify(
            &evidence.body.bytes,
            &certs,
            &challenge,
            &Options::new(&mock_roots(&mock), NOW, &policy),
        )
        .unwrap();

        // An explicit VMPL is written to privlevel and is what the report says.
        let mut at_vmpl_2 = attester(&emu).with_vmpl(2);
        let evidence = at_vmpl_2.attest(&challenge).unwrap();
        assert_eq!(Report::parse(&evidence.body.bytes).unwrap().vmpl(), 2);
        // Without a table from the host, the evidence carries none.
        let bare = emulator(SEV_GUEST, false);
        let evidence = attester(&bare).attest(&challenge).unwrap();
        assert!(evidence.endorsements.is_empty());
    }

    #[test]
    fn errors_keep_their_kinds_and_are_never_retried() {
        let challenge = Challenge::new(&[1; 16]).unwrap();
        let emu = emulator(SEV_GUEST, true);
        emu.fail_next(TsmOp::Read(Attribute::Outblob), EBUSY, 1);
        let err = attester(&emu).attest(&challenge).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Busy, "{err}");
        assert_eq!(emu.reports_generated(), 0, "no retry after EBUSY");
        emu.fail_next(TsmOp::Read(Attribute::Outblob), ENOTTY, 1);
        let before = emu.entries_created();
        let err = attester(&emu).attest(&challenge).unwrap_err();
        assert_ne!(err.kind(), ErrorKind::Busy, "{err}");
        assert_eq!(emu.entries_created(), before + 1, "one attempt only");
        assert!(emu.live_entries().is_empty());

        let tdx = emulator(TDX_GUEST, true);
        let err = attester(&tdx).attest(&challenge).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);

        // The longest challenge fills REPORT_DATA exactly.
        let full = Challenge::new(&[1; 64]).unwrap();
        assert!(attester(&emu).attest(&full).is_ok());
    }

    #[test]
    fn a_report_that_is_not_ours_is_a_device_error() {
        let mock = MockSnp::from_default_seed().unwrap();
        let challenge = Challenge::new(&[2; 16]).unwrap();
        // A provider that answers with a report for other data.
        let wrong = Arc::new(TsmEmulator::new(SEV_GUEST, move |_, _, privlevel| {
            (mock.report(&[0xEE; 64], privlevel).unwrap(), None)
        }));
        let err = attester(&wrong).attest(&challenge).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Device, "{err}");
        // One that answers with garbage.
        let garbage = Arc::new(TsmEmulator::new(SEV_GUEST, |_, _, _| (vec![0; 1184], None)));
        let err = attester(&garbage).attest(&challenge).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Device, "{err}");
        // One whose certificate table is malformed.
        let mock = MockSnp::from_default_seed().unwrap();
        let bad_table = Arc::new(TsmEmulator::new(SEV_GUEST, move |_, inblob, privlevel| {
            let data: [u8; 64] = inblob.try_into().unwrap();
            (mock.report(&data, privlevel).unwrap(), Some(vec![1; 30]))
        }));
        let err = attester(&bad_table).attest(&challenge).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Device, "{err}");
    }
}

/// The committed default-seed keys (`keys/README.md`): RSA-4096, exponent 65537, pinned by
/// the SHA-256 of their public keys, and the certificates signed with RSA-PSS SHA-384 as AMD's.
#[test]
fn mock_rsa_keys_are_the_committed_rsa_4096_keys() {
    use attester_core::crypto::{HashAlg, KeyType, PublicKey, digest};
    use attester_core::x509::CertSignatureAlg;

    let mock = MockSnp::from_default_seed().unwrap();
    let ark = Certificate::from_der(mock.ark_certificate_der()).unwrap();
    let ask = Certificate::from_der(mock.ask_certificate_der()).unwrap();
    let vcek = Certificate::from_der(mock.vcek_certificate_der()).unwrap();
    let pinned = [
        (
            &ark,
            "dea4cde57ee298e08db16e41ab997562e48200a81f26659103536a05f2607580",
        ),
        (
            &ask,
            "e056b7af06253faac395ab6b8b5f1e292fcff6d284dc1c322e7dc21cde44186e",
        ),
    ];
    for (cert, sha256) in pinned {
        assert_eq!(
            hex::encode(digest(HashAlg::Sha256, cert.spki_der()).as_bytes()),
            sha256,
            "{}",
            cert.subject()
        );
        assert_eq!(
            PublicKey::Spki(cert.spki_der()).key_type().unwrap(),
            KeyType::Rsa
        );
        let (n, e) = rsa_components(cert.spki_der());
        assert_eq!(n.len() * 8, 4096, "{}: modulus size", cert.subject());
        assert_eq!(e, [1, 0, 1], "{}: exponent", cert.subject());
    }
    for cert in [&ark, &ask, &vcek] {
        assert_eq!(
            cert.signature_alg(),
            CertSignatureAlg::RsaPss {
                hash: HashAlg::Sha384
            },
            "{}",
            cert.subject()
        );
    }
}

/// `(n, e)` of an `rsaEncryption` SubjectPublicKeyInfo, without leading zeros.
fn rsa_components(spki: &[u8]) -> (Vec<u8>, Vec<u8>) {
    use der::asn1::UintRef;
    use der::{Decode, Reader, SliceReader};
    let info = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(spki).unwrap();
    let bits = info.subject_public_key.raw_bytes();
    let mut reader = SliceReader::new(bits).unwrap();
    reader
        .sequence(|r| {
            let n = UintRef::decode(r)?.as_bytes().to_vec();
            let e = UintRef::decode(r)?.as_bytes().to_vec();
            Ok::<_, der::Error>((n, e))
        })
        .unwrap()
}

/// The mock chain is checked on the production path under both providers: RSA-PSS for
/// ARK → ASK → VCEK, ECDSA P-384 for the report.
#[test]
fn mock_chain_verifies_under_every_provider() {
    use attester_core::crypto::{AwsLc, Provider, RustCrypto};
    let mock = MockSnp::from_default_seed().unwrap();
    let challenge = Challenge::new(&[9; 32]).unwrap();
    let report = report_for(&mock, &challenge);
    let certs = certs_of(&mock.cert_table());
    let roots = mock_roots(&mock);
    let policy = Policy::default();
    let providers: [&dyn Provider; 2] = [&AwsLc, &RustCrypto];
    for provider in providers {
        let mut options = Options::new(&roots, NOW, &policy);
        options.provider = provider;
        let appraisal = verify::verify(&report, &certs, &challenge, &options)
            .unwrap_or_else(|e| panic!("{}: {e}", provider.name()));
        assert_eq!(appraisal.signing_key, SigningKey::Vcek);
    }
}
