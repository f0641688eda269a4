//! The claims of the mock EAT (RFC 9711), CBOR-encoded as a CWT claims set.
//!
//! The mock is a real EAT: a verifier that understands EAT can read it. The claim set is fixed
//! and decoded strictly (every claim required, no other claims, no duplicates) because the mock
//! verifier is a test of the production path, not a general EAT appraiser.

use attester_core::{Error, Result};
use minicbor::data::Type;
use minicbor::{Decoder, Encoder};

pub use attester_core::media_types::MOCK_EAT_PROFILE;

/// CWT claim key `iat` (RFC 8392).
pub const CLAIM_IAT: i64 = 6;
/// EAT claim key `eat_nonce`.
pub const CLAIM_NONCE: i64 = 10;
/// EAT claim key `ueid`.
pub const CLAIM_UEID: i64 = 256;
/// EAT claim key `dbgstat`.
pub const CLAIM_DBGSTAT: i64 = 263;
/// EAT claim key `eat_profile`.
pub const CLAIM_PROFILE: i64 = 265;
/// EAT claim key `measurements`.
pub const CLAIM_MEASUREMENTS: i64 = 273;

/// The CoAP content format of `application/octet-stream`, the type of the mock's measurement
/// (a bare SHA-384 digest of the mock image).
pub const MEASUREMENT_CONTENT_FORMAT: u64 = 42;

/// The length of a mock measurement (SHA-384).
pub const MEASUREMENT_LEN: usize = 48;

const WHAT: &str = "mock EAT claims";

/// RFC 9711 §4.2.9 debug status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DebugStatus {
    /// 0: debug is enabled: the default policy rejects this.
    Enabled,
    /// 1: debug is disabled.
    Disabled,
    /// 2: disabled since boot.
    DisabledSinceBoot,
    /// 3: disabled permanently.
    DisabledPermanently,
    /// 4: disabled fully and permanently.
    DisabledFullyAndPermanently,
}

impl DebugStatus {
    fn from_code(code: u64) -> Result<Self> {
        Ok(match code {
            0 => Self::Enabled,
            1 => Self::Disabled,
            2 => Self::DisabledSinceBoot,
            3 => Self::DisabledPermanently,
            4 => Self::DisabledFullyAndPermanently,
            other => {
                return Err(Error::malformed(
                    WHAT,
                    format!("dbgstat {other} is not 0..=4"),
                ));
            }
        })
    }

    fn code(self) -> u64 {
        match self {
            Self::Enabled => 0,
            Self::Disabled => 1,
            Self::DisabledSinceBoot => 2,
            Self::DisabledPermanently => 3,
            Self::DisabledFullyAndPermanently => 4,
        }
    }
}

/// The mock's claims.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MockClaims {
    /// `eat_nonce`: the challenge, exactly.
    #[serde(with = "hex_bytes")]
    pub nonce: Vec<u8>,
    /// `ueid`: type byte 0x01 (RAND) and 32 bytes derived from the PKI seed.
    #[serde(with = "hex_bytes")]
    pub ueid: Vec<u8>,
    /// `dbgstat`.
    pub debug: DebugStatus,
    /// `measurements`: the SHA-384 of the mock image.
    #[serde(with = "hex_bytes")]
    pub measurement: Vec<u8>,
    /// `iat`: seconds since the Unix epoch when the token was made.
    pub issued_at: i64,
}

mod hex_bytes {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }
}

impl MockClaims {
    /// The deterministic CBOR claims map (keys in ascending order).
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::with_capacity(160 + self.nonce.len()));
        // Writing into a Vec cannot fail.
        let _ = e
            .map(6)
            .and_then(|e| e.i64(CLAIM_IAT))
            .and_then(|e| e.i64(self.issued_at))
            .and_then(|e| e.i64(CLAIM_NONCE))
            .and_then(|e| e.bytes(&self.nonce))
            .and_then(|e| e.i64(CLAIM_UEID))
            .and_then(|e| e.bytes(&self.ueid))
            .and_then(|e| e.i64(CLAIM_DBGSTAT))
            .and_then(|e| e.u64(self.debug.code()))
            .and_then(|e| e.i64(CLAIM_PROFILE))
            .and_then(|e| e.str(MOCK_EAT_PROFILE))
            .and_then(|e| e.i64(CLAIM_MEASUREMENTS))
            .and_then(|e| e.array(1))
            .and_then(|e| e.array(2))
            .and_then(|e| e.u64(MEASUREMENT_CONTENT_FORMAT))
            .and_then(|e| e.bytes(&self.measurement));
        e.into_writer()
    }

    /// Decodes a claims map strictly: all six claims, nothing else, no duplicates, no
    /// trailing bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        let mut d = Decoder::new(bytes);
        let entries = d
            .map()
            .map_err(cbor)?
            .ok_or_else(|| malformed("indefinite map"))?;
        if entries != 6 {
            return Err(malformed(format!(
                "{entries} claims; the mock has exactly 6"
            )));
        }
        let mut claims = PartialClaims::default();
        for _ in 0..entries {
            let key = d.i64().map_err(cbor)?;
            claims.read(key, &mut d)?;
        }
        if d.position() != bytes.len() {
            return Err(malformed("trailing bytes after the claims"));
        }
        claims.finish()
    }
}

#[derive(Default)]
struct PartialClaims {
    issued_at: Option<i64>,
    nonce: Option<Vec<u8>>,
    ueid: Option<Vec<u8>>,
    debug: Option<DebugStatus>,
    profile: bool,
    measurement: Option<Vec<u8>>,
}

fn set<T>(slot: &mut Option<T>, value: T, key: i64) -> Result<()> {
    if slot.replace(value).is_some() {
        return Err(malformed(format!("claim {key} appears twice")));
    }
    Ok(())
}

impl PartialClaims {
    fn read(&mut self, key: i64, d: &mut Decoder<'_>) -> Result<()> {
        match key {
            CLAIM_IAT => set(&mut self.issued_at, d.i64().map_err(cbor)?, key),
            CLAIM_NONCE => {
                let nonce = d.bytes().map_err(cbor)?;
                if !(8..=64).contains(&nonce.len()) {
                    return Err(malformed(format!("eat_nonce of {} bytes", nonce.len())));
                }
                set(&mut self.nonce, nonce.to_vec(), key)
            }
            CLAIM_UEID => {
                let ueid = d.bytes().map_err(cbor)?;
                if ueid.len() != 33 || ueid.first() != Some(&0x01) {
                    return Err(malformed("ueid is not a 33-byte RAND ueid"));
                }
                set(&mut self.ueid, ueid.to_vec(), key)
            }
            CLAIM_DBGSTAT => {
                let status = DebugStatus::from_code(d.u64().map_err(cbor)?)?;
                set(&mut self.debug, status, key)
            }
            CLAIM_PROFILE => {
                if self.profile {
                    return Err(malformed("eat_profile appears twice"));
                }
                let profile = d.str().map_err(cbor)?;
                if profile != MOCK_EAT_PROFILE {
                    return Err(malformed(format!(
                        "eat_profile `{profile}` is not the mock's"
                    )));
                }
                self.profile = true;
                Ok(())
            }
            CLAIM_MEASUREMENTS => {
                let measurement = read_measurement(d)?;
                set(&mut self.measurement, measurement, key)
            }
            other => Err(malformed(format!("unexpected claim {other}"))),
        }
    }

    fn finish(self) -> Result<MockClaims> {
        let missing = |name: &str| malformed(format!("claim {name} missing"));
        if !self.profile {
            return Err(missing("eat_profile"));
        }
        Ok(MockClaims {
            nonce: self.nonce.ok_or_else(|| missing("eat_nonce"))?,
            ueid: self.ueid.ok_or_else(|| missing("ueid"))?,
            debug: self.debug.ok_or_else(|| missing("dbgstat"))?,
            measurement: self.measurement.ok_or_else(|| missing("measurements"))?,
            issued_at: self.issued_at.ok_or_else(|| missing("iat"))?,
        })
    }
}

fn read_measurement(d: &mut Decoder<'_>) -> Result<Vec<u8>> {
    if d.array().map_err(cbor)? != Some(1) || d.array().map_err(cbor)? != Some(2) {
        return Err(malformed("measurements is not [[content-format, digest]]"));
    }
    if d.datatype().map_err(cbor)? == Type::String {
        return Err(malformed(
            "measurement content type must be a content format",
        ));
    }
    if d.u64().map_err(cbor)? != MEASUREMENT_CONTENT_FORMAT {
        return Err(malformed("measurement content format is not 42"));
    }
    let digest = d.bytes().map_err(cbor)?;
    if digest.len() != MEASUREMENT_LEN {
        return Err(malformed(format!(
            "measurement of {} bytes, not 48",
            digest.len()
        )));
    }
    Ok(digest.to_vec())
}

fn malformed(reason: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::malformed(WHAT, reason)
}

fn cbor(e: minicbor::decode::Error) -> Error {
    malformed(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> MockClaims {
        MockClaims {
            nonce: vec![1; 32],
            ueid: [vec![1], vec![2; 32]].concat(),
            debug: DebugStatus::DisabledPermanently,
            measurement: vec![3; 48],
            issued_at: 1_790_000_000,
        }
    }

    #[test]
    fn round_trip() {
        let claims = sample();
        assert_eq!(MockClaims::decode(&claims.encode()).unwrap(), claims);
    }

    #[test]
    fn truncations_and_trailing_bytes_fail() {
        let bytes = sample().encode();
        for len in 0..bytes.len() {
            assert!(MockClaims::decode(&bytes[..len]).is_err());
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(MockClaims::decode(&long).is_err());
    }

    #[test]
    fn duplicate_claim_fails() {
        let mut bytes = sample().encode();
        // Rewrite the iat key (6) as a second eat_nonce key (10): two nonces, no iat.
        assert_eq!(bytes[1], 0x06);
        bytes[1] = 0x0a;
        assert!(MockClaims::decode(&bytes).is_err());
    }
}
