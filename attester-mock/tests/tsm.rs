//! The configfs-tsm report client against the kernel emulator: every path, and that the report
//! entry is removed on each.

// The helpers below fail loudly like the tests they serve; clippy.toml's test allowances
// cover only `#[test]` functions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use attester_core::tsm::errno::{EBUSY, EEXIST, EFBIG, EIO};
use attester_core::tsm::{
    ARM_CCA_GUEST, Attribute, GenerationMismatch, InblobLen, ReportRequest, SEV_GUEST, TDX_GUEST,
    TsmOp, TsmReportClient,
};
use attester_core::{Error, ErrorKind};
use attester_mock::TsmEmulator;
use std::error::Error as _;
use std::sync::{Arc, Barrier};

/// A report that shows what the provider was given: provider name, privlevel byte, inblob.
fn echo(provider: &str, inblob: &[u8], privlevel: u32) -> (Vec<u8>, Option<Vec<u8>>) {
    let mut out = provider.as_bytes().to_vec();
    out.push(u8::try_from(privlevel).unwrap());
    out.extend_from_slice(inblob);
    let aux = (provider == SEV_GUEST).then(|| b"cert table".to_vec());
    (out, aux)
}

fn expected(provider: &str, inblob: &[u8], privlevel: u8) -> Vec<u8> {
    let mut out = provider.as_bytes().to_vec();
    out.push(privlevel);
    out.extend_from_slice(inblob);
    out
}

fn rule(provider: &str) -> InblobLen {
    InblobLen::for_provider(provider).unwrap()
}

/// Every report entry the client created is gone.
#[track_caller]
fn assert_clean(emu: &TsmEmulator) {
    assert!(
        emu.live_entries().is_empty(),
        "entries left behind: {:?}",
        emu.live_entries()
    );
}

#[track_caller]
fn expect_err(result: Result<attester_core::tsm::TsmReport, Error>, kind: ErrorKind) -> Error {
    let err = result.expect_err("the request should fail");
    assert_eq!(err.kind(), kind, "{err}");
    err
}

#[test]
fn success_for_each_provider() {
    let cases: [(&str, usize, u64); 4] = [
        (SEV_GUEST, 64, 1),
        (TDX_GUEST, 64, 1),
        (ARM_CCA_GUEST, 64, 1),
        (ARM_CCA_GUEST, 32, 1),
    ];
    for (provider, len, generation) in cases {
        let emu = TsmEmulator::new(provider, echo);
        let client = TsmReportClient::with_fs(&emu);
        let inblob: Vec<u8> = (0..len).map(|i| i as u8).collect();
        let report = client
            .get_report(&ReportRequest::new(provider, &inblob, rule(provider)))
            .unwrap();
        assert_eq!(report.provider, provider);
        assert_eq!(report.outblob, expected(provider, &inblob, 0));
        assert_eq!(report.generation, generation);
        assert_eq!(report.auxblob, None, "not asked for");
        assert_eq!(report.manifestblob, None);
        assert_eq!(emu.entries_created(), 1);
        assert_eq!(emu.reports_generated(), 1);
        assert_clean(&emu);
    }
}

#[test]
fn snp_with_privlevel_and_auxblob() {
    let emu = TsmEmulator::new(SEV_GUEST, echo).with_privlevel_floor(1);
    let client = TsmReportClient::with_fs(&emu);
    let inblob = [0xA5; 64];
    let request = ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST)
        .with_privlevel(2)
        .with_auxblob();
    let report = client.get_report(&request).unwrap();
    assert_eq!(report.outblob, expected(SEV_GUEST, &inblob, 2));
    assert_eq!(report.auxblob.as_deref(), Some(&b"cert table"[..]));
    // Two writes (privlevel, inblob), two increments; outblob and auxblob share one report.
    assert_eq!(report.generation, 2);
    assert_eq!(emu.reports_generated(), 1);
    assert_clean(&emu);
}

#[test]
fn wrong_inblob_lengths_fail_before_any_fs_access() {
    let cases = [
        (SEV_GUEST, 63, ErrorKind::ChallengeTooShort),
        (SEV_GUEST, 65, ErrorKind::ChallengeTooLong),
        (SEV_GUEST, 0, ErrorKind::ChallengeTooShort),
        (TDX_GUEST, 63, ErrorKind::ChallengeTooShort),
        (TDX_GUEST, 65, ErrorKind::ChallengeTooLong),
        (ARM_CCA_GUEST, 31, ErrorKind::ChallengeTooShort),
        (ARM_CCA_GUEST, 65, ErrorKind::ChallengeTooLong),
    ];
    for (provider, len, kind) in cases {
        let emu = TsmEmulator::new(provider, echo);
        let client = TsmReportClient::with_fs(&emu);
        let inblob = vec![1u8; len];
        let err = expect_err(
            client.get_report(&ReportRequest::new(provider, &inblob, rule(provider))),
            kind,
        );
        assert!(
            matches!(err, Error::ChallengeLength { len: l, .. } if l == len),
            "{err:?}"
        );
        assert_eq!(emu.fs_calls(), 0, "{provider} {len}: the fs was touched");
    }
}

#[test]
fn the_kernels_own_length_rule_is_mapped_too() {
    // A caller with a wrong rule gets past our check; sev_guest then refuses the 40-byte
    // inblob when generating (EINVAL from the outblob read).
    let emu = TsmEmulator::new(SEV_GUEST, echo);
    let client = TsmReportClient::with_fs(&emu);
    let inblob = [1u8; 40];
    let err = expect_err(
        client.get_report(&ReportRequest::new(
            SEV_GUEST,
            &inblob,
            InblobLen::Range(32..=64),
        )),
        ErrorKind::Malformed,
    );
    assert!(err.to_string().contains("reading outblob"), "{err}");
    assert_clean(&emu);

    // configfs refuses more than 64 bytes on write() with EFBIG.
    emu.fail_next(TsmOp::Write(Attribute::Inblob), EFBIG, 1);
    let inblob = [1u8; 64];
    expect_err(
        client.get_report(&ReportRequest::new(
            SEV_GUEST,
            &inblob,
            InblobLen::SEV_GUEST,
        )),
        ErrorKind::ChallengeTooLong,
    );
    assert_clean(&emu);
}

#[test]
fn provider_mismatch_is_unsupported() {
    let emu = TsmEmulator::new(TDX_GUEST, echo);
    let client = TsmReportClient::with_fs(&emu);
    let inblob = [0u8; 64];
    let err = expect_err(
        client.get_report(&ReportRequest::new(
            SEV_GUEST,
            &inblob,
            InblobLen::SEV_GUEST,
        )),
        ErrorKind::Unsupported,
    );
    assert_eq!(
        err.to_string(),
        "unsupported: configfs-tsm provider is \"tdx_guest\", not \"sev_guest\""
    );
    assert_eq!(
        emu.reports_generated(),
        0,
        "nothing was requested of the provider"
    );
    assert_clean(&emu);
}

#[test]
fn privlevel_floor_and_range() {
    let emu = TsmEmulator::new(SEV_GUEST, echo).with_privlevel_floor(2);
    let client = TsmReportClient::with_fs(&emu);
    let inblob = [3u8; 64];
    let request =
        |level| ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST).with_privlevel(level);

    // Below the floor: refused by our check, which names both numbers (the kernel's EINVAL
    // would say less) and never writes.
    let err = expect_err(client.get_report(&request(1)), ErrorKind::Unsupported);
    assert!(
        err.to_string()
            .contains("privlevel 1 is below this guest's privlevel_floor 2"),
        "{err}"
    );
    assert!(err.source().is_none(), "refused before any write");
    assert_eq!(emu.reports_generated(), 0);
    assert_clean(&emu);

    // Above the ABI's maximum: refused before any fs access.
    let calls = emu.fs_calls();
    expect_err(client.get_report(&request(4)), ErrorKind::Malformed);
    assert_eq!(emu.fs_calls(), calls);

    // At and above the floor: written, and it reaches the report.
    for level in [2u8, 3] {
        let report = client.get_report(&request(u32::from(level))).unwrap();
        assert_eq!(report.outblob, expected(SEV_GUEST, &inblob, level));
        assert_eq!(report.generation, 2);
    }
    assert_clean(&emu);
}

#[test]
fn privlevel_where_the_provider_has_none() {
    let emu = TsmEmulator::new(TDX_GUEST, echo);
    let client = TsmReportClient::with_fs(&emu);
    let inblob = [3u8; 64];
    let err = expect_err(
        client.get_report(
            &ReportRequest::new(TDX_GUEST, &inblob, InblobLen::TDX_GUEST).with_privlevel(0),
        ),
        ErrorKind::Unsupported,
    );
    assert!(err.to_string().contains("writing privlevel"), "{err}");
    assert_clean(&emu);

    // arm_cca_guest shows privlevel (no visibility filter) with floor 0 and ignores it.
    let emu = TsmEmulator::new(ARM_CCA_GUEST, echo);
    let client = TsmReportClient::with_fs(&emu);
    let report = client
        .get_report(
            &ReportRequest::new(ARM_CCA_GUEST, &inblob, InblobLen::ARM_CCA_GUEST).with_privlevel(0),
        )
        .unwrap();
    assert_eq!(report.generation, 2);
    assert_clean(&emu);
}

#[test]
fn auxblob_present_empty_and_absent() {
    let inblob = [9u8; 64];
    let snp = |emu: &TsmEmulator| {
        TsmReportClient::with_fs(emu).get_report(
            &ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST).with_auxblob(),
        )
    };

    let with_certs = TsmEmulator::new(SEV_GUEST, echo);
    assert_eq!(
        snp(&with_certs).unwrap().auxblob.as_deref(),
        Some(&b"cert table"[..])
    );
    assert_clean(&with_certs);

    // The host supplied no certificates: the kernel's auxblob is empty, reported as None.
    let without = TsmEmulator::new(SEV_GUEST, |p, i, l| (echo(p, i, l).0, None));
    assert_eq!(snp(&without).unwrap().auxblob, None);
    assert_clean(&without);

    // tdx_guest has no auxblob attribute at all.
    let tdx = TsmEmulator::new(TDX_GUEST, echo);
    let err = expect_err(
        TsmReportClient::with_fs(&tdx).get_report(
            &ReportRequest::new(TDX_GUEST, &inblob, InblobLen::TDX_GUEST).with_auxblob(),
        ),
        ErrorKind::Unsupported,
    );
    assert!(err.to_string().contains("reading auxblob"), "{err}");
    assert_clean(&tdx);
}

#[test]
fn svsm_manifest() {
    let inblob = [5u8; 64];
    let request = ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST)
        .with_privlevel(1)
        .with_service_provider("svsm")
        .with_manifest();

    let emu = TsmEmulator::new(SEV_GUEST, echo)
        .with_privlevel_floor(1)
        .with_svsm(b"svsm manifest".to_vec());
    let report = TsmReportClient::with_fs(&emu).get_report(&request).unwrap();
    assert_eq!(report.manifestblob.as_deref(), Some(&b"svsm manifest"[..]));
    assert_eq!(
        report.generation, 3,
        "privlevel, service_provider and inblob"
    );
    assert_clean(&emu);

    // Not under an SVSM: service_provider is not there.
    let plain = TsmEmulator::new(SEV_GUEST, echo).with_privlevel_floor(1);
    let err = expect_err(
        TsmReportClient::with_fs(&plain).get_report(&request),
        ErrorKind::Unsupported,
    );
    assert!(
        err.to_string().contains("writing service_provider"),
        "{err}"
    );
    assert_clean(&plain);

    // sev_guest knows only "svsm": anything else fails when the report is generated.
    let other =
        ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST).with_service_provider("other");
    expect_err(
        TsmReportClient::with_fs(&emu).get_report(&other),
        ErrorKind::Malformed,
    );
    assert_clean(&emu);
}

#[test]
fn ebusy_is_busy_and_a_retry_succeeds() {
    let emu = TsmEmulator::new(TDX_GUEST, echo);
    let client = TsmReportClient::with_fs(&emu);
    let inblob = [7u8; 64];
    let request = ReportRequest::new(TDX_GUEST, &inblob, InblobLen::TDX_GUEST);
    emu.fail_next(TsmOp::Read(Attribute::Outblob), EBUSY, 2);
    for _ in 0..2 {
        let err = expect_err(client.get_report(&request), ErrorKind::Busy);
        let io = err
            .source()
            .unwrap()
            .downcast_ref::<std::io::Error>()
            .unwrap();
        assert_eq!(io.raw_os_error(), Some(EBUSY));
        assert_clean(&emu);
    }
    assert_eq!(
        client.get_report(&request).unwrap().outblob,
        expected(TDX_GUEST, &inblob, 0)
    );
    assert_clean(&emu);
}

#[test]
fn a_concurrent_writer_is_detected() {
    let emu = TsmEmulator::new(SEV_GUEST, echo);
    let client = TsmReportClient::with_fs(&emu);
    let ours = [1u8; 64];
    emu.inject_concurrent_writer(vec![2u8; 64]);
    let err = expect_err(
        client.get_report(&ReportRequest::new(SEV_GUEST, &ours, InblobLen::SEV_GUEST)),
        ErrorKind::Busy,
    );
    assert_eq!(
        err.to_string(),
        "configfs-tsm: another writer changed the report; retry"
    );
    let mismatch = err
        .source()
        .unwrap()
        .downcast_ref::<GenerationMismatch>()
        .unwrap();
    assert_eq!(
        *mismatch,
        GenerationMismatch {
            before: 0,
            writes: 1,
            after: 2
        }
    );
    assert_clean(&emu);

    // The hook was used up: the retry is clean and gets our own report.
    let report = client
        .get_report(&ReportRequest::new(SEV_GUEST, &ours, InblobLen::SEV_GUEST))
        .unwrap();
    assert_eq!(report.outblob, expected(SEV_GUEST, &ours, 0));
    assert_clean(&emu);
}

#[test]
fn no_configfs_is_unsupported() {
    let emu = TsmEmulator::new(SEV_GUEST, echo);
    emu.set_mounted(false);
    let client = TsmReportClient::with_fs(&emu);
    assert_eq!(client.probe(), None);
    let inblob = [0u8; 64];
    let err = expect_err(
        client.get_report(&ReportRequest::new(
            SEV_GUEST,
            &inblob,
            InblobLen::SEV_GUEST,
        )),
        ErrorKind::Unsupported,
    );
    assert!(
        err.to_string().ends_with(
            "configfs-tsm not available: is configfs mounted and the guest driver loaded?"
        ),
        "{err}"
    );
    assert_clean(&emu);
}

#[test]
fn no_provider_registered_is_unsupported() {
    let emu = TsmEmulator::new(SEV_GUEST, echo);
    emu.set_provider_registered(false);
    let client = TsmReportClient::with_fs(&emu);
    // The root is still there: detection sees the interface, a request finds no provider.
    assert!(client.probe().is_some());
    let inblob = [0u8; 64];
    let err = expect_err(
        client.get_report(&ReportRequest::new(
            SEV_GUEST,
            &inblob,
            InblobLen::SEV_GUEST,
        )),
        ErrorKind::Unsupported,
    );
    assert!(
        err.to_string().contains("no TSM provider is registered"),
        "{err}"
    );
    assert_clean(&emu);
}

#[test]
fn eacces_is_permission_denied() {
    let emu = TsmEmulator::new(SEV_GUEST, echo);
    emu.set_access_denied(true);
    let client = TsmReportClient::with_fs(&emu);
    let inblob = [0u8; 64];
    expect_err(
        client.get_report(&ReportRequest::new(
            SEV_GUEST,
            &inblob,
            InblobLen::SEV_GUEST,
        )),
        ErrorKind::PermissionDenied,
    );
    assert_clean(&emu);
}

#[test]
fn device_errors_remove_the_entry() {
    let inblob = [0u8; 64];
    let request = ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST).with_auxblob();
    // A failure at each step after the entry exists.
    let steps = [
        TsmOp::Read(Attribute::Provider),
        TsmOp::Read(Attribute::Generation),
        TsmOp::Write(Attribute::Inblob),
        TsmOp::Read(Attribute::Outblob),
        TsmOp::Read(Attribute::Auxblob),
    ];
    for op in steps {
        let emu = TsmEmulator::new(SEV_GUEST, echo);
        emu.fail_next(op, EIO, 1);
        let err = expect_err(
            TsmReportClient::with_fs(&emu).get_report(&request),
            ErrorKind::Device,
        );
        assert!(err.to_string().contains(&op.to_string()), "{op}: {err}");
        assert_eq!(emu.entries_created(), 1);
        assert_clean(&emu);
    }
}

#[test]
fn empty_and_oversized_outblobs_are_device_errors() {
    let inblob = [0u8; 64];
    let request = ReportRequest::new(TDX_GUEST, &inblob, InblobLen::TDX_GUEST);

    // Older TDX kernels hand back an empty quote when the quoting service failed.
    let empty = TsmEmulator::new(TDX_GUEST, |_, _, _| (Vec::new(), None));
    let err = expect_err(
        TsmReportClient::with_fs(&empty).get_report(&request),
        ErrorKind::Device,
    );
    assert!(err.to_string().contains("empty outblob"), "{err}");
    assert_clean(&empty);

    let big = TsmEmulator::new(TDX_GUEST, echo).with_outblob_max(16);
    let err = expect_err(
        TsmReportClient::with_fs(&big).get_report(&request),
        ErrorKind::Device,
    );
    assert!(err.to_string().contains("size limit"), "{err}");
    assert_clean(&big);
}

#[test]
fn a_taken_name_is_retried_then_busy() {
    let inblob = [0u8; 64];
    let request = ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST);
    let emu = TsmEmulator::new(SEV_GUEST, echo);
    let client = TsmReportClient::with_fs(&emu);
    emu.fail_next(TsmOp::CreateEntry, EEXIST, 2);
    client.get_report(&request).unwrap();
    assert_clean(&emu);
    emu.fail_next(TsmOp::CreateEntry, EEXIST, 3);
    expect_err(client.get_report(&request), ErrorKind::Busy);
    assert_clean(&emu);
}

#[test]
fn a_failed_rmdir_does_not_fail_the_report() {
    let emu = TsmEmulator::new(SEV_GUEST, echo);
    emu.fail_next(TsmOp::RemoveEntry, EIO, 1);
    let inblob = [0u8; 64];
    TsmReportClient::with_fs(&emu)
        .get_report(&ReportRequest::new(
            SEV_GUEST,
            &inblob,
            InblobLen::SEV_GUEST,
        ))
        .unwrap();
    // The guard tried once and moved on: the entry is left, under a name nobody reuses.
    assert_eq!(emu.live_entries().len(), 1);
}

#[test]
fn probe_has_no_side_effects() {
    let emu = TsmEmulator::new(SEV_GUEST, echo);
    let client = TsmReportClient::with_fs(&emu);
    let found = client.probe().unwrap();
    assert_eq!(found.root, emu.root());
    assert_eq!(emu.entries_created(), 0);
    assert_eq!(emu.fs_calls(), 1);
}

#[test]
fn a_custom_root_is_used() {
    let emu = TsmEmulator::new(TDX_GUEST, echo).with_root("/emulated/tsm/report");
    let inblob = [0u8; 64];
    let request = ReportRequest::new(TDX_GUEST, &inblob, InblobLen::TDX_GUEST);
    expect_err(
        TsmReportClient::with_fs(&emu).get_report(&request),
        ErrorKind::Unsupported,
    );
    TsmReportClient::with_root(&emu, "/emulated/tsm/report")
        .get_report(&request)
        .unwrap();
    assert_clean(&emu);
}

#[test]
fn two_threads_attest_concurrently_through_one_emulator() {
    const ROUNDS: u8 = 100;
    let emu = Arc::new(TsmEmulator::new(SEV_GUEST, echo));
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = [0xA0u8, 0xB0]
        .into_iter()
        .map(|tag| {
            let client = TsmReportClient::with_fs(Arc::clone(&emu));
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                for round in 0..ROUNDS {
                    let mut inblob = [tag; 64];
                    inblob[63] = round;
                    let report = client
                        .get_report(
                            &ReportRequest::new(SEV_GUEST, &inblob, InblobLen::SEV_GUEST)
                                .with_privlevel(0)
                                .with_auxblob(),
                        )
                        .unwrap();
                    assert_eq!(report.outblob, expected(SEV_GUEST, &inblob, 0));
                    assert_eq!(report.generation, 2);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(emu.entries_created(), 2 * u64::from(ROUNDS));
    assert_eq!(emu.reports_generated(), 2 * u64::from(ROUNDS));
    assert_clean(&emu);
}
