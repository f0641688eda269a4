//! Property tests of decoding on the corpus tokens: random truncations, bit flips, byte
//! insertions and deletions never panic; a truncated token never decodes; and whatever
//! decodes is well-formed CBOR by minicbor's judgement too (the decoder's reader replaced
//! minicbor on this path, so minicbor checks it here), with every claim inside the input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_cca::CcaToken;
use proptest::prelude::*;
use std::sync::OnceLock;

/// The corpus tokens, or `None` (announced) without a corpus.
fn tokens() -> Option<&'static [Vec<u8>]> {
    static TOKENS: OnceLock<Option<Vec<Vec<u8>>>> = OnceLock::new();
    TOKENS
        .get_or_init(|| {
            support::cca_tokens("attester-cca proptest")
                .map(|tokens| tokens.into_iter().map(|(_, bytes, _)| bytes).collect())
        })
        .as_deref()
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), 0..8u8).prop_map(|(i, bit)| Mutation::Flip(i, bit)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<prop::sample::Index>().prop_map(Mutation::Delete),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    match m {
        Mutation::Flip(i, bit) => {
            let i = i.index(bytes.len());
            bytes[i] ^= 1 << bit;
        }
        Mutation::Insert(i, b) => bytes.insert(i.index(bytes.len() + 1), *b),
        Mutation::Delete(i) => {
            bytes.remove(i.index(bytes.len()));
        }
    }
}

fn inside(outer: &[u8], inner: &[u8]) -> bool {
    let start = outer.as_ptr() as usize;
    let p = inner.as_ptr() as usize;
    inner.is_empty() || (p >= start && p + inner.len() <= start + outer.len())
}

/// What must hold of any input that decodes.
fn check_decoded(bytes: &[u8], token: &CcaToken<'_>) -> Result<(), TestCaseError> {
    // Well-formed, one item spanning the input, as minicbor sees it.
    let mut d = minicbor::Decoder::new(bytes);
    prop_assert!(d.skip().is_ok());
    prop_assert_eq!(d.position(), bytes.len());
    for payload in [
        token.platform().signed().message().payload,
        token.realm().signed().message().payload,
    ] {
        let mut d = minicbor::Decoder::new(payload);
        prop_assert!(d.skip().is_ok());
        prop_assert_eq!(d.position(), payload.len());
    }
    let p = token.platform().claims();
    let r = token.realm().claims();
    for part in [
        p.challenge(),
        p.implementation_id(),
        p.instance_id(),
        p.config(),
        r.challenge(),
        r.personalization_value(),
        r.initial_measurement(),
        r.public_key().claim_bytes(),
    ] {
        prop_assert!(inside(bytes, part));
    }
    prop_assert_eq!(p.sw_components().iter().count(), p.sw_components().len());
    for c in p.sw_components() {
        prop_assert!(inside(bytes, c.measurement_value()));
        prop_assert!(inside(bytes, c.signer_id()));
        prop_assert!(matches!(c.measurement_value().len(), 32 | 48 | 64));
    }
    // Deterministic.
    prop_assert_eq!(&CcaToken::decode(bytes).unwrap(), token);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn truncated_tokens_never_decode(which in any::<prop::sample::Index>(), cut in any::<prop::sample::Index>()) {
        let Some(tokens) = tokens() else { return Ok(()) };
        let bytes = which.get(tokens);
        let cut = cut.index(bytes.len());
        prop_assert!(CcaToken::decode(&bytes[..cut]).is_err());
    }

    #[test]
    fn mutated_tokens_never_panic_and_decode_only_well_formed(
        which in any::<prop::sample::Index>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let Some(tokens) = tokens() else { return Ok(()) };
        let mut bytes = which.get(tokens).clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        if let Ok(token) = CcaToken::decode(&bytes) {
            check_decoded(&bytes, &token)?;
        }
    }
}

#[test]
fn every_corpus_token_passes_the_checks() {
    let Some(tokens) = tokens() else {
        return;
    };
    for bytes in tokens {
        let token = CcaToken::decode(bytes).unwrap();
        check_decoded(bytes, &token).unwrap();
    }
}
