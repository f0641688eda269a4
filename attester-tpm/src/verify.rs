//! Quote verification, in the order every verifier in the workspace reports failures:
//!
//! 1. `format.ak-attributes`: the AK is a restricted signing key bound to its TPM
//!    (restricted, sign, fixedTPM, fixedParent) — skipped only for an AK given as a bare
//!    SubjectPublicKeyInfo, which has no attributes and is trusted as an AK by whoever pins it;
//! 2. `signature`: the TPMT_SIGNATURE over the TPMS_ATTEST bytes as received, with the AK's
//!    key, scheme and hash (the AK's own scheme when it fixes one);
//! 3. `chain`, `validity`, `trust`: the AK is pinned, or its certificate chains (through the
//!    certificates given) to a trusted root; otherwise "AK not trusted";
//! 4. `format.magic`, `format.type`: TPM_GENERATED_VALUE and TPM_ST_ATTEST_QUOTE (checked
//!    after the signature, so that a changed byte is a signature failure first);
//! 5. `binding`: `extraData` equals the challenge exactly (no padding, no truncation);
//! 6. `format.pcr-digest`: `pcrDigest` equals the hash (the signature's) of the supplied PCR
//!    values of every selected PCR of every selected bank, in selection order.

use std::borrow::Cow;

use attester_core::crypto::{PublicKey, Signature, SignatureAlg};
use attester_core::x509::{Certificate, TrustAnchors, verify_chain};
use attester_core::{Challenge, Check, Error, Evidence, Result, media_types};
use time::OffsetDateTime;

use crate::public::AkKey;
use crate::{Attest, KeyParams, ObjectAttributes, PcrValues, Public, QuoteBundle, TpmError};
use crate::{SigScheme, TpmSignature, alg};

/// What a verifier brings besides the evidence.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// Pinned AK keys (SubjectPublicKeyInfo) and roots that certify AKs.
    pub anchors: &'a TrustAnchors,
    /// The time certificates must be valid at.
    pub at: OffsetDateTime,
    /// The signature implementation.
    pub provider: &'a dyn attester_core::crypto::Provider,
}

impl<'a> Options<'a> {
    /// Options with the default provider, at `at`.
    pub fn new(anchors: &'a TrustAnchors, at: OffsetDateTime) -> Self {
        Self {
            anchors,
            at,
            provider: attester_core::crypto::default_provider(),
        }
    }
}

/// The AK of a quote: its public area, or a bare key.
#[derive(Clone, Copy, Debug)]
pub enum Ak<'a> {
    /// A TPMT_PUBLIC, whose attributes are checked.
    Public(Public<'a>),
    /// A DER SubjectPublicKeyInfo (from a PEM file): no attributes to check.
    Spki(&'a [u8]),
}

impl<'a> Ak<'a> {
    /// Reads the AK from a TPM2B_PUBLIC, or a DER SubjectPublicKeyInfo (first byte 0x30,
    /// which no TPM2B_PUBLIC of a key can start with: it would be 12 KiB long).
    ///
    /// # Errors
    /// [`Error::Malformed`] when the bytes are neither.
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        if bytes.first() == Some(&0x30) {
            PublicKey::Spki(bytes)
                .key_type()
                .map_err(|e| Error::malformed("AK public key", e.to_string()))?;
            return Ok(Self::Spki(bytes));
        }
        Ok(Self::Public(Public::parse_tpm2b(bytes)?))
    }

    /// The key as a canonical DER SubjectPublicKeyInfo (what `--trust` pins).
    ///
    /// # Errors
    /// [`Error::Malformed`] or [`Error::Unsupported`] when the key cannot be used.
    pub fn spki_der(&self) -> Result<Vec<u8>> {
        match self {
            Self::Spki(der) => Ok(PublicKey::Spki(der).to_spki_der()?),
            Self::Public(public) => Ok(public.key()?.public_key().to_spki_der()?),
        }
    }
}

/// How the AK came to be trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AkTrust {
    /// Its key is pinned.
    Pinned,
    /// Its certificate chains to a trusted root.
    Certified {
        /// The AK certificate's subject.
        subject: String,
        /// The AK certificate's issuer.
        issuer: String,
    },
}

/// A verified quote.
#[derive(Clone, Debug)]
pub struct Appraisal {
    /// The checks that passed, in order.
    pub passed: Vec<Check>,
    /// How the AK is trusted.
    pub trust: AkTrust,
    /// The AK as a DER SubjectPublicKeyInfo.
    pub ak_spki: Vec<u8>,
    /// Whether the PCR digest was checked against supplied values (false when none were
    /// given: then only the digest itself is attested).
    pub pcrs_checked: bool,
}

fn check(check: Check, reason: impl Into<String>) -> Error {
    Error::check(check, reason)
}

fn format(name: &'static str) -> Check {
    Check::Format(Cow::Borrowed(name))
}

/// Verifies TPM evidence: the body is a [`QuoteBundle`]; `application/pkix-cert`
/// endorsements are the AK certificate, then its intermediates.
///
/// # Errors
/// [`Error::Verification`] naming the failed check; [`Error::Malformed`] for bytes that are
/// not the formats.
pub fn verify(
    evidence: &Evidence,
    challenge: &Challenge,
    options: &Options<'_>,
) -> Result<Appraisal> {
    if evidence.body.media_type != media_types::TPM_QUOTE {
        return Err(Error::malformed(
            "TPM evidence",
            format!("body media type `{}`", evidence.body.media_type),
        ));
    }
    if evidence.fill != crate::FILL {
        return Err(check(
            Check::Binding,
            format!("fill rule `{}`; a TPM's is `exact`", evidence.fill.name()),
        ));
    }
    let bundle = QuoteBundle::decode(&evidence.body.bytes)?;
    let mut certs = Vec::new();
    for item in &evidence.endorsements {
        if item.media_type == media_types::PKIX_CERT {
            certs.push(Certificate::from_der(&item.bytes)?);
        }
    }
    let ak = Ak::parse(bundle.ak_public)?;
    verify_quote(
        bundle.attest,
        bundle.signature,
        ak,
        &bundle.pcrs,
        &certs,
        challenge.as_bytes(),
        options,
    )
}

/// Verifies one quote: `attest` (TPMS_ATTEST) signed by `ak` with `signature`
/// (TPMT_SIGNATURE), `extraData == expected_extra_data`, and — when `pcrs` is not empty —
/// the PCR digest. `ak_chain` is the AK certificate then its intermediates (may be empty).
///
/// # Errors
/// As [`verify`].
pub fn verify_quote(
    attest: &[u8],
    signature: &[u8],
    ak: Ak<'_>,
    pcrs: &PcrValues,
    ak_chain: &[Certificate],
    expected_extra_data: &[u8],
    options: &Options<'_>,
) -> Result<Appraisal> {
    let mut passed = Vec::new();
    let signature = TpmSignature::parse(signature)?;
    let ak_spki = ak.spki_der()?;
    if let Ak::Public(public) = ak {
        check_ak_attributes(&public)?;
        passed.push(format("ak-attributes"));
    }
    check_signature(attest, &signature, ak, options)?;
    passed.push(Check::Signature);
    let trust = check_trust(&ak_spki, ak_chain, options, &mut passed)?;
    let quote = Attest::parse(attest).map_err(|e| match e {
        TpmError::BadMagic(_) => check(format("magic"), e.to_string()),
        TpmError::NotAQuote(_) => check(format("type"), e.to_string()),
        other => other.into(),
    })?;
    if quote.extra_data() != expected_extra_data {
        return Err(check(
            Check::Binding,
            format!(
                "extraData ({} bytes) is not the challenge ({} bytes)",
                quote.extra_data().len(),
                expected_extra_data.len()
            ),
        ));
    }
    passed.push(Check::Binding);
    let pcrs_checked = !pcrs.is_empty();
    if pcrs_checked {
        check_pcr_digest(&quote, &signature, pcrs)?;
        passed.push(format("pcr-digest"));
    }
    Ok(Appraisal {
        passed,
        trust,
        ak_spki,
        pcrs_checked,
    })
}

fn check_ak_attributes(public: &Public<'_>) -> Result<()> {
    let missing = public.attributes().missing_for_ak();
    if !missing.is_empty() {
        return Err(check(
            format("ak-attributes"),
            format!(
                "the AK is not a restricted TPM-bound signing key: {} not set",
                missing.join(", ")
            ),
        ));
    }
    if public.attributes().has(ObjectAttributes::DECRYPT) {
        return Err(check(
            format("ak-attributes"),
            "the AK is also a decryption key",
        ));
    }
    Ok(())
}

/// The seam's algorithm for `signature` made with `ak`, refusing mismatches by name.
fn signature_alg(signature: &TpmSignature<'_>, ak: Ak<'_>) -> Result<SignatureAlg> {
    let failed = |reason: String| check(Check::Signature, reason);
    let hash = signature.hash().seam_hash().ok_or_else(|| {
        failed(format!(
            "signature hash {} is not accepted (SHA-256, SHA-384, SHA-512 are)",
            signature.hash().name()
        ))
    })?;
    if let Ak::Public(public) = ak {
        let (scheme, scheme_hash) = match public.params() {
            KeyParams::Rsa {
                scheme,
                scheme_hash,
                ..
            }
            | KeyParams::Ecc {
                scheme,
                scheme_hash,
                ..
            } => (scheme, scheme_hash),
        };
        if scheme != alg::NULL
            && (scheme != signature.scheme().id() || scheme_hash != Some(signature.hash().id()))
        {
            return Err(failed(format!(
                "signed with {}/{}, but the AK's scheme is {scheme:#06x}",
                signature.scheme().name(),
                signature.hash().name()
            )));
        }
    }
    let key_type = match ak {
        Ak::Spki(der) => PublicKey::Spki(der).key_type()?,
        Ak::Public(public) => match public.key()? {
            AkKey::Ec { curve, .. } => attester_core::crypto::KeyType::Ec(curve),
            AkKey::Rsa { .. } => attester_core::crypto::KeyType::Rsa,
        },
    };
    match (signature.scheme(), key_type) {
        (SigScheme::Ecdsa, attester_core::crypto::KeyType::Ec(curve)) => {
            Ok(SignatureAlg::Ecdsa { curve, hash })
        }
        (SigScheme::RsaSsa, attester_core::crypto::KeyType::Rsa) => {
            Ok(SignatureAlg::RsaPkcs1 { hash })
        }
        (SigScheme::RsaPss, attester_core::crypto::KeyType::Rsa) => {
            Ok(SignatureAlg::RsaPss { hash })
        }
        (scheme, key) => Err(failed(format!(
            "a {} signature cannot come from a {key:?} key",
            scheme.name()
        ))),
    }
}

fn check_signature(
    attest: &[u8],
    signature: &TpmSignature<'_>,
    ak: Ak<'_>,
    options: &Options<'_>,
) -> Result<()> {
    let alg = signature_alg(signature, ak)?;
    let ak_key = match ak {
        Ak::Public(public) => Some(public.key()?),
        Ak::Spki(_) => None,
    };
    let key = match (&ak_key, ak) {
        (Some(key), _) => key.public_key(),
        (None, Ak::Spki(der)) => PublicKey::Spki(der),
        (None, Ak::Public(_)) => return Err(check(Check::Signature, "no AK key")),
    };
    let fixed;
    let sig = match (signature, alg) {
        (TpmSignature::Rsa { sig, .. }, _) => Signature::Rsa(sig),
        (TpmSignature::Ecdsa { r, s, .. }, SignatureAlg::Ecdsa { curve, .. }) => {
            fixed = fixed_ecdsa(r, s, curve.scalar_len())?;
            Signature::EcdsaFixed(&fixed)
        }
        _ => return Err(check(Check::Signature, "scheme and key disagree")),
    };
    options
        .provider
        .verify(alg, key, attest, sig)
        .map_err(|e| check(Check::Signature, format!("the quote signature: {e}")))
}

/// `r ‖ s`, each left-padded to the curve's scalar length (TPMs drop leading zeros).
fn fixed_ecdsa(r: &[u8], s: &[u8], len: usize) -> Result<Vec<u8>> {
    let mut out = vec![0u8; 2 * len];
    for (part, start) in [(r, 0), (s, len)] {
        let target = out
            .get_mut(start..start + len)
            .and_then(|field| field.get_mut(len.checked_sub(part.len())?..))
            .ok_or_else(|| check(Check::Signature, "ECDSA r or s is longer than the curve"))?;
        target.copy_from_slice(part);
    }
    Ok(out)
}

fn check_trust(
    ak_spki: &[u8],
    chain: &[Certificate],
    options: &Options<'_>,
    passed: &mut Vec<Check>,
) -> Result<AkTrust> {
    if options.anchors.contains_spki(ak_spki) {
        passed.push(Check::Trust);
        return Ok(AkTrust::Pinned);
    }
    let Some(leaf) = chain.first() else {
        return Err(check(
            Check::Trust,
            "AK not trusted: its key is not pinned and no AK certificate was given",
        ));
    };
    let leaf_spki = PublicKey::Spki(leaf.spki_der())
        .to_spki_der()
        .map_err(|e| check(Check::Chain, format!("AK certificate key: {e}")))?;
    if leaf_spki != ak_spki {
        return Err(check(
            Check::Chain,
            "the AK certificate certifies another key than the AK",
        ));
    }
    verify_chain(chain, options.anchors, options.at, options.provider).map_err(|failed| {
        if failed.check == Check::Trust {
            check(Check::Trust, format!("AK not trusted: {}", failed.reason))
        } else {
            Error::Verification(failed)
        }
    })?;
    passed.extend([Check::Chain, Check::Validity, Check::Trust]);
    Ok(AkTrust::Certified {
        subject: leaf.subject(),
        issuer: leaf.issuer(),
    })
}

fn check_pcr_digest(
    quote: &Attest<'_>,
    signature: &TpmSignature<'_>,
    pcrs: &PcrValues,
) -> Result<()> {
    let hash = signature
        .hash()
        .seam_hash()
        .ok_or_else(|| check(format("pcr-digest"), "the signature hash is not computable"))?;
    let computed = pcrs
        .selection_digest(&quote.pcr_select(), hash)
        .map_err(|(bank, index)| {
            check(
                format("pcr-digest"),
                format!(
                    "PCR {}:{index} is selected but no value was supplied",
                    bank.name()
                ),
            )
        })?;
    if computed.as_bytes() != quote.pcr_digest() {
        return Err(check(
            format("pcr-digest"),
            "the supplied PCR values do not hash to the quoted pcrDigest",
        ));
    }
    Ok(())
}
