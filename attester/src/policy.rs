//! The appraisal policy file (`--policy FILE`), documented in `docs/policy.md`.
//!
//! The default policy rejects exactly one thing beyond the cryptographic checks: a debug
//! guest. Everything else is checked only when the file asks for it. Unknown keys are errors,
//! so a misspelt rule never silently does nothing.

use attester_core::{Error, Result};
use serde::Deserialize;

/// The whole policy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Accept a debug guest (also set by `--allow-debug`).
    #[serde(default)]
    pub allow_debug: bool,
    /// Rules for the mock platform.
    #[serde(default)]
    pub mock: MockRules,
}

/// Rules for the mock platform.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MockRules {
    /// The expected measurement, 48 bytes as hex.
    #[serde(default, with = "optional_hex")]
    pub measurement: Option<Vec<u8>>,
}

mod optional_hex {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        let text = String::deserialize(d)?;
        hex::decode(&text)
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}

impl Policy {
    /// Parses a policy file's JSON.
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| Error::malformed("policy file", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_policy_is_default() {
        assert_eq!(Policy::from_json("{}").unwrap(), Policy::default());
    }

    #[test]
    fn unknown_keys_and_bad_hex_are_errors() {
        assert!(Policy::from_json(r#"{"allow_debugg": true}"#).is_err());
        assert!(Policy::from_json(r#"{"mock": {"measurment": "00"}}"#).is_err());
        assert!(Policy::from_json(r#"{"mock": {"measurement": "0g"}}"#).is_err());
    }

    #[test]
    fn reads_rules() {
        let p =
            Policy::from_json(r#"{"allow_debug": true, "mock": {"measurement": "00ff"}}"#).unwrap();
        assert!(p.allow_debug);
        assert_eq!(p.mock.measurement, Some(vec![0, 0xff]));
    }
}
