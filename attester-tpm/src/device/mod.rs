//! The device backend (feature `device`): quotes from a real TPM 2.0 through tss-esapi
//! (tpm2-tss), with the TCTI from configuration.
//!
//! - TCTI: [`Config::tcti`], default `device:/dev/tpmrm0` (the kernel resource manager);
//!   `swtpm:host=127.0.0.1,port=P` for swtpm, `tabrmd:` for tpm2-abrmd, `mssim:` for the
//!   Microsoft simulator. [`Config::from_env`] reads `ATTESTER_TPM_TCTI`, then `TPM2TOOLS_TCTI`,
//!   then `TCTI`.
//! - AK: an ECC P-256 restricted signing key (ECDSA-SHA256) created as a primary key under the
//!   endorsement hierarchy from a fixed template — the same key every time on the same TPM —
//!   or the key at a persistent handle ([`Config::ak_handle`]). A created AK is flushed in
//!   `Drop`.
//! - Quote: TPM2_Quote over [`Config::pcrs`] of every allocated bank, with the challenge as
//!   qualifyingData, exactly: longer than `2 + TPM2_PT_MAX_DIGEST` (or tss-esapi's 64) is
//!   `ChallengeTooLong`, never cut. The PCR values are read right after and travel in the
//!   evidence.
//! - PCR extend ([`attester_core::ExtendMeasurement`]) with SHA-256 digests.
//! - The firmware event log from securityfs and the EK certificate from NV are stapled when
//!   readable.

use std::path::PathBuf;

use attester_core::{Error, ErrorKind, Result};

cfg_if::cfg_if! {
    if #[cfg(target_os = "linux")] {
        mod linux;
        pub use linux::TpmAttester;
    } else {
        mod unsupported;
        pub use unsupported::TpmAttester;
    }
}

/// The TCTI used when none is configured: the kernel's resource manager.
pub const DEFAULT_TCTI: &str = "device:/dev/tpmrm0";
/// Where Linux exposes the firmware event log (TCG PC Client binary format).
pub const EVENT_LOG_PATH: &str = "/sys/kernel/security/tpm0/binary_bios_measurements";
/// The NV indices of EK certificates (TCG EK Credential Profile 2.3): RSA 2048, ECC P-256.
pub const EK_CERT_NV_INDICES: [u32; 2] = [0x01c0_0002, 0x01c0_000a];

/// How to reach the TPM and what to quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The TCTI configuration string (`device:/dev/tpmrm0`, `swtpm:host=…,port=…`, …).
    pub tcti: String,
    /// A persistent AK handle (0x81xxxxxx) to use instead of creating the primary AK.
    pub ak_handle: Option<u32>,
    /// The PCR indices to quote in every allocated bank.
    pub pcrs: Vec<u32>,
    /// The event log to staple, when readable.
    pub event_log: Option<PathBuf>,
    /// A cap below the TPM's own on the challenge length (e.g. 34, which every TPM accepts,
    /// to refuse at the attester what some verifier's TPM could not reproduce).
    pub max_challenge: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            tcti: DEFAULT_TCTI.to_owned(),
            ak_handle: None,
            pcrs: (0..24).collect(),
            event_log: Some(PathBuf::from(EVENT_LOG_PATH)),
            max_challenge: None,
        }
    }
}

impl Config {
    /// The default configuration with `tcti`.
    pub fn with_tcti(tcti: impl Into<String>) -> Self {
        Self {
            tcti: tcti.into(),
            ..Self::default()
        }
    }

    /// The default configuration with the TCTI from `ATTESTER_TPM_TCTI`, `TPM2TOOLS_TCTI` or
    /// `TCTI` (the first set), else [`DEFAULT_TCTI`].
    pub fn from_env() -> Self {
        let tcti = ["ATTESTER_TPM_TCTI", "TPM2TOOLS_TCTI", "TCTI"]
            .into_iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| DEFAULT_TCTI.to_owned());
        Self::with_tcti(tcti)
    }
}

/// Opens the TPM of [`Config::from_env`].
///
/// # Errors
/// As [`TpmAttester::open`].
pub fn open() -> Result<TpmAttester> {
    TpmAttester::open(&Config::from_env())
}

/// Refuses a `device:` TCTI whose node does not exist, before libtss2 tries it: its own
/// report of that case is "response code not recognized", which names neither the path nor
/// the likely cause. Other TCTIs (swtpm, mssim, tabrmd) are left to libtss2.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn check_device_node(tcti: &str) -> Result<()> {
    let Some(rest) = tcti.strip_prefix("device") else {
        return Ok(());
    };
    let path = match rest {
        // libtss2's default for a bare `device`.
        "" | ":" => "/dev/tpm0",
        _ => match rest.strip_prefix(':') {
            Some(path) => path,
            None => return Ok(()),
        },
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Unsupported(
            format!("no TPM at {path}: this machine has no TPM, or its driver is not loaded")
                .into(),
        )),
        _ => Ok(()),
    }
}

/// An error of the TPM stack, classified.
fn device_error(context: &'static str, cause: impl std::fmt::Display) -> Error {
    let text = cause.to_string();
    let kind = if text.contains("Permission denied") || text.contains("EACCES") {
        ErrorKind::PermissionDenied
    } else if text.contains("retry") || text.contains("0x922") || text.contains("yielded") {
        ErrorKind::Busy
    } else {
        ErrorKind::Device
    };
    Error::Device {
        kind,
        context: format!("{context}: {text}").into(),
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_device_node_is_unsupported_and_named() {
        let err = check_device_node("device:/nonexistent/tpmrm9").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        assert!(err.to_string().contains("/nonexistent/tpmrm9"), "{err}");
        // A bare `device` means libtss2's default node.
        if !std::path::Path::new("/dev/tpm0").exists() {
            let err = check_device_node("device").unwrap_err();
            assert!(err.to_string().contains("/dev/tpm0"), "{err}");
        }
    }

    #[test]
    fn other_tctis_and_present_nodes_are_left_to_libtss2() {
        assert!(check_device_node("swtpm:host=127.0.0.1,port=2321").is_ok());
        assert!(check_device_node("tabrmd").is_ok());
        assert!(check_device_node("device:/dev/null").is_ok());
    }
}
