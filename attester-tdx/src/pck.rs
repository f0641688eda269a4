//! The Intel SGX extension of PCK certificates (OID 1.2.840.113741.1.13.1, Intel *SGX PCK
//! Certificate and CRL Profile*): PPID, the TCB (16 SGX component SVNs, PCESVN, CPUSVN),
//! PCE-ID, FMSPC, SGX type. A SEQUENCE of SEQUENCE { OID, value }, read with a small DER walker
//! (the value types differ per OID, ENUMERATED included).

use attester_core::x509::Certificate;
use attester_core::{Error, Result};

const WHAT: &str = "PCK SGX extension";

/// The DER content of the SGX extension's OID, 1.2.840.113741.1.13.1.
pub const SGX_EXTENSION_OID: &str = "1.2.840.113741.1.13.1";

/// The content bytes of OID 1.2.840.113741.1.13.1; sub-OIDs append one byte per arc.
const SGX_OID_BYTES: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01];

const TAG_INTEGER: u8 = 0x02;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_OID: u8 = 0x06;
const TAG_ENUMERATED: u8 = 0x0a;
const TAG_SEQUENCE: u8 = 0x30;

/// The SGX extension of a PCK leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PckExtensions {
    /// PPID (16 bytes).
    pub ppid: [u8; 16],
    /// The 16 SGX TCB component SVNs.
    pub sgx_tcb_components: [u8; 16],
    /// PCESVN.
    pub pce_svn: u16,
    /// CPUSVN.
    pub cpu_svn: [u8; 16],
    /// PCE-ID.
    pub pce_id: [u8; 2],
    /// FMSPC: selects the TCB Info.
    pub fmspc: [u8; 6],
    /// SGX type (0 standard, 1 scalable, 2 scalable with integrity).
    pub sgx_type: u8,
}

fn malformed(reason: &'static str) -> Error {
    Error::malformed(WHAT, reason)
}

/// One DER TLV: tag, contents, rest. Definite lengths up to four bytes.
fn tlv(input: &[u8]) -> Result<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first().ok_or(malformed("truncated TLV"))?;
    let (&first, rest) = rest.split_first().ok_or(malformed("truncated TLV"))?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return Err(malformed("unsupported DER length"));
        }
        let (len_bytes, rest) = rest.split_at(n);
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, rest)
    };
    if rest.len() < len {
        return Err(malformed("a DER value runs past its container"));
    }
    let (value, rest) = rest.split_at(len);
    Ok((tag, value, rest))
}

fn expect(input: &[u8], tag: u8) -> Result<(&[u8], &[u8])> {
    let (t, value, rest) = tlv(input)?;
    if t != tag {
        return Err(malformed("unexpected DER tag"));
    }
    Ok((value, rest))
}

/// The entries `(sub-arc, value TLV tag, value)` of a SEQUENCE OF SEQUENCE { OID, value } whose
/// OIDs extend `prefix` by one arc.
fn entries<'a>(sequence: &'a [u8], prefix: &[u8]) -> Result<Vec<(u8, u8, &'a [u8])>> {
    let mut out = Vec::new();
    let mut rest = sequence;
    while !rest.is_empty() {
        let (entry, next) = expect(rest, TAG_SEQUENCE)?;
        rest = next;
        let (oid, value) = expect(entry, TAG_OID)?;
        let arc = oid
            .strip_prefix(prefix)
            .and_then(|tail| match tail {
                [arc] if *arc < 0x80 => Some(*arc),
                _ => None,
            })
            .ok_or(malformed("an entry's OID is not under its parent"))?;
        let (tag, value, after) = tlv(value)?;
        if !after.is_empty() {
            return Err(malformed("bytes after an entry's value"));
        }
        if out.iter().any(|(a, _, _)| *a == arc) {
            return Err(malformed("an entry appears twice"));
        }
        out.push((arc, tag, value));
    }
    Ok(out)
}

fn small_uint(tag: u8, value: &[u8], max: u32) -> Result<u32> {
    if tag != TAG_INTEGER && tag != TAG_ENUMERATED {
        return Err(malformed("expected an INTEGER"));
    }
    let digits = match value {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => value,
    };
    if digits.is_empty() || digits.len() > 3 || value.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(malformed("an INTEGER is negative or too large"));
    }
    let n = digits
        .iter()
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    if n > max {
        return Err(malformed("an INTEGER is out of range"));
    }
    Ok(n)
}

fn octets<const N: usize>(tag: u8, value: &[u8]) -> Result<[u8; N]> {
    if tag != TAG_OCTET_STRING {
        return Err(malformed("expected an OCTET STRING"));
    }
    value
        .try_into()
        .map_err(|_| malformed("an OCTET STRING has the wrong length"))
}

impl PckExtensions {
    /// Reads the SGX extension of `cert`.
    ///
    /// # Errors
    /// [`Error::Malformed`] when it is missing, or an entry the verifier needs (PPID, TCB with
    /// all 18 components, PCE-ID, FMSPC, SGX type) is missing or mistyped.
    pub fn from_certificate(cert: &Certificate) -> Result<Self> {
        let oid = attester_core::x509::Oid::new_unwrap(SGX_EXTENSION_OID);
        let ext = cert
            .extension(&oid)
            .ok_or(malformed("the certificate has no SGX extension"))?;
        Self::from_der(ext.value)
    }

    /// Reads the extension value (its DER SEQUENCE).
    ///
    /// # Errors
    /// As [`PckExtensions::from_certificate`].
    pub fn from_der(der: &[u8]) -> Result<Self> {
        let (sequence, rest) = expect(der, TAG_SEQUENCE)?;
        if !rest.is_empty() {
            return Err(malformed("bytes after the extension"));
        }
        let top = entries(sequence, &SGX_OID_BYTES)?;
        let find = |arc: u8| {
            top.iter()
                .find(|(a, _, _)| *a == arc)
                .map(|(_, tag, value)| (*tag, *value))
                .ok_or(malformed("a required SGX extension entry is missing"))
        };
        let (tag, ppid) = find(1)?;
        let ppid = octets::<16>(tag, ppid)?;
        let (tag, tcb) = find(2)?;
        if tag != TAG_SEQUENCE {
            return Err(malformed("TCB is not a SEQUENCE"));
        }
        let mut tcb_prefix = SGX_OID_BYTES.to_vec();
        tcb_prefix.push(2);
        let tcb = entries(tcb, &tcb_prefix)?;
        if tcb.len() != 18 {
            return Err(malformed("TCB does not have 18 entries"));
        }
        let mut sgx_tcb_components = [0u8; 16];
        let mut pce_svn = None;
        let mut cpu_svn = None;
        for (arc, tag, value) in tcb {
            match arc {
                1..=16 => {
                    let svn = small_uint(tag, value, 255)?;
                    if let Some(slot) = sgx_tcb_components.get_mut(usize::from(arc - 1)) {
                        *slot = svn as u8;
                    }
                }
                17 => pce_svn = Some(small_uint(tag, value, 0xffff)? as u16),
                18 => cpu_svn = Some(octets::<16>(tag, value)?),
                _ => return Err(malformed("TCB has an unknown entry")),
            }
        }
        let (tag, pce_id) = find(3)?;
        let (fmspc_tag, fmspc) = find(4)?;
        let (type_tag, sgx_type) = find(5)?;
        Ok(Self {
            ppid,
            sgx_tcb_components,
            pce_svn: pce_svn.ok_or(malformed("TCB has no PCESVN"))?,
            cpu_svn: cpu_svn.ok_or(malformed("TCB has no CPUSVN"))?,
            pce_id: octets::<2>(tag, pce_id)?,
            fmspc: octets::<6>(fmspc_tag, fmspc)?,
            sgx_type: small_uint(type_tag, sgx_type, 255)? as u8,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_lengths() {
        assert!(tlv(&[0x04, 0x81, 0x01, 0xaa]).is_ok());
        assert!(tlv(&[0x04, 0x85, 0, 0, 0, 0, 1]).is_err());
        assert!(tlv(&[0x04, 0x02, 0xaa]).is_err());
        assert!(PckExtensions::from_der(&[0x30, 0x00]).is_err());
    }
}
