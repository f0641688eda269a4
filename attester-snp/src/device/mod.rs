//! The SEV-SNP guest backends: configfs-tsm (provider `sev_guest`, Linux 6.7 and later) when
//! present, else `/dev/sev-guest` through the `sev` crate's ioctls ([`sev_guest`]).
//!
//! One request at a time per process, over both paths: the guest driver serialises requests
//! itself, but a firmware error on any request disables the guest's VMPCK until reboot (the
//! driver wipes it), so nothing here retries: every error is returned to the caller with its
//! kind (`Busy` for EBUSY and throttling).

use std::sync::Mutex;

use attester_core::tsm::{InblobLen, ReportRequest, SEV_GUEST, TsmFs, TsmReportClient};
use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Error, ErrorKind, Evidence, FillRule, Item,
    Platform, Result, media_types,
};

use crate::{CertTable, Report};

pub mod sev_guest;

cfg_if::cfg_if! {
    if #[cfg(target_os = "linux")] {
        mod ioctl;
        mod linux;
        pub use linux::{SnpBackend, open};
    } else {
        mod unsupported;
        pub use unsupported::open;
    }
}

/// Requests in this process go one at a time.
static REQUESTS: Mutex<()> = Mutex::new(());

/// The SEV-SNP capabilities: 8..=64 bytes, zero-padded to the 64-byte REPORT_DATA.
pub fn capabilities() -> Capabilities {
    Capabilities {
        challenge_lengths: 8..=64,
        field: "REPORT_DATA",
        fill: FillRule::ZeroPad { field_len: 64 },
        extend: None,
    }
}

/// An SEV-SNP guest attester over a configfs-tsm client (the real configfs or an emulator).
#[derive(Debug)]
pub struct SnpAttester<F: TsmFs> {
    client: TsmReportClient<F>,
    vmpl: Option<u32>,
}

impl<F: TsmFs> SnpAttester<F> {
    /// An attester using `client`, asking for reports at the kernel's default privilege level.
    pub fn with_client(client: TsmReportClient<F>) -> Self {
        Self { client, vmpl: None }
    }

    /// Requests reports for `vmpl` (written to `privlevel`; it must not be below
    /// `privlevel_floor`, the VMPL the guest runs at).
    #[must_use]
    pub fn with_vmpl(mut self, vmpl: u32) -> Self {
        self.vmpl = Some(vmpl);
        self
    }

    /// Requests a report over `report_data` and returns the report and the certificate table
    /// (empty when the host supplies none), both checked: the report parses, holds
    /// `report_data` and the VMPL asked for, and the table parses.
    ///
    /// # Errors
    /// The client's errors (kinds from the configfs-tsm table: `Busy`, `Device`,
    /// `PermissionDenied`, `Unsupported`), and [`ErrorKind::Device`] when the kernel returns a
    /// report that is malformed or not the one asked for.
    pub fn get_report(&self, report_data: &[u8; 64]) -> Result<(Vec<u8>, Vec<u8>)> {
        let mut request =
            ReportRequest::new(SEV_GUEST, report_data, InblobLen::SEV_GUEST).with_auxblob();
        if let Some(vmpl) = self.vmpl {
            request = request.with_privlevel(vmpl);
        }
        let report = {
            // A poisoned lock only means another request panicked; the kernel state is fine.
            let _guard = REQUESTS
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            self.client.get_report(&request)?
        };
        let device = |reason: String| {
            Error::device(
                ErrorKind::Device,
                "the sev_guest provider returned an unusable report",
                reason,
            )
        };
        let parsed = Report::parse(&report.outblob).map_err(|e| device(e.to_string()))?;
        if parsed.report_data() != report_data {
            return Err(device(
                "REPORT_DATA is not the data written to inblob".into(),
            ));
        }
        let expected_vmpl = self.vmpl.unwrap_or(0);
        if parsed.vmpl() != expected_vmpl {
            return Err(device(format!(
                "the report is for VMPL {}, not {expected_vmpl}",
                parsed.vmpl()
            )));
        }
        let table = report.auxblob.unwrap_or_default();
        CertTable::parse(&table).map_err(|e| device(e.to_string()))?;
        Ok((report.outblob, table))
    }
}

impl<F: TsmFs> Attester for SnpAttester<F> {
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

/// Evidence for `challenge` from a source of (report, certificate table) pairs: the
/// challenge placed in REPORT_DATA by the SNP fill rule, the table stapled when not empty.
pub(crate) fn evidence_for(
    challenge: &Challenge,
    get_report: impl FnOnce(&[u8; 64]) -> Result<(Vec<u8>, Vec<u8>)>,
) -> Result<Evidence> {
    let caps = capabilities();
    let field = caps.field_value(challenge)?;
    let mut report_data = [0u8; 64];
    report_data.copy_from_slice(field.as_bytes());
    let (report, table) = get_report(&report_data)?;
    let endorsements = if table.is_empty() {
        Vec::new()
    } else {
        vec![Item::new(media_types::SNP_CERTS, table)]
    };
    Ok(Evidence {
        platform: Platform::Snp,
        challenge: *challenge,
        binding: BindingMode::Raw,
        fill: caps.fill,
        body: Item::new(media_types::SNP_REPORT, report),
        endorsements,
        event_logs: Vec::new(),
    })
}
