//! Wire layouts only: the fixed headers of the TCG PC Client event log (TCG PC Client Platform
//! Firmware Profile Specification, version 1.05 revision 23, §10.2 "Event Log Structures"), as
//! zerocopy structs whose fields sit at the spec's offsets.
//!
//! Event logs are **little-endian** (unlike TPM command structures), so every integer is a
//! zerocopy `little_endian` type: alignment 1, viewable over any byte slice without copying.
//! Meaning (which event is the header, sizes, replay) lives in the sibling modules.

use std::mem::{offset_of, size_of};

use zerocopy::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `TCG_PCClientPCREvent` (§10.2.1, Table 8): the SHA-1 record. The first record of every log
/// has this shape (for crypto-agile logs it holds the Spec ID event); legacy logs use it for
/// every record.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct PcClientPcrEvent {
    /// 0x00 pcrIndex.
    pub pcr_index: U32,
    /// 0x04 eventType.
    pub event_type: U32,
    /// 0x08 digest (SHA-1).
    pub digest: [u8; 20],
    /// 0x1C eventDataSize; the event data follows.
    pub event_size: U32,
}

/// The head of `TCG_PCR_EVENT2` (§10.2.2, Table 9) up to its `TPML_DIGEST_VALUES.count`; then
/// `count` × `TPMT_HA` (u16 hashAlg ‖ digest), u32 eventSize and the event data.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct PcrEvent2Head {
    /// 0x00 pcrIndex.
    pub pcr_index: U32,
    /// 0x04 eventType.
    pub event_type: U32,
    /// 0x08 digests.count.
    pub digest_count: U32,
}

/// The fixed head of `TCG_EfiSpecIDEventStruct` (§10.4.5.1, Table 20), the data of the first
/// record of a crypto-agile log; `numberOfAlgorithms` × [`AlgorithmSize`], u8 vendorInfoSize
/// and vendorInfo follow.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Debug)]
#[repr(C)]
pub(crate) struct SpecIdEventHead {
    /// 0x00 signature, `"Spec ID Event03\0"`.
    pub signature: [u8; 16],
    /// 0x10 platformClass (0 client, 1 server).
    pub platform_class: U32,
    /// 0x14 specVersionMinor.
    pub spec_version_minor: u8,
    /// 0x15 specVersionMajor.
    pub spec_version_major: u8,
    /// 0x16 specErrata.
    pub spec_errata: u8,
    /// 0x17 uintnSize: 1 for UINT32, 2 for UINT64.
    pub uintn_size: u8,
    /// 0x18 numberOfAlgorithms.
    pub number_of_algorithms: U32,
}

/// `TCG_EfiSpecIdEventAlgorithmSize` (§10.4.5.1, Table 21).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy, Debug)]
#[repr(C)]
pub(crate) struct AlgorithmSize {
    /// algorithmId (TPM_ALG_ID).
    pub algorithm_id: U16,
    /// digestSize in bytes.
    pub digest_size: U16,
}

/// The head of `UEFI_VARIABLE_DATA` (TCG PFP §10.4.4, Table 17), the data of
/// `EV_EFI_VARIABLE_*` events; UnicodeName (UTF-16LE, `unicode_name_length` characters) and
/// VariableData (`variable_data_length` bytes) follow.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct UefiVariableDataHead {
    /// 0x00 VariableName (the vendor GUID, in its EFI byte order).
    pub variable_name: [u8; 16],
    /// 0x10 UnicodeNameLength, in CHAR16s.
    pub unicode_name_length: U64,
    /// 0x18 VariableDataLength, in bytes.
    pub variable_data_length: U64,
}

/// The head of `UEFI_IMAGE_LOAD_EVENT` (TCG PFP §10.4.3, Table 16), the data of
/// `EV_EFI_BOOT_SERVICES_APPLICATION` and driver events; the device path follows.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct UefiImageLoadEventHead {
    /// 0x00 ImageLocationInMemory.
    pub image_location_in_memory: U64,
    /// 0x08 ImageLengthInMemory.
    pub image_length_in_memory: U64,
    /// 0x10 ImageLinkTimeAddress.
    pub image_link_time_address: U64,
    /// 0x18 LengthOfDevicePath.
    pub length_of_device_path: U64,
}

/// `EFI_DEVICE_PATH_PROTOCOL` node head (UEFI 2.10 §10.3.1): type, sub-type, u16 length
/// (including these 4 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct DevicePathNodeHead {
    /// Type.
    pub node_type: u8,
    /// Sub-type.
    pub sub_type: u8,
    /// Length of the whole node, head included.
    pub length: U16,
}

const _: () = {
    assert!(size_of::<PcClientPcrEvent>() == 32);
    assert!(offset_of!(PcClientPcrEvent, digest) == 0x08);
    assert!(offset_of!(PcClientPcrEvent, event_size) == 0x1C);
    assert!(size_of::<PcrEvent2Head>() == 12);
    assert!(size_of::<SpecIdEventHead>() == 28);
    assert!(offset_of!(SpecIdEventHead, number_of_algorithms) == 0x18);
    assert!(size_of::<AlgorithmSize>() == 4);
    assert!(size_of::<UefiVariableDataHead>() == 32);
    assert!(size_of::<UefiImageLoadEventHead>() == 32);
    assert!(size_of::<DevicePathNodeHead>() == 4);
};
