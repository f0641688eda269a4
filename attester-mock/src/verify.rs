//! Verification of mock EAT evidence, through the same core checks every platform verifier
//! uses: the COSE signature with the attestation key, its certificate chained to a trusted root
//! at the verification time, the binding, then policy.

use crate::attester::capabilities;
use crate::eat::{DebugStatus, MockClaims};
use attester_core::cose::{ALG_ES384, Sign1};
use attester_core::crypto::{self, Curve, HashAlg, PublicKey, Signature, SignatureAlg};
use attester_core::x509::{Certificate, TrustAnchors, verify_chain};
use attester_core::{Challenge, Check, Error, Evidence, Platform, Result, media_types};
use time::OffsetDateTime;

/// What the policy asks of mock evidence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MockPolicy {
    /// Accept `dbgstat` = enabled.
    pub allow_debug: bool,
    /// The measurement the token must report, when given.
    pub measurement: Option<Vec<u8>>,
}

/// The outcome of a successful verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockAppraisal {
    /// The verified claims.
    pub claims: MockClaims,
    /// The checks that passed, in order.
    pub passed: Vec<Check>,
    /// The subject of the attestation key certificate.
    pub signer: String,
}

/// Verifies mock evidence against `expected`, trusting only `anchors`.
///
/// A check that fails returns [`Error::Verification`] naming it; evidence that does not parse
/// returns [`Error::Malformed`].
pub fn verify(
    evidence: &Evidence,
    expected: &Challenge,
    anchors: &TrustAnchors,
    at: OffsetDateTime,
    policy: &MockPolicy,
) -> Result<MockAppraisal> {
    let token = parse(evidence)?;
    let leaf = leaf_certificate(evidence)?;
    let mut passed = Vec::new();

    check_signature(&token.message, &leaf)?;
    passed.push(Check::Signature);

    verify_chain(
        std::slice::from_ref(&leaf),
        anchors,
        at,
        crypto::default_provider(),
    )?;
    passed.extend([Check::Chain, Check::Validity, Check::Trust]);

    check_binding(evidence, &token.claims, expected)?;
    passed.push(Check::Binding);

    check_policy(&token.claims, policy, &mut passed)?;

    Ok(MockAppraisal {
        claims: token.claims,
        passed,
        signer: leaf.subject(),
    })
}

struct Token<'a> {
    message: Sign1<'a>,
    claims: MockClaims,
}

fn parse(evidence: &Evidence) -> Result<Token<'_>> {
    if evidence.platform != Platform::Mock {
        return Err(Error::malformed(
            "mock evidence",
            format!("platform is {}, not mock", evidence.platform),
        ));
    }
    if evidence.body.media_type != media_types::MOCK_EAT {
        return Err(Error::malformed(
            "mock evidence",
            format!("body media type `{}`", evidence.body.media_type),
        ));
    }
    let message = Sign1::decode(&evidence.body.bytes)?;
    let claims = MockClaims::decode(message.payload)?;
    Ok(Token { message, claims })
}

fn leaf_certificate(evidence: &Evidence) -> Result<Certificate> {
    let mut certs = evidence
        .endorsements
        .iter()
        .filter(|item| item.media_type == media_types::PKIX_CERT);
    let leaf = certs.next().ok_or_else(|| {
        Error::check(
            Check::Format("attestation-key".into()),
            "no attestation key certificate in the evidence",
        )
    })?;
    if certs.next().is_some() {
        return Err(Error::check(
            Check::Format("attestation-key".into()),
            "more than one certificate; the mock signs with one key",
        ));
    }
    Certificate::from_der(&leaf.bytes)
}

fn check_signature(message: &Sign1<'_>, leaf: &Certificate) -> Result<()> {
    let alg = message.alg()?;
    if alg != ALG_ES384 {
        return Err(Error::check(
            Check::Signature,
            format!("COSE alg {alg}; the mock signs ES384 (-35)"),
        ));
    }
    crypto::default_provider()
        .verify(
            SignatureAlg::Ecdsa {
                curve: Curve::P384,
                hash: HashAlg::Sha384,
            },
            PublicKey::Spki(leaf.spki_der()),
            &message.to_be_signed(),
            Signature::EcdsaFixed(message.signature),
        )
        .map_err(|e| Error::check(Check::Signature, e.to_string()))
}

fn check_binding(evidence: &Evidence, claims: &MockClaims, expected: &Challenge) -> Result<()> {
    let rule = capabilities().fill;
    if evidence.fill != rule {
        return Err(Error::check(
            Check::Binding,
            format!(
                "fill rule `{}`; the mock's is `{}`",
                evidence.fill.name(),
                rule.name()
            ),
        ));
    }
    let field = rule.fill(expected)?;
    if claims.nonce != field.as_bytes() {
        return Err(Error::check(
            Check::Binding,
            "eat_nonce does not equal the expected challenge",
        ));
    }
    Ok(())
}

fn check_policy(claims: &MockClaims, policy: &MockPolicy, passed: &mut Vec<Check>) -> Result<()> {
    if claims.debug == DebugStatus::Enabled && !policy.allow_debug {
        return Err(Error::check(
            Check::Policy("debug".into()),
            "dbgstat says debug is enabled (allow with --allow-debug)",
        ));
    }
    passed.push(Check::Policy("debug".into()));
    if let Some(measurement) = &policy.measurement {
        if &claims.measurement != measurement {
            return Err(Error::check(
                Check::Policy("measurement".into()),
                format!(
                    "measurement {} is not the expected {}",
                    hex::encode(&claims.measurement),
                    hex::encode(measurement)
                ),
            ));
        }
        passed.push(Check::Policy("measurement".into()));
    }
    Ok(())
}
