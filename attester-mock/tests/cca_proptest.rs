//! Property tests of CCA decoding and verification on mock-cca tokens: random bytes and
//! random mutations (byte edits, insertions, deletions, truncations) never panic, and a
//! mutated token verifies only when every signed byte is still the original.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_cca::trust::PlatformKeys;
use attester_cca::verify::{self, CcaPolicy};
use attester_cca::{CcaToken, Collection, RakEncoding};
use attester_mock::cca::MockCca;
use proptest::prelude::*;
use std::sync::OnceLock;

const CHALLENGE: [u8; 64] = [0x42; 64];

struct Fixture {
    tokens: Vec<Vec<u8>>,
    keys: PlatformKeys,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut tokens = Vec::new();
        for collection in [Collection::Legacy, Collection::Cmw] {
            for rak in [RakEncoding::RawPoint, RakEncoding::CoseKey] {
                let mock = MockCca::from_default_seed()
                    .unwrap()
                    .with_collection(collection)
                    .with_rak_encoding(rak);
                tokens.push(mock.token(&CHALLENGE).unwrap());
            }
        }
        let keys = MockCca::from_default_seed()
            .unwrap()
            .platform_keys()
            .unwrap();
        Fixture { tokens, keys }
    })
}

/// The signed bytes of a token: both protected headers, payloads and signatures.
fn signed_parts(token: &CcaToken<'_>) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for signed in [token.platform().signed(), token.realm().signed()] {
        let m = signed.message();
        out.push(m.protected.to_vec());
        out.push(m.payload.to_vec());
        out.push(m.signature.to_vec());
    }
    out
}

#[derive(Clone, Debug)]
enum Mutation {
    Xor(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1..=255u8).prop_map(|(i, b)| Mutation::Xor(i, b)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<prop::sample::Index>().prop_map(Mutation::Delete),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::Xor(i, b) => {
            let i = i.index(bytes.len());
            bytes[i] ^= b;
        }
        Mutation::Insert(i, b) => {
            let i = i.index(bytes.len() + 1);
            bytes.insert(i, *b);
        }
        Mutation::Delete(i) => {
            let i = i.index(bytes.len());
            bytes.remove(i);
        }
        Mutation::Truncate(i) => {
            let i = i.index(bytes.len());
            bytes.truncate(i);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = CcaToken::decode(&bytes);
        // With a collection tag in front, decoding gets past the first check.
        for prefix in [[0xd9, 0x01, 0x8f], [0xd9, 0x03, 0x8b]] {
            let mut tagged = prefix.to_vec();
            tagged.extend(&bytes);
            let _ = CcaToken::decode(&tagged);
        }
    }

    #[test]
    fn mutated_tokens_verify_only_with_every_signed_byte_intact(
        which in 0..4usize,
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let f = fixture();
        let original = &f.tokens[which];
        let mut bytes = original.clone();
        for m in &mutations {
            if bytes.is_empty() {
                break;
            }
            apply(&mut bytes, m);
        }
        let Ok(token) = CcaToken::decode(&bytes) else {
            return Ok(());
        };
        let result = verify::verify_token(&token, &CHALLENGE, &f.keys, &CcaPolicy::default());
        if result.is_ok() {
            let before = CcaToken::decode(original).unwrap();
            prop_assert_eq!(signed_parts(&token), signed_parts(&before));
        } else {
            prop_assert!(result.unwrap_err().check_failed().is_some());
        }
    }
}

#[test]
fn the_fixture_verifies() {
    let f = fixture();
    for token in &f.tokens {
        let token = CcaToken::decode(token).unwrap();
        verify::verify_token(&token, &CHALLENGE, &f.keys, &CcaPolicy::default()).unwrap();
    }
}
