//! The borrowed view of a TDREPORT (TDREPORT_STRUCT, 1024 bytes): what `TDG.MR.REPORT`
//! returns inside the TD and what the quoting enclave turns into a quote.
//!
//! A TDREPORT is protected by a MAC with a key only the platform holds, so off the platform
//! only its internal consistency can be checked: REPORTMACSTRUCT carries SHA-384 hashes of
//! TEE_TCB_INFO and of TDINFO ([`TdReport::check_hashes`]).

use attester_core::crypto::{HashAlg, digest};
use attester_core::zero::all_zero;
use attester_core::{Error, Result};
use zerocopy::FromBytes;

use crate::quote::TdAttributes;
use crate::raw::{TDREPORT_LEN, TdReportStruct};

const WHAT: &str = "TDREPORT";

/// The size of a TDREPORT.
pub const TDREPORT_SIZE: usize = TDREPORT_LEN;

/// REPORTTYPE.TYPE of a TDX report.
pub const REPORT_TYPE_TDX: u8 = 0x81;

/// A parsed, borrowed TDREPORT.
///
/// [`TdReport::parse`] checks the length (exactly 1024), REPORTTYPE (type 0x81, subtype 0,
/// version 0 or 1, reserved byte 0) and every reserved range (zero). The hashes are checked
/// separately by [`TdReport::check_hashes`] so a caller can show a report whose hashes fail.
#[derive(Clone, Copy)]
pub struct TdReport<'a> {
    bytes: &'a [u8],
    raw: &'a TdReportStruct,
}

impl std::fmt::Debug for TdReport<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TdReport")
            .field("report_version", &self.report_version())
            .field("valid", &self.tee_tcb_valid())
            .finish_non_exhaustive()
    }
}

fn malformed(reason: &'static str) -> Error {
    Error::malformed(WHAT, reason)
}

impl<'a> TdReport<'a> {
    /// Views `bytes` as a TDREPORT; nothing may follow it.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the first rule the bytes break.
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        if bytes.len() != TDREPORT_LEN {
            return Err(malformed("a TDREPORT is exactly 1024 bytes"));
        }
        let raw = TdReportStruct::ref_from_bytes(bytes)
            .map_err(|_| malformed("the layout does not fit"))?;
        let mac = &raw.mac_struct;
        if mac.report_type != REPORT_TYPE_TDX {
            return Err(malformed("REPORTTYPE.TYPE is not 0x81 (TDX)"));
        }
        if mac.report_subtype != 0 || mac.report_type_reserved != 0 {
            return Err(malformed(
                "REPORTTYPE.SUBTYPE and its reserved byte must be zero",
            ));
        }
        if mac.report_version > 1 {
            return Err(malformed("REPORTTYPE.VERSION is not 0 or 1"));
        }
        let reserved: [(&'static str, &[u8]); 5] = [
            ("REPORTMACSTRUCT bytes 4..16 must be zero", &mac.reserved1),
            (
                "REPORTMACSTRUCT bytes 192..224 must be zero",
                &mac.reserved2,
            ),
            (
                "TEE_TCB_INFO bytes 144..239 must be zero",
                &raw.tee_tcb_info.reserved,
            ),
            ("TDREPORT bytes 495..512 must be zero", &raw.reserved),
            ("TDINFO bytes 448..512 must be zero", &raw.td_info.reserved),
        ];
        for (reason, range) in reserved {
            if !all_zero(range) {
                return Err(malformed(reason));
            }
        }
        Ok(Self { bytes, raw })
    }

    /// Checks TEE_TCB_INFO_HASH and TEE_INFO_HASH against SHA-384 of TEE_TCB_INFO and TDINFO.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the hash that does not match.
    pub fn check_hashes(&self) -> Result<()> {
        let tcb_info = self.bytes.get(256..495).unwrap_or(&[]);
        let td_info = self.bytes.get(512..).unwrap_or(&[]);
        let mac = &self.raw.mac_struct;
        if digest(HashAlg::Sha384, tcb_info).as_bytes() != mac.tee_tcb_info_hash {
            return Err(malformed(
                "TEE_TCB_INFO_HASH is not SHA-384 of TEE_TCB_INFO",
            ));
        }
        if digest(HashAlg::Sha384, td_info).as_bytes() != mac.tee_info_hash {
            return Err(malformed("TEE_INFO_HASH is not SHA-384 of TDINFO"));
        }
        Ok(())
    }

    /// The 1024 bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// REPORTTYPE.VERSION.
    pub fn report_version(&self) -> u8 {
        self.raw.mac_struct.report_version
    }

    /// CPUSVN.
    pub fn cpu_svn(&self) -> &'a [u8; 16] {
        &self.raw.mac_struct.cpu_svn
    }

    /// TEE_TCB_INFO_HASH.
    pub fn tee_tcb_info_hash(&self) -> &'a [u8; 48] {
        &self.raw.mac_struct.tee_tcb_info_hash
    }

    /// TEE_INFO_HASH.
    pub fn tee_info_hash(&self) -> &'a [u8; 48] {
        &self.raw.mac_struct.tee_info_hash
    }

    /// REPORTDATA.
    pub fn report_data(&self) -> &'a [u8; 64] {
        &self.raw.mac_struct.report_data
    }

    /// The MAC (checkable only on the platform).
    pub fn mac(&self) -> &'a [u8; 32] {
        &self.raw.mac_struct.mac
    }

    /// TEE_TCB_INFO.VALID: 0x1FF for a TDX 1.0 module, 0x301FF for TDX 1.5.
    pub fn tee_tcb_valid(&self) -> u64 {
        self.raw.tee_tcb_info.valid.get()
    }

    /// TEE_TCB_SVN.
    pub fn tee_tcb_svn(&self) -> &'a [u8; 16] {
        &self.raw.tee_tcb_info.tee_tcb_svn
    }

    /// MRSEAM.
    pub fn mr_seam(&self) -> &'a [u8; 48] {
        &self.raw.tee_tcb_info.mr_seam
    }

    /// MRSIGNERSEAM.
    pub fn mr_signer_seam(&self) -> &'a [u8; 48] {
        &self.raw.tee_tcb_info.mr_signer_seam
    }

    /// SEAM ATTRIBUTES.
    pub fn seam_attributes(&self) -> u64 {
        self.raw.tee_tcb_info.attributes.get()
    }

    /// TEE_TCB_SVN2 (TDX 1.5; reserved in 1.0).
    pub fn tee_tcb_svn2(&self) -> &'a [u8; 16] {
        &self.raw.tee_tcb_info.tee_tcb_svn2
    }

    /// TD_ATTRIBUTES.
    pub fn td_attributes(&self) -> TdAttributes {
        TdAttributes(self.raw.td_info.attributes.get())
    }

    /// XFAM.
    pub fn xfam(&self) -> u64 {
        self.raw.td_info.xfam.get()
    }

    /// MRTD.
    pub fn mr_td(&self) -> &'a [u8; 48] {
        &self.raw.td_info.mr_td
    }

    /// MRCONFIGID.
    pub fn mr_config_id(&self) -> &'a [u8; 48] {
        &self.raw.td_info.mr_config_id
    }

    /// MROWNER.
    pub fn mr_owner(&self) -> &'a [u8; 48] {
        &self.raw.td_info.mr_owner
    }

    /// MROWNERCONFIG.
    pub fn mr_owner_config(&self) -> &'a [u8; 48] {
        &self.raw.td_info.mr_owner_config
    }

    /// RTMR0..RTMR3.
    pub fn rtmrs(&self) -> &'a [[u8; 48]; 4] {
        &self.raw.td_info.rtmr
    }

    /// SERVTD_HASH (MRSERVICETD; TDX 1.5, reserved in 1.0).
    pub fn servtd_hash(&self) -> &'a [u8; 48] {
        &self.raw.td_info.servtd_hash
    }
}
