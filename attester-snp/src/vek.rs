//! The AMD extensions of VCEK and VLEK certificates (VCEK Certificate and KDS Interface
//! Specification, pub. 57230, "VCEK Certificate Extensions"), all under 1.3.6.1.4.1.3704.1.

use attester_core::x509::{Certificate, Oid};
use attester_core::{Error, Result};

use crate::tcb::Tcb;

const WHAT: &str = "VCEK/VLEK extension";

/// The OIDs of the AMD extensions.
pub mod oid {
    use attester_core::x509::Oid;

    /// `structVersion` (INTEGER).
    pub const STRUCT_VERSION: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.1");
    /// `productName` (IA5String), e.g. `Milan-B0`.
    pub const PRODUCT_NAME: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.2");
    /// `blSPL` (INTEGER).
    pub const BL_SPL: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.3.1");
    /// `teeSPL` (INTEGER).
    pub const TEE_SPL: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.3.2");
    /// `snpSPL` (INTEGER).
    pub const SNP_SPL: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.3.3");
    /// `ucodeSPL` (INTEGER).
    pub const UCODE_SPL: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.3.8");
    /// `fmcSPL` (INTEGER), Turin and later.
    pub const FMC_SPL: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.3.9");
    /// `hwID`: the CHIP_ID (VCEK only).
    pub const HW_ID: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.4");
    /// `cspID` (IA5String): the cloud provider a VLEK was issued to (VLEK only).
    pub const CSP_ID: Oid = Oid::new_unwrap("1.3.6.1.4.1.3704.1.5");
}

/// The AMD extensions of one VCEK or VLEK certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VekExtensions {
    /// `productName`, when present.
    pub product_name: Option<String>,
    /// The TCB the key was derived for (`fmcSPL` only when present).
    pub tcb: Tcb,
    /// `hwID` with any OCTET STRING wrapper removed (VCEK).
    pub hw_id: Option<Vec<u8>>,
    /// `cspID` (VLEK).
    pub csp_id: Option<String>,
}

impl VekExtensions {
    /// Reads the extensions of `cert`.
    ///
    /// # Errors
    /// [`Error::Malformed`] when an SPL extension is missing or is not a DER INTEGER in
    /// `0..=255`, or a string extension is not a DER IA5String.
    pub fn from_certificate(cert: &Certificate) -> Result<Self> {
        let spl = |oid: &Oid, name: &'static str| -> Result<u8> {
            let ext = cert
                .extension(oid)
                .ok_or_else(|| Error::malformed(WHAT, format!("no {name} extension")))?;
            der_u8(ext.value)
                .ok_or_else(|| Error::malformed(WHAT, format!("{name} is not a small INTEGER")))
        };
        let fmc = match cert.extension(&oid::FMC_SPL) {
            Some(ext) => Some(
                der_u8(ext.value)
                    .ok_or_else(|| Error::malformed(WHAT, "fmcSPL is not a small INTEGER"))?,
            ),
            None => None,
        };
        let tcb = Tcb {
            fmc,
            bootloader: spl(&oid::BL_SPL, "blSPL")?,
            tee: spl(&oid::TEE_SPL, "teeSPL")?,
            snp: spl(&oid::SNP_SPL, "snpSPL")?,
            microcode: spl(&oid::UCODE_SPL, "ucodeSPL")?,
        };
        let string = |oid: &Oid, name: &'static str| -> Result<Option<String>> {
            cert.extension(oid)
                .map(|ext| {
                    der_ia5(ext.value).ok_or_else(|| {
                        Error::malformed(WHAT, format!("{name} is not an IA5String"))
                    })
                })
                .transpose()
        };
        Ok(Self {
            product_name: string(&oid::PRODUCT_NAME, "productName")?,
            tcb,
            hw_id: cert
                .extension(&oid::HW_ID)
                .map(|ext| unwrap_hw_id(ext.value).to_vec()),
            csp_id: string(&oid::CSP_ID, "cspID")?,
        })
    }
}

/// The DER TLV at the start of `der` with tag `tag` that fills it exactly: its contents.
fn der_tlv(der: &[u8], tag: u8) -> Option<&[u8]> {
    let (&t, rest) = der.split_first()?;
    if t != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7F => (usize::from(first), rest),
        0x81 => {
            let (&len, rest) = rest.split_first()?;
            // DER: the long form only for lengths that need it.
            (len >= 0x80).then_some((usize::from(len), rest))?
        }
        0x82 => {
            let (&hi, rest) = rest.split_first()?;
            let (&lo, rest) = rest.split_first()?;
            let len = usize::from(hi) << 8 | usize::from(lo);
            (len >= 0x100).then_some((len, rest))?
        }
        _ => return None,
    };
    (rest.len() == len).then_some(rest)
}

/// A minimal non-negative DER INTEGER that fits a byte.
fn der_u8(der: &[u8]) -> Option<u8> {
    match der_tlv(der, 0x02)? {
        [v] if *v < 0x80 => Some(*v),
        [0, v] if *v >= 0x80 => Some(*v),
        _ => None,
    }
}

fn der_ia5(der: &[u8]) -> Option<String> {
    let bytes = der_tlv(der, 0x16)?;
    bytes
        .is_ascii()
        .then(|| String::from_utf8_lossy(bytes).into_owned())
}

/// KDS writes `hwID` raw into `extnValue`; some issuers wrap it in an OCTET STRING. The two
/// are told apart by length: a raw ID is 64 bytes (8 on Turin), a wrapped one 66 (10).
fn unwrap_hw_id(value: &[u8]) -> &[u8] {
    match value.len() {
        66 | 10 => der_tlv(value, 0x04).unwrap_or(value),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_small_integers() {
        assert_eq!(der_u8(&[2, 1, 5]), Some(5));
        assert_eq!(der_u8(&[2, 2, 0, 0xdb]), Some(0xdb));
        assert_eq!(der_u8(&[2, 2, 0, 0x05]), None);
        assert_eq!(der_u8(&[2, 1, 0x80]), None);
        assert_eq!(der_u8(&[2, 1, 5, 0]), None);
        assert_eq!(der_u8(&[4, 1, 5]), None);
        assert_eq!(der_ia5(&[0x16, 2, b'o', b'k']).as_deref(), Some("ok"));
    }

    #[test]
    fn hw_id_both_encodings() {
        let raw = [7u8; 64];
        let mut wrapped = vec![4, 64];
        wrapped.extend_from_slice(&raw);
        assert_eq!(unwrap_hw_id(&raw), &raw);
        assert_eq!(unwrap_hw_id(&wrapped), &raw);
        let mut turin = vec![4, 8];
        turin.extend_from_slice(&[1; 8]);
        assert_eq!(unwrap_hw_id(&turin), &[1; 8]);
    }
}
