//! `attester demo`: the whole path on the mock, step by step.
//!
//! Until the TLS layer lands, a random 32-byte value stands in for the TLS exporter and a fresh
//! key for the end-entity certificate; everything after the binder is the real path: mock
//! evidence, the CMW envelope, decoding on the other side, production verification, and the
//! two refusals that matter (a replayed answer to a new challenge, and untrusted mock roots).

use crate::policy::Policy;
use crate::verify::{Verdict, VerifyOptions, verify};
use attester_core::crypto::{Curve, EcdsaSigningKey};
use attester_core::x509::TrustAnchors;
use attester_core::{Attester, BinderHash, Binding, Check, Error, Evidence, Result, cmw::Encoding};
use attester_mock::{MockAttester, MockPki};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// One step of the demo, as printed.
#[derive(Clone, Debug)]
pub struct Step {
    /// What was done.
    pub name: &'static str,
    /// Time taken by the step.
    pub elapsed: Duration,
    /// What came out.
    pub detail: String,
}

/// Runs the demo, handing each step to `report` as it completes; returns the final verdict.
pub fn run(mut report: impl FnMut(&Step)) -> Result<Verdict> {
    let mut step = |name: &'static str, started: Instant, detail: String| {
        report(&Step {
            name,
            elapsed: started.elapsed(),
            detail,
        })
    };

    let t = Instant::now();
    let pki = MockPki::from_default_seed()?;
    step(
        "mock PKI",
        t,
        "root and attestation key derived from the default seed (NOT SECURE)".into(),
    );

    let t = Instant::now();
    let binding = fresh_binding()?;
    step(
        "binder",
        t,
        format!(
            "sha256(SPKI || exporter) = {} (random exporter stands in for TLS)",
            binding.challenge().to_hex()
        ),
    );

    let t = Instant::now();
    let evidence = MockAttester::new(pki).attest_binding(&binding)?;
    step(
        "attest",
        t,
        format!(
            "mock EAT, {} bytes, eat_nonce = binder",
            evidence.body.bytes.len()
        ),
    );

    let t = Instant::now();
    let wire = evidence.to_cmw(Encoding::Cbor);
    step(
        "envelope",
        t,
        format!("CMW collection, CBOR, {} bytes", wire.len()),
    );

    let t = Instant::now();
    let received = Evidence::from_cmw(&wire)?;
    step(
        "decode",
        t,
        format!(
            "{} evidence, {} endorsement(s)",
            received.platform,
            received.endorsements.len()
        ),
    );

    let t = Instant::now();
    let verdict = verify(&received, &options(binding.clone(), true))?;
    step("verify", t, describe(&verdict));
    if !verdict.verified() {
        return Ok(verdict);
    }

    let t = Instant::now();
    let replay = verify(&received, &options(fresh_binding()?, true))?;
    step(
        "replay",
        t,
        expect_refusal(
            &replay,
            "the same evidence against a new binder",
            Check::Binding,
        )?,
    );

    let t = Instant::now();
    let untrusted = verify(&received, &options(binding, false))?;
    step(
        "no --allow-mock",
        t,
        expect_refusal(&untrusted, "mock roots not trusted", Check::Trust)?,
    );

    Ok(verdict)
}

fn fresh_binding() -> Result<Binding> {
    let mut exporter = [0u8; 32];
    let mut key_seed = [0u8; 32];
    attester_core::crypto::random_bytes(&mut exporter)?;
    attester_core::crypto::random_bytes(&mut key_seed)?;
    let tls_key = EcdsaSigningKey::from_seed(Curve::P256, &key_seed, b"demo TLS key")?;
    Binding::tls_exporter(&exporter, &tls_key.spki_der()?, BinderHash::Sha256)
}

fn options(expected: Binding, allow_mock: bool) -> VerifyOptions {
    VerifyOptions {
        expected,
        anchors: TrustAnchors::new(),
        allow_mock,
        at: OffsetDateTime::now_utc(),
        policy: Policy::default(),
        cca_keys: attester_cca::trust::PlatformKeys::new(),
        snp_arks: Vec::new(),
    }
}

fn describe(verdict: &Verdict) -> String {
    match &verdict.failed {
        None => {
            let passed: Vec<String> = verdict.passed.iter().map(ToString::to_string).collect();
            format!("verified: {}", passed.join(", "))
        }
        Some(failed) => format!("FAILED: {failed}"),
    }
}

/// The demo checks its own refusals: a refusal for the wrong reason is as bad as none.
fn expect_refusal(verdict: &Verdict, what: &str, expected: Check) -> Result<String> {
    match &verdict.failed {
        Some(failed) if failed.check == expected => {
            Ok(format!("{what}: refused as expected ({failed})"))
        }
        Some(failed) => Err(Error::check(
            expected,
            format!("{what}: refused by the wrong check ({failed})"),
        )),
        None => Err(Error::check(
            expected,
            format!("{what}: verified, which must never happen"),
        )),
    }
}
