//! Linux: the real configfs-tsm report root.

use super::CcaAttester;
use attester_core::Result;
use attester_core::tsm::{RealFs, TsmReportClient};

/// The attester of this realm, through `/sys/kernel/config/tsm/report`.
///
/// Opening has no side effects; whether the provider is `arm_cca_guest` is checked by the
/// first [`attest`](attester_core::Attester::attest), the only place the kernel names it.
pub fn open() -> Result<CcaAttester<RealFs>> {
    Ok(CcaAttester::with_client(TsmReportClient::new()))
}
