//! The `/dev/sev-guest` backend, for kernels without configfs-tsm: the logic (one request at
//! a time, no retries, errors classified, the answer checked) over a [`GuestDevice`], the
//! ioctl side, so that it is tested against a fake. The real device is [`SevGuestDevice`]
//! (the `sev` crate's ioctls).
//!
//! Read `../shared/notes/snp.md` §5.2 before touching the error handling: any firmware or host
//! error other than "certificate buffer too small" makes the kernel wipe the guest's VMPCK, and
//! every later request then fails with ENOTTY until the guest reboots. So no request is ever
//! retried here; the one documented resize of the certificate buffer happens inside the
//! device's single extended-report call.

use std::fmt;

use attester_core::{
    Attester, Capabilities, Challenge, Error, ErrorKind, Evidence, Platform, Result,
};

use super::{REQUESTS, capabilities, evidence_for};
use crate::{CertKind, CertTable, Report};

#[cfg(target_os = "linux")]
pub use super::ioctl::SevGuestDevice;

/// The path of the SEV-SNP guest device.
pub const DEVICE_PATH: &str = "/dev/sev-guest";

/// What the device answered to an extended report request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtendedReport {
    /// The ATTESTATION_REPORT (MSG_REPORT_RSP's report), as the device returned it.
    pub report: Vec<u8>,
    /// The certificates the host supplied (often none on upstream KVM).
    pub certificates: Vec<(CertKind, Vec<u8>)>,
}

/// Why a device request failed, classified from the ioctl's errno, `exitinfo2` and the
/// response status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GuestFailure {
    /// The host throttled the request (`vmm_error` 2, EBUSY, EAGAIN, or the kernel's 60 s
    /// retry window ended with ETIMEDOUT): retrying later may succeed.
    Busy(String),
    /// ENOTTY: the kernel disabled the VMPCK after an earlier firmware error; every request
    /// fails until the guest reboots. Never retry.
    VmpckDisabled,
    /// The firmware answered with a non-zero status (0x16 INVALID_PARAM for a VMPL below the
    /// guest's, …).
    Firmware {
        /// The PSP status code.
        status: u32,
    },
    /// The host answered with another `vmm_error`.
    Host {
        /// The `vmm_error` (upper half of `exitinfo2`).
        code: u32,
    },
    /// EACCES or EPERM on the device.
    PermissionDenied(String),
    /// No device, or another I/O error.
    Io(String),
}

impl fmt::Display for GuestFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Busy(why) => write!(f, "the host is throttling guest requests ({why})"),
            Self::VmpckDisabled => write!(
                f,
                "the guest's VMPCK is disabled after an earlier firmware error (ENOTTY); \
                 requests fail until the guest reboots"
            ),
            Self::Firmware { status } => write!(f, "firmware status {status:#x}"),
            Self::Host { code } => write!(f, "host error {code:#x}"),
            Self::PermissionDenied(why) | Self::Io(why) => f.write_str(why),
        }
    }
}

impl GuestFailure {
    /// The kind of error the caller sees.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Busy(_) => ErrorKind::Busy,
            Self::PermissionDenied(_) => ErrorKind::PermissionDenied,
            Self::VmpckDisabled | Self::Firmware { .. } | Self::Host { .. } | Self::Io(_) => {
                ErrorKind::Device
            }
        }
    }

    /// The classification of an errno from the ioctl, when it says more than the firmware
    /// status does.
    pub fn from_errno(errno: i32) -> Option<Self> {
        // Linux errno values (asm-generic/errno-base.h, errno.h), the same on every
        // architecture SEV-SNP guests run on.
        const EPERM: i32 = 1;
        const EAGAIN: i32 = 11;
        const EACCES: i32 = 13;
        const EBUSY: i32 = 16;
        const ENOTTY: i32 = 25;
        const ETIMEDOUT: i32 = 110;
        match errno {
            ENOTTY => Some(Self::VmpckDisabled),
            EBUSY | EAGAIN => Some(Self::Busy(format!("errno {errno}"))),
            ETIMEDOUT => Some(Self::Busy(
                "ETIMEDOUT: the kernel's 60 s retry window ended".into(),
            )),
            EACCES | EPERM => Some(Self::PermissionDenied(format!(
                "{DEVICE_PATH}: permission denied"
            ))),
            _ => None,
        }
    }
}

/// The ioctl side of `/dev/sev-guest`: one extended report request (SNP_GET_EXT_REPORT,
/// including its one documented resize when the certificate buffer is too small).
pub trait GuestDevice: Send + fmt::Debug {
    /// Requests the report over `report_data` for `vmpl`, with the host's certificates.
    ///
    /// # Errors
    /// The classified failure; an implementation never retries.
    fn extended_report(
        &mut self,
        report_data: &[u8; 64],
        vmpl: u32,
    ) -> std::result::Result<ExtendedReport, GuestFailure>;
}

/// An SEV-SNP attester over `/dev/sev-guest` (or a fake [`GuestDevice`]).
#[derive(Debug)]
pub struct SevGuestAttester<D: GuestDevice> {
    device: D,
    vmpl: u32,
}

impl<D: GuestDevice> SevGuestAttester<D> {
    /// An attester asking `device` for reports at `vmpl`, always named explicitly: the `sev`
    /// crate's default is VMPL 1, the kernel's configfs default the guest's own level.
    pub fn new(device: D, vmpl: u32) -> Self {
        Self { device, vmpl }
    }

    /// The VMPL reports are requested for.
    pub fn vmpl(&self) -> u32 {
        self.vmpl
    }

    /// Requests a report over `report_data` and returns it with the certificate table the
    /// host supplied (empty when none), both checked: the report parses, holds `report_data`
    /// and the VMPL asked for.
    ///
    /// # Errors
    /// [`ErrorKind::Busy`] when the host throttles, [`ErrorKind::PermissionDenied`],
    /// [`ErrorKind::Device`] for every other failure (named: the VMPCK is disabled, a firmware
    /// status, a host error) and for an answer that is malformed or not the one asked for.
    pub fn get_report(&mut self, report_data: &[u8; 64]) -> Result<(Vec<u8>, Vec<u8>)> {
        let answer = {
            // A poisoned lock only means another request panicked; the device state is fine.
            let _guard = REQUESTS
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            self.device.extended_report(report_data, self.vmpl)
        }
        .map_err(|failure| {
            Error::device(
                failure.kind(),
                format!("{DEVICE_PATH} extended report request failed"),
                failure.to_string(),
            )
        })?;
        let unusable = |reason: String| {
            Error::device(
                ErrorKind::Device,
                format!("{DEVICE_PATH} returned an unusable report"),
                reason,
            )
        };
        let parsed = Report::parse(&answer.report).map_err(|e| unusable(e.to_string()))?;
        if parsed.report_data() != report_data {
            return Err(unusable("REPORT_DATA is not the data requested".into()));
        }
        if parsed.vmpl() != self.vmpl {
            return Err(unusable(format!(
                "the report is for VMPL {}, not {}",
                parsed.vmpl(),
                self.vmpl
            )));
        }
        let table = if answer.certificates.is_empty() {
            Vec::new()
        } else {
            let entries: Vec<(CertKind, &[u8])> = answer
                .certificates
                .iter()
                .map(|(kind, der)| (*kind, der.as_slice()))
                .collect();
            CertTable::encode(&entries)
        };
        Ok((answer.report, table))
    }
}

impl<D: GuestDevice> Attester for SevGuestAttester<D> {
    fn platform(&self) -> Platform {
        Platform::Snp
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        evidence_for(challenge, |report_data| self.get_report(report_data))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

    use super::*;

    /// A fake device: answers from a script and counts the requests it saw.
    #[derive(Debug)]
    struct Fake {
        answer: std::result::Result<ExtendedReport, GuestFailure>,
        /// Overrides the REPORT_DATA / VMPL the fake writes into its report.
        report_data: Option<[u8; 64]>,
        vmpl: Option<u32>,
        calls: usize,
    }

    impl Fake {
        fn answering(answer: std::result::Result<ExtendedReport, GuestFailure>) -> Self {
            Self {
                answer,
                report_data: None,
                vmpl: None,
                calls: 0,
            }
        }
    }

    /// A minimal well-formed version 3 Milan report (unsigned: the backend does not verify).
    fn report(report_data: &[u8; 64], vmpl: u32) -> Vec<u8> {
        let mut r = vec![0u8; crate::REPORT_LEN];
        r[0..4].copy_from_slice(&3u32.to_le_bytes());
        r[8..16].copy_from_slice(&0x3_0000u64.to_le_bytes());
        r[0x30..0x34].copy_from_slice(&vmpl.to_le_bytes());
        r[0x34..0x38].copy_from_slice(&1u32.to_le_bytes());
        r[0x50..0x90].copy_from_slice(report_data);
        r[0x188..0x18B].copy_from_slice(&[0x19, 0x01, 0x01]);
        r
    }

    impl GuestDevice for Fake {
        fn extended_report(
            &mut self,
            report_data: &[u8; 64],
            vmpl: u32,
        ) -> std::result::Result<ExtendedReport, GuestFailure> {
            self.calls += 1;
            let mut answer = self.answer.clone()?;
            answer.report = report(
                &self.report_data.unwrap_or(*report_data),
                self.vmpl.unwrap_or(vmpl),
            );
            Ok(answer)
        }
    }

    const DATA: [u8; 64] = [0x5a; 64];

    #[test]
    fn a_report_and_its_certificates() {
        let certs = vec![(CertKind::Vcek, vec![1, 2, 3]), (CertKind::Ask, vec![4])];
        let fake = Fake::answering(Ok(ExtendedReport {
            report: Vec::new(),
            certificates: certs,
        }));
        let mut attester = SevGuestAttester::new(fake, 2);
        let (report, table) = attester.get_report(&DATA).unwrap();
        let parsed = Report::parse(&report).unwrap();
        assert_eq!(parsed.vmpl(), 2);
        assert_eq!(parsed.report_data(), &DATA);
        let table = CertTable::parse(&table).unwrap();
        let kinds: Vec<CertKind> = table.entries().iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [CertKind::Vcek, CertKind::Ask]);
        assert_eq!(attester.device.calls, 1);
    }

    #[test]
    fn no_certificates_is_an_empty_table() {
        let mut attester = SevGuestAttester::new(Fake::answering(Ok(ExtendedReport::default())), 0);
        let (_, table) = attester.get_report(&DATA).unwrap();
        assert!(table.is_empty());
    }

    #[test]
    fn failures_are_classified_and_never_retried() {
        let cases = [
            (GuestFailure::Busy("vmm_error 2".into()), ErrorKind::Busy),
            (GuestFailure::VmpckDisabled, ErrorKind::Device),
            (GuestFailure::Firmware { status: 0x16 }, ErrorKind::Device),
            (GuestFailure::Host { code: 3 }, ErrorKind::Device),
            (
                GuestFailure::PermissionDenied("denied".into()),
                ErrorKind::PermissionDenied,
            ),
            (GuestFailure::Io("gone".into()), ErrorKind::Device),
        ];
        for (failure, kind) in cases {
            let mut attester = SevGuestAttester::new(Fake::answering(Err(failure.clone())), 0);
            let err = attester.get_report(&DATA).unwrap_err();
            assert_eq!(err.kind(), kind, "{failure:?}");
            assert_eq!(attester.device.calls, 1, "{failure:?} was retried");
            if failure == GuestFailure::VmpckDisabled {
                assert!(format!("{err:?}").contains("reboot"), "{err:?}");
            }
        }
    }

    #[test]
    fn an_answer_for_another_request_is_refused() {
        let mut fake = Fake::answering(Ok(ExtendedReport::default()));
        fake.report_data = Some([0; 64]);
        let err = SevGuestAttester::new(fake, 0)
            .get_report(&DATA)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Device);
        let mut fake = Fake::answering(Ok(ExtendedReport::default()));
        fake.vmpl = Some(1);
        let err = SevGuestAttester::new(fake, 0)
            .get_report(&DATA)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Device);
        assert!(format!("{err:?}").contains("VMPL"), "{err:?}");
    }

    #[test]
    fn errno_classification() {
        assert_eq!(
            GuestFailure::from_errno(25),
            Some(GuestFailure::VmpckDisabled)
        );
        for busy in [11, 16, 110] {
            assert_eq!(
                GuestFailure::from_errno(busy).map(|f| f.kind()),
                Some(ErrorKind::Busy)
            );
        }
        assert_eq!(
            GuestFailure::from_errno(13).map(|f| f.kind()),
            Some(ErrorKind::PermissionDenied)
        );
        assert_eq!(GuestFailure::from_errno(5), None);
    }
}
