//! The borrowed view of a DCAP TD quote (versions 4 and 5): strict parsing of every frame
//! (header, v5 body descriptor, TD body, signature data, QE report certification data and the
//! certification data it wraps), accessors named after the specification's fields.

use attester_core::zero::{all_zero, or_words};
use attester_core::{Error, Result};
use zerocopy::FromBytes;

use crate::raw::{
    BODY10_LEN, BODY15_LEN, BodyDescriptor, CertDataHead, DESCRIPTOR_LEN, HEADER_LEN,
    QeReportCertHead, QuoteHeader, SgxReportBody, SignatureDataHead, TdQuoteBody10,
    TdQuoteBody15Tail,
};

const WHAT: &str = "TDX quote";

/// Attestation key type 2: ECDSA-256 with P-256, the only type Intel's QVL accepts.
pub const ATT_KEY_TYPE_ECDSA_P256: u16 = 2;

/// TEE type 0x81: TDX.
pub const TEE_TYPE_TDX: u32 = 0x81;

/// The QE vendor ID of Intel's quoting enclave.
pub const INTEL_QE_VENDOR_ID: [u8; 16] = [
    0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07,
];

/// The quote versions this crate decodes.
pub const SUPPORTED_VERSIONS: [u16; 2] = [4, 5];

/// The smallest legal quote (`QUOTE_MIN_SIZE` in Intel's `tdx_attest.c`).
pub const QUOTE_MIN_LEN: usize = 1020;

/// The TD body layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BodyType {
    /// TDX 1.0: 584 bytes (v4, or v5 body type 2).
    Td10,
    /// TDX 1.5: 648 bytes with TEE_TCB_SVN2 and MRSERVICETD (v5 body type 3).
    Td15,
}

impl BodyType {
    /// The body size in bytes.
    pub fn size(self) -> usize {
        match self {
            Self::Td10 => BODY10_LEN,
            Self::Td15 => BODY15_LEN,
        }
    }

    /// `TD1.0` or `TD1.5`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Td10 => "TD1.0",
            Self::Td15 => "TD1.5",
        }
    }
}

/// A certification data type (`sgx_ql_cert_key_type_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertDataType {
    /// 1: PPID in clear text.
    PpidCleartext,
    /// 2: PPID encrypted with RSA-2048.
    PpidRsa2048,
    /// 3: PPID encrypted with RSA-3072.
    PpidRsa3072,
    /// 4: the PCK leaf certificate.
    PckCertificate,
    /// 5: the PCK certificate chain, PEM (leaf, intermediate, root).
    PckCertChain,
    /// 6: QE report certification data, wrapping one of the others.
    QeReport,
    /// 7: a platform manifest.
    PlatformManifest,
}

impl CertDataType {
    fn from_u16(value: u16) -> Option<Self> {
        Some(match value {
            1 => Self::PpidCleartext,
            2 => Self::PpidRsa2048,
            3 => Self::PpidRsa3072,
            4 => Self::PckCertificate,
            5 => Self::PckCertChain,
            6 => Self::QeReport,
            7 => Self::PlatformManifest,
            _ => return None,
        })
    }

    /// The numeric type.
    pub fn as_u16(self) -> u16 {
        match self {
            Self::PpidCleartext => 1,
            Self::PpidRsa2048 => 2,
            Self::PpidRsa3072 => 3,
            Self::PckCertificate => 4,
            Self::PckCertChain => 5,
            Self::QeReport => 6,
            Self::PlatformManifest => 7,
        }
    }
}

/// Certification data that is not type 6: its type and bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertData<'a> {
    /// The type.
    pub kind: CertDataType,
    /// The data.
    pub data: &'a [u8],
}

impl<'a> CertData<'a> {
    /// For type 5, the PEM chain without the trailing NUL that newer quoting enclaves append.
    pub fn pck_chain_pem(&self) -> Option<&'a [u8]> {
        (self.kind == CertDataType::PckCertChain)
            .then(|| self.data.strip_suffix(b"\0").unwrap_or(self.data))
    }
}

/// The QE report (`sgx_report_body_t`) inside type 6 certification data.
#[derive(Clone, Copy)]
pub struct QeReport<'a> {
    bytes: &'a [u8],
    raw: &'a SgxReportBody,
}

impl std::fmt::Debug for QeReport<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QeReport")
            .field("isv_prod_id", &self.isv_prod_id())
            .field("isv_svn", &self.isv_svn())
            .finish_non_exhaustive()
    }
}

impl<'a> QeReport<'a> {
    /// The 384 bytes the PCK leaf signs.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// CPUSVN.
    pub fn cpu_svn(&self) -> &'a [u8; 16] {
        &self.raw.cpu_svn
    }

    /// MISCSELECT.
    pub fn misc_select(&self) -> u32 {
        self.raw.misc_select.get()
    }

    /// ISV_EXT_PROD_ID.
    pub fn isv_ext_prod_id(&self) -> &'a [u8; 16] {
        &self.raw.isv_ext_prod_id
    }

    /// ATTRIBUTES.
    pub fn attributes(&self) -> &'a [u8; 16] {
        &self.raw.attributes
    }

    /// MRENCLAVE.
    pub fn mr_enclave(&self) -> &'a [u8; 32] {
        &self.raw.mr_enclave
    }

    /// MRSIGNER.
    pub fn mr_signer(&self) -> &'a [u8; 32] {
        &self.raw.mr_signer
    }

    /// CONFIG_ID.
    pub fn config_id(&self) -> &'a [u8; 64] {
        &self.raw.config_id
    }

    /// ISVPRODID.
    pub fn isv_prod_id(&self) -> u16 {
        self.raw.isv_prod_id.get()
    }

    /// ISVSVN.
    pub fn isv_svn(&self) -> u16 {
        self.raw.isv_svn.get()
    }

    /// CONFIGSVN.
    pub fn config_svn(&self) -> u16 {
        self.raw.config_svn.get()
    }

    /// ISV_FAMILY_ID.
    pub fn isv_family_id(&self) -> &'a [u8; 16] {
        &self.raw.isv_family_id
    }

    /// REPORTDATA: SHA-256(attestation key || QE authentication data) then 32 zero bytes.
    pub fn report_data(&self) -> &'a [u8; 64] {
        &self.raw.report_data
    }
}

/// Certification data type 6: the QE report, its signature by the PCK leaf, the QE
/// authentication data, and the certification data it wraps (normally type 5).
#[derive(Clone, Copy, Debug)]
pub struct QeReportCertData<'a> {
    /// The QE report.
    pub qe_report: QeReport<'a>,
    /// The QE report's ECDSA P-256 signature `r || s`.
    pub qe_report_signature: &'a [u8; 64],
    /// The QE authentication data.
    pub qe_auth_data: &'a [u8],
    /// The wrapped certification data.
    pub inner: CertData<'a>,
}

/// The certification data of a quote.
#[derive(Clone, Copy, Debug)]
pub enum Certification<'a> {
    /// Type 6, as every TDX quoting enclave emits.
    QeReport(QeReportCertData<'a>),
    /// Any other type.
    Other(CertData<'a>),
}

/// The TD quote body (TDX 1.0 or 1.5), borrowed.
#[derive(Clone, Copy)]
pub struct TdBody<'a> {
    bytes: &'a [u8],
    raw: &'a TdQuoteBody10,
    tail: Option<&'a TdQuoteBody15Tail>,
}

impl std::fmt::Debug for TdBody<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TdBody")
            .field("body_type", &self.body_type())
            .field("td_attributes", &self.td_attributes())
            .finish_non_exhaustive()
    }
}

impl<'a> TdBody<'a> {
    fn parse(bytes: &'a [u8], body_type: BodyType) -> Result<Self> {
        let (raw, rest) = TdQuoteBody10::ref_from_prefix(bytes)
            .map_err(|_| malformed("the TD body is truncated"))?;
        let tail = match body_type {
            BodyType::Td10 => None,
            BodyType::Td15 => Some(
                TdQuoteBody15Tail::ref_from_bytes(rest)
                    .map_err(|_| malformed("the TD1.5 body is truncated"))?,
            ),
        };
        Ok(Self { bytes, raw, tail })
    }

    /// The body bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// TD1.0 or TD1.5.
    pub fn body_type(&self) -> BodyType {
        if self.tail.is_some() {
            BodyType::Td15
        } else {
            BodyType::Td10
        }
    }

    /// TEE_TCB_SVN: byte 0 TDX module minor SVN, byte 1 module major version, byte 2 the late
    /// microcode update SVN.
    pub fn tee_tcb_svn(&self) -> &'a [u8; 16] {
        &self.raw.tee_tcb_svn
    }

    /// MRSEAM: the TDX module's measurement.
    pub fn mr_seam(&self) -> &'a [u8; 48] {
        &self.raw.mr_seam
    }

    /// MRSIGNERSEAM (zero for Intel's module).
    pub fn mr_signer_seam(&self) -> &'a [u8; 48] {
        &self.raw.mr_signer_seam
    }

    /// SEAM_ATTRIBUTES.
    pub fn seam_attributes(&self) -> u64 {
        self.raw.seam_attributes.get()
    }

    /// TD_ATTRIBUTES.
    pub fn td_attributes(&self) -> TdAttributes {
        TdAttributes(self.raw.td_attributes.get())
    }

    /// XFAM.
    pub fn xfam(&self) -> u64 {
        self.raw.xfam.get()
    }

    /// MRTD: the initial TD contents (firmware image).
    pub fn mr_td(&self) -> &'a [u8; 48] {
        &self.raw.mr_td
    }

    /// MRCONFIGID.
    pub fn mr_config_id(&self) -> &'a [u8; 48] {
        &self.raw.mr_config_id
    }

    /// MROWNER.
    pub fn mr_owner(&self) -> &'a [u8; 48] {
        &self.raw.mr_owner
    }

    /// MROWNERCONFIG.
    pub fn mr_owner_config(&self) -> &'a [u8; 48] {
        &self.raw.mr_owner_config
    }

    /// RTMR0..RTMR3.
    pub fn rtmrs(&self) -> &'a [[u8; 48]; 4] {
        &self.raw.rtmr
    }

    /// REPORTDATA: where the challenge goes.
    pub fn report_data(&self) -> &'a [u8; 64] {
        &self.raw.report_data
    }

    /// TEE_TCB_SVN2 (TD1.5 only).
    pub fn tee_tcb_svn2(&self) -> Option<&'a [u8; 16]> {
        self.tail.map(|t| &t.tee_tcb_svn2)
    }

    /// MRSERVICETD (TD1.5 only).
    pub fn mr_service_td(&self) -> Option<&'a [u8; 48]> {
        self.tail.map(|t| &t.mr_service_td)
    }
}

/// TD_ATTRIBUTES (TDX module ABI, "TD_ATTRIBUTES definition").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TdAttributes(pub u64);

impl TdAttributes {
    /// Bit 0: DEBUG — the host can read and write the TD's state.
    pub const DEBUG: u64 = 1;
    /// Bit 28: SEPT_VE_DISABLE.
    pub const SEPT_VE_DISABLE: u64 = 1 << 28;
    /// Bit 30: PKS.
    pub const PKS: u64 = 1 << 30;
    /// Bit 31: KL (key locker).
    pub const KL: u64 = 1 << 31;
    /// Bit 63: PERFMON.
    pub const PERFMON: u64 = 1 << 63;

    /// Whether the TD is a debug TD.
    pub fn debug(self) -> bool {
        self.0 & Self::DEBUG != 0
    }
}

/// A parsed, borrowed TD quote.
///
/// [`Quote::parse`] checks every frame without keys: the header (version 4 or 5, attestation
/// key type 2, TEE type TDX, reserved bytes zero), the v5 body descriptor (type 2 or 3 with
/// the size of its type), the signature data length against the bytes present and against
/// its contents, the certification data type and size, and for type 6 the QE report's
/// reserved bytes, the authentication data length and the wrapped data. Bytes after the
/// signature data are kept aside ([`Quote::trailing`]), never parsed. No allocation.
#[derive(Clone, Copy)]
pub struct Quote<'a> {
    bytes: &'a [u8],
    header: &'a QuoteHeader,
    body: TdBody<'a>,
    signed_len: usize,
    sig_head: &'a SignatureDataHead,
    certification: Certification<'a>,
    trailing: &'a [u8],
}

impl std::fmt::Debug for Quote<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Quote")
            .field("version", &self.version())
            .field("body_type", &self.body.body_type())
            .field("trailing", &self.trailing.len())
            .finish_non_exhaustive()
    }
}

fn malformed(reason: &'static str) -> Error {
    Error::malformed(WHAT, reason)
}

/// Splits `len` bytes off the front of `bytes`.
fn take<'a>(bytes: &'a [u8], len: usize, what: &'static str) -> Result<(&'a [u8], &'a [u8])> {
    if bytes.len() < len {
        return Err(malformed(what));
    }
    Ok(bytes.split_at(len))
}

impl<'a> Quote<'a> {
    /// Views `bytes` as a TD quote. Bytes after the signature data are allowed and kept as
    /// [`Quote::trailing`].
    ///
    /// # Errors
    /// [`Error::Malformed`] naming the first rule the bytes break.
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        let (header, after_header) = QuoteHeader::ref_from_prefix(bytes)
            .map_err(|_| malformed("shorter than the 48-byte header"))?;
        let version = header.version.get();
        if !SUPPORTED_VERSIONS.contains(&version) {
            return Err(malformed("version is not 4 or 5"));
        }
        if header.att_key_type.get() != ATT_KEY_TYPE_ECDSA_P256 {
            return Err(malformed(
                "attestation key type is not 2 (ECDSA-256 with P-256)",
            ));
        }
        if header.tee_type.get() != TEE_TYPE_TDX {
            return Err(malformed("TEE type is not 0x81 (TDX)"));
        }
        if !all_zero(&header.reserved) {
            return Err(malformed(
                "header bytes 8..12 are reserved and must be zero",
            ));
        }
        let (body_type, body_and_rest, body_start) = if version == 4 {
            (BodyType::Td10, after_header, HEADER_LEN)
        } else {
            let (descriptor, rest) = BodyDescriptor::ref_from_prefix(after_header)
                .map_err(|_| malformed("the v5 body descriptor is truncated"))?;
            let body_type = match descriptor.body_type.get() {
                2 => BodyType::Td10,
                3 => BodyType::Td15,
                1 => {
                    return Err(malformed(
                        "v5 body type 1 is an SGX report, not a TD report",
                    ));
                }
                4 => return Err(malformed("v5 body type 4 (TD1.5 EX) is not supported")),
                _ => return Err(malformed("v5 body type is not 2 or 3")),
            };
            let size = usize::try_from(descriptor.body_size.get()).unwrap_or(usize::MAX);
            if size != body_type.size() {
                return Err(malformed("v5 body size does not match its body type"));
            }
            (body_type, rest, HEADER_LEN + DESCRIPTOR_LEN)
        };
        let (body_bytes, after_body) =
            take(body_and_rest, body_type.size(), "the body is truncated")?;
        let body = TdBody::parse(body_bytes, body_type)?;
        let signed_len = body_start + body_type.size();

        let (sig_len, after_len) = zerocopy::little_endian::U32::read_from_prefix(after_body)
            .map_err(|_| malformed("the signature data length is missing"))?;
        let sig_len = usize::try_from(sig_len.get()).unwrap_or(usize::MAX);
        let (sig_data, trailing) = take(
            after_len,
            sig_len,
            "the signature data length exceeds the quote",
        )?;
        let (sig_head, cert_bytes) = SignatureDataHead::ref_from_prefix(sig_data)
            .map_err(|_| malformed("the signature data is shorter than its 134-byte head"))?;
        let cert_size = usize::try_from(sig_head.cert_size.get()).unwrap_or(usize::MAX);
        if cert_size != cert_bytes.len() {
            return Err(malformed(
                "the certification data size does not fill the signature data exactly",
            ));
        }
        let certification = parse_certification(sig_head.cert_type.get(), cert_bytes)?;
        Ok(Self {
            bytes,
            header,
            body,
            signed_len,
            sig_head,
            certification,
            trailing,
        })
    }

    /// The whole input, trailing bytes included.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The quote without trailing bytes.
    pub fn quote_bytes(&self) -> &'a [u8] {
        let end = self.bytes.len() - self.trailing.len();
        self.bytes.get(..end).unwrap_or(self.bytes)
    }

    /// The bytes the attestation key signs: the header, the v5 descriptor and the body.
    pub fn signed_bytes(&self) -> &'a [u8] {
        self.bytes.get(..self.signed_len).unwrap_or(&[])
    }

    /// The version (4 or 5).
    pub fn version(&self) -> u16 {
        self.header.version.get()
    }

    /// The attestation key type (2).
    pub fn att_key_type(&self) -> u16 {
        self.header.att_key_type.get()
    }

    /// The TEE type (0x81).
    pub fn tee_type(&self) -> u32 {
        self.header.tee_type.get()
    }

    /// The QE vendor ID.
    pub fn qe_vendor_id(&self) -> &'a [u8; 16] {
        &self.header.qe_vendor_id
    }

    /// The header's user data.
    pub fn user_data(&self) -> &'a [u8; 20] {
        &self.header.user_data
    }

    /// The TD body.
    pub fn body(&self) -> &TdBody<'a> {
        &self.body
    }

    /// The quote signature `r || s` (ECDSA P-256, big-endian).
    pub fn signature(&self) -> &'a [u8; 64] {
        &self.sig_head.signature
    }

    /// The attestation public key `X || Y` (big-endian, no SEC1 prefix).
    pub fn attestation_key(&self) -> &'a [u8; 64] {
        &self.sig_head.attestation_key
    }

    /// The certification data.
    pub fn certification(&self) -> &Certification<'a> {
        &self.certification
    }

    /// The type 6 certification data, when the quote has it.
    pub fn qe_report_cert(&self) -> Option<&QeReportCertData<'a>> {
        match &self.certification {
            Certification::QeReport(data) => Some(data),
            Certification::Other(_) => None,
        }
    }

    /// Bytes after the signature data: outside every signature, reported and never parsed.
    pub fn trailing(&self) -> &'a [u8] {
        self.trailing
    }
}

fn parse_certification(kind: u16, data: &[u8]) -> Result<Certification<'_>> {
    let kind = CertDataType::from_u16(kind)
        .ok_or_else(|| malformed("the certification data type is not 1..=7"))?;
    if kind != CertDataType::QeReport {
        return Ok(Certification::Other(CertData { kind, data }));
    }
    let (head, rest) = QeReportCertHead::ref_from_prefix(data)
        .map_err(|_| malformed("the QE report certification data is truncated"))?;
    let qe = &head.qe_report;
    let reserved = or_words(&qe.reserved1)
        | or_words(&qe.reserved2)
        | or_words(&qe.reserved3)
        | or_words(&qe.reserved4);
    if reserved != 0 {
        return Err(malformed("reserved bytes of the QE report must be zero"));
    }
    let auth_len = usize::from(head.qe_auth_data_size.get());
    let (qe_auth_data, rest) = take(rest, auth_len, "the QE authentication data is truncated")?;
    let (inner_head, inner) = CertDataHead::ref_from_prefix(rest)
        .map_err(|_| malformed("the wrapped certification data header is truncated"))?;
    let inner_size = usize::try_from(inner_head.cert_size.get()).unwrap_or(usize::MAX);
    if inner_size != inner.len() {
        return Err(malformed(
            "the wrapped certification data size does not fill type 6 exactly",
        ));
    }
    let inner_kind = CertDataType::from_u16(inner_head.cert_type.get())
        .filter(|k| *k != CertDataType::QeReport)
        .ok_or_else(|| malformed("the wrapped certification data type is not 1..=5 or 7"))?;
    let qe_bytes = data.get(..crate::raw::QE_REPORT_LEN).unwrap_or(&[]);
    Ok(Certification::QeReport(QeReportCertData {
        qe_report: QeReport {
            bytes: qe_bytes,
            raw: qe,
        },
        qe_report_signature: &head.qe_report_signature,
        qe_auth_data,
        inner: CertData {
            kind: inner_kind,
            data: inner,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_inputs_are_refused() {
        for len in [0, 1, 47, 48, 100, 631, 632, 636] {
            let mut bytes = vec![0u8; len];
            if len >= 8 {
                bytes[0] = 4;
                bytes[2] = 2;
                bytes[4] = 0x81;
            }
            assert!(Quote::parse(&bytes).is_err(), "{len}");
        }
    }
}
