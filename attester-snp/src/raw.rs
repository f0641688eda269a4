//! Wire layouts only: the `ATTESTATION_REPORT` structure of the SEV-SNP firmware ABI
//! (AMD pub. 56860, rev 1.58, Table 23 "ATTESTATION_REPORT Structure" and Table 24
//! "Signature Format"), as zerocopy structs whose fields sit at the spec's offsets.
//!
//! Every integer is little-endian and stored as a zerocopy `little_endian` type, so the struct
//! has alignment 1 and can be viewed over any byte slice without copying. Meaning (versions,
//! bit fields, reserved ranges) lives in `report.rs`; this file only says where bytes are.

use std::mem::{offset_of, size_of};

use zerocopy::little_endian::{U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// The size of `ATTESTATION_REPORT` (0x4A0).
pub(crate) const REPORT_LEN: usize = 0x4A0;

/// The end of the signed part: the signature covers bytes `0x000..0x2A0`.
pub(crate) const SIGNED_LEN: usize = 0x2A0;

/// `ATTESTATION_REPORT` (Table 23), all versions share this layout; fields a version does not
/// define are reserved (zero) in it.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct AttestationReport {
    /// 0x000 VERSION.
    pub version: U32,
    /// 0x004 GUEST_SVN.
    pub guest_svn: U32,
    /// 0x008 POLICY.
    pub policy: U64,
    /// 0x010 FAMILY_ID.
    pub family_id: [u8; 16],
    /// 0x020 IMAGE_ID.
    pub image_id: [u8; 16],
    /// 0x030 VMPL.
    pub vmpl: U32,
    /// 0x034 SIGNATURE_ALGO.
    pub signature_algo: U32,
    /// 0x038 CURRENT_TCB (a TCB_VERSION, layout by generation).
    pub current_tcb: [u8; 8],
    /// 0x040 PLATFORM_INFO.
    pub platform_info: U64,
    /// 0x048 KEY_INFO (called signer info in older revisions).
    pub key_info: U32,
    /// 0x04C reserved.
    pub reserved_04c: [u8; 4],
    /// 0x050 REPORT_DATA.
    pub report_data: [u8; 64],
    /// 0x090 MEASUREMENT.
    pub measurement: [u8; 48],
    /// 0x0C0 HOST_DATA.
    pub host_data: [u8; 32],
    /// 0x0E0 ID_KEY_DIGEST.
    pub id_key_digest: [u8; 48],
    /// 0x110 AUTHOR_KEY_DIGEST.
    pub author_key_digest: [u8; 48],
    /// 0x140 REPORT_ID.
    pub report_id: [u8; 32],
    /// 0x160 REPORT_ID_MA.
    pub report_id_ma: [u8; 32],
    /// 0x180 REPORTED_TCB.
    pub reported_tcb: [u8; 8],
    /// 0x188 CPUID_FAM_ID (version 3 and later).
    pub cpuid_fam_id: u8,
    /// 0x189 CPUID_MOD_ID (version 3 and later).
    pub cpuid_mod_id: u8,
    /// 0x18A CPUID_STEP (version 3 and later).
    pub cpuid_step: u8,
    /// 0x18B reserved.
    pub reserved_18b: [u8; 21],
    /// 0x1A0 CHIP_ID.
    pub chip_id: [u8; 64],
    /// 0x1E0 COMMITTED_TCB.
    pub committed_tcb: [u8; 8],
    /// 0x1E8 CURRENT_BUILD.
    pub current_build: u8,
    /// 0x1E9 CURRENT_MINOR.
    pub current_minor: u8,
    /// 0x1EA CURRENT_MAJOR.
    pub current_major: u8,
    /// 0x1EB reserved.
    pub reserved_1eb: u8,
    /// 0x1EC COMMITTED_BUILD.
    pub committed_build: u8,
    /// 0x1ED COMMITTED_MINOR.
    pub committed_minor: u8,
    /// 0x1EE COMMITTED_MAJOR.
    pub committed_major: u8,
    /// 0x1EF reserved.
    pub reserved_1ef: u8,
    /// 0x1F0 LAUNCH_TCB.
    pub launch_tcb: [u8; 8],
    /// 0x1F8 LAUNCH_MIT_VECTOR (version 5 and later).
    pub launch_mit_vector: U64,
    /// 0x200 CURRENT_MIT_VECTOR (version 5 and later).
    pub current_mit_vector: U64,
    /// 0x208 reserved up to the signature.
    pub reserved_208: [u8; 0x98],
    /// 0x2A0 SIGNATURE (Table 24 for SIGNATURE_ALGO 1).
    pub signature: EcdsaSignature,
}

/// The ECDSA P-384 signature format (Table 24): `R` and `S` as little-endian integers
/// zero-extended to 72 bytes, then reserved bytes up to 512.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct EcdsaSignature {
    /// 0x00 R, little-endian.
    pub r: [u8; 72],
    /// 0x48 S, little-endian.
    pub s: [u8; 72],
    /// 0x90 reserved.
    pub reserved: [u8; 0x170],
}

const _: () = {
    assert!(size_of::<AttestationReport>() == REPORT_LEN);
    assert!(size_of::<EcdsaSignature>() == 0x200);
    assert!(offset_of!(AttestationReport, guest_svn) == 0x004);
    assert!(offset_of!(AttestationReport, policy) == 0x008);
    assert!(offset_of!(AttestationReport, family_id) == 0x010);
    assert!(offset_of!(AttestationReport, image_id) == 0x020);
    assert!(offset_of!(AttestationReport, vmpl) == 0x030);
    assert!(offset_of!(AttestationReport, signature_algo) == 0x034);
    assert!(offset_of!(AttestationReport, current_tcb) == 0x038);
    assert!(offset_of!(AttestationReport, platform_info) == 0x040);
    assert!(offset_of!(AttestationReport, key_info) == 0x048);
    assert!(offset_of!(AttestationReport, reserved_04c) == 0x04C);
    assert!(offset_of!(AttestationReport, report_data) == 0x050);
    assert!(offset_of!(AttestationReport, measurement) == 0x090);
    assert!(offset_of!(AttestationReport, host_data) == 0x0C0);
    assert!(offset_of!(AttestationReport, id_key_digest) == 0x0E0);
    assert!(offset_of!(AttestationReport, author_key_digest) == 0x110);
    assert!(offset_of!(AttestationReport, report_id) == 0x140);
    assert!(offset_of!(AttestationReport, report_id_ma) == 0x160);
    assert!(offset_of!(AttestationReport, reported_tcb) == 0x180);
    assert!(offset_of!(AttestationReport, cpuid_fam_id) == 0x188);
    assert!(offset_of!(AttestationReport, cpuid_mod_id) == 0x189);
    assert!(offset_of!(AttestationReport, cpuid_step) == 0x18A);
    assert!(offset_of!(AttestationReport, reserved_18b) == 0x18B);
    assert!(offset_of!(AttestationReport, chip_id) == 0x1A0);
    assert!(offset_of!(AttestationReport, committed_tcb) == 0x1E0);
    assert!(offset_of!(AttestationReport, current_build) == 0x1E8);
    assert!(offset_of!(AttestationReport, reserved_1eb) == 0x1EB);
    assert!(offset_of!(AttestationReport, committed_build) == 0x1EC);
    assert!(offset_of!(AttestationReport, reserved_1ef) == 0x1EF);
    assert!(offset_of!(AttestationReport, launch_tcb) == 0x1F0);
    assert!(offset_of!(AttestationReport, launch_mit_vector) == 0x1F8);
    assert!(offset_of!(AttestationReport, current_mit_vector) == 0x200);
    assert!(offset_of!(AttestationReport, reserved_208) == 0x208);
    assert!(offset_of!(AttestationReport, signature) == SIGNED_LEN);
    assert!(offset_of!(EcdsaSignature, s) == 0x48);
    assert!(offset_of!(EcdsaSignature, reserved) == 0x90);
};

/// One entry of the GHCB certificate table (GHCB spec pub. 56421, §4.1.8.1, "cert_table").
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct CertTableEntry {
    /// 0x00 GUID, bytes in RFC 4122 string order.
    pub guid: [u8; 16],
    /// 0x10 offset of the blob from the start of the table.
    pub offset: U32,
    /// 0x14 length of the blob.
    pub length: U32,
}

/// The size of one certificate table entry.
pub(crate) const CERT_ENTRY_LEN: usize = 24;

const _: () = {
    assert!(size_of::<CertTableEntry>() == CERT_ENTRY_LEN);
    assert!(offset_of!(CertTableEntry, offset) == 0x10);
    assert!(offset_of!(CertTableEntry, length) == 0x14);
};
