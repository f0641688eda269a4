//! `/dev/sev-guest` through the `sev` crate's ioctls (Linux). The crate owns the unsafe ioctl
//! calls; this file only opens the device, asks for one extended report with an explicit VMPL
//! and classifies what comes back.

use std::io;

use sev::error::{FirmwareError, UserApiError, VmmError};
use sev::firmware::guest::Firmware;
use sev::firmware::host::{CertTableEntry, CertType};

use super::sev_guest::{DEVICE_PATH, ExtendedReport, GuestDevice, GuestFailure};
use crate::CertKind;

/// The real device.
#[derive(Debug)]
pub struct SevGuestDevice {
    firmware: Firmware,
}

impl SevGuestDevice {
    /// Opens `/dev/sev-guest`.
    ///
    /// # Errors
    /// The classified open error (absent device, permission).
    pub fn open() -> std::result::Result<Self, GuestFailure> {
        Firmware::open()
            .map(|firmware| Self { firmware })
            .map_err(|e| classify_io(&e))
    }
}

impl GuestDevice for SevGuestDevice {
    fn extended_report(
        &mut self,
        report_data: &[u8; 64],
        vmpl: u32,
    ) -> std::result::Result<ExtendedReport, GuestFailure> {
        // Message version 1 (the report request's); one call, which resizes the certificate
        // buffer once if the host says it is too small (the only documented retry).
        match self
            .firmware
            .get_ext_report(Some(1), Some(*report_data), Some(vmpl))
        {
            Ok((report, certificates)) => Ok(ExtendedReport {
                report,
                certificates: certificates
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(cert_entry)
                    .collect(),
            }),
            // Read errno before anything else can change it: `sev` drops the ioctl's error
            // and keeps only exitinfo2.
            Err(e) => Err(classify(&e, io::Error::last_os_error().raw_os_error())),
        }
    }
}

fn cert_entry(entry: CertTableEntry) -> Option<(CertKind, Vec<u8>)> {
    let kind = match entry.cert_type {
        CertType::Empty => return None,
        CertType::ARK => CertKind::Ark,
        CertType::ASK => CertKind::Ask,
        CertType::VCEK => CertKind::Vcek,
        CertType::VLEK => CertKind::Vlek,
        CertType::CRL => CertKind::Crl,
        CertType::OTHER(uuid) => CertKind::Other(*uuid.as_bytes()),
    };
    Some((kind, entry.data))
}

fn classify_io(e: &io::Error) -> GuestFailure {
    e.raw_os_error()
        .and_then(GuestFailure::from_errno)
        .unwrap_or_else(|| GuestFailure::Io(format!("{DEVICE_PATH}: {e}")))
}

/// What a failed `sev` call means; `errno` is the thread's errno right after it, which
/// `sev` does not keep (ENOTTY, EBUSY and ETIMEDOUT are told apart only by it).
pub(crate) fn classify(e: &UserApiError, errno: Option<i32>) -> GuestFailure {
    match e {
        UserApiError::VmmError(VmmError::RateLimitRetryRequest) => {
            GuestFailure::Busy("the host asked to retry later (vmm_error 2)".into())
        }
        UserApiError::VmmError(VmmError::InvalidCertificatePageLength) => {
            GuestFailure::Host { code: 1 }
        }
        UserApiError::VmmError(VmmError::Unknown) => errno
            .and_then(GuestFailure::from_errno)
            .unwrap_or(GuestFailure::Host { code: u32::MAX }),
        UserApiError::FirmwareError(FirmwareError::IoError(io)) => classify_io(io),
        UserApiError::FirmwareError(FirmwareError::KnownSevError(status)) => {
            GuestFailure::Firmware {
                status: u32::try_from(i32::from(*status)).unwrap_or(u32::MAX),
            }
        }
        // exitinfo2 still holds the kernel's 0xff preset: the request never reached the
        // firmware, and only errno says why.
        UserApiError::FirmwareError(FirmwareError::UnknownSevError(status)) => errno
            .and_then(GuestFailure::from_errno)
            .unwrap_or(GuestFailure::Firmware { status: *status }),
        UserApiError::IOError(io) => classify_io(io),
        other => errno
            .and_then(GuestFailure::from_errno)
            .unwrap_or_else(|| GuestFailure::Io(format!("{DEVICE_PATH}: {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use attester_core::ErrorKind;
    use sev::error::SevError;

    #[test]
    fn sev_errors_are_classified() {
        let busy = classify(
            &UserApiError::VmmError(VmmError::RateLimitRetryRequest),
            None,
        );
        assert_eq!(busy.kind(), ErrorKind::Busy);
        // exitinfo2 untouched (0xff): errno decides.
        let vmpck = classify(
            &UserApiError::FirmwareError(FirmwareError::UnknownSevError(0xff)),
            Some(25),
        );
        assert_eq!(vmpck, GuestFailure::VmpckDisabled);
        let timed_out = classify(
            &UserApiError::FirmwareError(FirmwareError::UnknownSevError(0xff)),
            Some(110),
        );
        assert_eq!(timed_out.kind(), ErrorKind::Busy);
        let invalid_param = classify(
            &UserApiError::FirmwareError(FirmwareError::KnownSevError(SevError::InvalidParam)),
            None,
        );
        assert_eq!(invalid_param, GuestFailure::Firmware { status: 0x16 });
        let denied = classify(
            &UserApiError::IOError(io::Error::from_raw_os_error(13)),
            None,
        );
        assert_eq!(denied.kind(), ErrorKind::PermissionDenied);
    }
}
