//! Wire layouts only: the Intel DCAP quote (versions 4 and 5), its signature data and QE report,
//! and the 1024-byte TDREPORT, as zerocopy structs whose fields sit at the specification's
//! offsets.
//!
//! Sources: Intel *TDX DCAP Quoting Library API*, appendix "Quote Format" (tables "Quote
//! Header", "TD Quote Body", "Quote Signature Data", "QE Certification Data"), the DCAP headers
//! `sgx_quote_4.h` / `sgx_quote_5.h` / `sgx_quote_3.h`, `sgx_report2.h` (REPORTMACSTRUCT,
//! TEE_TCB_INFO, TDINFO) and `sgx_report.h` (`sgx_report_body_t`).
//!
//! Every structure is packed and every integer little-endian, so integers are zerocopy
//! `little_endian` types of alignment 1 and the structs can be viewed over any byte slice.
//! Signatures, keys and hashes are big-endian byte arrays. Meaning (versions, types, reserved
//! ranges) lives in `quote.rs` and `tdreport.rs`; this file only says where bytes are.

use std::mem::{offset_of, size_of};

use zerocopy::little_endian::{U16, U32, U64};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// The quote header (48 bytes), identical in versions 4 and 5.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct QuoteHeader {
    /// 0 version: 4 or 5.
    pub version: U16,
    /// 2 attestation key type: 2 = ECDSA-256 with P-256.
    pub att_key_type: U16,
    /// 4 TEE type: 0x81 = TDX.
    pub tee_type: U32,
    /// 8 reserved (SGX v3 had QE SVN and PCE SVN here).
    pub reserved: [u8; 4],
    /// 12 QE vendor ID.
    pub qe_vendor_id: [u8; 16],
    /// 28 user data (QE specific).
    pub user_data: [u8; 20],
}

/// The size of the quote header.
pub(crate) const HEADER_LEN: usize = 48;

/// The version 5 body descriptor, between the header and the body.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct BodyDescriptor {
    /// 48 body type: 1 SGX, 2 TD report (TDX 1.0), 3 TD report (TDX 1.5), 4 TD report 1.5 EX.
    pub body_type: U16,
    /// 50 body size in bytes.
    pub body_size: U32,
}

/// The size of the version 5 body descriptor.
pub(crate) const DESCRIPTOR_LEN: usize = 6;

/// The TD quote body of TDX 1.0 (`sgx_report2_body_t`, 584 bytes); TDX 1.5 appends
/// [`TdQuoteBody15Tail`].
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct TdQuoteBody10 {
    /// 0 TEE_TCB_SVN.
    pub tee_tcb_svn: [u8; 16],
    /// 16 MRSEAM.
    pub mr_seam: [u8; 48],
    /// 64 MRSIGNERSEAM.
    pub mr_signer_seam: [u8; 48],
    /// 112 SEAM_ATTRIBUTES.
    pub seam_attributes: U64,
    /// 120 TD_ATTRIBUTES.
    pub td_attributes: U64,
    /// 128 XFAM.
    pub xfam: U64,
    /// 136 MRTD.
    pub mr_td: [u8; 48],
    /// 184 MRCONFIGID.
    pub mr_config_id: [u8; 48],
    /// 232 MROWNER.
    pub mr_owner: [u8; 48],
    /// 280 MROWNERCONFIG.
    pub mr_owner_config: [u8; 48],
    /// 328 RTMR0..RTMR3.
    pub rtmr: [[u8; 48]; 4],
    /// 520 REPORTDATA.
    pub report_data: [u8; 64],
}

/// The TDX 1.0 body size.
pub(crate) const BODY10_LEN: usize = 584;

/// What a TDX 1.5 body (`sgx_report2_body_v1_5_t`, 648 bytes) adds after the 1.0 fields.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct TdQuoteBody15Tail {
    /// 584 TEE_TCB_SVN2.
    pub tee_tcb_svn2: [u8; 16],
    /// 600 MRSERVICETD.
    pub mr_service_td: [u8; 48],
}

/// The TDX 1.5 body size.
pub(crate) const BODY15_LEN: usize = 648;

/// The fixed head of the quote signature data ("Auth Data v4"), after `u32 sig_data_len`.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct SignatureDataHead {
    /// 0 ECDSA P-256 signature `r || s` over the header, descriptor and body.
    pub signature: [u8; 64],
    /// 64 attestation public key `X || Y`.
    pub attestation_key: [u8; 64],
    /// 128 certification data type (6 for TDX).
    pub cert_type: U16,
    /// 130 certification data size.
    pub cert_size: U32,
}

/// The size of the signature data head.
pub(crate) const SIG_HEAD_LEN: usize = 134;

/// The head of a certification data block (type and size), as nested inside type 6.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct CertDataHead {
    /// 0 certification data type.
    pub cert_type: U16,
    /// 2 size of the data that follows.
    pub cert_size: U32,
}

/// The size of a certification data head.
pub(crate) const CERT_HEAD_LEN: usize = 6;

/// The fixed head of certification data type 6 (QE report certification data,
/// `sgx_ql_ecdsa_sig_data_t` after the quote signature): the QE report, its signature and the
/// size of the QE authentication data that follows.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct QeReportCertHead {
    /// 0 the QE report (`sgx_report_body_t`).
    pub qe_report: SgxReportBody,
    /// 384 ECDSA P-256 signature `r || s` of the QE report by the PCK leaf key.
    pub qe_report_signature: [u8; 64],
    /// 448 QE authentication data size.
    pub qe_auth_data_size: U16,
}

/// The size of the type 6 head.
pub(crate) const QE_CERT_HEAD_LEN: usize = 450;

/// The SGX report body (`sgx_report_body_t`, 384 bytes): here the Quoting Enclave's report.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct SgxReportBody {
    /// 0 CPUSVN.
    pub cpu_svn: [u8; 16],
    /// 16 MISCSELECT.
    pub misc_select: U32,
    /// 20 reserved.
    pub reserved1: [u8; 12],
    /// 32 ISV_EXT_PROD_ID.
    pub isv_ext_prod_id: [u8; 16],
    /// 48 ATTRIBUTES (flags 8 bytes, XFRM 8 bytes).
    pub attributes: [u8; 16],
    /// 64 MRENCLAVE.
    pub mr_enclave: [u8; 32],
    /// 96 reserved.
    pub reserved2: [u8; 32],
    /// 128 MRSIGNER.
    pub mr_signer: [u8; 32],
    /// 160 reserved.
    pub reserved3: [u8; 32],
    /// 192 CONFIG_ID.
    pub config_id: [u8; 64],
    /// 256 ISVPRODID.
    pub isv_prod_id: U16,
    /// 258 ISVSVN.
    pub isv_svn: U16,
    /// 260 CONFIGSVN.
    pub config_svn: U16,
    /// 262 reserved.
    pub reserved4: [u8; 42],
    /// 304 ISV_FAMILY_ID.
    pub isv_family_id: [u8; 16],
    /// 320 REPORTDATA.
    pub report_data: [u8; 64],
}

/// The size of an SGX report body.
pub(crate) const QE_REPORT_LEN: usize = 384;

/// TDREPORT_STRUCT (1024 bytes): REPORTMACSTRUCT, TEE_TCB_INFO, reserved, TDINFO.
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct TdReportStruct {
    /// 0 REPORTMACSTRUCT.
    pub mac_struct: ReportMacStruct,
    /// 256 TEE_TCB_INFO.
    pub tee_tcb_info: TeeTcbInfo,
    /// 495 reserved.
    pub reserved: [u8; 17],
    /// 512 TDINFO.
    pub td_info: TdInfo,
}

/// The size of a TDREPORT.
pub(crate) const TDREPORT_LEN: usize = 1024;

/// REPORTMACSTRUCT (256 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct ReportMacStruct {
    /// 0 REPORTTYPE.TYPE: 0x81 for TDX.
    pub report_type: u8,
    /// 1 REPORTTYPE.SUBTYPE: 0.
    pub report_subtype: u8,
    /// 2 REPORTTYPE.VERSION: 0, or 1 when MRSERVICETD is used.
    pub report_version: u8,
    /// 3 REPORTTYPE reserved.
    pub report_type_reserved: u8,
    /// 4 reserved.
    pub reserved1: [u8; 12],
    /// 16 CPUSVN.
    pub cpu_svn: [u8; 16],
    /// 32 SHA-384 of TEE_TCB_INFO.
    pub tee_tcb_info_hash: [u8; 48],
    /// 80 SHA-384 of TDINFO.
    pub tee_info_hash: [u8; 48],
    /// 128 REPORTDATA.
    pub report_data: [u8; 64],
    /// 192 reserved.
    pub reserved2: [u8; 32],
    /// 224 MAC.
    pub mac: [u8; 32],
}

/// TEE_TCB_INFO (239 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct TeeTcbInfo {
    /// 0 VALID: which 8-byte chunks of the structure are valid.
    pub valid: U64,
    /// 8 TEE_TCB_SVN.
    pub tee_tcb_svn: [u8; 16],
    /// 24 MRSEAM.
    pub mr_seam: [u8; 48],
    /// 72 MRSIGNERSEAM.
    pub mr_signer_seam: [u8; 48],
    /// 120 ATTRIBUTES.
    pub attributes: U64,
    /// 128 TEE_TCB_SVN2 (TDX 1.5; reserved in 1.0).
    pub tee_tcb_svn2: [u8; 16],
    /// 144 reserved.
    pub reserved: [u8; 95],
}

/// TDINFO (512 bytes).
#[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
#[repr(C)]
pub(crate) struct TdInfo {
    /// 0 ATTRIBUTES (TD_ATTRIBUTES).
    pub attributes: U64,
    /// 8 XFAM.
    pub xfam: U64,
    /// 16 MRTD.
    pub mr_td: [u8; 48],
    /// 64 MRCONFIGID.
    pub mr_config_id: [u8; 48],
    /// 112 MROWNER.
    pub mr_owner: [u8; 48],
    /// 160 MROWNERCONFIG.
    pub mr_owner_config: [u8; 48],
    /// 208 RTMR0..RTMR3.
    pub rtmr: [[u8; 48]; 4],
    /// 400 SERVTD_HASH (TDX 1.5; reserved in 1.0).
    pub servtd_hash: [u8; 48],
    /// 448 reserved.
    pub reserved: [u8; 64],
}

const _: () = {
    assert!(size_of::<QuoteHeader>() == HEADER_LEN);
    assert!(offset_of!(QuoteHeader, att_key_type) == 2);
    assert!(offset_of!(QuoteHeader, tee_type) == 4);
    assert!(offset_of!(QuoteHeader, reserved) == 8);
    assert!(offset_of!(QuoteHeader, qe_vendor_id) == 12);
    assert!(offset_of!(QuoteHeader, user_data) == 28);
    assert!(size_of::<BodyDescriptor>() == DESCRIPTOR_LEN);
    assert!(offset_of!(BodyDescriptor, body_size) == 2);

    assert!(size_of::<TdQuoteBody10>() == BODY10_LEN);
    assert!(offset_of!(TdQuoteBody10, mr_seam) == 16);
    assert!(offset_of!(TdQuoteBody10, mr_signer_seam) == 64);
    assert!(offset_of!(TdQuoteBody10, seam_attributes) == 112);
    assert!(offset_of!(TdQuoteBody10, td_attributes) == 120);
    assert!(offset_of!(TdQuoteBody10, xfam) == 128);
    assert!(offset_of!(TdQuoteBody10, mr_td) == 136);
    assert!(offset_of!(TdQuoteBody10, mr_config_id) == 184);
    assert!(offset_of!(TdQuoteBody10, mr_owner) == 232);
    assert!(offset_of!(TdQuoteBody10, mr_owner_config) == 280);
    assert!(offset_of!(TdQuoteBody10, rtmr) == 328);
    assert!(offset_of!(TdQuoteBody10, report_data) == 520);
    assert!(BODY10_LEN + size_of::<TdQuoteBody15Tail>() == BODY15_LEN);

    assert!(size_of::<SignatureDataHead>() == SIG_HEAD_LEN);
    assert!(offset_of!(SignatureDataHead, attestation_key) == 64);
    assert!(offset_of!(SignatureDataHead, cert_type) == 128);
    assert!(offset_of!(SignatureDataHead, cert_size) == 130);
    assert!(size_of::<CertDataHead>() == CERT_HEAD_LEN);
    assert!(size_of::<QeReportCertHead>() == QE_CERT_HEAD_LEN);
    assert!(offset_of!(QeReportCertHead, qe_report_signature) == 384);
    assert!(offset_of!(QeReportCertHead, qe_auth_data_size) == 448);

    assert!(size_of::<SgxReportBody>() == QE_REPORT_LEN);
    assert!(offset_of!(SgxReportBody, misc_select) == 16);
    assert!(offset_of!(SgxReportBody, isv_ext_prod_id) == 32);
    assert!(offset_of!(SgxReportBody, attributes) == 48);
    assert!(offset_of!(SgxReportBody, mr_enclave) == 64);
    assert!(offset_of!(SgxReportBody, mr_signer) == 128);
    assert!(offset_of!(SgxReportBody, config_id) == 192);
    assert!(offset_of!(SgxReportBody, isv_prod_id) == 256);
    assert!(offset_of!(SgxReportBody, isv_svn) == 258);
    assert!(offset_of!(SgxReportBody, config_svn) == 260);
    assert!(offset_of!(SgxReportBody, isv_family_id) == 304);
    assert!(offset_of!(SgxReportBody, report_data) == 320);

    assert!(size_of::<TdReportStruct>() == TDREPORT_LEN);
    assert!(size_of::<ReportMacStruct>() == 256);
    assert!(offset_of!(ReportMacStruct, reserved1) == 4);
    assert!(offset_of!(ReportMacStruct, cpu_svn) == 16);
    assert!(offset_of!(ReportMacStruct, tee_tcb_info_hash) == 32);
    assert!(offset_of!(ReportMacStruct, tee_info_hash) == 80);
    assert!(offset_of!(ReportMacStruct, report_data) == 128);
    assert!(offset_of!(ReportMacStruct, reserved2) == 192);
    assert!(offset_of!(ReportMacStruct, mac) == 224);
    assert!(size_of::<TeeTcbInfo>() == 239);
    assert!(offset_of!(TeeTcbInfo, tee_tcb_svn) == 8);
    assert!(offset_of!(TeeTcbInfo, mr_seam) == 24);
    assert!(offset_of!(TeeTcbInfo, mr_signer_seam) == 72);
    assert!(offset_of!(TeeTcbInfo, attributes) == 120);
    assert!(offset_of!(TeeTcbInfo, tee_tcb_svn2) == 128);
    assert!(offset_of!(TdReportStruct, tee_tcb_info) == 256);
    assert!(offset_of!(TdReportStruct, reserved) == 495);
    assert!(offset_of!(TdReportStruct, td_info) == 512);
    assert!(size_of::<TdInfo>() == 512);
    assert!(offset_of!(TdInfo, mr_td) == 16);
    assert!(offset_of!(TdInfo, rtmr) == 208);
    assert!(offset_of!(TdInfo, servtd_hash) == 400);
    assert!(offset_of!(TdInfo, reserved) == 448);
};
