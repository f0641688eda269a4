//! Wire layouts only: the fixed-size parts of the TPM 2.0 structures a quote verifier reads
//! (TCG TPM 2.0 Library Part 2, rev 1.59), as zerocopy structs of big-endian integers.
//!
//! Every TPM structure is a sequence of big-endian integers and `TPM2B` (`u16 size ‖ bytes`)
//! buffers; only the runs between two variable-length fields are fixed, so those are what this
//! file describes. Alignment is 1, so each view sits over any byte slice without copying.

use std::mem::size_of;

use zerocopy::big_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// TPM_GENERATED_VALUE (Part 2, 6.2): the magic of every TPMS_ATTEST a TPM produced.
pub const TPM_GENERATED_VALUE: u32 = 0xff54_4347;
/// TPM_ST_ATTEST_QUOTE (Part 2, 6.9): the TPMS_ATTEST type of a quote.
pub const ST_ATTEST_QUOTE: u16 = 0x8018;

/// The largest TPM2B_NAME: `sizeof(TPMU_NAME)` = a TPMT_HA with SHA-512 (Part 2, 10.5.3).
pub(crate) const MAX_NAME: usize = 66;
/// The largest TPM2B_DATA: `sizeof(TPMT_HA)` (Part 2, 10.4.3).
pub(crate) const MAX_DATA: usize = 66;
/// The largest TPM2B_DIGEST: `sizeof(TPMU_HA)` (Part 2, 10.4.2).
pub(crate) const MAX_DIGEST: usize = 64;
/// The largest TPM2B_PUBLIC_KEY_RSA: MAX_RSA_KEY_BYTES for RSA-4096 (Part 2, 11.2.4.5).
pub(crate) const MAX_RSA_KEY_BYTES: usize = 512;
/// The largest TPM2B_ECC_PARAMETER: MAX_ECC_KEY_BYTES for P-521 (Part 2, 11.2.5.1).
pub(crate) const MAX_ECC_KEY_BYTES: usize = 66;
/// The most banks in a TPML_PCR_SELECTION (HASH_COUNT; tpm2-tss TPM2_NUM_PCR_BANKS).
pub(crate) const MAX_PCR_BANKS: usize = 16;
/// The largest `sizeofSelect` (tpm2-tss TPM2_PCR_SELECT_MAX: 32 PCRs).
pub(crate) const MAX_PCR_SELECT: usize = 4;

/// The start of TPMS_ATTEST (Part 2, Table 132): `magic`, `type`.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct AttestHeader {
    /// TPM_GENERATED_VALUE.
    pub magic: U32,
    /// TPMI_ST_ATTEST.
    pub kind: U16,
}

/// TPMS_CLOCK_INFO (Part 2, Table 120).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct ClockInfoRaw {
    /// Milliseconds the TPM has been powered since its last TPM2_Clear.
    pub clock: U64,
    /// TPM2_Startup(CLEAR) count since the last TPM2_Clear.
    pub reset_count: U32,
    /// TPM2_Shutdown/Startup(STATE) count since the last reset.
    pub restart_count: U32,
    /// YES (1) when `clock` cannot have been reported before.
    pub safe: u8,
}

/// The start of TPMT_PUBLIC (Part 2, Table 191): `type`, `nameAlg`, `objectAttributes`.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct PublicHeader {
    /// TPMI_ALG_PUBLIC.
    pub kind: U16,
    /// TPMI_ALG_HASH of the Name.
    pub name_alg: U16,
    /// TPMA_OBJECT.
    pub object_attributes: U32,
}

/// The start of TPMS_PCR_SELECTION (Part 2, Table 93): `hash`, `sizeofSelect`.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct PcrSelectionHeader {
    /// The bank's hash.
    pub hash: U16,
    /// The length of the bitmap that follows.
    pub size_of_select: u8,
}

/// The start of TPMT_SIGNATURE for the RSA and ECC schemes (Part 2, Tables 216-219):
/// `sigAlg`, then the scheme's `hash`.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct SignatureHeader {
    /// TPMI_ALG_SIG_SCHEME.
    pub sig_alg: U16,
    /// TPMI_ALG_HASH.
    pub hash: U16,
}

const _: () = assert!(size_of::<AttestHeader>() == 6);
const _: () = assert!(size_of::<ClockInfoRaw>() == 17);
const _: () = assert!(size_of::<PublicHeader>() == 8);
const _: () = assert!(size_of::<PcrSelectionHeader>() == 3);
const _: () = assert!(size_of::<SignatureHeader>() == 4);
