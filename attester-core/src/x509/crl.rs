//! Certificate revocation lists (RFC 5280 §5): parsed strictly, signatures checked over the
//! original `tbsCertList` bytes, revoked serials looked up as encoded.

use der::{Decode, Header, Reader, SliceReader, Tag};
use time::OffsetDateTime;

use super::{CertSignatureAlg, Certificate};
use crate::crypto::{Provider, PublicKey, Signature, SignatureAlg};
use crate::{Check, CheckFailed, Error};

const WHAT: &str = "X.509 CRL";

/// A parsed CRL that owns its DER.
#[derive(Clone)]
pub struct Crl {
    der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    parsed: x509_cert::crl::CertificateList,
    this_update: OffsetDateTime,
    next_update: Option<OffsetDateTime>,
}

impl std::fmt::Debug for Crl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &self.issuer())
            .field("revoked", &self.revoked_count())
            .finish_non_exhaustive()
    }
}

fn to_time(time: x509_cert::time::Time) -> Result<OffsetDateTime, Error> {
    let secs = i64::try_from(time.to_unix_duration().as_secs())
        .map_err(|_| Error::malformed(WHAT, "time out of range"))?;
    OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|_| Error::malformed(WHAT, "time out of range"))
}

impl Crl {
    /// Parses one DER CRL; nothing may follow it.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the bytes are not a DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let malformed = |reason: String| Error::malformed(WHAT, reason);
        let parsed =
            x509_cert::crl::CertificateList::from_der(der).map_err(|e| malformed(e.to_string()))?;
        let tbs = locate_tbs(der).map_err(|e| malformed(e.to_string()))?;
        if parsed.signature.as_bytes().is_none() {
            return Err(malformed("signature BIT STRING has unused bits".into()));
        }
        let this_update = to_time(parsed.tbs_cert_list.this_update)?;
        let next_update = parsed.tbs_cert_list.next_update.map(to_time).transpose()?;
        Ok(Self {
            der: der.to_vec(),
            tbs,
            parsed,
            this_update,
            next_update,
        })
    }

    /// The whole CRL, as given.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The original `tbsCertList` bytes: what the issuer signed.
    pub fn tbs_der(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or(&[])
    }

    /// The issuer as an RFC 4514 string.
    pub fn issuer(&self) -> String {
        self.parsed.tbs_cert_list.issuer.to_string()
    }

    /// Whether `cert`'s subject is this CRL's issuer (names compared as parsed).
    pub fn issued_by(&self, cert: &Certificate) -> bool {
        der::Encode::to_der(&self.parsed.tbs_cert_list.issuer)
            .is_ok_and(|issuer| issuer == cert.subject_der())
    }

    /// thisUpdate.
    pub fn this_update(&self) -> OffsetDateTime {
        self.this_update
    }

    /// nextUpdate, when present.
    pub fn next_update(&self) -> Option<OffsetDateTime> {
        self.next_update
    }

    /// How many certificates are revoked.
    pub fn revoked_count(&self) -> usize {
        self.parsed
            .tbs_cert_list
            .revoked_certificates
            .as_ref()
            .map_or(0, Vec::len)
    }

    /// Whether the serial (INTEGER contents as encoded, [`Certificate::serial`]) is revoked.
    pub fn is_revoked(&self, serial: &[u8]) -> bool {
        self.parsed
            .tbs_cert_list
            .revoked_certificates
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .any(|r| r.serial_number.as_bytes() == serial)
    }

    /// Checks the CRL's signature with `issuer`'s key and that `issuer` is named as its issuer.
    ///
    /// # Errors
    /// [`Check::Chain`] when the names differ, the algorithm does not fit the key, or the
    /// signature does not verify.
    pub fn verify_signed_by(
        &self,
        issuer: &Certificate,
        provider: &dyn Provider,
    ) -> Result<(), CheckFailed> {
        let fail = |reason: String| CheckFailed::new(Check::Chain, reason);
        if !self.issued_by(issuer) {
            return Err(fail(format!(
                "the CRL of \"{}\" is checked with \"{}\"",
                self.issuer(),
                issuer.subject()
            )));
        }
        if self.parsed.signature_algorithm != self.parsed.tbs_cert_list.signature {
            return Err(fail(
                "CRL signatureAlgorithm differs from the signed one".into(),
            ));
        }
        let key = PublicKey::Spki(issuer.spki_der());
        let key_type = key
            .key_type()
            .map_err(|e| fail(format!("CRL issuer key: {e}")))?;
        let alg = CertSignatureAlg::from_identifier(&self.parsed.signature_algorithm)
            .for_key(key_type)
            .ok_or_else(|| fail("CRL signature algorithm does not fit its issuer's key".into()))?;
        let value = self.parsed.signature.raw_bytes();
        let signature = match alg {
            SignatureAlg::Ecdsa { .. } => Signature::EcdsaDer(value),
            _ => Signature::Rsa(value),
        };
        provider
            .verify(alg, key, self.tbs_der(), signature)
            .map_err(|e| {
                fail(format!(
                    "signature on the CRL of \"{}\": {e}",
                    self.issuer()
                ))
            })
    }

    /// Checks that `at` lies between thisUpdate and nextUpdate (inclusive).
    ///
    /// # Errors
    /// [`Check::Validity`].
    pub fn check_current(&self, at: OffsetDateTime) -> Result<(), CheckFailed> {
        if at < self.this_update || self.next_update.is_some_and(|next| at > next) {
            return Err(CheckFailed::new(
                Check::Validity,
                format!("the CRL of \"{}\" is not current at {at}", self.issuer()),
            ));
        }
        Ok(())
    }
}

fn locate_tbs(der: &[u8]) -> der::Result<std::ops::Range<usize>> {
    let mut outer = SliceReader::new(der)?;
    Header::decode(&mut outer)?.tag().assert_eq(Tag::Sequence)?;
    let start = usize::try_from(outer.position()).map_err(|_| der::ErrorKind::Overflow)?;
    let tbs = outer.tlv_bytes()?;
    Ok(start..start + tbs.len())
}
