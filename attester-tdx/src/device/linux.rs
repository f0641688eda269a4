//! Linux: the real configfs-tsm, the CCEL file, the RTMR measurement files, and
//! `/dev/tdx_guest` for TDREPORTs.

use std::fs::File;
use std::os::fd::AsRawFd;

use attester_core::tsm::{RealFs, TsmReportClient};
use attester_core::{Error, ErrorKind, Result};

use super::{CCEL_DATA, DEV_TDX_GUEST, ReportDevice, RtmrExtender, TdxAttester, errno_kind};

/// Opens the TDX backend on the real configfs-tsm, stapling the CC event log when the firmware
/// published one and offering RTMR extension when the kernel exposes the measurement files.
///
/// # Errors
/// [`Error::Unsupported`] when the configfs-tsm report interface is absent (no configfs, or a
/// kernel older than 6.7). Whether its provider is `tdx_guest` is known only on the first
/// request, which then fails `Unsupported` if it is not.
pub fn open() -> Result<TdxAttester<RealFs>> {
    let client = TsmReportClient::new();
    if client.probe().is_none() {
        return Err(Error::Unsupported(
            format!(
                "no configfs-tsm report interface at {}; TDX quotes need Linux 6.7 or later",
                client.root().display()
            )
            .into(),
        ));
    }
    let mut attester = TdxAttester::with_client(client).with_ccel(CCEL_DATA);
    if let Some(extender) = RtmrExtender::probe() {
        attester = attester.with_extender(extender);
    }
    Ok(attester)
}

/// `struct tdx_report_req` of `include/uapi/linux/tdx-guest.h`.
#[repr(C)]
struct TdxReportReq {
    reportdata: [u8; 64],
    tdreport: [u8; 1024],
}

/// The ioctl wrapper, in its own module: the only place in the crate allowed `unsafe`.
#[allow(unsafe_code)]
mod ioctl {
    // TDX_CMD_GET_REPORT0 = _IOWR('T', 1, struct tdx_report_req) = 0xC4405401.
    nix::ioctl_readwrite!(tdx_cmd_get_report0, b'T', 1, super::TdxReportReq);

    /// Issues TDX_CMD_GET_REPORT0 on `fd`.
    pub(super) fn get_report0(fd: i32, req: &mut super::TdxReportReq) -> nix::Result<i32> {
        // SAFETY: `fd` is an open file descriptor owned by the caller for the whole call, and
        // `req` is an exclusive reference to a `#[repr(C)]` struct with exactly the layout
        // and size (1088 bytes) the kernel reads REPORTDATA from and writes the TDREPORT into;
        // the kernel touches nothing beyond it.
        unsafe { tdx_cmd_get_report0(fd, req) }
    }
}

/// `/dev/tdx_guest`, opened once.
#[derive(Debug)]
pub struct DevTdxGuest {
    file: File,
}

impl DevTdxGuest {
    /// Opens [`DEV_TDX_GUEST`] read-write.
    ///
    /// # Errors
    /// The open's error, with its kind from the errno table (`Unsupported` when absent).
    pub fn open() -> Result<Self> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(DEV_TDX_GUEST)
            .map_err(|e| {
                let kind = e.raw_os_error().map_or(ErrorKind::Device, errno_kind);
                Error::device(kind, "opening /dev/tdx_guest", e)
            })?;
        Ok(Self { file })
    }
}

impl ReportDevice for DevTdxGuest {
    fn get_report0(&self, report_data: &[u8; 64]) -> Result<[u8; 1024]> {
        let mut req = TdxReportReq {
            reportdata: *report_data,
            tdreport: [0; 1024],
        };
        ioctl::get_report0(self.file.as_raw_fd(), &mut req).map_err(|errno| {
            Error::device(
                errno_kind(errno as i32),
                "TDX_CMD_GET_REPORT0 on /dev/tdx_guest",
                std::io::Error::from_raw_os_error(errno as i32),
            )
        })?;
        Ok(req.tdreport)
    }
}

const _: () = assert!(std::mem::size_of::<TdxReportReq>() == 1088);
