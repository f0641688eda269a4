//! The Linux configfs-tsm report client, shared by the SEV-SNP (`sev_guest`), TDX
//! (`tdx_guest`) and CCA (`arm_cca_guest`) backends.
//!
//! All file access goes through [`TsmFs`], so the client runs unchanged against the real
//! configfs ([`RealFs`]) or an in-memory emulator of the kernel (`attester-mock`).
//!
//! # The kernel ABI this client relies on
//!
//! From `Documentation/ABI/testing/configfs-tsm-report`, `drivers/virt/coco/guest/report.c`
//! (the TSM core), `fs/configfs/file.c` (how configfs attributes are read and written) and the
//! providers `drivers/virt/coco/{sev-guest,tdx-guest,arm-cca-guest}`:
//!
//! - **Root.** `/sys/kernel/config/tsm/report` ([`DEFAULT_ROOT`]) exists as soon as configfs
//!   is mounted and the TSM core is loaded, *even when no provider is registered*. Every
//!   `mkdir` under it creates an independent report entry; `mkdir` fails with `ENXIO` when no
//!   provider (guest driver) is registered. The provider's name is only readable inside an
//!   entry, which is why [`TsmReportClient::probe`] can report the interface but not the
//!   provider without a side effect.
//! - **`generation`** (read-only, `"%lu\n"`) is per entry, starts at 0 and is incremented by
//!   every *accepted* write to `inblob`, `privlevel`, `service_provider`, `service_guid` or
//!   `service_manifest_version`. A `privlevel` write rejected for its value is not counted;
//!   reads never count. The ABI text tells userspace to read `generation` before writing and
//!   to check, after reading `outblob`, that it advanced by exactly the number of writes it
//!   made. This client does that (after reading every blob it asked for) and also uses a fresh
//!   entry per request, so a mismatch means someone else wrote to our entry.
//! - **`inblob`** (write-only, binary) holds at most 64 bytes ([`INBLOB_MAX`]). configfs
//!   buffers the bytes of `write()` and hands them to the TSM only when the file is *closed*,
//!   ignoring the result. So `write()` fails only for more than 64 bytes (`EFBIG`) or zero
//!   bytes (`EFAULT`); the providers' own size rules — `sev_guest` and `tdx_guest` exactly 64,
//!   `arm_cca_guest` 32..=64 (zero-padded to 64) — are enforced when the report is generated,
//!   as `EINVAL` from the `outblob` read. The client therefore checks the length itself before
//!   touching the filesystem ([`InblobLen`]). A write dropped at close shows up only as a
//!   `generation` that did not advance, which the generation check catches.
//! - **Text attributes** (`privlevel`, `service_*`) are stored once per `write()` call with
//!   the whole buffer (partial writes are not supported), so each is written in one call.
//!   `privlevel` is ASCII decimal and must satisfy `privlevel_floor <= v <= 3`
//!   ([`PRIVLEVEL_MAX`]), else `EINVAL` without counting the write.
//! - **`outblob`, `auxblob`, `manifestblob`** (read-only, binary): the first read after a
//!   write generates the report (under one global lock) and caches all three until the next
//!   write. Reading before any `inblob` write fails `EINVAL`; a blob larger than the core's
//!   limit (`TSM_REPORT_OUTBLOB_MAX`: 32 KiB in the releases read, 16 MiB in later patch
//!   series) fails `EFBIG`. `auxblob` and `manifestblob` may be empty.
//! - **Visibility per provider.** `sev_guest`: `privlevel`, `privlevel_floor`, `auxblob` (the
//!   GHCB certificate table); `service_*` and `manifestblob` only when the guest runs under an
//!   SVSM (VMPL > 0; manifest support since Linux 6.10). `tdx_guest`: only `provider`,
//!   `generation`, `inblob`, `outblob`. `arm_cca_guest` registers no visibility filter, so
//!   every attribute is present (`privlevel_floor` reads 0, `auxblob` is empty) though only
//!   `inblob` affects the token. A missing attribute is `ENOENT`.
//! - **Errors from report generation**: `EBUSY` (TDX: an earlier quote is still in flight),
//!   `EINTR`, `ETIMEDOUT` (TDX: the quoting service did not answer), `EIO`, `ENXIO` (SNP
//!   firmware error status, CCA RSI error), `ENOTTY` (SNP: VMPCK disabled), `EINVAL` (inblob
//!   length, SNP `INVALID_PARAM`/`INVALID_KEY`, an unknown `service_provider`). How each maps
//!   to an [`ErrorKind`](crate::ErrorKind) is the one table in `errors.rs`.

mod client;
mod errors;
mod fs;
mod request;

use std::fmt;

pub use client::{TsmPresence, TsmReportClient};
pub use errors::{GenerationMismatch, errno};
pub use fs::{RealFs, TsmFs};
pub use request::{InblobLen, ReportRequest, TsmReport};

/// Where the kernel exposes configfs-tsm report entries.
pub const DEFAULT_ROOT: &str = "/sys/kernel/config/tsm/report";

/// The most bytes `inblob` accepts (`TSM_REPORT_INBLOB_MAX`).
pub const INBLOB_MAX: usize = 64;

/// The highest privilege level `privlevel` accepts (`TSM_REPORT_PRIVLEVEL_MAX`).
pub const PRIVLEVEL_MAX: u32 = 3;

/// The provider name of the AMD SEV-SNP guest driver.
pub const SEV_GUEST: &str = "sev_guest";

/// The provider name of the Intel TDX guest driver.
pub const TDX_GUEST: &str = "tdx_guest";

/// The provider name of the Arm CCA realm guest driver.
pub const ARM_CCA_GUEST: &str = "arm_cca_guest";

/// An attribute file of a report entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Attribute {
    /// `provider` (read-only): the name of the registered TSM.
    Provider,
    /// `generation` (read-only): the count of accepted writes to this entry.
    Generation,
    /// `inblob` (write-only, binary): the user data the report binds.
    Inblob,
    /// `outblob` (read-only, binary): the report, quote or token.
    Outblob,
    /// `auxblob` (read-only, binary): supplemental data (the SNP certificate table).
    Auxblob,
    /// `manifestblob` (read-only, binary): the SVSM service manifest.
    Manifestblob,
    /// `privlevel` (write-only): the privilege level (SNP VMPL) to report for.
    Privlevel,
    /// `privlevel_floor` (read-only): the lowest privilege level this guest may request.
    PrivlevelFloor,
    /// `service_provider` (write-only): request a report from a service provider (`svsm`).
    ServiceProvider,
    /// `service_guid` (write-only): the service whose manifest to report.
    ServiceGuid,
    /// `service_manifest_version` (write-only): the manifest version to report.
    ServiceManifestVersion,
}

impl Attribute {
    /// Every attribute the TSM core defines.
    pub const ALL: [Self; 11] = [
        Self::Provider,
        Self::Generation,
        Self::Inblob,
        Self::Outblob,
        Self::Auxblob,
        Self::Manifestblob,
        Self::Privlevel,
        Self::PrivlevelFloor,
        Self::ServiceProvider,
        Self::ServiceGuid,
        Self::ServiceManifestVersion,
    ];

    /// The file name inside a report entry.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Provider => "provider",
            Self::Generation => "generation",
            Self::Inblob => "inblob",
            Self::Outblob => "outblob",
            Self::Auxblob => "auxblob",
            Self::Manifestblob => "manifestblob",
            Self::Privlevel => "privlevel",
            Self::PrivlevelFloor => "privlevel_floor",
            Self::ServiceProvider => "service_provider",
            Self::ServiceGuid => "service_guid",
            Self::ServiceManifestVersion => "service_manifest_version",
        }
    }

    /// The attribute with this file name.
    pub fn from_file_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.file_name() == name)
    }

    /// Whether the attribute is written (write-only); the others are read-only.
    pub fn is_writable(self) -> bool {
        matches!(
            self,
            Self::Inblob
                | Self::Privlevel
                | Self::ServiceProvider
                | Self::ServiceGuid
                | Self::ServiceManifestVersion
        )
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.file_name())
    }
}

/// One filesystem operation of the report flow; the key of the errno table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TsmOp {
    /// `mkdir` of a report entry under the root.
    CreateEntry,
    /// `rmdir` of a report entry.
    RemoveEntry,
    /// Reading an attribute.
    Read(Attribute),
    /// Writing an attribute.
    Write(Attribute),
}

impl fmt::Display for TsmOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CreateEntry => f.write_str("creating a report entry"),
            Self::RemoveEntry => f.write_str("removing a report entry"),
            Self::Read(attr) => write!(f, "reading {attr}"),
            Self::Write(attr) => write!(f, "writing {attr}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_names_round_trip() {
        for attr in Attribute::ALL {
            assert_eq!(Attribute::from_file_name(attr.file_name()), Some(attr));
        }
        assert_eq!(Attribute::from_file_name("nonexistent"), None);
        let writable: Vec<_> = Attribute::ALL
            .into_iter()
            .filter(|a| a.is_writable())
            .map(Attribute::file_name)
            .collect();
        assert_eq!(
            writable,
            [
                "inblob",
                "privlevel",
                "service_provider",
                "service_guid",
                "service_manifest_version"
            ]
        );
    }
}
