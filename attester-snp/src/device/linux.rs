//! Linux: the real configfs-tsm.

use attester_core::tsm::{RealFs, TsmReportClient};
use attester_core::{Error, Result};

use super::SnpAttester;

/// Opens the SEV-SNP backend on the real configfs-tsm.
///
/// # Errors
/// [`Error::Unsupported`] when the configfs-tsm report interface is absent (no configfs, or a
/// kernel older than 6.7). Whether its provider is `sev_guest` is known only on the first
/// request, which then fails `Unsupported` if it is not.
pub fn open() -> Result<SnpAttester<RealFs>> {
    let client = TsmReportClient::new();
    if client.probe().is_none() {
        return Err(Error::Unsupported(
            format!(
                "no configfs-tsm report interface at {}; the /dev/sev-guest path is not implemented yet",
                client.root().display()
            )
            .into(),
        ));
    }
    Ok(SnpAttester::with_client(client))
}
