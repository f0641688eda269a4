//! Verification dispatch: one entry point for every platform's evidence.

use crate::policy::Policy;
use attester_core::x509::{Certificate, TrustAnchors};
use attester_core::{Binding, Check, CheckFailed, Error, Evidence, Platform, Result, media_types};
use attester_mock::verify::MockPolicy;
use serde_json::{Value, json};
use time::OffsetDateTime;

/// What a verifier brings: the expected binding, whom it trusts, when, and its policy.
#[derive(Debug)]
pub struct VerifyOptions {
    /// The challenge the evidence must be bound to, and how it was derived.
    pub expected: Binding,
    /// Trusted roots and keys beyond the pinned vendor roots.
    pub anchors: TrustAnchors,
    /// Trust the mock roots (NOT SECURE; tests and demos only).
    pub allow_mock: bool,
    /// The verification time (certificates expire).
    pub at: OffsetDateTime,
    /// The appraisal policy.
    pub policy: Policy,
    /// Trusted Arm CCA platform keys (CPAK), from `--trust` files in any of their forms.
    pub cca_keys: attester_cca::trust::PlatformKeys,
    /// Intel TDX collateral files (`--collateral`): TCB Info, QE Identity, CRLs, the TCB
    /// signing chain, or a bundle of them.
    pub tdx_collateral: Vec<Vec<u8>>,
    /// SEV-SNP ARK certificates pinned as extra roots of their product (`--trust`).
    pub snp_arks: Vec<Certificate>,
}

/// The outcome: every check that passed, and the first that failed, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The evidence's platform.
    pub platform: Platform,
    /// The checks that passed, in order.
    pub passed: Vec<Check>,
    /// The check that failed; `None` when the evidence verified.
    pub failed: Option<CheckFailed>,
    /// What the verified evidence says (platform claims), as JSON.
    pub claims: Value,
}

impl Verdict {
    /// Whether every check passed.
    pub fn verified(&self) -> bool {
        self.failed.is_none()
    }

    /// The verdict as JSON (the `--json` output of `attester verify`).
    pub fn to_json(&self) -> Value {
        json!({
            "verified": self.verified(),
            "platform": self.platform.as_str(),
            "passed": self.passed.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "failed": self.failed.as_ref().map(|f| json!({
                "check": f.check.to_string(),
                "reason": f.reason,
            })),
            "claims": self.claims,
        })
    }

    fn failure(platform: Platform, passed: Vec<Check>, failed: CheckFailed) -> Self {
        Self {
            platform,
            passed,
            failed: Some(failed),
            claims: Value::Null,
        }
    }
}

/// Verifies `evidence`. A failed check is an `Ok` verdict naming it; an error means the
/// evidence could not be parsed or the platform is not supported by this build.
pub fn verify(evidence: &Evidence, options: &VerifyOptions) -> Result<Verdict> {
    if let Err(failed) = evidence.check_recorded_binding(&options.expected) {
        return Ok(Verdict::failure(evidence.platform, Vec::new(), failed));
    }
    let outcome = match evidence.platform {
        Platform::Mock => verify_mock(evidence, options),
        Platform::Cca => verify_cca(evidence, options),
        Platform::Snp => verify_snp(evidence, options),
        Platform::Tdx => crate::tdx::verify(evidence, options),
        Platform::Tpm => crate::tpm::verify(evidence, options),
        other => Err(Error::Unsupported(
            format!("verification of {other} evidence is not built into this version").into(),
        )),
    };
    match outcome {
        Ok(verdict) => Ok(verdict),
        Err(Error::Verification(failed)) => {
            Ok(Verdict::failure(evidence.platform, Vec::new(), failed))
        }
        Err(other) => Err(other),
    }
}

/// The binding record travels unsigned beside the evidence; it must agree with what the
/// verifier expects, but the signed field is what decides (checked by the platform verifier).
fn verify_mock(evidence: &Evidence, options: &VerifyOptions) -> Result<Verdict> {
    if !options.allow_mock {
        return Err(Error::check(
            Check::Trust,
            "mock evidence is signed with public test keys; pass --allow-mock to accept it",
        ));
    }
    let mut anchors = options.anchors.clone();
    let mock_root = Certificate::from_der(attester_mock::pki::default_root_certificate_der()?)?;
    anchors.add_certificate(&mock_root);
    let policy = MockPolicy {
        allow_debug: options.policy.allow_debug,
        measurement: options.policy.mock.measurement.clone(),
    };
    let appraisal = attester_mock::verify::verify(
        evidence,
        options.expected.challenge(),
        &anchors,
        options.at,
        &policy,
    )?;
    let claims = serde_json::to_value(&appraisal.claims)
        .map_err(|e| Error::malformed("mock claims", e.to_string()))?;
    Ok(Verdict {
        platform: Platform::Mock,
        passed: appraisal.passed,
        failed: None,
        claims: json!({ "signer": appraisal.signer, "eat": claims }),
    })
}

/// CCA: the platform keys given, plus the mock CPAK when mock evidence is allowed. A mock-cca
/// token is a real-format token, so without `--allow-mock` it fails where any token from an
/// untrusted platform fails: the trust check.
fn verify_cca(evidence: &Evidence, options: &VerifyOptions) -> Result<Verdict> {
    let mut keys = options.cca_keys.clone();
    if options.allow_mock {
        let mock = attester_mock::cca::MockCca::from_default_seed()?;
        for anchor in mock.platform_keys()?.anchors() {
            keys.add_anchor(anchor.clone());
        }
    }
    let rules = &options.policy.cca;
    let policy = attester_cca::verify::CcaPolicy {
        allow_debug: options.policy.allow_debug,
        platform_profiles: rules.platform_profiles.clone(),
        realm_profiles: rules.realm_profiles.clone(),
        rim: rules.rim.clone(),
        rems: rules.rems.clone(),
        personalization_value: rules.personalization_value.clone(),
        sw_measurements: rules.sw_measurements.clone(),
    };
    let appraisal =
        attester_cca::verify::verify(evidence, options.expected.challenge(), &keys, &policy)?;
    let token = attester_cca::CcaToken::decode(&evidence.body.bytes)?;
    Ok(Verdict {
        platform: Platform::Cca,
        passed: appraisal.passed,
        failed: None,
        claims: attester_cca::describe::token_json(&token),
    })
}

/// SEV-SNP: the report with the certificates the evidence carries (a certificate table or
/// loose certificates), to AMD's pinned ARKs, and the mock ARK only with `allow_mock`.
fn verify_snp(evidence: &Evidence, options: &VerifyOptions) -> Result<Verdict> {
    use attester_snp::verify::{self as snp, AmdRoots};

    if evidence.body.media_type != media_types::SNP_REPORT {
        return Err(Error::malformed(
            "SEV-SNP evidence",
            format!("body media type `{}`", evidence.body.media_type),
        ));
    }
    if evidence.fill != snp::FILL {
        return Err(Error::check(
            Check::Binding,
            format!(
                "fill rule `{}`; SEV-SNP's is `{}`",
                evidence.fill.name(),
                snp::FILL.name()
            ),
        ));
    }
    let mut certs = Vec::new();
    for item in &evidence.endorsements {
        if item.media_type == media_types::PKIX_CERT {
            certs.push(Certificate::from_der(&item.bytes)?);
        } else if item.media_type == media_types::SNP_CERTS {
            let table = attester_snp::CertTable::parse(&item.bytes)?;
            for entry in table.entries() {
                if matches!(
                    entry.kind,
                    attester_snp::CertKind::Ark
                        | attester_snp::CertKind::Ask
                        | attester_snp::CertKind::Vcek
                        | attester_snp::CertKind::Vlek
                ) {
                    certs.push(Certificate::from_der(entry.bytes)?);
                }
            }
        }
    }
    let with_extra;
    let roots = if options.allow_mock || !options.snp_arks.is_empty() {
        with_extra = crate::snp::roots(&options.snp_arks, options.allow_mock)?;
        &with_extra
    } else {
        AmdRoots::builtin()?
    };
    let policy = options
        .policy
        .snp
        .to_snp_policy(options.policy.allow_debug)?;
    let snp_options = snp::Options::new(roots, options.at, &policy);
    let appraisal = snp::verify(
        &evidence.body.bytes,
        &certs,
        options.expected.challenge(),
        &snp_options,
    )?;
    let report = crate::inspect::decode_snp(&evidence.body.bytes)?;
    Ok(Verdict {
        platform: Platform::Snp,
        passed: appraisal.passed,
        failed: None,
        claims: json!({
            "signer": appraisal.signer,
            "signing_key": appraisal.signing_key.as_str(),
            "product": appraisal.generation.as_str(),
            "product_name": appraisal.product_name,
            "csp_id": appraisal.csp_id,
            "report": report,
        }),
    })
}
