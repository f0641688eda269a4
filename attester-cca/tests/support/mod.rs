//! The corpus helpers shared by every crate's corpus tests (one copy, in attester-core), and
//! the CCA token list.

#![allow(dead_code)]

#[path = "../../../attester-core/tests/support/mod.rs"]
mod corpus;

pub use corpus::*;

/// Every CCA token of the corpus with its expected values (`cca/expected-values.json`), or
/// `None` (announced) without a corpus.
pub fn cca_tokens(test: &str) -> Option<Vec<(String, Vec<u8>, serde_json::Value)>> {
    let expected = corpus_file(test, "cca/expected-values.json")?;
    let expected: serde_json::Value = serde_json::from_slice(&expected).unwrap();
    let map = expected.as_object().unwrap();
    assert!(
        map.len() >= 8,
        "expected-values.json lists {} tokens",
        map.len()
    );
    Some(
        map.iter()
            .map(|(name, values)| {
                let bytes = corpus_file(test, &format!("cca/{name}")).unwrap();
                (name.clone(), bytes, values.clone())
            })
            .collect(),
    )
}
