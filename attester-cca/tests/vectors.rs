//! Every CCA token of the corpus decodes to exactly the claims `expected-values.json` lists,
//! and verifies (or fails) with its keys as `PROVENANCE.md` says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_cca::trust::PlatformKeys;
use attester_cca::verify::{self, CcaPolicy};
use attester_cca::{CcaToken, Collection, EntryForm, PlatformToken, RakEncoding};
use attester_core::cose::{ALG_ES256, ALG_ES384};
use attester_core::{Check, ErrorKind};
use serde_json::Value;

fn hex_or_null(value: Option<&[u8]>) -> Value {
    value.map_or(Value::Null, |v| Value::String(hex::encode(v)))
}

fn alg_name(alg: i64) -> &'static str {
    match alg {
        ALG_ES256 => "ES256",
        ALG_ES384 => "ES384",
        _ => "other",
    }
}

#[test]
fn every_token_decodes_to_its_expected_claims() {
    let Some(tokens) = support::cca_tokens("every_token_decodes_to_its_expected_claims") else {
        return;
    };
    for (name, bytes, want) in &tokens {
        let token = CcaToken::decode(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let p = token.platform().claims();
        let r = token.realm().claims();
        let check = |field: &str, got: Value| {
            assert_eq!(got, want[field], "{name}: {field}");
        };
        check("collection_tag", Value::from(token.collection().tag()));
        let cf = match token.platform().signed().form() {
            EntryForm::Bytes => Value::Null,
            EntryForm::CmwRecord { content_format } => Value::from(content_format),
        };
        check("cmw_content_format", cf);
        assert_eq!(
            token.platform().signed().form(),
            token.realm().signed().form()
        );
        check(
            "platform_cose_alg",
            Value::from(alg_name(token.platform().signed().alg())),
        );
        check(
            "realm_cose_alg",
            Value::from(alg_name(token.realm().signed().alg())),
        );
        check("platform_profile", Value::from(p.profile()));
        check(
            "platform_challenge",
            Value::from(hex::encode(p.challenge())),
        );
        check(
            "platform_impl_id",
            Value::from(hex::encode(p.implementation_id())),
        );
        check(
            "platform_inst_id",
            Value::from(hex::encode(p.instance_id())),
        );
        check("platform_config", Value::from(hex::encode(p.config())));
        check("platform_lifecycle", Value::from(p.lifecycle()));
        check("platform_hash_alg", Value::from(p.hash_algorithm()));
        check(
            "platform_vsi",
            p.verification_service().map_or(Value::Null, Value::from),
        );
        let components: Vec<Value> = p
            .sw_components()
            .iter()
            .map(|c| {
                serde_json::json!({
                    "type": c.component_type(),
                    "measurement": hex::encode(c.measurement_value()),
                    "signer_id": hex::encode(c.signer_id()),
                    "version": c.version(),
                    "hash_alg": c.hash_algorithm(),
                })
            })
            .collect();
        assert_eq!(components.len(), p.sw_components().len());
        check("platform_sw_components", Value::Array(components));
        check(
            "realm_profile",
            r.profile().map_or(Value::Null, Value::from),
        );
        check("realm_challenge", Value::from(hex::encode(r.challenge())));
        check("realm_instance_id", hex_or_null(r.instance_id()));
        check(
            "realm_personalization_value",
            Value::from(hex::encode(r.personalization_value())),
        );
        check("realm_hash_alg", Value::from(r.hash_algorithm()));
        check(
            "realm_rim",
            Value::from(hex::encode(r.initial_measurement())),
        );
        let rems: Vec<Value> = r
            .extensible_measurements()
            .iter()
            .map(|m| Value::from(hex::encode(m)))
            .collect();
        check("realm_rems", Value::Array(rems));
        let rak = r.public_key();
        check("realm_rak", Value::from(hex::encode(rak.claim_bytes())));
        let encoding = want["realm_rak_encoding"].as_str().unwrap();
        match rak.encoding() {
            RakEncoding::RawPoint => {
                assert_eq!(encoding, "raw-uncompressed-EC-point", "{name}");
                assert_eq!(rak.sec1_point(), rak.claim_bytes());
            }
            RakEncoding::CoseKey => {
                assert!(encoding.starts_with("COSE_Key(EC2,crv=2)"), "{name}");
                // The point holds the COSE_Key's coordinates: t_cose writes x then y.
                let claim = rak.claim_bytes();
                assert_eq!(&rak.sec1_point()[1..49], &claim[8..56], "{name}");
                assert_eq!(&rak.sec1_point()[49..], &claim[59..107], "{name}");
            }
        }
        check(
            "realm_rak_hash_alg",
            Value::from(r.public_key_hash_algorithm()),
        );
        check(
            "realm_mec_policy",
            r.mec_policy().map_or(Value::Null, Value::from),
        );
        assert_eq!(token.unknown_entries(), 0, "{name}");
        assert_eq!(token.device_claims(), None, "{name}");
        let tag = if token.collection() == Collection::Legacy {
            399
        } else {
            907
        };
        assert_eq!(want["collection_tag"], tag);
    }
}

/// The keys of a `platform_signature_with:FILE` entry.
fn keys_from(test: &str, file: &str) -> Option<attester_core::Result<PlatformKeys>> {
    let bytes = support::corpus_file(test, &format!("cca/{file}"))?;
    let mut keys = PlatformKeys::new();
    Some(keys.add_file(&bytes).map(|()| keys))
}

#[test]
fn every_token_verifies_with_every_listed_key() {
    let test = "every_token_verifies_with_every_listed_key";
    let Some(tokens) = support::cca_tokens(test) else {
        return;
    };
    let mut verified = 0;
    for (name, bytes, want) in &tokens {
        let token = CcaToken::decode(bytes).unwrap();
        let challenge = token.realm().claims().challenge();
        let binding_ok =
            want["verification"]["binding_platform_challenge_eq_hash_of_RAK_claim_bytes"]
                .as_bool()
                .unwrap();
        assert!(
            want["verification"]["realm_signature_with_embedded_RAK"]
                .as_bool()
                .unwrap()
        );
        verify::verify_realm_signature(&token).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (field, outcome) in want["verification"].as_object().unwrap() {
            let Some(file) = field.strip_prefix("platform_signature_with:") else {
                continue;
            };
            let keys = keys_from(test, file).unwrap();
            if outcome.as_bool() == Some(true) {
                let keys = keys.unwrap_or_else(|e| panic!("{name} with {file}: {e}"));
                verify::verify_platform(&token, &keys)
                    .unwrap_or_else(|e| panic!("{name} with {file}: {e}"));
                let result = verify::verify_token(&token, challenge, &keys, &CcaPolicy::default());
                if binding_ok {
                    let appraisal = result.unwrap_or_else(|e| panic!("{name} with {file}: {e}"));
                    assert!(appraisal.passed.contains(&Check::Binding));
                    verified += 1;
                } else {
                    let failed = result.unwrap_err();
                    assert_eq!(
                        failed.check_failed().unwrap().check,
                        Check::Binding,
                        "{name}: {failed}"
                    );
                }
            } else {
                // The bad key is refused when it is loaded, as a failed trust check.
                let err = keys.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Verification, "{name} {file}: {err}");
                assert_eq!(err.check_failed().unwrap().check, Check::Trust);
            }
        }
    }
    assert_eq!(verified, 11, "token/key pairs verified");
}

#[test]
fn bug_33_fails_on_the_binding_and_only_on_it() {
    let test = "bug_33_fails_on_the_binding_and_only_on_it";
    let Some(bytes) = support::corpus_file(test, "cca/rust-ccatoken/bug-33-repro.cbor") else {
        return;
    };
    let keys = keys_from(test, "rust-ccatoken/ta-tfa.json")
        .unwrap()
        .unwrap();
    let token = CcaToken::decode(&bytes).unwrap();
    verify::verify_platform(&token, &keys).unwrap();
    verify::verify_realm_signature(&token).unwrap();
    let err = verify::verify_binding(&token).unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Binding);
    let err = verify::verify_token(
        &token,
        token.realm().claims().challenge(),
        &keys,
        &CcaPolicy::default(),
    )
    .unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Binding, "{err}");
    assert!(err.to_string().contains("realm attestation key"), "{err}");
}

#[test]
fn ta_02_bad_is_refused_and_ta_02_ok_is_not_used_for_other_instances() {
    let test = "ta_02_bad_is_refused_and_ta_02_ok_is_not_used_for_other_instances";
    let Some(bad) = keys_from(test, "rust-ccatoken/ta-02-bad.json") else {
        return;
    };
    let err = bad.unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Trust, "{err}");
    // A store entry applies to its instance only: the P-256 store does not vouch for the
    // FVP platform, so the trust check (not the signature) fails.
    let ok = keys_from(test, "rust-ccatoken/ta-02-ok.json")
        .unwrap()
        .unwrap();
    let bytes = support::corpus_file(test, "cca/rust-ccatoken/cca-token-01.cbor").unwrap();
    let token = CcaToken::decode(&bytes).unwrap();
    let err = verify::verify_platform(&token, &ok).unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Trust, "{err}");
}

#[test]
fn the_wrong_trusted_key_fails_the_signature() {
    let test = "the_wrong_trusted_key_fails_the_signature";
    let Some(Ok(p384)) = keys_from(test, "veraison-ccatoken/cca_platform.pub") else {
        return;
    };
    // cca-token-02 is signed ES256: a P-384 key is not a candidate at all.
    let bytes = support::corpus_file(test, "cca/rust-ccatoken/cca-token-02.cbor").unwrap();
    let token = CcaToken::decode(&bytes).unwrap();
    let err = verify::verify_platform(&token, &p384).unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Trust);
    // A P-256 key trusted for any instance, but not the one that signed: the signature fails.
    let mut other = PlatformKeys::new();
    let jwk = serde_json::json!({
        "kty": "EC", "crv": "P-256",
        "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
        "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"
    });
    other.add_json(&jwk).unwrap();
    verify::verify_platform(&token, &other).unwrap();
    let fvp = support::corpus_file(test, "cca/trustee/cca-example-token.cbor").unwrap();
    let fvp = CcaToken::decode(&fvp).unwrap();
    let mut p256_only = PlatformKeys::new();
    p256_only.add_json(&jwk).unwrap();
    let err = verify::verify_platform(&fvp, &p256_only).unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Trust);
}

#[test]
fn bare_platform_tokens_decode_and_verify() {
    let test = "bare_platform_tokens_decode_and_verify";
    let Some(Ok(keys)) = keys_from(test, "veraison-ccatoken/cca_platform.pub") else {
        return;
    };
    for (file, profile) in [
        (
            "cca/tf-m-tools/cca_example_platform_token.cbor",
            "tag:arm.com,2023:cca_platform#1.0.0",
        ),
        (
            "cca/tf-m-tools/cca_example_platform_token_legacy.cbor",
            "http://arm.com/CCA-SSD/1.0.0",
        ),
    ] {
        let bytes = support::corpus_file(test, file).unwrap();
        let token = PlatformToken::decode(&bytes).unwrap();
        assert_eq!(token.claims().profile(), profile);
        assert_eq!(token.signed().alg(), ALG_ES384);
        let key = keys
            .candidates(
                token.claims().instance_id(),
                token.claims().implementation_id(),
            )
            .next()
            .unwrap();
        verify::verify_signed(token.signed(), key.public_key(), "platform").unwrap();
        // The bare platform token is not a collection.
        assert!(CcaToken::decode(&bytes).is_err());
    }
}

#[test]
fn key_forms_agree() {
    let test = "key_forms_agree";
    let Some(pem) = keys_from(test, "veraison-ccatoken/cca_platform.pub") else {
        return;
    };
    let pem = pem.unwrap();
    let jwk = keys_from(test, "trustee/cpak-pub.json").unwrap().unwrap();
    let store = keys_from(test, "trustee/tastore.json").unwrap().unwrap();
    let bytes = support::corpus_file(test, "cca/trustee/cca-example-token.cbor").unwrap();
    let token = CcaToken::decode(&bytes).unwrap();
    for keys in [&pem, &jwk, &store] {
        verify::verify_platform(&token, keys).unwrap();
    }
    // The store is keyed by instance ID: a token from another instance finds no key in it.
    let bytes = support::corpus_file(test, "cca/rust-ccatoken/cca-token-02.cbor").unwrap();
    let other = CcaToken::decode(&bytes).unwrap();
    let err = verify::verify_platform(&other, &store).unwrap_err();
    assert_eq!(err.check_failed().unwrap().check, Check::Trust);
}

#[test]
fn trustee_reference_values_pass_the_policy_and_others_fail_it() {
    let test = "trustee_reference_values_pass_the_policy_and_others_fail_it";
    let Some(rv) = support::corpus_file(test, "cca/trustee/rvstore.json") else {
        return;
    };
    let rv: Value = serde_json::from_slice(&rv).unwrap();
    let hex_of = |v: &Value| hex::decode(v.as_str().unwrap()).unwrap();
    let realm = &rv["realm"][0];
    let policy = CcaPolicy {
        rim: Some(hex_of(&realm["initial-measurement"])),
        rems: {
            let rems: Vec<Vec<u8>> = realm["extensible-measurements"]
                .as_array()
                .unwrap()
                .iter()
                .map(hex_of)
                .collect();
            [0, 1, 2, 3].map(|i| Some(rems[i].clone()))
        },
        personalization_value: Some(hex_of(&realm["personalization-value"])),
        sw_measurements: Some(
            rv["platform"][0]["sw-components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| hex_of(&c["measurement-value"]))
                .collect(),
        ),
        ..CcaPolicy::default()
    };
    let keys = keys_from(test, "trustee/tastore.json").unwrap().unwrap();
    let bytes = support::corpus_file(test, "cca/trustee/cca-example-token.cbor").unwrap();
    let token = CcaToken::decode(&bytes).unwrap();
    let appraisal =
        verify::verify_token(&token, token.realm().claims().challenge(), &keys, &policy).unwrap();
    for rule in ["rim", "rems", "personalization-value", "sw-components"] {
        assert!(
            appraisal.passed.contains(&Check::Policy(rule.into())),
            "{rule}"
        );
    }
    // cca-token-01 is another realm on another firmware: the RIM differs first.
    let keys = keys_from(test, "rust-ccatoken/ta-tfa.json")
        .unwrap()
        .unwrap();
    let bytes = support::corpus_file(test, "cca/rust-ccatoken/cca-token-01.cbor").unwrap();
    let other = CcaToken::decode(&bytes).unwrap();
    let err = verify::verify_token(&other, other.realm().claims().challenge(), &keys, &policy)
        .unwrap_err();
    assert_eq!(
        err.check_failed().unwrap().check,
        Check::Policy("rim".into())
    );
    // Without the realm rules, its 4 firmware components are still not the trustee ones.
    let platform_only = CcaPolicy {
        sw_measurements: policy.sw_measurements.clone(),
        ..CcaPolicy::default()
    };
    let err = verify::verify_token(
        &other,
        other.realm().claims().challenge(),
        &keys,
        &platform_only,
    )
    .unwrap_err();
    assert_eq!(
        err.check_failed().unwrap().check,
        Check::Policy("sw-components".into())
    );
}
