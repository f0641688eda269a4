//! Anything but Linux: there is no SEV-SNP guest interface.

use attester_core::tsm::RealFs;
use attester_core::{Error, Result};

use super::SnpAttester;

/// Always [`Error::Unsupported`]: SEV-SNP guests expose their interface only on Linux here.
///
/// # Errors
/// Always.
pub fn open() -> Result<SnpAttester<RealFs>> {
    Err(Error::Unsupported(
        "the SEV-SNP guest backend needs Linux (configfs-tsm)".into(),
    ))
}
