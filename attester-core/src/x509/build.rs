//! A small X.509 v3 certificate builder for test PKIs and the mock backend.
//!
//! NOT a CA: it signs whatever it is given with a seeded [`EcdsaSigningKey`] (or, for
//! AMD-shaped roots, an [`RsaSigningKey`] with RSASSA-PSS), and exists so
//! that the mock can issue certificates in the shapes real vendors use (names, validity,
//! vendor extensions) and tests can build chains to break.

use std::str::FromStr;

use der::asn1::{BitString, OctetString, UintRef};
use der::{DateTime, Decode, Encode, Tag, TagNumber};
use time::OffsetDateTime;
use x509_cert::name::Name;
use x509_cert::spki::SubjectPublicKeyInfoRef;
use x509_cert::time::{Time, Validity};

use super::Oid;
use super::oid::BASIC_CONSTRAINTS;
use super::sigalg::{ecdsa_identifier, rsa_pss_identifier_der};
use crate::Error;
use crate::crypto::encoding::{FixedEcdsa, der_sequence, der_tlv};
use crate::crypto::{EcdsaSigningKey, HashAlg, RsaSigningKey};

const WHAT: &str = "certificate template";

/// An extension to write as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawExtension {
    /// The extension's OID.
    pub oid: Oid,
    /// Whether to mark it critical.
    pub critical: bool,
    /// The DER of the extension's value (what goes inside `extnValue`).
    pub value: Vec<u8>,
}

/// The fields of a certificate to sign.
///
/// Names are RFC 4514 strings (`"CN=Mock ARK,O=attester"`) encoded as UTF8String; build the
/// issuer's certificate from the same string and the child's issuer name matches it byte for
/// byte. [`CertificateBuilder::sign_with`] signs with ECDSA and the hash of the signing key's
/// curve (SHA-256 for P-256, SHA-384 for P-384); [`CertificateBuilder::sign_with_rsa_pss`]
/// with RSASSA-PSS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateBuilder {
    /// The serial number, big-endian unsigned, at most 20 bytes.
    pub serial: Vec<u8>,
    /// The subject name.
    pub subject: String,
    /// The issuer name (the subject, for a self-signed root).
    pub issuer: String,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity (inclusive).
    pub not_after: OffsetDateTime,
    /// The subject's DER `SubjectPublicKeyInfo`.
    pub spki_der: Vec<u8>,
    /// When true, a critical basicConstraints `cA: TRUE` is added (without a path length).
    pub is_ca: bool,
    /// Further extensions, written in this order after basicConstraints.
    pub extensions: Vec<RawExtension>,
}

impl CertificateBuilder {
    /// The DER `tbsCertificate` for a signature by `key`.
    ///
    /// # Errors
    /// [`Error::Malformed`] when a field cannot be encoded: a name that is not RFC 4514, a
    /// serial longer than 20 bytes, a time before 1970 or after 9999, an invalid SPKI, or an
    /// extension given twice.
    pub fn tbs_der(&self, key: &EcdsaSigningKey) -> Result<Vec<u8>, Error> {
        let signature = ecdsa_identifier(key.curve().default_hash())
            .to_der()
            .map_err(|e| Error::malformed(WHAT, format!("signature algorithm: {e}")))?;
        self.tbs_with(&signature)
    }

    /// The DER `tbsCertificate` naming the signature algorithm `signature` (a DER
    /// `AlgorithmIdentifier`).
    fn tbs_with(&self, signature: &[u8]) -> Result<Vec<u8>, Error> {
        let bad = |field: &str, e: der::Error| Error::malformed(WHAT, format!("{field}: {e}"));
        let version = der_tlv(context(0), &[&2u8.to_der().map_err(|e| bad("version", e))?])
            .map_err(|e| bad("version", e))?;
        let serial = encode_serial(&self.serial)?;
        let issuer = encode_name(&self.issuer).map_err(|e| bad("issuer", e))?;
        let validity = Validity::<x509_cert::certificate::Rfc5280>::new(
            to_time(self.not_before)?,
            to_time(self.not_after)?,
        )
        .to_der()
        .map_err(|e| bad("validity", e))?;
        let subject = encode_name(&self.subject).map_err(|e| bad("subject", e))?;
        SubjectPublicKeyInfoRef::from_der(&self.spki_der)
            .map_err(|e| bad("subjectPublicKeyInfo", e))?;
        let extensions = self.encode_extensions()?;

        let mut parts: Vec<&[u8]> = vec![
            &version,
            &serial,
            signature,
            &issuer,
            &validity,
            &subject,
            &self.spki_der,
        ];
        if let Some(extensions) = &extensions {
            parts.push(extensions);
        }
        der_sequence(&parts).map_err(|e| bad("tbsCertificate", e))
    }

    /// Signs the certificate with `key` and returns its DER.
    ///
    /// # Errors
    /// As [`CertificateBuilder::tbs_der`], and [`Error::Crypto`] when signing fails.
    pub fn sign_with(&self, key: &EcdsaSigningKey) -> Result<Vec<u8>, Error> {
        let bad = |field: &str, e: der::Error| Error::malformed(WHAT, format!("{field}: {e}"));
        let tbs = self.tbs_der(key)?;
        let curve = key.curve();
        let fixed = key.sign(&tbs)?;
        let signature = FixedEcdsa::from_fixed(curve, &fixed)?
            .to_der(curve)
            .map_err(|e| bad("signature", e))?;
        let signature = BitString::from_bytes(&signature)
            .and_then(|bits| bits.to_der())
            .map_err(|e| bad("signature", e))?;
        let algorithm = ecdsa_identifier(curve.default_hash())
            .to_der()
            .map_err(|e| bad("signature algorithm", e))?;
        der_sequence(&[&tbs, &algorithm, &signature]).map_err(|e| bad("certificate", e))
    }

    /// Signs the certificate with the RSA `key` using RSASSA-PSS with `hash`, MGF1-`hash` and
    /// a salt of the hash's length (AMD's ARK and ASK use SHA-384 and 48 bytes), and returns
    /// its DER. Both `signature` fields name `id-RSASSA-PSS` with explicit parameters.
    ///
    /// # Errors
    /// As [`CertificateBuilder::tbs_der`], and [`Error::Crypto`] when signing fails.
    pub fn sign_with_rsa_pss(&self, key: &RsaSigningKey, hash: HashAlg) -> Result<Vec<u8>, Error> {
        let bad = |field: &str, e: der::Error| Error::malformed(WHAT, format!("{field}: {e}"));
        let algorithm = rsa_pss_identifier_der(hash).map_err(|e| bad("signature algorithm", e))?;
        let tbs = self.tbs_with(&algorithm)?;
        let signature = key.sign_pss(hash, &tbs)?;
        let signature = BitString::from_bytes(&signature)
            .and_then(|bits| bits.to_der())
            .map_err(|e| bad("signature", e))?;
        der_sequence(&[&tbs, &algorithm, &signature]).map_err(|e| bad("certificate", e))
    }

    fn encode_extensions(&self) -> Result<Option<Vec<u8>>, Error> {
        let bad = |e: der::Error| Error::malformed(WHAT, format!("extensions: {e}"));
        let mut extensions = Vec::new();
        if self.is_ca {
            let value = x509_cert::ext::pkix::BasicConstraints {
                ca: true,
                path_len_constraint: None,
            }
            .to_der()
            .map_err(bad)?;
            extensions.push((BASIC_CONSTRAINTS, true, value));
        }
        for ext in &self.extensions {
            extensions.push((ext.oid, ext.critical, ext.value.clone()));
        }
        for (i, (oid, ..)) in extensions.iter().enumerate() {
            if extensions
                .iter()
                .skip(i + 1)
                .any(|(other, ..)| other == oid)
            {
                return Err(Error::malformed(
                    WHAT,
                    format!("extension {oid} given twice"),
                ));
            }
        }
        if extensions.is_empty() {
            return Ok(None);
        }
        let encoded = extensions
            .into_iter()
            .map(|(extn_id, critical, value)| {
                Ok(x509_cert::ext::Extension {
                    extn_id,
                    critical,
                    extn_value: OctetString::new(value)?,
                })
            })
            .collect::<der::Result<Vec<_>>>()
            .and_then(|list| list.to_der())
            .map_err(bad)?;
        der_tlv(context(3), &[&encoded]).map(Some).map_err(bad)
    }
}

/// An explicit context-specific tag `[n]`.
fn context(n: u32) -> Tag {
    Tag::ContextSpecific {
        constructed: true,
        number: TagNumber(n),
    }
}

fn encode_serial(serial: &[u8]) -> Result<Vec<u8>, Error> {
    let bad = |e: der::Error| Error::malformed(WHAT, format!("serial: {e}"));
    let value = crate::crypto::encoding::strip_leading_zeros(serial);
    // RFC 5280 4.1.2.2: a positive integer; zero is common in the field but not allowed.
    if value.is_empty() {
        return Err(Error::malformed(WHAT, "serial: must be positive"));
    }
    let encoded = UintRef::new(value).and_then(|v| v.to_der()).map_err(bad)?;
    // Tag, one length byte, at most 20 content bytes (RFC 5280 4.1.2.2).
    if encoded.len() > 22 {
        return Err(Error::malformed(WHAT, "serial: longer than 20 bytes"));
    }
    Ok(encoded)
}

fn encode_name(name: &str) -> der::Result<Vec<u8>> {
    Name::from_str(name)?.to_der()
}

/// UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 4.1.2.5).
fn to_time(at: OffsetDateTime) -> Result<Time, Error> {
    let secs = u64::try_from(at.unix_timestamp())
        .map_err(|_| Error::malformed(WHAT, "validity: time before 1970"))?;
    let datetime = DateTime::from_unix_duration(std::time::Duration::from_secs(secs))
        .map_err(|e| Error::malformed(WHAT, format!("validity: {e}")))?;
    Ok(Time::from(datetime))
}
