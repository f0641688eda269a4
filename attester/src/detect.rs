//! Detection: which TEE this machine offers, probed without side effects.
//!
//! Each probe only looks (a directory exists, a device node exists); it never creates a
//! configfs report, opens a device for writing, or asks firmware for anything.

use crate::backends::BackendName;
use std::path::Path;

/// One probed platform interface.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Probe {
    /// The backend that would use it.
    pub backend: BackendName,
    /// The interface looked at (a path).
    pub interface: &'static str,
    /// Whether it is present.
    pub present: bool,
    /// Whether this build contains the backend for it.
    pub backend_compiled_in: bool,
}

impl serde::Serialize for BackendName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What detection found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DetectReport {
    /// Every probe, present or not.
    pub probes: Vec<Probe>,
}

/// The kernel interfaces that reveal each TEE. configfs-tsm serves SNP, TDX and CCA alike and
/// its provider is only visible inside a report directory, whose creation is a side effect; on
/// x86 the guest device nodes tell SNP and TDX apart, and on arm64 configfs-tsm means CCA.
const INTERFACES: &[(BackendName, &str)] = &[
    (BackendName::Snp, "/dev/sev-guest"),
    (BackendName::Tdx, "/dev/tdx_guest"),
    #[cfg(target_arch = "aarch64")]
    (BackendName::Cca, "/sys/kernel/config/tsm/report"),
    (BackendName::Tpm, "/dev/tpmrm0"),
    (BackendName::Tpm, "/dev/tpm0"),
];

/// Probes every known interface.
pub fn detect() -> DetectReport {
    detect_in(Path::new("/"))
}

/// Probes the interfaces below `root` (tests point it at a fake tree).
pub fn detect_in(root: &Path) -> DetectReport {
    let probes = INTERFACES
        .iter()
        .map(|&(backend, interface)| Probe {
            backend,
            interface,
            present: root.join(interface.trim_start_matches('/')).exists(),
            backend_compiled_in: backend.compiled_in(),
        })
        .collect();
    DetectReport { probes }
}

impl DetectReport {
    /// The backends that are both present and compiled in, each once.
    pub fn usable(&self) -> impl Iterator<Item = BackendName> + '_ {
        let mut seen = Vec::new();
        self.probes
            .iter()
            .filter(|p| p.present && p.backend_compiled_in)
            .filter_map(move |p| {
                if seen.contains(&p.backend) {
                    None
                } else {
                    seen.push(p.backend);
                    Some(p.backend)
                }
            })
    }

    /// One line: what was present, or that nothing was.
    pub fn summary(&self) -> String {
        let present: Vec<String> = self
            .probes
            .iter()
            .filter(|p| p.present)
            .map(|p| {
                let built = if p.backend_compiled_in {
                    ""
                } else {
                    ", backend not built in"
                };
                format!("{} at {}{built}", p.backend, p.interface)
            })
            .collect();
        if present.is_empty() {
            "no TEE interface present".to_owned()
        } else {
            present.join("; ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_tree_has_nothing() {
        let dir = std::env::temp_dir().join(format!("attester-detect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let report = detect_in(&dir);
        assert!(report.probes.iter().all(|p| !p.present));
        assert_eq!(report.usable().count(), 0);
        assert_eq!(report.summary(), "no TEE interface present");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn present_but_not_built_is_reported_not_used() {
        let dir = std::env::temp_dir().join(format!("attester-detect-tpm-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("dev")).unwrap();
        std::fs::write(dir.join("dev/tpmrm0"), b"").unwrap();
        let report = detect_in(&dir);
        assert!(
            report
                .probes
                .iter()
                .any(|p| p.present && p.backend == BackendName::Tpm)
        );
        if BackendName::Tpm.compiled_in() {
            // With the `tpm-device` feature the TPM backend is built in and usable.
            assert_eq!(report.usable().collect::<Vec<_>>(), [BackendName::Tpm]);
        } else {
            assert_eq!(report.usable().count(), 0);
            assert!(report.summary().contains("backend not built in"));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
