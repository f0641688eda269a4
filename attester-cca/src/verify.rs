//! Verification of CCA tokens, in the order the chain of trust runs:
//!
//! 1. the platform token's signature, with a trusted platform key (CPAK) selected by the
//!    platform instance ID ([`Check::Trust`] when none is trusted, [`Check::Signature`] when
//!    none verifies);
//! 2. the realm token's signature, with the RAK it carries ([`Check::Signature`]);
//! 3. the binding of the two: platform challenge = H(exact bytes of the RAK claim), H named by
//!    realm claim 44240 ([`Check::Binding`]);
//! 4. the realm challenge = the caller's challenge zero-padded to 64 bytes ([`Check::Binding`]);
//! 5. policy: a secured lifecycle unless debug is allowed, accepted profiles, and the
//!    reference values the caller gives ([`Check::Policy`]).
//!
//! The first failure stops verification and names its check.

use crate::claims::{
    PROFILE_PLATFORM_1_0, PROFILE_PLATFORM_LEGACY, PROFILE_REALM_1_0, PROFILE_REALM_2_0,
    hash_alg_from_name,
};
use crate::token::{CcaToken, Signed};
use crate::trust::PlatformKeys;
use crate::{Lifecycle, capabilities};
use attester_core::cose::{ALG_ES256, ALG_ES384};
use attester_core::crypto::{self, Curve, PublicKey, Signature, SignatureAlg};
use attester_core::{Challenge, Check, Error, Evidence, Platform, Result, media_types};

/// What the policy asks of a CCA token beyond the cryptographic checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CcaPolicy {
    /// Accept a platform whose lifecycle is not `secured`.
    pub allow_debug: bool,
    /// Accepted platform profiles; `None` accepts the two RMM ones
    /// ([`PROFILE_PLATFORM_LEGACY`], [`PROFILE_PLATFORM_1_0`]).
    pub platform_profiles: Option<Vec<String>>,
    /// Accepted realm profiles; `None` accepts an absent profile and the two RMM ones
    /// ([`PROFILE_REALM_1_0`], [`PROFILE_REALM_2_0`]). A list never accepts an absent profile
    /// unless it contains the empty string.
    pub realm_profiles: Option<Vec<String>>,
    /// The expected realm initial measurement.
    pub rim: Option<Vec<u8>>,
    /// The expected REMs, by index; `None` entries are not checked.
    pub rems: [Option<Vec<u8>>; 4],
    /// The expected realm personalization value.
    pub personalization_value: Option<Vec<u8>>,
    /// Accepted software component measurements: when given, every component's measurement
    /// must be one of them.
    pub sw_measurements: Option<Vec<Vec<u8>>>,
}

/// The outcome of a successful verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CcaAppraisal {
    /// The checks that passed, in order.
    pub passed: Vec<Check>,
}

/// Verifies CCA evidence against the caller's challenge, trusting `keys`.
///
/// # Errors
/// [`Error::Verification`] naming the failed check; [`Error::Malformed`] when the evidence
/// is not a CCA token.
pub fn verify(
    evidence: &Evidence,
    expected: &Challenge,
    keys: &PlatformKeys,
    policy: &CcaPolicy,
) -> Result<CcaAppraisal> {
    if evidence.platform != Platform::Cca {
        return Err(Error::malformed(
            "CCA evidence",
            format!("platform is {}, not cca", evidence.platform),
        ));
    }
    if evidence.body.media_type != media_types::CCA_TOKEN {
        return Err(Error::malformed(
            "CCA evidence",
            format!("body media type `{}`", evidence.body.media_type),
        ));
    }
    let rule = capabilities().fill;
    if evidence.fill != rule {
        return Err(Error::check(
            Check::Binding,
            format!(
                "fill rule `{}`; CCA's is `{}`",
                evidence.fill.name(),
                rule.name()
            ),
        ));
    }
    let token = CcaToken::decode(&evidence.body.bytes)?;
    let field = rule.fill(expected)?;
    verify_token(&token, field.as_bytes(), keys, policy)
}

/// Verifies a decoded token whose realm challenge must equal `realm_challenge` (64 bytes).
///
/// # Errors
/// [`Error::Verification`] naming the failed check.
pub fn verify_token(
    token: &CcaToken<'_>,
    realm_challenge: &[u8],
    keys: &PlatformKeys,
    policy: &CcaPolicy,
) -> Result<CcaAppraisal> {
    let mut passed = Vec::with_capacity(8);
    verify_platform(token, keys)?;
    passed.extend([Check::Trust, Check::Signature]);
    verify_realm_signature(token)?;
    verify_binding(token)?;
    check_realm_challenge(token, realm_challenge)?;
    passed.push(Check::Binding);
    check_policy(token, policy, &mut passed)?;
    Ok(CcaAppraisal { passed })
}

/// Checks both signatures and the binding of the two tokens: everything but the realm
/// challenge and policy.
///
/// # Errors
/// [`Error::Verification`] naming the failed check.
pub fn verify_signatures_and_binding(token: &CcaToken<'_>, keys: &PlatformKeys) -> Result<()> {
    verify_platform(token, keys)?;
    verify_realm_signature(token)?;
    verify_binding(token)
}

/// The ECDSA algorithm of a COSE alg, and the curve its key must be on.
fn ecdsa(alg: i64) -> Option<(Curve, SignatureAlg)> {
    let curve = match alg {
        ALG_ES256 => Curve::P256,
        ALG_ES384 => Curve::P384,
        _ => return None,
    };
    Some((
        curve,
        SignatureAlg::Ecdsa {
            curve,
            hash: curve.default_hash(),
        },
    ))
}

/// Verifies a token's COSE_Sign1 with `key`.
///
/// # Errors
/// [`Check::Signature`] when the algorithm is not ES256/ES384, the key is on another curve, or
/// the signature does not verify.
pub fn verify_signed(signed: &Signed<'_>, key: PublicKey<'_>, what: &str) -> Result<()> {
    let (_, alg) = ecdsa(signed.alg()).ok_or_else(|| {
        Error::check(
            Check::Signature,
            format!("{what}: COSE alg {} is not ES256 or ES384", signed.alg()),
        )
    })?;
    let message = signed.message();
    crypto::default_provider()
        .verify(
            alg,
            key,
            &message.to_be_signed(),
            Signature::EcdsaFixed(message.signature),
        )
        .map_err(|e| Error::check(Check::Signature, format!("{what}: {e}")))
}

/// Verifies the platform token with the trusted keys for its instance ID.
///
/// # Errors
/// [`Check::Trust`] when no trusted key of the right curve applies to the platform,
/// [`Check::Signature`] when none verifies.
pub fn verify_platform(token: &CcaToken<'_>, keys: &PlatformKeys) -> Result<()> {
    let platform = token.platform();
    let claims = platform.claims();
    let signed = platform.signed();
    let curve = ecdsa(signed.alg()).map(|(curve, _)| curve).ok_or_else(|| {
        Error::check(
            Check::Signature,
            format!(
                "platform token: COSE alg {} is not ES256 or ES384",
                signed.alg()
            ),
        )
    })?;
    let mut tried = 0;
    let mut last = None;
    for key in keys
        .candidates(claims.instance_id(), claims.implementation_id())
        .filter(|k| k.curve() == curve)
    {
        tried += 1;
        match verify_signed(signed, key.public_key(), "platform token") {
            Ok(()) => return Ok(()),
            Err(e) => last = Some(e),
        }
    }
    match last {
        Some(e) if tried > 0 => Err(e),
        _ => Err(Error::check(
            Check::Trust,
            format!(
                "no trusted {curve:?} platform key for instance ID {}",
                hex::encode(claims.instance_id())
            ),
        )),
    }
}

/// Verifies the realm token with the RAK it carries.
///
/// # Errors
/// [`Check::Signature`].
pub fn verify_realm_signature(token: &CcaToken<'_>) -> Result<()> {
    let realm = token.realm();
    let rak = realm.claims().public_key();
    let alg_curve = ecdsa(realm.signed().alg()).map(|(curve, _)| curve);
    if alg_curve != Some(rak.curve()) {
        return Err(Error::check(
            Check::Signature,
            format!(
                "realm token: COSE alg {} does not match the {:?} RAK",
                realm.signed().alg(),
                rak.curve()
            ),
        ));
    }
    verify_signed(
        realm.signed(),
        PublicKey::EcPoint {
            curve: rak.curve(),
            sec1: rak.sec1_point(),
        },
        "realm token",
    )
}

/// Checks the platform challenge against the hash of the RAK claim bytes.
///
/// # Errors
/// [`Check::Binding`].
pub fn verify_binding(token: &CcaToken<'_>) -> Result<()> {
    let realm = token.realm().claims();
    let name = realm.public_key_hash_algorithm();
    let alg = hash_alg_from_name(name).ok_or_else(|| {
        Error::check(
            Check::Binding,
            format!("RAK hash algorithm `{name}` is not sha-256, sha-384 or sha-512"),
        )
    })?;
    let hash = crypto::digest(alg, realm.public_key().claim_bytes());
    if hash.as_bytes() != token.platform().claims().challenge() {
        return Err(Error::check(
            Check::Binding,
            format!(
                "platform challenge is not the {name} of the realm attestation key: the realm \
                 token was not issued on this platform"
            ),
        ));
    }
    Ok(())
}

fn check_realm_challenge(token: &CcaToken<'_>, expected: &[u8]) -> Result<()> {
    if token.realm().claims().challenge() != expected {
        return Err(Error::check(
            Check::Binding,
            "realm challenge does not equal the expected challenge zero-padded to 64 bytes",
        ));
    }
    Ok(())
}

fn policy_failure(rule: &'static str, reason: impl Into<String>) -> Error {
    Error::check(Check::Policy(rule.into()), reason)
}

fn check_policy(token: &CcaToken<'_>, policy: &CcaPolicy, passed: &mut Vec<Check>) -> Result<()> {
    let platform = token.platform().claims();
    let realm = token.realm().claims();

    let state = platform.lifecycle_state();
    if state != Lifecycle::Secured && !policy.allow_debug {
        return Err(policy_failure(
            "lifecycle",
            format!(
                "platform lifecycle {:#06x} is {}, not secured (allow with --allow-debug)",
                platform.lifecycle(),
                state.as_str()
            ),
        ));
    }
    passed.push(Check::Policy("lifecycle".into()));

    let platform_ok = match &policy.platform_profiles {
        None => [PROFILE_PLATFORM_LEGACY, PROFILE_PLATFORM_1_0].contains(&platform.profile()),
        Some(list) => list.iter().any(|p| p == platform.profile()),
    };
    let realm_profile = realm.profile();
    let realm_ok = match &policy.realm_profiles {
        None => realm_profile.is_none_or(|p| [PROFILE_REALM_1_0, PROFILE_REALM_2_0].contains(&p)),
        Some(list) => list.iter().any(|p| p == realm_profile.unwrap_or("")),
    };
    if !platform_ok {
        return Err(policy_failure(
            "profile",
            format!("platform profile `{}` is not accepted", platform.profile()),
        ));
    }
    if !realm_ok {
        return Err(policy_failure(
            "profile",
            format!(
                "realm profile `{}` is not accepted",
                realm_profile.unwrap_or("(absent)")
            ),
        ));
    }
    passed.push(Check::Policy("profile".into()));

    if let Some(rim) = &policy.rim {
        if realm.initial_measurement() != rim.as_slice() {
            return Err(policy_failure(
                "rim",
                format!(
                    "RIM {} is not the expected {}",
                    hex::encode(realm.initial_measurement()),
                    hex::encode(rim)
                ),
            ));
        }
        passed.push(Check::Policy("rim".into()));
    }
    if policy.rems.iter().any(Option::is_some) {
        for (index, (expected, actual)) in policy
            .rems
            .iter()
            .zip(realm.extensible_measurements())
            .enumerate()
        {
            if let Some(expected) = expected {
                if actual != expected.as_slice() {
                    return Err(policy_failure(
                        "rems",
                        format!(
                            "REM{index} {} is not the expected {}",
                            hex::encode(actual),
                            hex::encode(expected)
                        ),
                    ));
                }
            }
        }
        passed.push(Check::Policy("rems".into()));
    }
    if let Some(rpv) = &policy.personalization_value {
        if realm.personalization_value() != rpv.as_slice() {
            return Err(policy_failure(
                "personalization-value",
                "realm personalization value is not the expected one",
            ));
        }
        passed.push(Check::Policy("personalization-value".into()));
    }
    if let Some(allowed) = &policy.sw_measurements {
        for component in platform.sw_components() {
            if !allowed
                .iter()
                .any(|m| m.as_slice() == component.measurement_value())
            {
                return Err(policy_failure(
                    "sw-components",
                    format!(
                        "software component `{}` measurement {} is not an accepted value",
                        component.component_type().unwrap_or("?"),
                        hex::encode(component.measurement_value())
                    ),
                ));
            }
        }
        passed.push(Check::Policy("sw-components".into()));
    }
    Ok(())
}
