//! The mock attest + verify round trip: ours (`attester_mock::MockAttester::attest`,
//! `attester_mock::verify::verify`, the CMW CBOR envelope) against what a user would write with
//! `coset` 0.4 instead: build and parse the same COSE_Sign1 EAT, sign with aws-lc-rs ECDSA
//! P-384, verify with aws-lc-rs, and wrap it with the `cmw` crate 0.1.2 for the round trip.
//!
//! Ours verifies more than the coset path does: it parses the attestation key's X.509
//! certificate from the evidence and checks it against the trust anchor (one more P-384
//! verification), checks the binding and the fill rule, and decodes every claim strictly.
//! `verify/ours-cose-only` is the like-for-like line: our COSE view and claim decoder with a
//! key given up front, as the coset path has it.

// A bench whose fixture is broken must abort loudly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;
use std::time::{SystemTime, UNIX_EPOCH};

use attester_bench::EXPORTER;
use attester_core::cmw::{EVIDENCE_LABEL, EVIDENCE_PROFILE, Encoding};
use attester_core::cose::{ALG_ES384, Sign1};
use attester_core::crypto::{self, Curve, HashAlg, PublicKey, Signature, SignatureAlg};
use attester_core::media_types::{MOCK_EAT, MOCK_EAT_PROFILE, PKIX_CERT};
use attester_core::x509::TrustAnchors;
use attester_core::{Attester, BinderHash, Binding, Challenge, Evidence};
use attester_mock::eat::{DebugStatus, MEASUREMENT_CONTENT_FORMAT, MockClaims};
use attester_mock::verify::{MockPolicy, verify};
use attester_mock::{MockAttester, MockPki};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P384_SHA384_FIXED, ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, KeyPair,
    UnparsedPublicKey,
};
use coset::cbor::value::Value;
use coset::cwt::{ClaimName, ClaimsSet, ClaimsSetBuilder, Timestamp};
use coset::{
    CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana,
};
use criterion::{Criterion, criterion_group, criterion_main};
use time::OffsetDateTime;

const PEER: &str = "coset-0.4";
const PEER_ROUND_TRIP: &str = "coset-0.4+cmw-0.1.2";

/// What the coset-side attester holds: its own aws-lc-rs key, and the claim values the mock
/// puts into its EAT (so both tokens carry the same claims).
struct CosetAttester {
    key: EcdsaKeyPair,
    rng: SystemRandom,
    ueid: Vec<u8>,
    measurement: Vec<u8>,
    certificate: Vec<u8>,
}

impl CosetAttester {
    /// The mock's EAT claims, in the mock's order, through coset's claims builder.
    fn claims(&self, challenge: &[u8]) -> coset::Result<Vec<u8>> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        ClaimsSetBuilder::new()
            .issued_at(Timestamp::WholeSeconds(now))
            .claim(iana::CwtClaimName::Nonce, Value::Bytes(challenge.to_vec()))
            .claim(iana::CwtClaimName::UEID, Value::Bytes(self.ueid.clone()))
            .claim(iana::CwtClaimName::DebugStatus, Value::Integer(3.into()))
            .claim(
                iana::CwtClaimName::EatProfile,
                Value::Text(MOCK_EAT_PROFILE.to_owned()),
            )
            .claim(
                iana::CwtClaimName::Measurements,
                Value::Array(vec![Value::Array(vec![
                    Value::Integer(MEASUREMENT_CONTENT_FORMAT.into()),
                    Value::Bytes(self.measurement.clone()),
                ])]),
            )
            .build()
            .to_vec()
    }

    /// A tagged COSE_Sign1, ES384 in the protected header, signed with aws-lc-rs.
    fn attest(&self, challenge: &[u8]) -> Result<Vec<u8>, String> {
        let payload = self.claims(challenge).map_err(|e| e.to_string())?;
        let protected = HeaderBuilder::new()
            .algorithm(iana::Algorithm::ES384)
            .build();
        CoseSign1Builder::new()
            .protected(protected)
            .payload(payload)
            .try_create_signature(b"", |tbs| {
                self.key
                    .sign(&self.rng, tbs)
                    .map(|sig| sig.as_ref().to_vec())
                    .map_err(|e| e.to_string())
            })?
            .build()
            .to_tagged_vec()
            .map_err(|e| e.to_string())
    }
}

fn claim(claims: &ClaimsSet, name: iana::CwtClaimName) -> Option<&Value> {
    claims
        .rest
        .iter()
        .find(|(n, _)| *n == ClaimName::Assigned(name))
        .map(|(_, v)| v)
}

/// What a coset user checks: the algorithm, the signature with a key they already hold, then
/// the nonce and the debug status from the claims.
fn coset_verify(token: &[u8], key: &[u8], expected: &[u8]) -> Result<ClaimsSet, String> {
    let sign1 = CoseSign1::from_tagged_slice(token).map_err(|e| e.to_string())?;
    if sign1.protected.header.alg != Some(coset::Algorithm::Assigned(iana::Algorithm::ES384)) {
        return Err("not ES384".into());
    }
    let key = UnparsedPublicKey::new(&ECDSA_P384_SHA384_FIXED, key);
    sign1
        .verify_signature(b"", |sig, tbs| key.verify(tbs, sig))
        .map_err(|_| "bad signature".to_owned())?;
    let payload = sign1.payload.as_deref().ok_or("detached payload")?;
    let claims = ClaimsSet::from_slice(payload).map_err(|e| e.to_string())?;
    match claim(&claims, iana::CwtClaimName::Nonce) {
        Some(Value::Bytes(nonce)) if nonce == expected => {}
        _ => return Err("nonce".into()),
    }
    match claim(&claims, iana::CwtClaimName::DebugStatus) {
        Some(Value::Integer(status)) if *status != 0.into() => {}
        _ => return Err("debug".into()),
    }
    Ok(claims)
}

/// Our COSE view and strict claim decoder with the key given up front: the coset path's work.
fn ours_cose_only(token: &[u8], key: &[u8], expected: &Challenge) -> attester_core::Result<()> {
    let sign1 = Sign1::decode(token)?;
    if sign1.alg()? != ALG_ES384 {
        return Err(attester_core::Error::malformed("token", "not ES384"));
    }
    crypto::default_provider().verify(
        SignatureAlg::Ecdsa {
            curve: Curve::P384,
            hash: HashAlg::Sha384,
        },
        PublicKey::EcPoint {
            curve: Curve::P384,
            sec1: key,
        },
        &sign1.to_be_signed(),
        Signature::EcdsaFixed(sign1.signature),
    )?;
    let claims = MockClaims::decode(sign1.payload)?;
    if claims.nonce != expected.as_bytes() || claims.debug == DebugStatus::Enabled {
        return Err(attester_core::Error::malformed("token", "nonce or debug"));
    }
    Ok(())
}

/// The coset token wrapped as a CMW collection of our profile with the `cmw` crate, holding
/// the token and the attestation key certificate, as CBOR.
fn peer_envelope(token: &[u8], certificate: &[u8]) -> Result<Vec<u8>, cmw::Error> {
    let mut envelope =
        cmw::Collection::new(Some(cmw::collection::Type::new(EVIDENCE_PROFILE)?), None)?;
    let evidence = cmw::Monad::new_media_type(
        MOCK_EAT
            .parse::<cmw::Mime>()
            .map_err(|e| cmw::Error::InvalidData(e.to_string()))?,
        token.to_vec(),
        Some(cmw::Indicator::EVIDENCE),
    )?;
    let certificate = cmw::Monad::new_media_type(
        PKIX_CERT
            .parse::<cmw::Mime>()
            .map_err(|e| cmw::Error::InvalidData(e.to_string()))?,
        certificate.to_vec(),
        Some(cmw::Indicator::ENDORSEMENTS),
    )?;
    envelope.add_item(EVIDENCE_LABEL.into(), evidence.into())?;
    envelope.add_item("endorsement-0".into(), certificate.into())?;
    cmw::CMW::Collection(envelope).marshal_cbor()
}

/// The token back out of a peer envelope.
fn peer_token(envelope: &[u8]) -> Result<Vec<u8>, String> {
    match cmw::CMW::unmarshal_cbor(envelope).map_err(|e| e.to_string())? {
        cmw::CMW::Collection(c) => match c.get_item(&EVIDENCE_LABEL.into()) {
            Some(cmw::CMW::Monad(m)) => Ok(m.value()),
            _ => Err("no evidence record".into()),
        },
        cmw::CMW::Monad(_) => Err("not a collection".into()),
    }
}

struct Fixture {
    attester: MockAttester,
    coset: CosetAttester,
    anchors: TrustAnchors,
    challenge: Challenge,
    at: OffsetDateTime,
    policy: MockPolicy,
    evidence: Evidence,
    coset_token: Vec<u8>,
}

fn fixture() -> Fixture {
    let mut attester = MockAttester::new(MockPki::from_default_seed().unwrap());
    let anchors = attester.pki().trust_anchors().unwrap();
    let spki = attester_bench::tls_spki_p256().unwrap();
    let challenge = *Binding::tls_exporter(&EXPORTER, &spki, BinderHash::Sha384)
        .unwrap()
        .challenge();
    let at = OffsetDateTime::now_utc();
    let policy = MockPolicy::default();
    let evidence = attester.attest(&challenge).unwrap();
    verify(&evidence, &challenge, &anchors, at, &policy).unwrap();

    let ours = MockClaims::decode(Sign1::decode(&evidence.body.bytes).unwrap().payload).unwrap();
    let coset = CosetAttester {
        key: EcdsaKeyPair::generate(&ECDSA_P384_SHA384_FIXED_SIGNING).unwrap(),
        rng: SystemRandom::new(),
        ueid: ours.ueid.clone(),
        measurement: ours.measurement.clone(),
        certificate: attester.pki().attestation_certificate_der().to_vec(),
    };
    let coset_token = coset.attest(challenge.as_bytes()).unwrap();

    // Each side reads the other's token, so both build and parse the same COSE_Sign1 EAT.
    let mock_key = attester.pki().attestation_key().public_sec1().to_vec();
    coset_verify(&evidence.body.bytes, &mock_key, challenge.as_bytes()).unwrap();
    ours_cose_only(&evidence.body.bytes, &mock_key, &challenge).unwrap();
    let coset_key = coset.key.public_key().as_ref().to_vec();
    ours_cose_only(&coset_token, &coset_key, &challenge).unwrap();
    let theirs = MockClaims::decode(Sign1::decode(&coset_token).unwrap().payload).unwrap();
    assert_eq!((theirs.nonce, theirs.debug), (ours.nonce, ours.debug));
    let envelope = peer_envelope(&coset_token, &coset.certificate).unwrap();
    assert_eq!(peer_token(&envelope).unwrap(), coset_token);

    Fixture {
        attester,
        coset,
        anchors,
        challenge,
        at,
        policy,
        evidence,
        coset_token,
    }
}

fn benches(c: &mut Criterion) {
    let mut f = fixture();
    let challenge = f.challenge;
    let mock_key = f.attester.pki().attestation_key().public_sec1().to_vec();
    let coset_key = f.coset.key.public_key().as_ref().to_vec();

    let mut g = c.benchmark_group("mock/attest");
    g.bench_function("ours", |b| {
        b.iter(|| f.attester.attest(black_box(&challenge)).unwrap())
    });
    g.bench_function(PEER, |b| {
        b.iter(|| f.coset.attest(black_box(challenge.as_bytes())).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("mock/verify");
    g.bench_function("ours", |b| {
        b.iter(|| {
            verify(
                black_box(&f.evidence),
                &challenge,
                &f.anchors,
                f.at,
                &f.policy,
            )
            .unwrap()
        })
    });
    g.bench_function("ours-cose-only", |b| {
        b.iter(|| ours_cose_only(black_box(&f.evidence.body.bytes), &mock_key, &challenge).unwrap())
    });
    g.bench_function(PEER, |b| {
        b.iter(|| {
            coset_verify(black_box(&f.coset_token), &coset_key, challenge.as_bytes()).unwrap()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("mock/round-trip");
    g.bench_function("ours", |b| {
        b.iter(|| {
            let evidence = f.attester.attest(black_box(&challenge)).unwrap();
            let wire = evidence.to_cmw(Encoding::Cbor);
            let received = Evidence::from_cmw(black_box(&wire)).unwrap();
            verify(&received, &challenge, &f.anchors, f.at, &f.policy).unwrap()
        })
    });
    g.bench_function(PEER_ROUND_TRIP, |b| {
        b.iter(|| {
            let token = f.coset.attest(black_box(challenge.as_bytes())).unwrap();
            let wire = peer_envelope(&token, &f.coset.certificate).unwrap();
            let received = peer_token(black_box(&wire)).unwrap();
            coset_verify(&received, &coset_key, challenge.as_bytes()).unwrap()
        })
    });
    g.finish();
}

criterion_group!(mock_benches, benches);
criterion_main!(mock_benches);
