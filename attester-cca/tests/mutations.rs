//! Mutations of real tokens: every bit flip in a signed payload or a signature, every
//! truncation, a realm token checked with the platform key, realm tokens swapped between
//! platforms. None may verify; none may panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_cca::trust::PlatformKeys;
use attester_cca::verify::{self, CcaPolicy};
use attester_cca::{CcaToken, hash_alg_from_name};
use attester_core::crypto::{self, Curve, PublicKey};
use attester_core::{Check, Error};
use minicbor::Encoder;
use minicbor::data::Tag;

const TOKENS: [(&str, &str); 2] = [
    (
        "cca/trustee/cca-example-token.cbor",
        "cca/trustee/cpak-pub.json",
    ),
    (
        "cca/tf-m-tools/cca_example_token.cbor",
        "cca/veraison-ccatoken/cca_platform.pub",
    ),
];

fn load(test: &str, token: &str, key: &str) -> Option<(Vec<u8>, PlatformKeys)> {
    let bytes = support::corpus_file(test, token)?;
    let mut keys = PlatformKeys::new();
    keys.add_file(&support::corpus_file(test, key)?).unwrap();
    Some((bytes, keys))
}

/// Full verification with the token's own realm challenge as the expected one.
fn verify_all(bytes: &[u8], keys: &PlatformKeys) -> Result<(), Error> {
    let token = CcaToken::decode(bytes)?;
    let challenge = token.realm().claims().challenge().to_vec();
    verify::verify_token(&token, &challenge, keys, &CcaPolicy::default()).map(|_| ())
}

/// The byte range of `inner` inside `outer` (both borrowed from the same buffer).
fn range_of(outer: &[u8], inner: &[u8]) -> std::ops::Range<usize> {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    start..start + inner.len()
}

#[test]
fn every_bit_flip_in_payloads_and_signatures_fails() {
    // Every bit of the first token; one bit per byte (rotating) of the second, to bound the
    // run time of a debug build.
    for (round, (token, key)) in TOKENS.into_iter().enumerate() {
        let Some((bytes, keys)) = load(
            "every_bit_flip_in_payloads_and_signatures_fails",
            token,
            key,
        ) else {
            return;
        };
        verify_all(&bytes, &keys).unwrap();
        let decoded = CcaToken::decode(&bytes).unwrap();
        let ranges = [
            range_of(&bytes, decoded.platform().signed().message().payload),
            range_of(&bytes, decoded.platform().signed().message().signature),
            range_of(&bytes, decoded.realm().signed().message().payload),
            range_of(&bytes, decoded.realm().signed().message().signature),
            range_of(&bytes, decoded.platform().signed().message().protected),
            range_of(&bytes, decoded.realm().signed().message().protected),
        ];
        let mut flips = 0;
        for range in ranges {
            for index in range {
                let bits = if round == 0 {
                    0..8
                } else {
                    index % 8..index % 8 + 1
                };
                for bit in bits {
                    let mut mutated = bytes.clone();
                    mutated[index] ^= 1 << bit;
                    assert!(
                        verify_all(&mutated, &keys).is_err(),
                        "{token}: flip of bit {bit} of byte {index} verified"
                    );
                    flips += 1;
                }
            }
        }
        assert!(flips > 1000, "{token}: only {flips} flips");
    }
}

#[test]
fn every_truncation_fails_to_decode() {
    for (token, key) in TOKENS {
        let Some((bytes, _)) = load("every_truncation_fails_to_decode", token, key) else {
            return;
        };
        for len in 0..bytes.len() {
            assert!(CcaToken::decode(&bytes[..len]).is_err(), "{token}: {len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(CcaToken::decode(&longer).is_err(), "{token}: trailing byte");
    }
}

#[test]
fn the_realm_token_does_not_verify_with_the_platform_key() {
    let test = "the_realm_token_does_not_verify_with_the_platform_key";
    for (token, key) in TOKENS {
        let Some((bytes, _)) = load(test, token, key) else {
            return;
        };
        let jwk: serde_json::Value = serde_json::from_slice(
            &support::corpus_file(test, "cca/trustee/cpak-pub.json").unwrap(),
        )
        .unwrap();
        let cpak = attester_cca::trust::PlatformKey::from_jwk(&jwk).unwrap();
        let decoded = CcaToken::decode(&bytes).unwrap();
        let err = verify::verify_signed(decoded.realm().signed(), cpak.public_key(), "realm")
            .unwrap_err();
        assert_eq!(err.check_failed().unwrap().check, Check::Signature);
        // And the platform token does not verify with the RAK.
        let rak = decoded.realm().claims().public_key();
        let err = verify::verify_signed(
            decoded.platform().signed(),
            PublicKey::EcPoint {
                curve: Curve::P384,
                sec1: rak.sec1_point(),
            },
            "platform",
        )
        .unwrap_err();
        assert_eq!(err.check_failed().unwrap().check, Check::Signature);
    }
}

/// A tag-399 collection of the given platform and realm COSE_Sign1 bytes.
fn collection(platform: &[u8], realm: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = Encoder::new(&mut out);
    e.tag(Tag::new(399))
        .unwrap()
        .map(2)
        .unwrap()
        .u32(44234)
        .unwrap()
        .bytes(platform)
        .unwrap()
        .u32(44241)
        .unwrap()
        .bytes(realm)
        .unwrap();
    out
}

#[test]
fn swapped_realm_tokens_fail_on_the_binding() {
    let test = "swapped_realm_tokens_fail_on_the_binding";
    let Some(tokens) = support::cca_tokens(test) else {
        return;
    };
    let mut keys = PlatformKeys::new();
    for file in [
        "cca/trustee/cpak-pub.json",
        "cca/rust-ccatoken/ta-02-ok.json",
    ] {
        keys.add_file(&support::corpus_file(test, file).unwrap())
            .unwrap();
    }
    let decoded: Vec<(String, CcaToken<'_>)> = tokens
        .iter()
        .map(|(name, bytes, _)| (name.clone(), CcaToken::decode(bytes).unwrap()))
        .collect();
    let mut refused = 0;
    for (a_name, a) in &decoded {
        for (b_name, b) in &decoded {
            if a_name == b_name {
                continue;
            }
            let swapped = collection(a.platform().signed().bytes(), b.realm().signed().bytes());
            let token = CcaToken::decode(&swapped).unwrap();
            // Whether B's realm token was issued under A's platform token, computed here
            // independently of the verifier.
            let realm = b.realm().claims();
            let alg = hash_alg_from_name(realm.public_key_hash_algorithm()).unwrap();
            let bound = crypto::digest(alg, realm.public_key().claim_bytes()).as_bytes()
                == a.platform().claims().challenge();
            let result = verify::verify_signatures_and_binding(&token, &keys);
            if bound {
                // The same FVP RAK under the same platform key: the binding holds, as it
                // should (it ties the realm key, not one token, to the platform).
                if a_name.contains("bug-33") {
                    continue;
                }
                result.unwrap_or_else(|e| panic!("{a_name} + {b_name}: {e}"));
            } else {
                let err = result.unwrap_err();
                assert_eq!(
                    err.check_failed().unwrap().check,
                    Check::Binding,
                    "{a_name} + {b_name}: {err}"
                );
                refused += 1;
            }
        }
    }
    assert!(refused >= 20, "only {refused} swaps refused");
}
