//! NOT SECURE: `mock-tdx`, real-format Intel TDX DCAP quotes from a seeded PKI:
//! root CA → PCK Platform CA → PCK leaf (with Intel's SGX extension: PPID, TCB, PCE-ID, FMSPC,
//! SGX type) → QE report → attestation key → quote.
//!
//! Quotes are version 4 (TD1.0 body) or version 5 (TD1.5 body, body type 3) with the
//! challenge in REPORTDATA; the QE report's REPORTDATA commits to the attestation key and the QE
//! authentication data exactly as Intel's quoting enclave does, so `attester_tdx::verify`
//! checks them as it checks Intel's. Names carry "MOCK NOT SECURE" so a mock certificate can
//! never be mistaken for Intel's, and the root is not Intel's, so mock quotes verify only when
//! a verifier is told to trust it.

use attester_core::crypto::{self, Curve, EcdsaSigningKey, HashAlg};
use attester_core::x509::build::{CertificateBuilder, RawExtension};
use attester_core::x509::{Certificate, oid};
use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Error, Evidence, Item, Platform, Result,
    media_types,
};
use base64::Engine;
use time::macros::datetime;

use crate::pki::DEFAULT_SEED;

/// The image whose SHA-384 is the mock MRTD.
pub const DEFAULT_IMAGE: &[u8] = b"attester mock-tdx image v1";

/// The FMSPC the mock PCK certifies.
pub const FMSPC: [u8; 6] = [0x00, 0x90, 0x6e, 0xd5, 0x00, 0x00];

/// TEE_TCB_SVN of mock quotes: module SVN 3, major version 1, late microcode 2.
pub const TEE_TCB_SVN: [u8; 16] = [3, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// The QE authentication data the mock QE uses (as Intel's: bytes 0..32).
const QE_AUTH_DATA: [u8; 32] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
    26, 27, 28, 29, 30, 31,
];

const NAME_TAIL: &str = "O=Intel Corporation (MOCK NOT SECURE),L=Santa Clara,ST=CA,C=US";

/// The quote version and body layout of mock quotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuoteShape {
    /// Version 4, TD1.0 body (584 bytes).
    V4,
    /// Version 5, body type 3, TD1.5 body (648 bytes).
    V5,
}

/// The seeded Intel-shaped PKI and the TD of a mock TDX guest.
pub struct MockTdx {
    root_certificate: Vec<u8>,
    ca_certificate: Vec<u8>,
    pck_certificate: Vec<u8>,
    pck_key: EcdsaSigningKey,
    attestation_key: EcdsaSigningKey,
    shape: QuoteShape,
    debug: bool,
    mr_td: [u8; 48],
    rtmrs: [[u8; 48]; 4],
}

impl std::fmt::Debug for MockTdx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockTdx")
            .field("shape", &self.shape)
            .field("debug", &self.debug)
            .finish_non_exhaustive()
    }
}

impl MockTdx {
    /// The mock of `seed`, emitting version 4 quotes.
    ///
    /// # Errors
    /// Only if key derivation or certificate encoding fails (not expected).
    pub fn from_seed(seed: [u8; 32]) -> Result<Self> {
        let root_key = EcdsaSigningKey::from_seed(Curve::P256, &seed, b"mock tdx root")?;
        let ca_key = EcdsaSigningKey::from_seed(Curve::P256, &seed, b"mock tdx pck ca")?;
        let pck_key = EcdsaSigningKey::from_seed(Curve::P256, &seed, b"mock tdx pck")?;
        let attestation_key =
            EcdsaSigningKey::from_seed(Curve::P256, &seed, b"mock tdx attestation key")?;
        let root_name = format!("CN=Intel SGX Root CA MOCK NOT SECURE,{NAME_TAIL}");
        let ca_name = format!("CN=Intel SGX PCK Platform CA MOCK NOT SECURE,{NAME_TAIL}");
        let root_certificate = ca(1, &root_name, &root_name, &root_key)?.sign_with(&root_key)?;
        let ca_certificate = ca(2, &ca_name, &root_name, &ca_key)?.sign_with(&root_key)?;
        let pck_certificate = CertificateBuilder {
            serial: crypto::digest_parts(HashAlg::Sha256, &[b"mock tdx pck serial", &seed])
                .as_bytes()
                .get(..16)
                .unwrap_or(&[1])
                .to_vec(),
            subject: format!("CN=Intel SGX PCK Certificate MOCK NOT SECURE,{NAME_TAIL}"),
            issuer: ca_name,
            not_before: datetime!(2025-01-01 0:00 UTC),
            not_after: datetime!(9999-12-31 23:59:59 UTC),
            spki_der: pck_key.spki_der()?,
            is_ca: false,
            extensions: vec![
                RawExtension {
                    oid: oid::KEY_USAGE,
                    critical: true,
                    value: vec![0x03, 0x02, 0x06, 0xc0],
                },
                RawExtension {
                    oid: attester_core::x509::Oid::new_unwrap("1.2.840.113741.1.13.1"),
                    critical: false,
                    value: sgx_extension(&seed),
                },
            ],
        }
        .sign_with(&ca_key)?;
        Ok(Self {
            root_certificate,
            ca_certificate,
            pck_certificate,
            pck_key,
            attestation_key,
            shape: QuoteShape::V4,
            debug: false,
            mr_td: sha384(DEFAULT_IMAGE),
            rtmrs: [
                sha384(b"mock rtmr0"),
                sha384(b"mock rtmr1"),
                sha384(b"mock rtmr2"),
                [0; 48],
            ],
        })
    }

    /// The mock of [`DEFAULT_SEED`] (what `--allow-mock` trusts).
    ///
    /// # Errors
    /// As [`MockTdx::from_seed`].
    pub fn from_default_seed() -> Result<Self> {
        Self::from_seed(DEFAULT_SEED)
    }

    /// Emits quotes of `shape`.
    #[must_use]
    pub fn with_shape(mut self, shape: QuoteShape) -> Self {
        self.shape = shape;
        self
    }

    /// Sets TD_ATTRIBUTES.DEBUG (which the default policy rejects).
    #[must_use]
    pub fn with_debug(mut self, debug: bool) -> Self {
        self.debug = debug;
        self
    }

    /// Reports `mr_td` as MRTD.
    #[must_use]
    pub fn with_mr_td(mut self, mr_td: [u8; 48]) -> Self {
        self.mr_td = mr_td;
        self
    }

    /// The mock root certificate (DER): what a verifier must trust to accept mock quotes.
    pub fn root_certificate_der(&self) -> &[u8] {
        &self.root_certificate
    }

    /// The PCK chain as the quote carries it: PEM leaf, CA, root, then a NUL.
    pub fn pck_chain_pem(&self) -> Vec<u8> {
        let mut pem = Vec::new();
        for der in [
            &self.pck_certificate,
            &self.ca_certificate,
            &self.root_certificate,
        ] {
            pem.extend_from_slice(b"-----BEGIN CERTIFICATE-----\n");
            let text = base64::engine::general_purpose::STANDARD.encode(der);
            for line in text.as_bytes().chunks(64) {
                pem.extend_from_slice(line);
                pem.push(b'\n');
            }
            pem.extend_from_slice(b"-----END CERTIFICATE-----\n");
        }
        pem.push(0);
        pem
    }

    /// A signed quote with `report_data`.
    ///
    /// # Errors
    /// Only if signing fails (not expected).
    pub fn quote(&self, report_data: &[u8; 64]) -> Result<Vec<u8>> {
        let mut q = Vec::with_capacity(5100);
        q.extend_from_slice(
            &(if self.shape == QuoteShape::V4 {
                4u16
            } else {
                5
            })
            .to_le_bytes(),
        );
        q.extend_from_slice(&2u16.to_le_bytes());
        q.extend_from_slice(&0x81u32.to_le_bytes());
        q.extend_from_slice(&[0; 4]);
        q.extend_from_slice(&attester_tdx::INTEL_QE_VENDOR_ID);
        q.extend_from_slice(&[0x4d; 16]);
        q.extend_from_slice(&[0; 4]);
        if self.shape == QuoteShape::V5 {
            q.extend_from_slice(&3u16.to_le_bytes());
            q.extend_from_slice(&648u32.to_le_bytes());
        }
        self.push_body(&mut q, report_data);
        let signature = self.attestation_key.sign(&q)?;
        let cert_data = self.qe_cert_data()?;
        let sig_len = 134 + cert_data.len();
        q.extend_from_slice(&u32_le(sig_len)?);
        q.extend_from_slice(&signature);
        q.extend_from_slice(self.attestation_key.public_sec1().get(1..).unwrap_or(&[]));
        q.extend_from_slice(&6u16.to_le_bytes());
        q.extend_from_slice(&u32_le(cert_data.len())?);
        q.extend_from_slice(&cert_data);
        Ok(q)
    }

    fn push_body(&self, q: &mut Vec<u8>, report_data: &[u8; 64]) {
        let td_attributes: u64 = (1 << 28) | u64::from(self.debug);
        q.extend_from_slice(&TEE_TCB_SVN);
        q.extend_from_slice(&sha384(b"mock tdx module"));
        q.extend_from_slice(&[0; 48]);
        q.extend_from_slice(&0u64.to_le_bytes());
        q.extend_from_slice(&td_attributes.to_le_bytes());
        q.extend_from_slice(&0x0006_02e7u64.to_le_bytes());
        q.extend_from_slice(&self.mr_td);
        q.extend_from_slice(&[0; 48 * 3]);
        for rtmr in &self.rtmrs {
            q.extend_from_slice(rtmr);
        }
        q.extend_from_slice(report_data);
        if self.shape == QuoteShape::V5 {
            q.extend_from_slice(&TEE_TCB_SVN);
            q.extend_from_slice(&[0; 48]);
        }
    }

    /// Certification data type 6: QE report, its signature by the PCK key, authentication
    /// data, and the PEM chain as type 5.
    fn qe_cert_data(&self) -> Result<Vec<u8>> {
        let mut qe = vec![0u8; 384];
        let commitment = crypto::digest_parts(
            HashAlg::Sha256,
            &[
                self.attestation_key.public_sec1().get(1..).unwrap_or(&[]),
                &QE_AUTH_DATA,
            ],
        );
        let attributes: [u8; 16] = [0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0];
        let fields: [(usize, &[u8]); 7] = [
            (0, &[0x0b; 16]),
            (48, &attributes),
            (64, &sha256(b"mock tdx quoting enclave")),
            (128, &sha256(b"mock tdx qe signer")),
            (256, &2u16.to_le_bytes()),
            (258, &8u16.to_le_bytes()),
            (320, commitment.as_bytes()),
        ];
        for (offset, bytes) in fields {
            qe.get_mut(offset..offset + bytes.len())
                .ok_or_else(|| Error::malformed("mock TDX QE report", "field outside it"))?
                .copy_from_slice(bytes);
        }
        let qe_signature = self.pck_key.sign(&qe)?;
        let pem = self.pck_chain_pem();
        let mut out = qe;
        out.extend_from_slice(&qe_signature);
        out.extend_from_slice(&32u16.to_le_bytes());
        out.extend_from_slice(&QE_AUTH_DATA);
        out.extend_from_slice(&5u16.to_le_bytes());
        out.extend_from_slice(&u32_le(pem.len())?);
        out.extend_from_slice(&pem);
        Ok(out)
    }
}

fn u32_le(len: usize) -> Result<[u8; 4]> {
    u32::try_from(len)
        .map(u32::to_le_bytes)
        .map_err(|_| Error::malformed("mock TDX quote", "too long"))
}

fn sha384(data: &[u8]) -> [u8; 48] {
    let mut out = [0u8; 48];
    out.copy_from_slice(crypto::digest(HashAlg::Sha384, data).as_bytes());
    out
}

fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(crypto::digest(HashAlg::Sha256, data).as_bytes());
    out
}

fn ca(
    serial: u8,
    subject: &str,
    issuer: &str,
    key: &EcdsaSigningKey,
) -> Result<CertificateBuilder> {
    Ok(CertificateBuilder {
        serial: vec![serial],
        subject: subject.to_owned(),
        issuer: issuer.to_owned(),
        not_before: datetime!(2025-01-01 0:00 UTC),
        not_after: datetime!(9999-12-31 23:59:59 UTC),
        spki_der: key.spki_der()?,
        is_ca: true,
        extensions: vec![RawExtension {
            oid: oid::KEY_USAGE,
            critical: true,
            value: vec![0x03, 0x02, 0x01, 0x06],
        }],
    })
}

/// A DER TLV.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// An entry `SEQUENCE { OID 1.2.840.113741.1.13.1.<arcs>, value }`.
fn entry(arcs: &[u8], value: Vec<u8>) -> Vec<u8> {
    let mut oid = vec![0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01];
    oid.extend_from_slice(arcs);
    let mut content = der(0x06, &oid);
    content.extend_from_slice(&value);
    der(0x30, &content)
}

/// The SGX extension of the mock PCK: PPID, TCB (components 2, PCESVN 11, CPUSVN),
/// PCE-ID 0000, FMSPC [`FMSPC`], SGX type 0.
fn sgx_extension(seed: &[u8; 32]) -> Vec<u8> {
    let ppid = crypto::digest_parts(HashAlg::Sha256, &[b"mock tdx ppid", seed]);
    let mut tcb = Vec::new();
    for arc in 1..=16u8 {
        tcb.extend(entry(&[2, arc], der(0x02, &[2])));
    }
    tcb.extend(entry(&[2, 17], der(0x02, &[11])));
    tcb.extend(entry(&[2, 18], der(0x04, &[2; 16])));
    let mut content = entry(&[1], der(0x04, ppid.as_bytes().get(..16).unwrap_or(&[])));
    content.extend(entry(&[2], der(0x30, &tcb)));
    content.extend(entry(&[3], der(0x04, &[0, 0])));
    content.extend(entry(&[4], der(0x04, &FMSPC)));
    content.extend(entry(&[5], der(0x0a, &[0])));
    der(0x30, &content)
}

/// NOT SECURE: the `mock-tdx` attester, real TDX quotes from the seeded mock PKI.
#[derive(Debug)]
pub struct MockTdxAttester {
    tdx: MockTdx,
}

impl MockTdxAttester {
    /// An attester signing with `tdx`.
    pub fn new(tdx: MockTdx) -> Self {
        Self { tdx }
    }

    /// The mock behind the attester.
    pub fn mock(&self) -> &MockTdx {
        &self.tdx
    }
}

impl Attester for MockTdxAttester {
    fn platform(&self) -> Platform {
        Platform::Tdx
    }

    fn capabilities(&self) -> Capabilities {
        attester_tdx::capabilities()
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        let caps = attester_tdx::capabilities();
        let field = caps.field_value(challenge)?;
        let mut report_data = [0u8; 64];
        report_data.copy_from_slice(field.as_bytes());
        Ok(Evidence {
            platform: Platform::Tdx,
            challenge: *challenge,
            binding: BindingMode::Raw,
            fill: caps.fill,
            body: Item::new(media_types::TDX_QUOTE, self.tdx.quote(&report_data)?),
            endorsements: Vec::new(),
            event_logs: Vec::new(),
        })
    }
}

/// The mock root of the default seed, parsed once per process: what `--allow-mock` adds to
/// the trusted TDX roots.
///
/// # Errors
/// Only if the mock cannot be built (not expected).
pub fn default_root() -> Result<&'static Certificate> {
    static ROOT: std::sync::OnceLock<Certificate> = std::sync::OnceLock::new();
    if let Some(root) = ROOT.get() {
        return Ok(root);
    }
    let mock = MockTdx::from_default_seed()?;
    let root = Certificate::from_der(mock.root_certificate_der())?;
    Ok(ROOT.get_or_init(|| root))
}
