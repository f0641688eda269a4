//! What a backend accepts and how it places the challenge into its platform's field.

use crate::challenge::Challenge;
use crate::error::{Error, Result};
use std::ops::RangeInclusive;

/// The largest challenge field of any platform (SNP REPORT_DATA, TDX REPORTDATA, CCA challenge).
pub const MAX_FIELD_LEN: usize = 64;

/// How a challenge becomes the exact bytes of the platform's field.
///
/// Nothing is ever truncated or hashed: a challenge longer than the field is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FillRule {
    /// The field holds the challenge exactly, at its own length (TPM extraData, EAT nonce).
    Exact,
    /// The challenge, then zero bytes up to `field_len` (SNP, TDX, CCA: 64).
    ZeroPad {
        /// The fixed size of the field.
        field_len: usize,
    },
}

impl FillRule {
    /// The stable name recorded in evidence: `exact` or `zero-pad-N`.
    pub fn name(&self) -> String {
        match self {
            Self::Exact => "exact".to_owned(),
            Self::ZeroPad { field_len } => format!("zero-pad-{field_len}"),
        }
    }

    /// Parses a name written by [`FillRule::name`].
    pub fn from_name(name: &str) -> Result<Self> {
        if name == "exact" {
            return Ok(Self::Exact);
        }
        let field_len = name
            .strip_prefix("zero-pad-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (1..=MAX_FIELD_LEN).contains(n))
            .ok_or_else(|| Error::malformed("fill rule", format!("unknown rule `{name}`")))?;
        Ok(Self::ZeroPad { field_len })
    }

    /// The exact field value for `challenge`.
    pub fn fill(&self, challenge: &Challenge) -> Result<FieldValue> {
        let bytes = challenge.as_bytes();
        let len = match *self {
            Self::Exact => bytes.len(),
            Self::ZeroPad { field_len } => field_len,
        };
        if bytes.len() > len || len > MAX_FIELD_LEN {
            return Err(Error::ChallengeLength {
                len: bytes.len(),
                min: 0,
                max: len.min(MAX_FIELD_LEN),
                what: "the platform field",
            });
        }
        let mut value = FieldValue {
            bytes: [0; MAX_FIELD_LEN],
            len,
        };
        if let Some(head) = value.bytes.get_mut(..bytes.len()) {
            head.copy_from_slice(bytes);
        }
        Ok(value)
    }
}

/// The bytes a platform field must hold, inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldValue {
    bytes: [u8; MAX_FIELD_LEN],
    len: usize,
}

impl FieldValue {
    /// The field bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl AsRef<[u8]> for FieldValue {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// What a backend can do, known before attesting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The challenge lengths the backend accepts.
    pub challenge_lengths: RangeInclusive<usize>,
    /// The name of the field the challenge fills, as the platform's spec spells it.
    pub field: &'static str,
    /// How the challenge is placed into the field.
    pub fill: FillRule,
    /// Whether the backend implements [`crate::ExtendMeasurement`], and what it can extend.
    pub extend: Option<ExtendSupport>,
}

impl Capabilities {
    /// Checks that `challenge` is accepted, then returns its field value.
    pub fn field_value(&self, challenge: &Challenge) -> Result<FieldValue> {
        let len = challenge.len();
        if !self.challenge_lengths.contains(&len) {
            return Err(Error::ChallengeLength {
                len,
                min: *self.challenge_lengths.start(),
                max: *self.challenge_lengths.end(),
                what: self.field,
            });
        }
        self.fill.fill(challenge)
    }
}

/// Which measurement registers a backend can extend at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendSupport {
    /// The register indices that may be extended (TPM PCRs, TDX RTMR 2 and 3).
    pub registers: Vec<u32>,
    /// The digest length each extension takes, in bytes.
    pub digest_len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn zero_pad_places_challenge_first() {
        let c = Challenge::new(&[7; 32]).unwrap();
        let v = FillRule::ZeroPad { field_len: 64 }.fill(&c).unwrap();
        assert_eq!(&v.as_bytes()[..32], &[7; 32]);
        assert_eq!(&v.as_bytes()[32..], &[0; 32]);
    }

    #[test]
    fn exact_keeps_length() {
        let c = Challenge::new(&[7; 20]).unwrap();
        assert_eq!(FillRule::Exact.fill(&c).unwrap().as_bytes(), &[7; 20]);
    }

    #[test]
    fn never_truncates() {
        let c = Challenge::new(&[7; 48]).unwrap();
        let err = FillRule::ZeroPad { field_len: 32 }.fill(&c).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ChallengeTooLong);
        let caps = Capabilities {
            challenge_lengths: 8..=34,
            field: "extraData",
            fill: FillRule::Exact,
            extend: None,
        };
        assert_eq!(
            caps.field_value(&c).unwrap_err().kind(),
            ErrorKind::ChallengeTooLong
        );
    }

    #[test]
    fn names_round_trip() {
        for rule in [FillRule::Exact, FillRule::ZeroPad { field_len: 64 }] {
            assert_eq!(FillRule::from_name(&rule.name()).unwrap(), rule);
        }
        assert!(FillRule::from_name("zero-pad-65").is_err());
        assert!(FillRule::from_name("hash").is_err());
    }
}
