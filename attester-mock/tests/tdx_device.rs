//! The TDX device backend against the configfs-tsm emulator (provider `tdx_guest`) and fakes of
//! `/dev/tdx_guest` and the RTMR files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_core::tsm::{TDX_GUEST, TsmOp, TsmReportClient, errno};
use attester_core::{Attester, Challenge, ErrorKind, ExtendMeasurement, Result, media_types};
use attester_mock::TsmEmulator;
use attester_mock::tdx::MockTdx;
use attester_tdx::device::{ReportDevice, RtmrExtender, TdxAttester, errno_kind, tdreport};

fn emulator() -> TsmEmulator {
    let mock = MockTdx::from_default_seed().unwrap();
    TsmEmulator::new(TDX_GUEST, move |_, inblob, _| {
        let data: [u8; 64] = inblob.try_into().unwrap();
        (mock.quote(&data).unwrap(), None)
    })
}

#[test]
fn quotes_come_through_configfs_tsm_with_the_ccel() {
    let emu = emulator();
    let dir = std::env::temp_dir().join(format!("attester-tdx-ccel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("CCEL"), b"event log bytes").unwrap();
    let mut attester =
        TdxAttester::with_client(TsmReportClient::with_fs(&emu)).with_ccel(dir.join("CCEL"));
    let challenge = Challenge::new(&[0x42; 48]).unwrap();
    let evidence = attester.attest(&challenge).unwrap();
    assert_eq!(evidence.body.media_type, media_types::TDX_QUOTE);
    let quote = attester_tdx::Quote::parse(&evidence.body.bytes).unwrap();
    assert_eq!(&quote.body().report_data()[..48], &[0x42; 48]);
    assert_eq!(&quote.body().report_data()[48..], &[0; 16]);
    assert_eq!(evidence.event_logs.len(), 1);
    assert_eq!(evidence.event_logs[0].media_type, media_types::CCEL);
    assert!(emu.live_entries().is_empty());
    // No CCEL file: nothing stapled.
    let mut attester =
        TdxAttester::with_client(TsmReportClient::with_fs(&emu)).with_ccel(dir.join("absent"));
    assert!(attester.attest(&challenge).unwrap().event_logs.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ebusy_is_busy() {
    let emu = emulator();
    emu.fail_next(
        TsmOp::Read(attester_core::tsm::Attribute::Outblob),
        errno::EBUSY,
        1,
    );
    let mut attester = TdxAttester::with_client(TsmReportClient::with_fs(&emu));
    let err = attester
        .attest(&Challenge::new(&[1; 8]).unwrap())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Busy, "{err}");
    assert!(emu.live_entries().is_empty());
    assert_eq!(errno_kind(16), ErrorKind::Busy);
    assert_eq!(errno_kind(25), ErrorKind::Unsupported);
    assert_eq!(errno_kind(13), ErrorKind::PermissionDenied);
    assert_eq!(errno_kind(5), ErrorKind::Device);
}

#[test]
fn a_quote_for_other_data_is_a_device_error() {
    let mock = MockTdx::from_default_seed().unwrap();
    let emu = TsmEmulator::new(TDX_GUEST, move |_, _, _| {
        (mock.quote(&[9; 64]).unwrap(), None)
    });
    let mut attester = TdxAttester::with_client(TsmReportClient::with_fs(&emu));
    let err = attester
        .attest(&Challenge::new(&[1; 8]).unwrap())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Device);
}

/// A fake `/dev/tdx_guest` returning a fixed TDREPORT.
struct FakeDevice(Vec<u8>);

impl ReportDevice for FakeDevice {
    fn get_report0(&self, _: &[u8; 64]) -> Result<[u8; 1024]> {
        Ok(self.0.clone().try_into().unwrap())
    }
}

#[test]
fn tdreports_are_checked() {
    // A structurally valid TDREPORT with consistent hashes and REPORTDATA = 7s.
    let mut report = vec![0u8; 1024];
    report[0] = 0x81;
    report[128..192].copy_from_slice(&[7; 64]);
    report[256..264].copy_from_slice(&0x1ffu64.to_le_bytes());
    let h1 =
        attester_core::crypto::digest(attester_core::crypto::HashAlg::Sha384, &report[256..495]);
    let h2 = attester_core::crypto::digest(attester_core::crypto::HashAlg::Sha384, &report[512..]);
    report[32..80].copy_from_slice(h1.as_bytes());
    report[80..128].copy_from_slice(h2.as_bytes());
    assert!(tdreport(&FakeDevice(report.clone()), &[7; 64]).is_ok());
    assert_eq!(
        tdreport(&FakeDevice(report.clone()), &[8; 64])
            .unwrap_err()
            .kind(),
        ErrorKind::Device
    );
    report[600] ^= 1;
    assert_eq!(
        tdreport(&FakeDevice(report), &[7; 64]).unwrap_err().kind(),
        ErrorKind::Device
    );
}

#[test]
fn rtmr_extension_writes_48_bytes_to_rtmr_2_and_3_only() {
    let dir = std::env::temp_dir().join(format!("attester-tdx-rtmr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..4 {
        std::fs::write(dir.join(format!("rtmr{i}:sha384")), [0u8; 48]).unwrap();
    }
    let mut extender = RtmrExtender::new(&dir);
    assert_eq!(extender.extend_support().registers, vec![2, 3]);
    extender.extend(3, &[0xaa; 48]).unwrap();
    assert_eq!(extender.read(3).unwrap(), [0xaa; 48]);
    assert_eq!(
        extender.extend(1, &[0; 48]).unwrap_err().kind(),
        ErrorKind::Unsupported
    );
    assert_eq!(
        extender.extend(2, &[0; 32]).unwrap_err().kind(),
        ErrorKind::Malformed
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
