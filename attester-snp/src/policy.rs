//! The report's bit fields: guest POLICY, PLATFORM_INFO and KEY_INFO (SEV-SNP firmware ABI,
//! pub. 56860 rev 1.58, Tables 9 "Guest Policy", 23 and the PLATFORM_INFO description).

use std::fmt;

/// The guest POLICY (report offset 0x008), as the guest owner set it at launch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GuestPolicy(pub u64);

impl GuestPolicy {
    /// Bit 17 is reserved and must be one.
    pub const RESERVED_ONE: u64 = 1 << 17;
    /// Bits 63:26 must be zero in the ABI revisions this crate follows.
    pub const MBZ: u64 = !((1 << 26) - 1);

    fn bit(self, n: u32) -> bool {
        self.0 >> n & 1 == 1
    }

    /// The lowest firmware ABI minor version the guest accepts (bits 7:0).
    pub fn abi_minor(self) -> u8 {
        (self.0 & 0xff) as u8
    }

    /// The lowest firmware ABI major version the guest accepts (bits 15:8).
    pub fn abi_major(self) -> u8 {
        (self.0 >> 8 & 0xff) as u8
    }

    /// SMT is allowed (bit 16).
    pub fn smt_allowed(self) -> bool {
        self.bit(16)
    }

    /// Association with a migration agent is allowed (bit 18).
    pub fn migrate_ma_allowed(self) -> bool {
        self.bit(18)
    }

    /// Debugging is allowed: the hypervisor can read and write guest memory (bit 19).
    pub fn debug_allowed(self) -> bool {
        self.bit(19)
    }

    /// The guest may run on one socket only (bit 20).
    pub fn single_socket_required(self) -> bool {
        self.bit(20)
    }

    /// CXL may be populated with guest memory (bit 21).
    pub fn cxl_allowed(self) -> bool {
        self.bit(21)
    }

    /// AES-256-XTS memory encryption is required (bit 22).
    pub fn mem_aes_256_xts_required(self) -> bool {
        self.bit(22)
    }

    /// Running Average Power Limit must be disabled (bit 23).
    pub fn rapl_disabled_required(self) -> bool {
        self.bit(23)
    }

    /// Ciphertext hiding for DRAM must be enabled (bit 24).
    pub fn ciphertext_hiding_required(self) -> bool {
        self.bit(24)
    }

    /// Guest page swapping by the hypervisor is disabled (bit 25).
    pub fn page_swap_disabled(self) -> bool {
        self.bit(25)
    }

    /// Whether the reserved bits hold their required values (bit 17 one, 63:26 zero).
    pub fn reserved_valid(self) -> bool {
        self.0 & Self::RESERVED_ONE != 0 && self.0 & Self::MBZ == 0
    }
}

impl fmt::Display for GuestPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#x}", self.0)
    }
}

/// PLATFORM_INFO (report offset 0x040): how the platform was configured.
///
/// Unknown bits are not an error: real Turin parts set bit 6, which the ABI revisions read do
/// not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlatformInfo(pub u64);

impl PlatformInfo {
    fn bit(self, n: u32) -> bool {
        self.0 >> n & 1 == 1
    }

    /// SMT is enabled (bit 0).
    pub fn smt_enabled(self) -> bool {
        self.bit(0)
    }

    /// Transparent SME is enabled (bit 1).
    pub fn tsme_enabled(self) -> bool {
        self.bit(1)
    }

    /// ECC memory is in use (bit 2).
    pub fn ecc_enabled(self) -> bool {
        self.bit(2)
    }

    /// RAPL is disabled (bit 3).
    pub fn rapl_disabled(self) -> bool {
        self.bit(3)
    }

    /// Ciphertext hiding is enabled (bit 4).
    pub fn ciphertext_hiding_enabled(self) -> bool {
        self.bit(4)
    }

    /// The memory alias check has completed (bit 5).
    pub fn alias_check_complete(self) -> bool {
        self.bit(5)
    }

    /// SEV-TIO is enabled (bit 7).
    pub fn tio_enabled(self) -> bool {
        self.bit(7)
    }
}

/// Which key signed the report (KEY_INFO.SIGNING_KEY).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigningKey {
    /// The Versioned Chip Endorsement Key (0).
    Vcek,
    /// The Versioned Loaded Endorsement Key a cloud provider loaded (1).
    Vlek,
    /// No key: the report is not signed (7).
    None,
    /// A value the ABI reserves (2..=6).
    Reserved(u8),
}

impl SigningKey {
    /// `VCEK`, `VLEK`, `none` or `reserved`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vcek => "VCEK",
            Self::Vlek => "VLEK",
            Self::None => "none",
            Self::Reserved(_) => "reserved",
        }
    }
}

/// KEY_INFO (report offset 0x048).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyInfo(pub u32);

impl KeyInfo {
    /// Bits 31:5 must be zero.
    pub const MBZ: u32 = !0x1F;

    /// The digest of the author key is present in AUTHOR_KEY_DIGEST (bit 0).
    pub fn author_key_en(self) -> bool {
        self.0 & 1 == 1
    }

    /// CHIP_ID is masked to zero (bit 1, MASK_CHIP_KEY).
    pub fn mask_chip_key(self) -> bool {
        self.0 >> 1 & 1 == 1
    }

    /// The signing key (bits 4:2).
    pub fn signing_key(self) -> SigningKey {
        match (self.0 >> 2 & 0x7) as u8 {
            0 => SigningKey::Vcek,
            1 => SigningKey::Vlek,
            7 => SigningKey::None,
            other => SigningKey::Reserved(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_values() {
        let debug = GuestPolicy(0xb0000);
        assert!(debug.debug_allowed() && debug.smt_allowed() && debug.reserved_valid());
        let p = GuestPolicy(0x3001f);
        assert_eq!((p.abi_major(), p.abi_minor()), (0, 0x1f));
        assert!(!p.debug_allowed() && !p.migrate_ma_allowed());
        assert!(!GuestPolicy(0x10000).reserved_valid());
        assert!(!GuestPolicy(0x30000 | 1 << 26).reserved_valid());
        let info = PlatformInfo(0x65);
        assert!(info.smt_enabled() && info.ecc_enabled() && !info.ciphertext_hiding_enabled());
        assert!(info.alias_check_complete() && !info.tio_enabled() && !info.tsme_enabled());
        assert_eq!(KeyInfo(0x4).signing_key(), SigningKey::Vlek);
        assert_eq!(KeyInfo(0).signing_key(), SigningKey::Vcek);
        assert_eq!(KeyInfo(0x1c).signing_key(), SigningKey::None);
        assert_eq!(KeyInfo(0x8).signing_key(), SigningKey::Reserved(2));
        assert!(KeyInfo(3).author_key_en() && KeyInfo(3).mask_chip_key());
    }
}
