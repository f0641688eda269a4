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
    /// Rules for Arm CCA tokens.
    #[serde(default)]
    pub cca: CcaRules,
    /// Rules for AMD SEV-SNP evidence (`snp` and `mock-snp`).
    #[serde(default)]
    pub snp: SnpRules,
    /// Rules for Intel TDX evidence (`tdx` and `mock-tdx`).
    #[serde(default)]
    pub tdx: crate::tdx::TdxRules,
}

/// Rules for Arm CCA tokens (`docs/policy.md`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CcaRules {
    /// Accepted platform profiles (default: the two RMM ones).
    #[serde(default)]
    pub platform_profiles: Option<Vec<String>>,
    /// Accepted realm profiles (default: absent and the two RMM ones; `""` means absent).
    #[serde(default)]
    pub realm_profiles: Option<Vec<String>>,
    /// The expected realm initial measurement, hex.
    #[serde(default, with = "optional_hex")]
    pub rim: Option<Vec<u8>>,
    /// The expected REMs, four hex strings or nulls (null: not checked).
    #[serde(default, with = "rems_hex")]
    pub rems: [Option<Vec<u8>>; 4],
    /// The expected realm personalization value, hex.
    #[serde(default, with = "optional_hex")]
    pub personalization_value: Option<Vec<u8>>,
    /// Accepted software component measurements, hex: every component must have one of them.
    #[serde(default, with = "optional_hex_list")]
    pub sw_measurements: Option<Vec<Vec<u8>>>,
}

mod rems_hex {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[Option<Vec<u8>>; 4], D::Error> {
        let texts = <[Option<String>; 4]>::deserialize(d)?;
        let mut out: [Option<Vec<u8>>; 4] = Default::default();
        for (slot, text) in out.iter_mut().zip(texts) {
            if let Some(text) = text {
                *slot = Some(hex::decode(text).map_err(serde::de::Error::custom)?);
            }
        }
        Ok(out)
    }
}

mod optional_hex_list {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Vec<u8>>>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        texts
            .iter()
            .map(|t| hex::decode(t).map_err(serde::de::Error::custom))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

/// Rules for AMD SEV-SNP evidence.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnpRules {
    /// Accept reports signed by a VLEK (a cloud provider's key); default `true`.
    #[serde(default = "yes")]
    pub allow_vlek: bool,
    /// The lowest REPORTED_TCB accepted, per component.
    #[serde(default)]
    pub min_tcb: Option<SnpMinTcb>,
    /// The lowest GUEST_SVN accepted.
    #[serde(default)]
    pub min_guest_svn: Option<u32>,
    /// The VMPLs a report may be requested for.
    #[serde(default)]
    pub vmpls: Option<Vec<u32>>,
    /// The expected MEASUREMENT, 48 bytes as hex.
    #[serde(default, with = "optional_hex")]
    pub measurement: Option<Vec<u8>>,
    /// The expected HOST_DATA, 32 bytes as hex.
    #[serde(default, with = "optional_hex")]
    pub host_data: Option<Vec<u8>>,
    /// The expected ID_KEY_DIGEST, 48 bytes as hex.
    #[serde(default, with = "optional_hex")]
    pub id_key_digest: Option<Vec<u8>>,
    /// The expected AUTHOR_KEY_DIGEST, 48 bytes as hex.
    #[serde(default, with = "optional_hex")]
    pub author_key_digest: Option<Vec<u8>>,
}

fn yes() -> bool {
    true
}

impl Default for SnpRules {
    fn default() -> Self {
        Self {
            allow_vlek: true,
            min_tcb: None,
            min_guest_svn: None,
            vmpls: None,
            measurement: None,
            host_data: None,
            id_key_digest: None,
            author_key_digest: None,
        }
    }
}

/// A minimum SEV-SNP TCB: each component at least this (absent components are 0; `fmc` is
/// checked only when given, and only Turin and later have one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnpMinTcb {
    /// The boot loader SPL.
    #[serde(default)]
    pub bootloader: u8,
    /// The PSP OS (TEE) SPL.
    #[serde(default)]
    pub tee: u8,
    /// The SNP firmware SPL.
    #[serde(default)]
    pub snp: u8,
    /// The microcode SPL.
    #[serde(default)]
    pub microcode: u8,
    /// The FMC SPL (Turin and later).
    #[serde(default)]
    pub fmc: Option<u8>,
}

impl SnpRules {
    /// The rules as attester-snp's policy, with `allow_debug` from the top level.
    pub fn to_snp_policy(&self, allow_debug: bool) -> Result<attester_snp::verify::Policy> {
        Ok(attester_snp::verify::Policy {
            allow_debug,
            allow_vlek: self.allow_vlek,
            min_tcb: self.min_tcb.map(|m| attester_snp::Tcb {
                fmc: m.fmc,
                bootloader: m.bootloader,
                tee: m.tee,
                snp: m.snp,
                microcode: m.microcode,
            }),
            min_guest_svn: self.min_guest_svn,
            allowed_vmpls: self.vmpls.clone(),
            measurement: fixed(&self.measurement, "snp.measurement")?,
            host_data: fixed(&self.host_data, "snp.host_data")?,
            id_key_digest: fixed(&self.id_key_digest, "snp.id_key_digest")?,
            author_key_digest: fixed(&self.author_key_digest, "snp.author_key_digest")?,
        })
    }
}

/// A hex value of exactly `N` bytes.
fn fixed<const N: usize>(value: &Option<Vec<u8>>, key: &'static str) -> Result<Option<[u8; N]>> {
    value
        .as_deref()
        .map(|bytes| {
            <[u8; N]>::try_from(bytes).map_err(|_| {
                Error::malformed(
                    "policy file",
                    format!("{key} is {} bytes, not {N}", bytes.len()),
                )
            })
        })
        .transpose()
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
    fn reads_snp_rules() {
        let p = Policy::from_json(
            r#"{"snp": {"allow_vlek": false, "min_tcb": {"snp": 8, "microcode": 115},
                "vmpls": [0], "host_data": "0000000000000000000000000000000000000000000000000000000000000000"}}"#,
        )
        .unwrap();
        let snp = p.snp.to_snp_policy(false).unwrap();
        assert!(!snp.allow_vlek && !snp.allow_debug);
        assert_eq!(snp.min_tcb.unwrap().microcode, 115);
        assert_eq!(snp.allowed_vmpls, Some(vec![0]));
        assert_eq!(snp.host_data, Some([0; 32]));
        assert!(Policy::from_json("{}").unwrap().snp.allow_vlek);
        assert!(Policy::from_json(r#"{"snp": {"vmpl": [0]}}"#).is_err());
        let short = Policy::from_json(r#"{"snp": {"measurement": "00ff"}}"#).unwrap();
        assert!(short.snp.to_snp_policy(false).is_err());
    }

    #[test]
    fn reads_rules() {
        let p =
            Policy::from_json(r#"{"allow_debug": true, "mock": {"measurement": "00ff"}}"#).unwrap();
        assert!(p.allow_debug);
        assert_eq!(p.mock.measurement, Some(vec![0, 0xff]));
    }

    #[test]
    fn reads_cca_rules() {
        let p = Policy::from_json(
            r#"{"cca": {"rim": "0a", "rems": [null, "0b", null, null],
                "personalization_value": "0c", "sw_measurements": ["0d", "0e"],
                "platform_profiles": ["p"], "realm_profiles": [""]}}"#,
        )
        .unwrap();
        assert_eq!(p.cca.rim, Some(vec![0x0a]));
        assert_eq!(p.cca.rems, [None, Some(vec![0x0b]), None, None]);
        assert_eq!(p.cca.personalization_value, Some(vec![0x0c]));
        assert_eq!(p.cca.sw_measurements, Some(vec![vec![0x0d], vec![0x0e]]));
        assert_eq!(p.cca.realm_profiles, Some(vec![String::new()]));
        assert!(Policy::from_json(r#"{"cca": {"rim": "0g"}}"#).is_err());
        assert!(Policy::from_json(r#"{"cca": {"rems": ["00"]}}"#).is_err());
        assert!(Policy::from_json(r#"{"cca": {"lifecycle": 1}}"#).is_err());
    }
}
