//! Chain checks: each certificate signed by the next, all valid at the verification time, and
//! the chain ending at a pinned key.

use time::OffsetDateTime;

use super::Certificate;
use crate::crypto::{HashAlg, Provider, PublicKey, Signature, SignatureAlg, digest};
use crate::{Check, CheckFailed, Error};

/// Pinned root keys, compared by the SHA-256 of their DER `SubjectPublicKeyInfo`.
///
/// Pinning keys rather than certificates keeps a chain trusted across re-issued roots with the
/// same key (AMD and Intel re-issue with new validity, same key).
#[derive(Clone, Debug, Default)]
pub struct TrustAnchors {
    anchors: Vec<Anchor>,
}

#[derive(Clone, Debug)]
struct Anchor {
    spki: Vec<u8>,
    spki_sha256: [u8; 32],
    /// The anchor certificate's subject, when the anchor came from one: a certificate it signs
    /// must name it as issuer.
    subject: Option<Vec<u8>>,
}

impl TrustAnchors {
    /// No anchors: every chain fails [`Check::Trust`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Anchors from the keys of `certs` (typically self-signed vendor roots).
    pub fn from_certificates<'a>(certs: impl IntoIterator<Item = &'a Certificate>) -> Self {
        let mut anchors = Self::new();
        for cert in certs {
            anchors.add_certificate(cert);
        }
        anchors
    }

    /// Trusts the key of `cert`; certificates it signs must name its subject as issuer.
    pub fn add_certificate(&mut self, cert: &Certificate) {
        self.push(cert.spki_der(), Some(cert.subject_der().to_vec()));
    }

    /// Trusts a bare key given as a DER `SubjectPublicKeyInfo` (a CCA platform key, a TPM AK).
    ///
    /// # Errors
    /// [`Error::Malformed`] when `spki_der` is not a `SubjectPublicKeyInfo` of a supported type.
    pub fn add_spki(&mut self, spki_der: &[u8]) -> Result<(), Error> {
        PublicKey::Spki(spki_der)
            .key_type()
            .map_err(|e| Error::malformed("trust anchor key", e.to_string()))?;
        self.push(spki_der, None);
        Ok(())
    }

    /// Whether the key `spki_der` is pinned.
    pub fn contains_spki(&self, spki_der: &[u8]) -> bool {
        let hash = spki_sha256(spki_der);
        self.anchors.iter().any(|a| a.spki_sha256 == hash)
    }

    /// How many keys are pinned.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether no key is pinned.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    fn push(&mut self, spki: &[u8], subject: Option<Vec<u8>>) {
        let spki_sha256 = spki_sha256(spki);
        if !self.anchors.iter().any(|a| a.spki_sha256 == spki_sha256) {
            self.anchors.push(Anchor {
                spki: spki.to_vec(),
                spki_sha256,
                subject,
            });
        }
    }
}

fn spki_sha256(spki: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    // SHA-256 gives exactly 32 bytes, so the zip fills all of `out`.
    for (o, b) in out.iter_mut().zip(digest(HashAlg::Sha256, spki).as_bytes()) {
        *o = *b;
    }
    out
}

fn chain_failure(reason: impl Into<String>) -> CheckFailed {
    CheckFailed::new(Check::Chain, reason)
}

/// Checks that `issuer` issued `child`: the names match, `issuer` may sign certificates
/// (basicConstraints CA and keyUsage keyCertSign, each when present), and `child`'s signature
/// verifies with `issuer`'s key over `child`'s original `tbsCertificate`.
///
/// # Errors
/// [`Check::Chain`] naming what does not hold.
pub fn verify_issued_by(
    child: &Certificate,
    issuer: &Certificate,
    provider: &dyn Provider,
) -> Result<(), CheckFailed> {
    if child.issuer_der() != issuer.subject_der() {
        return Err(chain_failure(format!(
            "issuer of \"{}\" is \"{}\", not \"{}\"",
            child.subject(),
            child.issuer(),
            issuer.subject()
        )));
    }
    check_may_issue(issuer)?;
    verify_signature(child, issuer.spki_der(), provider)
}

fn check_may_issue(issuer: &Certificate) -> Result<(), CheckFailed> {
    if issuer.basic_constraints().is_some_and(|bc| !bc.ca) {
        return Err(chain_failure(format!(
            "\"{}\" signs certificates but its basicConstraints say it is not a CA",
            issuer.subject()
        )));
    }
    if issuer.key_usage_cert_sign() == Some(false) {
        return Err(chain_failure(format!(
            "\"{}\" signs certificates but its keyUsage lacks keyCertSign",
            issuer.subject()
        )));
    }
    Ok(())
}

/// Verifies the signature of `cert` with the key `issuer_spki`.
fn verify_signature(
    cert: &Certificate,
    issuer_spki: &[u8],
    provider: &dyn Provider,
) -> Result<(), CheckFailed> {
    // The subject is only formatted for a failure: rendering a Name costs more than
    // parsing the certificate.
    let subject = || cert.subject();
    if !cert.signature_alg_consistent() {
        return Err(chain_failure(format!(
            "\"{}\": signatureAlgorithm differs from the signed one",
            subject()
        )));
    }
    let key = PublicKey::Spki(issuer_spki);
    let key_type = key
        .key_type()
        .map_err(|e| chain_failure(format!("issuer key of \"{}\": {e}", subject())))?;
    let alg = cert.signature_alg().for_key(key_type).ok_or_else(|| {
        chain_failure(format!(
            "\"{}\": signature algorithm {:?} cannot be checked with a {key_type:?} key",
            subject(),
            cert.signature_alg()
        ))
    })?;
    let value = cert.signature_value();
    let signature = match alg {
        SignatureAlg::Ecdsa { .. } => Signature::EcdsaDer(value),
        _ => Signature::Rsa(value),
    };
    provider
        .verify(alg, key, cert.tbs_der(), signature)
        .map_err(|e| chain_failure(format!("signature on \"{}\": {e}", subject())))
}

/// Checks that `at` lies within the validity period of `cert` (both ends inclusive).
///
/// # Errors
/// [`Check::Validity`] when `cert` is not yet valid or has expired at `at`.
pub fn check_validity(cert: &Certificate, at: OffsetDateTime) -> Result<(), CheckFailed> {
    if at < cert.not_before() {
        return Err(CheckFailed::new(
            Check::Validity,
            format!(
                "\"{}\" is not valid before {}",
                cert.subject(),
                cert.not_before()
            ),
        ));
    }
    if at > cert.not_after() {
        return Err(CheckFailed::new(
            Check::Validity,
            format!("\"{}\" expired at {}", cert.subject(), cert.not_after()),
        ));
    }
    Ok(())
}

/// Verifies a chain given leaf first, in the order verifiers report failures:
///
/// 1. [`Check::Chain`]: every certificate is issued by the next ([`verify_issued_by`]), no
///    issuer's pathLenConstraint is exceeded, and no certificate has a critical extension these
///    checks do not handle;
/// 2. [`Check::Validity`]: every certificate is valid at `at` ([`check_validity`]);
/// 3. [`Check::Trust`]: the key of a certificate in the chain is pinned in `anchors` (typically
///    the self-signed root at the end), or the last certificate is signed by a pinned key that
///    is not in the chain (whose subject, when pinned from a certificate, it names as issuer).
///
/// A self-signed root's own signature is not checked: trusting it comes from pinning its key.
///
/// # Errors
/// The first check that fails, as above.
pub fn verify_chain(
    chain: &[Certificate],
    anchors: &TrustAnchors,
    at: OffsetDateTime,
    provider: &dyn Provider,
) -> Result<(), CheckFailed> {
    let last = chain
        .last()
        .ok_or_else(|| chain_failure("the chain is empty"))?;
    for cert in chain {
        if let Some(oid) = cert.unhandled_critical_extension() {
            return Err(chain_failure(format!(
                "\"{}\" has a critical extension {oid} that is not supported",
                cert.subject()
            )));
        }
    }
    for (index, (child, issuer)) in chain.iter().zip(chain.iter().skip(1)).enumerate() {
        verify_issued_by(child, issuer, provider)?;
        // Intermediates between this issuer and the leaf (RFC 5280 4.2.1.9 counts only
        // non-self-issued ones, and never the leaf).
        let below = chain
            .iter()
            .take(index + 1)
            .skip(1)
            .filter(|c| !c.is_self_issued())
            .count();
        if let Some(limit) = issuer.basic_constraints().and_then(|bc| bc.path_len) {
            if below > usize::from(limit) {
                return Err(chain_failure(format!(
                    "\"{}\" allows {limit} intermediate certificates below it, the chain has {below}",
                    issuer.subject()
                )));
            }
        }
    }
    for cert in chain {
        check_validity(cert, at)?;
    }
    if chain
        .iter()
        .any(|cert| anchors.contains_spki(cert.spki_der()))
    {
        return Ok(());
    }
    for anchor in &anchors.anchors {
        let names_match = anchor
            .subject
            .as_deref()
            .is_none_or(|subject| subject == last.issuer_der());
        if names_match && verify_signature(last, &anchor.spki, provider).is_ok() {
            return Ok(());
        }
    }
    Err(CheckFailed::new(
        Check::Trust,
        format!(
            "the chain ends at \"{}\", which is neither pinned nor signed by a pinned key",
            last.subject()
        ),
    ))
}
