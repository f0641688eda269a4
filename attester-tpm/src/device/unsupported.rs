//! Where tss-esapi is not built (not Linux): the backend exists but cannot open.

use attester_core::{Error, Result};

use super::Config;

/// A TPM backend that cannot be opened on this operating system.
#[derive(Debug)]
pub struct TpmAttester {
    _private: (),
}

impl TpmAttester {
    /// Always [`Error::Unsupported`].
    ///
    /// # Errors
    /// Always.
    pub fn open(_config: &Config) -> Result<Self> {
        Err(Error::Unsupported(
            "the TPM device backend is only built for Linux".into(),
        ))
    }
}
