//! The TDX guest backend (Linux):
//! - quotes through configfs-tsm (provider `tdx_guest`, Linux 6.7 and later): exactly 64 bytes
//!   of `inblob`, the raw DCAP quote in `outblob`, no `auxblob` (the PCK chain is inside the
//!   quote); `EBUSY` while another quote is in flight is [`ErrorKind::Busy`];
//! - the CC event log read from `/sys/firmware/acpi/tables/data/CCEL` and stapled to the
//!   evidence when present;
//! - TDREPORTs through `/dev/tdx_guest` `TDX_CMD_GET_REPORT0` ([`ReportDevice`], behind a trait
//!   so tests need no TD);
//! - RTMR extension through the sysfs measurement files ([`RtmrExtender`], an
//!   [`ExtendMeasurement`]): RTMR 2 and 3 only, 48-byte SHA-384 digests.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use attester_core::tsm::{InblobLen, ReportRequest, TDX_GUEST, TsmFs, TsmReportClient};
use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Error, ErrorKind, Evidence, ExtendMeasurement,
    ExtendSupport, Item, Platform, Result, media_types,
};

use crate::{Quote, TdReport};

cfg_if::cfg_if! {
    if #[cfg(target_os = "linux")] {
        mod linux;
        pub use linux::{DevTdxGuest, open};
    } else {
        mod unsupported;
        pub use unsupported::open;
    }
}

/// Where Linux exposes the CC event log.
pub const CCEL_DATA: &str = "/sys/firmware/acpi/tables/data/CCEL";

/// Where Linux 6.16 and later expose the TD measurement registers.
pub const MEASUREMENTS_DIR: &str = "/sys/devices/virtual/misc/tdx_guest/measurements";

/// The TDREPORT device node.
pub const DEV_TDX_GUEST: &str = "/dev/tdx_guest";

/// Quote requests in this process go one at a time (the kernel answers EBUSY otherwise).
static REQUESTS: Mutex<()> = Mutex::new(());

/// A source of TDREPORTs: `/dev/tdx_guest` on Linux, a fake in tests.
pub trait ReportDevice {
    /// The TDREPORT over `report_data` (`TDX_CMD_GET_REPORT0`).
    ///
    /// # Errors
    /// The device's errors, with kinds from the errno table.
    fn get_report0(&self, report_data: &[u8; 64]) -> Result<[u8; 1024]>;
}

/// Reads a TDREPORT from `device` and checks it: it parses, its hashes hold, and its
/// REPORTDATA is `report_data`.
///
/// # Errors
/// The device's errors; [`ErrorKind::Device`] for a report that is not the one asked for.
pub fn tdreport(device: &dyn ReportDevice, report_data: &[u8; 64]) -> Result<[u8; 1024]> {
    let report = device.get_report0(report_data)?;
    let bad = |reason: String| {
        Error::device(
            ErrorKind::Device,
            "/dev/tdx_guest returned an unusable TDREPORT",
            reason,
        )
    };
    let parsed = TdReport::parse(&report).map_err(|e| bad(e.to_string()))?;
    parsed.check_hashes().map_err(|e| bad(e.to_string()))?;
    if parsed.report_data() != report_data {
        return Err(bad("REPORTDATA is not the data asked for".into()));
    }
    Ok(report)
}

/// Maps an errno of the TDX guest interfaces to a kind (the one table of this backend).
pub fn errno_kind(errno: i32) -> ErrorKind {
    match errno {
        16 | 11 | 4 => ErrorKind::Busy,             // EBUSY, EAGAIN, EINTR
        1 | 13 => ErrorKind::PermissionDenied,      // EPERM, EACCES
        2 | 19 | 25 | 95 => ErrorKind::Unsupported, // ENOENT, ENODEV, ENOTTY, EOPNOTSUPP
        _ => ErrorKind::Device,                     // EIO, ENXIO, EINVAL, EFAULT, ...
    }
}

/// RTMR extension through the sysfs measurement files: a write of exactly 48 bytes at offset 0
/// to `rtmrN:sha384` extends RTMR N (`RTMR = SHA-384(RTMR || digest)`).
#[derive(Clone, Debug)]
pub struct RtmrExtender {
    dir: PathBuf,
}

impl RtmrExtender {
    /// The extender over the measurement files in `dir` ([`MEASUREMENTS_DIR`] on a TD).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The extender over [`MEASUREMENTS_DIR`], when it exists.
    pub fn probe() -> Option<Self> {
        Path::new(MEASUREMENTS_DIR)
            .is_dir()
            .then(|| Self::new(MEASUREMENTS_DIR))
    }

    /// The current value of RTMR `index` (0..=3).
    ///
    /// # Errors
    /// The file's I/O error, or [`ErrorKind::Device`] when it is not 48 bytes.
    pub fn read(&self, index: u32) -> Result<[u8; 48]> {
        let path = self.dir.join(format!("rtmr{index}:sha384"));
        let bytes = std::fs::read(&path).map_err(|e| io_error("reading an RTMR", e))?;
        bytes
            .try_into()
            .map_err(|_| Error::device(ErrorKind::Device, "reading an RTMR", "not 48 bytes"))
    }
}

fn io_error(context: &'static str, e: std::io::Error) -> Error {
    let kind = e.raw_os_error().map_or(ErrorKind::Device, errno_kind);
    Error::device(kind, context, e)
}

impl ExtendMeasurement for RtmrExtender {
    fn extend_support(&self) -> ExtendSupport {
        ExtendSupport {
            registers: vec![2, 3],
            digest_len: 48,
        }
    }

    fn extend(&mut self, register: u32, digest: &[u8]) -> Result<()> {
        if register != 2 && register != 3 {
            return Err(Error::Unsupported(
                format!("RTMR {register} cannot be extended by the guest OS (only 2 and 3)").into(),
            ));
        }
        if digest.len() != 48 {
            return Err(Error::malformed(
                "RTMR digest",
                format!("{} bytes; an RTMR takes exactly 48 (SHA-384)", digest.len()),
            ));
        }
        use std::io::Write as _;
        let path = self.dir.join(format!("rtmr{register}:sha384"));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .map_err(|e| io_error("opening an RTMR for extension", e))?;
        // One write of all 48 bytes: the kernel rejects partial writes with EINVAL.
        let written = file
            .write(digest)
            .map_err(|e| io_error("extending an RTMR", e))?;
        if written != 48 {
            return Err(Error::device(
                ErrorKind::Device,
                "extending an RTMR",
                "the kernel took a partial write",
            ));
        }
        Ok(())
    }
}

/// A TDX guest attester over a configfs-tsm client (the real configfs or an emulator).
#[derive(Debug)]
pub struct TdxAttester<F: TsmFs> {
    client: TsmReportClient<F>,
    ccel: Option<PathBuf>,
    extender: Option<RtmrExtender>,
}

impl<F: TsmFs> TdxAttester<F> {
    /// An attester using `client`, with no event log and no RTMR extension.
    pub fn with_client(client: TsmReportClient<F>) -> Self {
        Self {
            client,
            ccel: None,
            extender: None,
        }
    }

    /// Staples the CC event log read from `path` (when the file exists) to the evidence.
    #[must_use]
    pub fn with_ccel(mut self, path: impl Into<PathBuf>) -> Self {
        self.ccel = Some(path.into());
        self
    }

    /// Offers RTMR extension through `extender`.
    #[must_use]
    pub fn with_extender(mut self, extender: RtmrExtender) -> Self {
        self.extender = Some(extender);
        self
    }

    /// Requests a quote over `report_data` and checks it: it parses and holds `report_data`.
    ///
    /// # Errors
    /// The client's errors (`Busy` for EBUSY, `Device`, `PermissionDenied`, `Unsupported`);
    /// [`ErrorKind::Device`] for a quote that is malformed or not the one asked for.
    pub fn get_quote(&self, report_data: &[u8; 64]) -> Result<Vec<u8>> {
        let request = ReportRequest::new(TDX_GUEST, report_data, InblobLen::TDX_GUEST);
        let report = {
            // A poisoned lock only means another request panicked; the kernel state is fine.
            let _guard = REQUESTS
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            self.client.get_report(&request)?
        };
        let bad = |reason: String| {
            Error::device(
                ErrorKind::Device,
                "the tdx_guest provider returned an unusable quote",
                reason,
            )
        };
        let quote = Quote::parse(&report.outblob).map_err(|e| bad(e.to_string()))?;
        if quote.body().report_data() != report_data {
            return Err(bad("REPORTDATA is not the data written to inblob".into()));
        }
        Ok(report.outblob)
    }

    fn event_log(&self) -> Result<Option<Vec<u8>>> {
        let Some(path) = &self.ccel else {
            return Ok(None);
        };
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error("reading the CC event log", e)),
        }
    }
}

/// The TDX capabilities, with RTMR 2 and 3 extension when `extend`.
fn capabilities(extend: bool) -> Capabilities {
    let mut caps = crate::capabilities();
    if extend {
        caps.extend = Some(ExtendSupport {
            registers: vec![2, 3],
            digest_len: 48,
        });
    }
    caps
}

impl<F: TsmFs> Attester for TdxAttester<F> {
    fn platform(&self) -> Platform {
        Platform::Tdx
    }

    fn capabilities(&self) -> Capabilities {
        capabilities(self.extender.is_some())
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        let caps = self.capabilities();
        let field = caps.field_value(challenge)?;
        let mut report_data = [0u8; 64];
        report_data.copy_from_slice(field.as_bytes());
        let quote = self.get_quote(&report_data)?;
        let event_logs = self
            .event_log()?
            .map(|log| vec![Item::new(media_types::CCEL, log)])
            .unwrap_or_default();
        Ok(Evidence {
            platform: Platform::Tdx,
            challenge: *challenge,
            binding: BindingMode::Raw,
            fill: caps.fill,
            body: Item::new(media_types::TDX_QUOTE, quote),
            endorsements: Vec::new(),
            event_logs,
        })
    }

    fn extender(&mut self) -> Option<&mut dyn ExtendMeasurement> {
        self.extender
            .as_mut()
            .map(|e| e as &mut dyn ExtendMeasurement)
    }
}
