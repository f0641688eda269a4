//! Anything but Linux: there is no TDX guest interface.

use attester_core::tsm::RealFs;
use attester_core::{Error, Result};

use super::TdxAttester;

/// Always [`Error::Unsupported`]: TDX guests expose their interface only on Linux here.
///
/// # Errors
/// Always.
pub fn open() -> Result<TdxAttester<RealFs>> {
    Err(Error::Unsupported(
        "the TDX guest backend needs Linux (configfs-tsm)".into(),
    ))
}
