//! The borrowed view of an ATTESTATION_REPORT: strict parsing, accessors named after the
//! firmware ABI's fields.

use attester_core::zero::or_words;
use attester_core::{Error, Result};
use zerocopy::FromBytes;

use crate::policy::{GuestPolicy, KeyInfo, PlatformInfo, SigningKey};
use crate::raw::AttestationReport;
use crate::tcb::{Generation, TcbLayout, TcbVersion};

/// The size of a report (0x4A0 = 1184 bytes).
pub const REPORT_LEN: usize = crate::raw::REPORT_LEN;

/// The end of the signed range: the signature covers bytes `0x000..0x2A0`.
pub const SIGNED_LEN: usize = crate::raw::SIGNED_LEN;

const WHAT: &str = "SEV-SNP attestation report";

/// SIGNATURE_ALGO 1: ECDSA P-384 with SHA-384, the only algorithm the ABI defines.
pub const SIGNATURE_ALGO_ECDSA_P384_SHA384: u32 = 1;

/// The report versions this crate decodes. Version 4 has no published layout change from 3 and
/// is read with the version 3 layout; its reserved ranges are still required to be zero, so a
/// field it might add is refused rather than ignored.
pub const SUPPORTED_VERSIONS: [u32; 4] = [2, 3, 4, 5];

/// A firmware version as MAJOR.MINOR.BUILD.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FirmwareVersion {
    /// The major version.
    pub major: u8,
    /// The minor version.
    pub minor: u8,
    /// The build number.
    pub build: u8,
}

impl std::fmt::Display for FirmwareVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.build)
    }
}

/// The CPUID identification of the part (report version 3 and later).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cpuid {
    /// The combined extended family and family (0x19 Milan/Genoa, 0x1A Turin).
    pub family: u8,
    /// The combined extended model and model.
    pub model: u8,
    /// The stepping.
    pub stepping: u8,
}

/// A parsed, borrowed attestation report.
///
/// [`Report::parse`] checks everything that can be checked without keys: the length, a
/// supported VERSION, SIGNATURE_ALGO, every must-be-zero range of the version, the reserved
/// bits of POLICY and KEY_INFO, a defined SIGNING_KEY, and the zero upper bytes of the
/// signature's R and S and its reserved tail. The accessors then read the bytes in place.
#[derive(Clone, Copy)]
pub struct Report<'a> {
    bytes: &'a [u8; REPORT_LEN],
    raw: &'a AttestationReport,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report")
            .field("version", &self.version())
            .field("vmpl", &self.vmpl())
            .field("policy", &self.policy())
            .field("signing_key", &self.key_info().signing_key())
            .finish_non_exhaustive()
    }
}

fn malformed(reason: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::malformed(WHAT, reason)
}

impl<'a> Report<'a> {
    /// Views `bytes` as a report; nothing may follow it.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the first rule the bytes break.
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        let bytes: &'a [u8; REPORT_LEN] = bytes.try_into().map_err(|_| {
            malformed(format!(
                "{} bytes; a report is exactly {REPORT_LEN}",
                bytes.len()
            ))
        })?;
        let raw = AttestationReport::ref_from_bytes(bytes)
            .map_err(|_| malformed("the layout does not fit"))?;
        let report = Self { bytes, raw };
        report.validate()?;
        Ok(report)
    }

    fn validate(&self) -> Result<()> {
        let version = self.version();
        if !SUPPORTED_VERSIONS.contains(&version) {
            return Err(malformed(format!(
                "VERSION {version} is not supported (supported: 2, 3, 4, 5)"
            )));
        }
        let algo = self.signature_algo();
        if algo != SIGNATURE_ALGO_ECDSA_P384_SHA384 {
            return Err(malformed(format!(
                "SIGNATURE_ALGO {algo}; only 1 (ECDSA P-384 with SHA-384) is defined"
            )));
        }
        if !self.policy().reserved_valid() {
            return Err(malformed(format!(
                "POLICY {:#x}: bit 17 must be one and bits 63:26 zero",
                self.policy().0
            )));
        }
        let key_info = self.key_info();
        if key_info.0 & KeyInfo::MBZ != 0 {
            return Err(malformed(format!(
                "KEY_INFO {:#x}: bits 31:5 must be zero",
                key_info.0
            )));
        }
        if let SigningKey::Reserved(value) = key_info.signing_key() {
            return Err(malformed(format!(
                "KEY_INFO.SIGNING_KEY {value} is reserved"
            )));
        }
        // The fast path ORs every must-be-zero range eight bytes at a time and branches once;
        // only a report that breaks the rule pays for finding which range, to name it.
        if self.reserved_or() != 0 {
            return Err(self.first_nonzero_range());
        }
        Ok(())
    }

    /// The bitwise OR of every byte that must be zero in this report's version: zero exactly
    /// when all of them are.
    fn reserved_or(&self) -> u64 {
        let r = self.raw;
        let version = self.version();
        let (_, r_high) = r.signature.r.split_at(48);
        let (_, s_high) = r.signature.s.split_at(48);
        let mut acc = or_words(&r.reserved_04c)
            | or_words(&r.reserved_18b)
            | u64::from(r.reserved_1eb | r.reserved_1ef)
            | or_words(&r.reserved_208)
            | or_words(r_high)
            | or_words(s_high)
            | or_words(&r.signature.reserved);
        if version < 3 {
            acc |= u64::from(r.cpuid_fam_id | r.cpuid_mod_id | r.cpuid_step);
        }
        if version < 5 {
            acc |= r.launch_mit_vector.get() | r.current_mit_vector.get();
        }
        acc
    }

    /// The error naming the first must-be-zero range that is not zero (the slow path of
    /// [`Self::reserved_or`]).
    #[cold]
    fn first_nonzero_range(&self) -> Error {
        let r = self.raw;
        let version = self.version();
        let cpuid_and_reserved: &[u8] = if version >= 3 {
            &r.reserved_18b
        } else {
            self.range(0x188..0x1A0)
        };
        let mit_and_reserved: &[u8] = if version >= 5 {
            &r.reserved_208
        } else {
            self.range(0x1F8..SIGNED_LEN)
        };
        let ranges: [(&str, &[u8]); 8] = [
            ("0x04C..0x050", &r.reserved_04c),
            (
                if version >= 3 {
                    "0x18B..0x1A0"
                } else {
                    "0x188..0x1A0"
                },
                cpuid_and_reserved,
            ),
            ("0x1EB", std::slice::from_ref(&r.reserved_1eb)),
            ("0x1EF", std::slice::from_ref(&r.reserved_1ef)),
            (
                if version >= 5 {
                    "0x208..0x2A0"
                } else {
                    "0x1F8..0x2A0"
                },
                mit_and_reserved,
            ),
            (
                "SIGNATURE.R[48..72]",
                r.signature.r.get(48..).unwrap_or(&[]),
            ),
            (
                "SIGNATURE.S[48..72]",
                r.signature.s.get(48..).unwrap_or(&[]),
            ),
            ("SIGNATURE reserved 0x330..0x4A0", &r.signature.reserved),
        ];
        let name = ranges
            .iter()
            .find(|(_, bytes)| bytes.iter().any(|b| *b != 0))
            .map_or("(none)", |(name, _)| name);
        malformed(format!("reserved bytes {name} must be zero"))
    }

    fn range(&self, range: std::ops::Range<usize>) -> &'a [u8] {
        self.bytes.get(range).unwrap_or(&[])
    }

    /// The whole report, as given.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The signed bytes `0x000..0x2A0`.
    pub fn signed_bytes(&self) -> &'a [u8] {
        self.range(0..SIGNED_LEN)
    }

    /// VERSION (0x000).
    pub fn version(&self) -> u32 {
        self.raw.version.get()
    }

    /// GUEST_SVN (0x004): the guest's security version from its ID block.
    pub fn guest_svn(&self) -> u32 {
        self.raw.guest_svn.get()
    }

    /// POLICY (0x008).
    pub fn policy(&self) -> GuestPolicy {
        GuestPolicy(self.raw.policy.get())
    }

    /// FAMILY_ID (0x010).
    pub fn family_id(&self) -> &'a [u8; 16] {
        &self.raw.family_id
    }

    /// IMAGE_ID (0x020).
    pub fn image_id(&self) -> &'a [u8; 16] {
        &self.raw.image_id
    }

    /// VMPL (0x030): the privilege level the report was requested for.
    pub fn vmpl(&self) -> u32 {
        self.raw.vmpl.get()
    }

    /// SIGNATURE_ALGO (0x034).
    pub fn signature_algo(&self) -> u32 {
        self.raw.signature_algo.get()
    }

    /// CURRENT_TCB (0x038).
    pub fn current_tcb(&self) -> TcbVersion {
        TcbVersion(self.raw.current_tcb)
    }

    /// PLATFORM_INFO (0x040).
    pub fn platform_info(&self) -> PlatformInfo {
        PlatformInfo(self.raw.platform_info.get())
    }

    /// KEY_INFO (0x048).
    pub fn key_info(&self) -> KeyInfo {
        KeyInfo(self.raw.key_info.get())
    }

    /// REPORT_DATA (0x050): the guest-supplied data, where the challenge goes.
    pub fn report_data(&self) -> &'a [u8; 64] {
        &self.raw.report_data
    }

    /// MEASUREMENT (0x090): the SHA-384 launch digest.
    pub fn measurement(&self) -> &'a [u8; 48] {
        &self.raw.measurement
    }

    /// HOST_DATA (0x0C0).
    pub fn host_data(&self) -> &'a [u8; 32] {
        &self.raw.host_data
    }

    /// ID_KEY_DIGEST (0x0E0): SHA-384 of the ID key; zero without an ID block.
    pub fn id_key_digest(&self) -> &'a [u8; 48] {
        &self.raw.id_key_digest
    }

    /// AUTHOR_KEY_DIGEST (0x110): zero unless KEY_INFO.AUTHOR_KEY_EN.
    pub fn author_key_digest(&self) -> &'a [u8; 48] {
        &self.raw.author_key_digest
    }

    /// REPORT_ID (0x140).
    pub fn report_id(&self) -> &'a [u8; 32] {
        &self.raw.report_id
    }

    /// REPORT_ID_MA (0x160): all 0xFF without a migration agent.
    pub fn report_id_ma(&self) -> &'a [u8; 32] {
        &self.raw.report_id_ma
    }

    /// REPORTED_TCB (0x180): the TCB the signing key was derived from.
    pub fn reported_tcb(&self) -> TcbVersion {
        TcbVersion(self.raw.reported_tcb)
    }

    /// CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP (0x188..0x18B), version 3 and later.
    pub fn cpuid(&self) -> Option<Cpuid> {
        (self.version() >= 3).then_some(Cpuid {
            family: self.raw.cpuid_fam_id,
            model: self.raw.cpuid_mod_id,
            stepping: self.raw.cpuid_step,
        })
    }

    /// CHIP_ID (0x1A0): zero when masked; on Turin only bytes 0..8 are used.
    pub fn chip_id(&self) -> &'a [u8; 64] {
        &self.raw.chip_id
    }

    /// COMMITTED_TCB (0x1E0).
    pub fn committed_tcb(&self) -> TcbVersion {
        TcbVersion(self.raw.committed_tcb)
    }

    /// CURRENT_MAJOR.CURRENT_MINOR.CURRENT_BUILD (0x1E8..0x1EB).
    pub fn current_version(&self) -> FirmwareVersion {
        FirmwareVersion {
            major: self.raw.current_major,
            minor: self.raw.current_minor,
            build: self.raw.current_build,
        }
    }

    /// COMMITTED_MAJOR.COMMITTED_MINOR.COMMITTED_BUILD (0x1EC..0x1EF).
    pub fn committed_version(&self) -> FirmwareVersion {
        FirmwareVersion {
            major: self.raw.committed_major,
            minor: self.raw.committed_minor,
            build: self.raw.committed_build,
        }
    }

    /// LAUNCH_TCB (0x1F0).
    pub fn launch_tcb(&self) -> TcbVersion {
        TcbVersion(self.raw.launch_tcb)
    }

    /// LAUNCH_MIT_VECTOR (0x1F8), version 5 and later.
    pub fn launch_mit_vector(&self) -> Option<u64> {
        (self.version() >= 5).then(|| self.raw.launch_mit_vector.get())
    }

    /// CURRENT_MIT_VECTOR (0x200), version 5 and later.
    pub fn current_mit_vector(&self) -> Option<u64> {
        (self.version() >= 5).then(|| self.raw.current_mit_vector.get())
    }

    /// SIGNATURE.R as the big-endian 48-byte scalar (the field is little-endian).
    pub fn signature_r(&self) -> [u8; 48] {
        be_scalar(&self.raw.signature.r)
    }

    /// SIGNATURE.S as the big-endian 48-byte scalar.
    pub fn signature_s(&self) -> [u8; 48] {
        be_scalar(&self.raw.signature.s)
    }

    /// The signature as big-endian `r || s` (96 bytes), as the crypto seam takes it.
    pub fn signature_fixed(&self) -> [u8; 96] {
        let mut out = [0u8; 96];
        let (r, s) = out.split_at_mut(48);
        r.copy_from_slice(&self.signature_r());
        s.copy_from_slice(&self.signature_s());
        out
    }

    /// The processor generation from the CPUID bytes (version 3 and later), or `None` for a
    /// version 2 report or an unknown part.
    pub fn generation(&self) -> Option<Generation> {
        self.cpuid()
            .and_then(|c| Generation::from_cpuid(c.family, c.model))
    }

    /// The TCB_VERSION layout of this report.
    ///
    /// Version 3 and later: from the CPUID bytes (`None` for an unknown part). Version 2 has no
    /// CPUID bytes; it is read with the Milan/Genoa layout because only firmware older than
    /// the 1.55 series emits version 2, and no Turin firmware is that old (Turin's layout and
    /// its CPUID bytes arrived together). The generation of a version 2 report (Milan or
    /// Genoa) is not in the report: it comes from the signing key's `productName` or from the
    /// caller.
    pub fn tcb_layout(&self) -> Option<TcbLayout> {
        if self.version() == 2 {
            Some(TcbLayout::MilanGenoa)
        } else {
            self.generation().map(Generation::tcb_layout)
        }
    }
}

/// The first 48 bytes of a little-endian field, reversed into a big-endian scalar.
fn be_scalar(field: &[u8; 72]) -> [u8; 48] {
    let mut out = [0u8; 48];
    for (o, b) in out.iter_mut().zip(field.iter().take(48).rev()) {
        *o = *b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_wrong_lengths() {
        for len in [0, 1, REPORT_LEN - 1, REPORT_LEN + 1] {
            let bytes = vec![0u8; len];
            assert!(Report::parse(&bytes).is_err());
        }
    }

    #[test]
    fn scalar_is_reversed() {
        let mut field = [0u8; 72];
        field[0] = 1;
        field[47] = 0xAB;
        let be = be_scalar(&field);
        assert_eq!(be[0], 0xAB);
        assert_eq!(be[47], 1);
    }
}
