//! TPMS_ATTEST of a quote (Part 2, Table 132 with TPMS_QUOTE_INFO, Table 125): a borrowed,
//! strictly parsed view. The signature covers exactly these bytes.

use crate::pcr::PcrSelection;
use crate::raw::{
    AttestHeader, ClockInfoRaw, MAX_DATA, MAX_DIGEST, MAX_NAME, ST_ATTEST_QUOTE,
    TPM_GENERATED_VALUE,
};
use crate::reader::Reader;
use crate::{HashAlgId, TpmError};

/// A quote's TPMS_ATTEST.
#[derive(Clone, Copy, Debug)]
pub struct Attest<'a> {
    bytes: &'a [u8],
    header: &'a AttestHeader,
    qualified_signer: &'a [u8],
    extra_data: &'a [u8],
    clock_info: &'a ClockInfoRaw,
    firmware_version: u64,
    pcr_select: PcrSelection<'a>,
    pcr_digest: &'a [u8],
}

/// TPMS_CLOCK_INFO (Part 2, Table 120).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockInfo {
    /// Milliseconds the TPM has been powered since its last TPM2_Clear.
    pub clock: u64,
    /// TPM2_Startup(CLEAR) count since the last TPM2_Clear (obfuscated unless the key is in
    /// the endorsement or platform hierarchy).
    pub reset_count: u32,
    /// Shutdown/Startup(STATE) count since the last reset (obfuscated likewise).
    pub restart_count: u32,
    /// Whether `clock` cannot have been reported before.
    pub safe: bool,
}

impl std::fmt::Debug for AttestHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "magic={:#x} type={:#x}",
            self.magic.get(),
            self.kind.get()
        )
    }
}

impl std::fmt::Debug for ClockInfoRaw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "clock={}", self.clock.get())
    }
}

impl<'a> Attest<'a> {
    /// Parses a quote's TPMS_ATTEST: magic TPM_GENERATED_VALUE, type TPM_ST_ATTEST_QUOTE,
    /// every `TPM2B` within its maximum, a well-formed Name, no byte after `pcrDigest`.
    ///
    /// # Errors
    /// [`TpmError`] naming the first field that is wrong.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, TpmError> {
        let mut r = Reader::new(bytes);
        let header: &AttestHeader = r.view("TPMS_ATTEST header")?;
        if header.magic.get() != TPM_GENERATED_VALUE {
            return Err(TpmError::BadMagic(header.magic.get()));
        }
        if header.kind.get() != ST_ATTEST_QUOTE {
            return Err(TpmError::NotAQuote(header.kind.get()));
        }
        let qualified_signer = r.tpm2b("TPMS_ATTEST.qualifiedSigner", MAX_NAME)?;
        check_name(qualified_signer)?;
        let extra_data = r.tpm2b("TPMS_ATTEST.extraData", MAX_DATA)?;
        let clock_info: &ClockInfoRaw = r.view("TPMS_ATTEST.clockInfo")?;
        if clock_info.safe > 1 {
            return Err(TpmError::Invalid {
                what: "TPMS_CLOCK_INFO.safe",
                reason: "not a TPMI_YES_NO",
            });
        }
        let firmware_version = r.u64("TPMS_ATTEST.firmwareVersion")?;
        let pcr_select = PcrSelection::read(&mut r)?;
        let pcr_digest = r.tpm2b("TPMS_QUOTE_INFO.pcrDigest", MAX_DIGEST)?;
        r.finish("TPMS_ATTEST")?;
        Ok(Self {
            bytes,
            header,
            qualified_signer,
            extra_data,
            clock_info,
            firmware_version,
            pcr_select,
            pcr_digest,
        })
    }

    /// The bytes parsed, exactly the bytes the AK signed.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// `magic` (always TPM_GENERATED_VALUE after parsing).
    pub fn magic(&self) -> u32 {
        self.header.magic.get()
    }

    /// `type` (always TPM_ST_ATTEST_QUOTE after parsing).
    pub fn attest_type(&self) -> u16 {
        self.header.kind.get()
    }

    /// `qualifiedSigner`: the qualified Name of the signing key (`nameAlg ‖ digest`).
    pub fn qualified_signer(&self) -> &'a [u8] {
        self.qualified_signer
    }

    /// `extraData`: the caller's qualifyingData, echoed exactly.
    pub fn extra_data(&self) -> &'a [u8] {
        self.extra_data
    }

    /// `clockInfo`.
    pub fn clock_info(&self) -> ClockInfo {
        ClockInfo {
            clock: self.clock_info.clock.get(),
            reset_count: self.clock_info.reset_count.get(),
            restart_count: self.clock_info.restart_count.get(),
            safe: self.clock_info.safe == 1,
        }
    }

    /// `firmwareVersion` (vendor-specific; obfuscated unless the key is an endorsement or
    /// platform hierarchy key).
    pub fn firmware_version(&self) -> u64 {
        self.firmware_version
    }

    /// `attested.quote.pcrSelect`.
    pub fn pcr_select(&self) -> PcrSelection<'a> {
        self.pcr_select
    }

    /// `attested.quote.pcrDigest`: the hash (with the signing scheme's hash) of the selected
    /// PCR values, concatenated.
    pub fn pcr_digest(&self) -> &'a [u8] {
        self.pcr_digest
    }
}

/// A TPM2B_NAME is empty, a 4-byte handle, or `nameAlg ‖ digest` of that hash's size.
fn check_name(name: &[u8]) -> Result<(), TpmError> {
    let invalid = TpmError::Invalid {
        what: "TPMS_ATTEST.qualifiedSigner",
        reason: "neither a handle nor nameAlg followed by a digest of its size",
    };
    match name {
        [] | [_, _, _, _] => Ok(()),
        [a, b, digest @ ..] => {
            let hash = HashAlgId::new(u16::from_be_bytes([*a, *b])).ok_or(invalid.clone())?;
            if digest.len() == hash.digest_len() {
                Ok(())
            } else {
                Err(invalid)
            }
        }
        _ => Err(invalid),
    }
}
