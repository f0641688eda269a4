//! Linux: configfs-tsm when the kernel has it, else `/dev/sev-guest`.

use std::path::Path;

use attester_core::tsm::{RealFs, TsmReportClient};
use attester_core::{Attester, Capabilities, Challenge, Error, Evidence, Platform, Result};

use super::SnpAttester;
use super::sev_guest::{DEVICE_PATH, SevGuestAttester, SevGuestDevice};

/// The backend [`open`] chose.
#[derive(Debug)]
pub enum SnpBackend {
    /// configfs-tsm (provider `sev_guest`).
    Configfs(SnpAttester<RealFs>),
    /// `/dev/sev-guest` ioctls, at VMPL 0 (the level a guest OS runs at without an SVSM).
    SevGuest(SevGuestAttester<SevGuestDevice>),
}

/// Opens the SEV-SNP backend: configfs-tsm when its report interface exists, otherwise
/// `/dev/sev-guest` (kernels before 6.7), asking for reports at VMPL 0.
///
/// # Errors
/// [`Error::Unsupported`] when neither exists; the device's error (permission, …) when
/// `/dev/sev-guest` exists but cannot be opened. Whether configfs-tsm's provider is
/// `sev_guest` is known only on the first request, which then fails `Unsupported` if not.
pub fn open() -> Result<SnpBackend> {
    let client = TsmReportClient::new();
    if client.probe().is_some() {
        return Ok(SnpBackend::Configfs(SnpAttester::with_client(client)));
    }
    if !Path::new(DEVICE_PATH).exists() {
        return Err(Error::Unsupported(
            format!(
                "no configfs-tsm report interface at {} and no {DEVICE_PATH}",
                client.root().display()
            )
            .into(),
        ));
    }
    let device = SevGuestDevice::open().map_err(|failure| {
        Error::device(
            failure.kind(),
            format!("cannot open {DEVICE_PATH}"),
            failure.to_string(),
        )
    })?;
    Ok(SnpBackend::SevGuest(SevGuestAttester::new(device, 0)))
}

impl Attester for SnpBackend {
    fn platform(&self) -> Platform {
        Platform::Snp
    }

    fn capabilities(&self) -> Capabilities {
        super::capabilities()
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        match self {
            Self::Configfs(attester) => attester.attest(challenge),
            Self::SevGuest(attester) => attester.attest(challenge),
        }
    }
}
