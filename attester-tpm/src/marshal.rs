//! The structures written out, big-endian, as a TPM marshals them: for the mock backend and
//! for tests that build quotes. Parsing never goes through here.

use crate::{HashAlgId, ObjectAttributes, PcrSelection, alg};

fn tpm2b(out: &mut Vec<u8>, bytes: &[u8]) {
    // Every caller passes at most a few hundred bytes.
    out.extend_from_slice(&(bytes.len().min(usize::from(u16::MAX)) as u16).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// A TPML_PCR_SELECTION of `banks`, each selecting `indices` (< 24) with a 3-byte bitmap.
pub fn pcr_selection(banks: &[(HashAlgId, &[u32])]) -> Vec<u8> {
    let mut out = (banks.len() as u32).to_be_bytes().to_vec();
    for (bank, indices) in banks {
        let mut bitmap = [0u8; 3];
        for &index in *indices {
            if let Some(byte) = bitmap.get_mut((index / 8) as usize) {
                *byte |= 1 << (index % 8);
            }
        }
        out.extend_from_slice(&bank.id().to_be_bytes());
        out.push(3);
        out.extend_from_slice(&bitmap);
    }
    out
}

/// The fields of a quote's TPMS_ATTEST.
#[derive(Clone, Debug)]
pub struct QuoteFields<'a> {
    /// `qualifiedSigner`.
    pub qualified_signer: &'a [u8],
    /// `extraData`.
    pub extra_data: &'a [u8],
    /// `clockInfo.clock`.
    pub clock: u64,
    /// `clockInfo.resetCount`.
    pub reset_count: u32,
    /// `clockInfo.restartCount`.
    pub restart_count: u32,
    /// `firmwareVersion`.
    pub firmware_version: u64,
    /// `pcrSelect` as [`pcr_selection`] writes it.
    pub pcr_select: &'a [u8],
    /// `pcrDigest`.
    pub pcr_digest: &'a [u8],
}

/// A quote's TPMS_ATTEST.
pub fn quote_attest(fields: &QuoteFields<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(160);
    out.extend_from_slice(&crate::TPM_GENERATED_VALUE.to_be_bytes());
    out.extend_from_slice(&crate::ST_ATTEST_QUOTE.to_be_bytes());
    tpm2b(&mut out, fields.qualified_signer);
    tpm2b(&mut out, fields.extra_data);
    out.extend_from_slice(&fields.clock.to_be_bytes());
    out.extend_from_slice(&fields.reset_count.to_be_bytes());
    out.extend_from_slice(&fields.restart_count.to_be_bytes());
    out.push(1);
    out.extend_from_slice(&fields.firmware_version.to_be_bytes());
    out.extend_from_slice(fields.pcr_select);
    tpm2b(&mut out, fields.pcr_digest);
    out
}

/// The TPMT_PUBLIC of a restricted ECDSA-SHA256 signing key on P-256 with the attributes of
/// an AK (fixedTPM, fixedParent, sensitiveDataOrigin, userWithAuth, restricted, sign), nameAlg
/// SHA-256, as `tpm2_createak -G ecc` makes it. `x` and `y` are the point's coordinates.
pub fn ecc_p256_ak_public(x: &[u8], y: &[u8]) -> Vec<u8> {
    let attributes = ObjectAttributes::FIXED_TPM
        | ObjectAttributes::FIXED_PARENT
        | ObjectAttributes::SENSITIVE_DATA_ORIGIN
        | ObjectAttributes::USER_WITH_AUTH
        | ObjectAttributes::RESTRICTED
        | ObjectAttributes::SIGN;
    ecc_public(attributes, x, y)
}

/// A TPMT_PUBLIC of an ECDSA-SHA256 P-256 key with `attributes`.
pub fn ecc_public(attributes: u32, x: &[u8], y: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(88);
    out.extend_from_slice(&alg::ECC.to_be_bytes());
    out.extend_from_slice(&alg::SHA256.to_be_bytes());
    out.extend_from_slice(&attributes.to_be_bytes());
    tpm2b(&mut out, &[]);
    out.extend_from_slice(&alg::NULL.to_be_bytes()); // symmetric
    out.extend_from_slice(&alg::ECDSA.to_be_bytes());
    out.extend_from_slice(&alg::SHA256.to_be_bytes());
    out.extend_from_slice(&crate::EccCurveId::NIST_P256.0.to_be_bytes());
    out.extend_from_slice(&alg::NULL.to_be_bytes()); // kdf
    tpm2b(&mut out, x);
    tpm2b(&mut out, y);
    out
}

/// TPM2B_PUBLIC around a TPMT_PUBLIC.
pub fn tpm2b_public(tpmt_public: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(tpmt_public.len() + 2);
    tpm2b(&mut out, tpmt_public);
    out
}

/// A TPMT_SIGNATURE with ECDSA over `hash`, from big-endian `r` and `s`.
pub fn ecdsa_signature(hash: HashAlgId, r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + r.len() + s.len());
    out.extend_from_slice(&alg::ECDSA.to_be_bytes());
    out.extend_from_slice(&hash.id().to_be_bytes());
    tpm2b(&mut out, r);
    tpm2b(&mut out, s);
    out
}

/// The selection's PCRs as `(bank, index)` (for callers that hold marshalled bytes).
pub fn selected(selection: &[u8]) -> Vec<(HashAlgId, u32)> {
    PcrSelection::parse(selection)
        .map(|s| s.pcrs().collect())
        .unwrap_or_default()
}
