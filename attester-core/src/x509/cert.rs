//! One certificate: its original DER, the byte ranges signatures cover, and the parsed fields.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use der::{Decode, Header, Reader, SliceReader, Tag, TagNumber};
use time::OffsetDateTime;
use x509_cert::ext::pkix::KeyUsage;

use super::name::rfc4514;
use super::pem::pem_blocks;
use super::sigalg::CertSignatureAlg;
use super::{Oid, oid};
use crate::Error;
use crate::crypto::{HashAlg, PublicKey, digest};

const WHAT: &str = "X.509 certificate";

/// A parsed X.509 certificate that owns its DER.
///
/// Parsing is strict DER (through `x509-cert`); the `tbsCertificate` bytes that signatures
/// cover are sliced out of the original input, so a signature is never checked over a
/// re-encoding. Cloning is cheap: the parsed certificate is shared.
#[derive(Clone)]
pub struct Certificate {
    inner: Arc<Parsed>,
}

/// What [`Certificate`] shares between its clones.
struct Parsed {
    der: Vec<u8>,
    tbs: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
    parsed: x509_cert::Certificate,
    signature_alg: CertSignatureAlg,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
    basic_constraints: Option<BasicConstraints>,
    key_cert_sign: Option<bool>,
    /// The RFC 4514 renderings, made on first use.
    subject_text: OnceLock<String>,
    issuer_text: OnceLock<String>,
}

/// The basicConstraints extension (RFC 5280 4.2.1.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BasicConstraints {
    /// Whether the subject is a CA.
    pub ca: bool,
    /// The most non-self-issued intermediate certificates that may follow this one.
    pub path_len: Option<u8>,
}

/// One extension of a certificate, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Extension<'a> {
    /// The extension's OID.
    pub oid: Oid,
    /// Whether the extension is marked critical.
    pub critical: bool,
    /// The `extnValue` contents: the DER of the extension's own type.
    pub value: &'a [u8],
}

impl Certificate {
    /// Parses one DER certificate; nothing may follow it.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the bytes are not a DER certificate, when an extension appears
    /// twice, when basicConstraints or keyUsage do not decode, or when a validity time is not
    /// representable.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let malformed = |reason: String| Error::malformed(WHAT, reason);
        let parsed = x509_cert::Certificate::from_der(der).map_err(|e| malformed(e.to_string()))?;
        let layout = Layout::locate(der).map_err(|e| malformed(e.to_string()))?;
        let tbs = parsed.tbs_certificate();

        let mut seen = HashSet::new();
        for ext in tbs.extensions().map(Vec::as_slice).unwrap_or(&[]) {
            if !seen.insert(ext.extn_id) {
                return Err(malformed(format!(
                    "extension {} appears twice",
                    ext.extn_id
                )));
            }
        }
        let basic_constraints = tbs
            .get_extension::<x509_cert::ext::pkix::BasicConstraints>()
            .map_err(|e| malformed(format!("basicConstraints: {e}")))?
            .map(|(_, bc)| BasicConstraints {
                ca: bc.ca,
                path_len: bc.path_len_constraint,
            });
        let key_cert_sign = tbs
            .get_extension::<KeyUsage>()
            .map_err(|e| malformed(format!("keyUsage: {e}")))?
            .map(|(_, usage)| usage.key_cert_sign());

        let not_before = to_offset_date_time(tbs.validity().not_before)?;
        let not_after = to_offset_date_time(tbs.validity().not_after)?;
        if parsed.signature().as_bytes().is_none() {
            return Err(malformed("signature BIT STRING has unused bits".into()));
        }
        let signature_alg = CertSignatureAlg::from_identifier(parsed.signature_algorithm());
        Ok(Self {
            inner: Arc::new(Parsed {
                der: der.to_vec(),
                tbs: layout.tbs,
                issuer: layout.issuer,
                subject: layout.subject,
                spki: layout.spki,
                parsed,
                signature_alg,
                not_before,
                not_after,
                basic_constraints,
                key_cert_sign,
                subject_text: OnceLock::new(),
                issuer_text: OnceLock::new(),
            }),
        })
    }

    /// Parses a PEM input holding exactly one `CERTIFICATE` block (text around it is ignored).
    ///
    /// # Errors
    /// [`Error::Malformed`] when there is not exactly one PEM block, it is not a certificate,
    /// or its contents do not parse as [`Certificate::from_der`].
    pub fn from_pem(pem: &[u8]) -> Result<Self, Error> {
        let mut blocks = pem_blocks(pem)?.into_iter();
        match (blocks.next(), blocks.next()) {
            (Some(block), None) if block.label == "CERTIFICATE" => Self::from_der(&block.der),
            (Some(block), None) => Err(Error::malformed(
                "PEM",
                format!("expected a CERTIFICATE block, found {}", block.label),
            )),
            (None, _) => Err(Error::malformed("PEM", "no PEM block")),
            (Some(_), Some(_)) => Err(Error::malformed("PEM", "more than one PEM block")),
        }
    }

    /// The whole certificate, as given.
    pub fn der(&self) -> &[u8] {
        &self.inner.der
    }

    /// The original `tbsCertificate` bytes (tag and length included): what the issuer signed.
    pub fn tbs_der(&self) -> &[u8] {
        self.slice(&self.inner.tbs)
    }

    /// The subject's DER `Name`.
    pub fn subject_der(&self) -> &[u8] {
        self.slice(&self.inner.subject)
    }

    /// The issuer's DER `Name`.
    pub fn issuer_der(&self) -> &[u8] {
        self.slice(&self.inner.issuer)
    }

    /// The subject as an RFC 4514 string (`CN=…,O=…`).
    pub fn subject(&self) -> String {
        self.inner
            .subject_text
            .get_or_init(|| rfc4514(self.inner.parsed.tbs_certificate().subject()))
            .clone()
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> String {
        self.inner
            .issuer_text
            .get_or_init(|| rfc4514(self.inner.parsed.tbs_certificate().issuer()))
            .clone()
    }

    /// The serial number's INTEGER contents (big-endian two's complement, as encoded).
    pub fn serial(&self) -> &[u8] {
        self.inner
            .parsed
            .tbs_certificate()
            .serial_number()
            .as_bytes()
    }

    /// The start of the validity period.
    pub fn not_before(&self) -> OffsetDateTime {
        self.inner.not_before
    }

    /// The end of the validity period (inclusive, RFC 5280 4.1.2.5).
    pub fn not_after(&self) -> OffsetDateTime {
        self.inner.not_after
    }

    /// The subject's DER `SubjectPublicKeyInfo`, as in the certificate.
    pub fn spki_der(&self) -> &[u8] {
        self.slice(&self.inner.spki)
    }

    /// The subject's public key, for the crypto seam.
    pub fn public_key(&self) -> PublicKey<'_> {
        PublicKey::Spki(self.spki_der())
    }

    /// The signature algorithm the certificate names (outer `signatureAlgorithm`).
    pub fn signature_alg(&self) -> CertSignatureAlg {
        self.inner.signature_alg
    }

    /// Whether the outer `signatureAlgorithm` equals the one inside the signed part, as RFC 5280
    /// 4.1.1.2 requires.
    pub fn signature_alg_consistent(&self) -> bool {
        self.inner.parsed.signature_algorithm() == self.inner.parsed.tbs_certificate().signature()
    }

    /// The signature value (for ECDSA a DER `ECDSA-Sig-Value`, for RSA the modulus-length
    /// signature).
    pub fn signature_value(&self) -> &[u8] {
        self.inner.parsed.signature().raw_bytes()
    }

    /// The extension with `oid`, if present.
    pub fn extension(&self, oid: &Oid) -> Option<Extension<'_>> {
        self.extensions().find(|ext| ext.oid == *oid)
    }

    /// All extensions, in certificate order.
    pub fn extensions(&self) -> impl Iterator<Item = Extension<'_>> + '_ {
        self.inner
            .parsed
            .tbs_certificate()
            .extensions()
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|ext| Extension {
                oid: ext.extn_id,
                critical: ext.critical,
                value: ext.extn_value.as_bytes(),
            })
    }

    /// The basicConstraints extension, if present.
    pub fn basic_constraints(&self) -> Option<BasicConstraints> {
        self.inner.basic_constraints
    }

    /// Whether keyUsage allows signing certificates: `None` when the extension is absent.
    pub fn key_usage_cert_sign(&self) -> Option<bool> {
        self.inner.key_cert_sign
    }

    /// Whether issuer and subject names are the same (a root or a self-issued intermediate).
    pub fn is_self_issued(&self) -> bool {
        self.issuer_der() == self.subject_der()
    }

    /// SHA-256 of the DER (the common certificate fingerprint), computed on each call: few
    /// certificates are ever asked for it, and hashing each one at parse cost more than the
    /// rest of the parse.
    pub fn fingerprint_sha256(&self) -> [u8; 32] {
        sha256(&self.inner.der)
    }

    /// The extensions marked critical that this crate's chain checks neither process nor may
    /// safely ignore for attestation chains; RFC 5280 4.2 requires rejecting such a certificate.
    pub(crate) fn unhandled_critical_extension(&self) -> Option<Oid> {
        const HANDLED: [Oid; 6] = [
            oid::BASIC_CONSTRAINTS,
            oid::KEY_USAGE,
            // The leaf's purpose is the platform verifier's business, not the chain's.
            oid::EXT_KEY_USAGE,
            // TCG EK/AK certificates mark these critical when the subject name is empty.
            oid::SUBJECT_ALT_NAME,
            oid::SUBJECT_DIRECTORY_ATTRIBUTES,
            oid::SUBJECT_KEY_IDENTIFIER,
        ];
        self.extensions()
            .find(|ext| ext.critical && !HANDLED.contains(&ext.oid))
            .map(|ext| ext.oid)
    }

    fn slice(&self, range: &Range<usize>) -> &[u8] {
        self.inner.der.get(range.clone()).unwrap_or(&[])
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .field("issuer", &self.issuer())
            .field("serial", &hex::encode(self.serial()))
            .field(
                "fingerprint_sha256",
                &hex::encode(self.fingerprint_sha256()),
            )
            .finish_non_exhaustive()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.inner.der == other.inner.der
    }
}

impl Eq for Certificate {}

/// Where the signed parts sit in the original DER.
struct Layout {
    tbs: Range<usize>,
    issuer: Range<usize>,
    subject: Range<usize>,
    spki: Range<usize>,
}

impl Layout {
    /// Walks the TLVs of `Certificate` and `TBSCertificate` (RFC 5280 4.1) without decoding
    /// their values; `x509-cert` has already checked them.
    fn locate(der: &[u8]) -> der::Result<Self> {
        let mut outer = SliceReader::new(der)?;
        Header::decode(&mut outer)?.tag().assert_eq(Tag::Sequence)?;
        let tbs_start = offset(&outer)?;
        let tbs_der = outer.tlv_bytes()?;
        let tbs = tbs_start..tbs_start + tbs_der.len();

        let mut r = SliceReader::new(tbs_der)?;
        Header::decode(&mut r)?.tag().assert_eq(Tag::Sequence)?;
        let version = Tag::ContextSpecific {
            constructed: true,
            number: TagNumber(0),
        };
        if Tag::peek(&r)? == version {
            r.tlv_bytes()?;
        }
        r.tlv_bytes()?; // serialNumber
        r.tlv_bytes()?; // signature
        let issuer = element(&mut r, tbs_start)?;
        r.tlv_bytes()?; // validity
        let subject = element(&mut r, tbs_start)?;
        let spki = element(&mut r, tbs_start)?;
        Ok(Self {
            tbs,
            issuer,
            subject,
            spki,
        })
    }
}

fn offset(reader: &SliceReader<'_>) -> der::Result<usize> {
    usize::try_from(reader.position()).map_err(|_| der::ErrorKind::Overflow.into())
}

/// The range of the next TLV, shifted by `base`.
fn element(reader: &mut SliceReader<'_>, base: usize) -> der::Result<Range<usize>> {
    let start = base + offset(reader)?;
    let len = reader.tlv_bytes()?.len();
    Ok(start..start + len)
}

fn to_offset_date_time(time: x509_cert::time::Time) -> Result<OffsetDateTime, Error> {
    let secs = i64::try_from(time.to_unix_duration().as_secs())
        .map_err(|_| Error::malformed(WHAT, "validity time out of range"))?;
    OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|_| Error::malformed(WHAT, "validity time out of range"))
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    // SHA-256 gives exactly 32 bytes, so the zip fills all of `out`.
    for (o, b) in out
        .iter_mut()
        .zip(digest(HashAlg::Sha256, bytes).as_bytes())
    {
        *o = *b;
    }
    out
}
