//! The claims of the platform and realm tokens (RMM specification DEN0137 A7.2.3), decoded
//! strictly into borrowed views: mandatory claims present, sizes as specified, no duplicate
//! keys, nothing after the map. Unknown claims are skipped (later RMM versions add claims),
//! and [`unknown_claim_keys`] lists them for `inspect`.

use crate::cbor::{Reader, once, required, skip_unknown};
use crate::error::{Part, TokenError};
use attester_core::crypto::{Curve, HashAlg};

/// Realm claim: the challenge (EAT nonce), 64 bytes.
pub const REALM_CHALLENGE: i64 = 10;
/// Realm claim: the EAT profile.
pub const REALM_PROFILE: i64 = 265;
/// Realm claim: the realm instance ID (EAT ueid), RMM 2.0.
pub const REALM_INSTANCE_ID: i64 = 256;
/// Realm claim: the personalization value, 64 bytes.
pub const REALM_PERSONALIZATION_VALUE: i64 = 44235;
/// Realm claim: the hash algorithm of the RIM and REMs.
pub const REALM_HASH_ALGORITHM: i64 = 44236;
/// Realm claim: the realm attestation key (RAK).
pub const REALM_PUBLIC_KEY: i64 = 44237;
/// Realm claim: the realm initial measurement (RIM).
pub const REALM_INITIAL_MEASUREMENT: i64 = 44238;
/// Realm claim: the four realm extensible measurements (REMs).
pub const REALM_EXTENSIBLE_MEASUREMENTS: i64 = 44239;
/// Realm claim: the hash algorithm of the RAK hash in the platform challenge.
pub const REALM_PUBLIC_KEY_HASH_ALGORITHM: i64 = 44240;
/// Realm claim: the MEC policy (RMM 2.0; TF-RMM emits it since v0.8.0).
pub const REALM_MEC_POLICY: i64 = 44243;
/// Realm claim: the live firmware activation policy (RMM 2.0).
pub const REALM_LFA_POLICY: i64 = 44244;
/// Realm claim: the hash of the devices token (RMM 2.0, present iff devices are assigned).
pub const REALM_DEVICES_TOKEN_HASH: i64 = 44257;

/// Platform claim: the EAT profile.
pub const PLATFORM_PROFILE: i64 = 265;
/// Platform claim: the challenge, the hash of the RAK claim.
pub const PLATFORM_CHALLENGE: i64 = 10;
/// Platform claim: the implementation ID, 32 bytes.
pub const PLATFORM_IMPLEMENTATION_ID: i64 = 2396;
/// Platform claim: the instance ID (EAT ueid), 33 bytes.
pub const PLATFORM_INSTANCE_ID: i64 = 256;
/// Platform claim: the platform configuration.
pub const PLATFORM_CONFIG: i64 = 2401;
/// Platform claim: the security lifecycle.
pub const PLATFORM_LIFECYCLE: i64 = 2395;
/// Platform claim: the software components.
pub const PLATFORM_SW_COMPONENTS: i64 = 2399;
/// Platform claim: the verification service indicator.
pub const PLATFORM_VERIFICATION_SERVICE: i64 = 2400;
/// Platform claim: the default hash algorithm of the software components.
pub const PLATFORM_HASH_ALGORITHM: i64 = 2402;

/// Software component key: the component type.
pub const SW_COMPONENT_TYPE: i64 = 1;
/// Software component key: the measurement value.
pub const SW_MEASUREMENT_VALUE: i64 = 2;
/// Software component key: the version.
pub const SW_VERSION: i64 = 4;
/// Software component key: the signer ID.
pub const SW_SIGNER_ID: i64 = 5;
/// Software component key: the measurement's hash algorithm.
pub const SW_HASH_ALGORITHM: i64 = 6;

/// The legacy platform profile (RMM EAC2/EAC5, TF-A FVP until 2024-09).
pub const PROFILE_PLATFORM_LEGACY: &str = "http://arm.com/CCA-SSD/1.0.0";
/// The platform profile of RMM 1.0-rel0 and later.
pub const PROFILE_PLATFORM_1_0: &str = "tag:arm.com,2023:cca_platform#1.0.0";
/// The realm profile of RMM 1.0-rel0 and 1.1.
pub const PROFILE_REALM_1_0: &str = "tag:arm.com,2023:realm#1.0.0";
/// The realm profile of RMM 2.0.
pub const PROFILE_REALM_2_0: &str = "tag:arm.com,2024:realm#2.0.0";

/// The hash algorithm names tokens carry, for `Reader::text_known`.
const HASH_NAMES: &[&str] = &["sha-256", "sha-384", "sha-512"];
/// The platform profiles.
const PLATFORM_PROFILES: &[&str] = &[PROFILE_PLATFORM_1_0, PROFILE_PLATFORM_LEGACY];
/// The realm profiles.
const REALM_PROFILES: &[&str] = &[PROFILE_REALM_1_0, PROFILE_REALM_2_0];

const MEASUREMENT_EXPECTED: &str = "32, 48 or 64";

/// The hash algorithm named by an IANA "Named Information Hash Algorithm" name, as CCA claims
/// spell them; `None` for a name this crate cannot compute.
pub fn hash_alg_from_name(name: &str) -> Option<HashAlg> {
    match name {
        "sha-256" => Some(HashAlg::Sha256),
        "sha-384" => Some(HashAlg::Sha384),
        "sha-512" => Some(HashAlg::Sha512),
        _ => None,
    }
}

/// The claims of the realm token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RealmClaims<'a> {
    challenge: &'a [u8],
    profile: Option<&'a str>,
    instance_id: Option<&'a [u8]>,
    personalization_value: &'a [u8],
    hash_algorithm: &'a str,
    public_key: Rak<'a>,
    initial_measurement: &'a [u8],
    extensible_measurements: [&'a [u8]; 4],
    public_key_hash_algorithm: &'a str,
    mec_policy: Option<u64>,
    lfa_policy: Option<u64>,
    devices_token_hash: Option<&'a [u8]>,
}

impl<'a> RealmClaims<'a> {
    /// Decodes a realm claims map that spans all of `payload`.
    pub fn decode(payload: &'a [u8]) -> Result<Self, TokenError> {
        const P: Part = Part::Realm;
        let mut r = Reader::new(payload);
        let entries = r.map_len(P, 0)?;
        let start = r.position();
        let mut challenge = None;
        let mut profile = None;
        let mut instance_id = None;
        let mut personalization_value = None;
        let mut hash_algorithm = None;
        let mut public_key = None;
        let mut initial_measurement = None;
        let mut extensible_measurements = None;
        let mut public_key_hash_algorithm = None;
        let mut mec_policy = None;
        let mut lfa_policy = None;
        let mut devices_token_hash = None;
        for index in 0..entries {
            let key = r.int_key(P)?;
            let r = &mut r;
            match key {
                REALM_CHALLENGE => {
                    once(&mut challenge, P, key, || r.bytes_sized(P, key, 64, "64"))?
                }
                REALM_PROFILE => once(&mut profile, P, key, || {
                    r.text_known(P, key, REALM_PROFILES)
                })?,
                REALM_INSTANCE_ID => once(&mut instance_id, P, key, || ueid(r, P, key))?,
                REALM_PERSONALIZATION_VALUE => once(&mut personalization_value, P, key, || {
                    r.bytes_sized(P, key, 64, "64")
                })?,
                REALM_HASH_ALGORITHM => once(&mut hash_algorithm, P, key, || {
                    r.text_known(P, key, HASH_NAMES)
                })?,
                REALM_PUBLIC_KEY => {
                    once(&mut public_key, P, key, || Rak::decode(r.bytes(P, key)?))?
                }
                REALM_INITIAL_MEASUREMENT => {
                    once(&mut initial_measurement, P, key, || measurement(r, P, key))?
                }
                REALM_EXTENSIBLE_MEASUREMENTS => {
                    once(&mut extensible_measurements, P, key, || rems(r, key))?;
                }
                REALM_PUBLIC_KEY_HASH_ALGORITHM => {
                    once(&mut public_key_hash_algorithm, P, key, || {
                        r.text_known(P, key, HASH_NAMES)
                    })?;
                }
                REALM_MEC_POLICY => once(&mut mec_policy, P, key, || policy_bit(r, P, key))?,
                REALM_LFA_POLICY => once(&mut lfa_policy, P, key, || policy_bit(r, P, key))?,
                REALM_DEVICES_TOKEN_HASH => {
                    once(&mut devices_token_hash, P, key, || measurement(r, P, key))?
                }
                _ => skip_unknown(r, P, key, start, index)?,
            }
        }
        r.end(P)?;
        Ok(Self {
            challenge: required(challenge, P, REALM_CHALLENGE)?,
            profile,
            instance_id,
            personalization_value: required(personalization_value, P, REALM_PERSONALIZATION_VALUE)?,
            hash_algorithm: required(hash_algorithm, P, REALM_HASH_ALGORITHM)?,
            public_key: required(public_key, P, REALM_PUBLIC_KEY)?,
            initial_measurement: required(initial_measurement, P, REALM_INITIAL_MEASUREMENT)?,
            extensible_measurements: required(
                extensible_measurements,
                P,
                REALM_EXTENSIBLE_MEASUREMENTS,
            )?,
            public_key_hash_algorithm: required(
                public_key_hash_algorithm,
                P,
                REALM_PUBLIC_KEY_HASH_ALGORITHM,
            )?,
            mec_policy,
            lfa_policy,
            devices_token_hash,
        })
    }

    /// Claim 10: the 64-byte challenge (the caller's challenge, zero-padded).
    pub fn challenge(&self) -> &'a [u8] {
        self.challenge
    }

    /// Claim 265: the realm profile; absent in tokens older than RMM 1.0-rel0.
    pub fn profile(&self) -> Option<&'a str> {
        self.profile
    }

    /// Claim 256: the realm instance ID (33 bytes, type byte 0x01), mandatory from RMM 2.0.
    pub fn instance_id(&self) -> Option<&'a [u8]> {
        self.instance_id
    }

    /// Claim 44235: the realm personalization value (64 bytes).
    pub fn personalization_value(&self) -> &'a [u8] {
        self.personalization_value
    }

    /// Claim 44236: the name of the hash algorithm of the RIM and REMs (`sha-256`, …).
    pub fn hash_algorithm(&self) -> &'a str {
        self.hash_algorithm
    }

    /// Claim 44237: the realm attestation key.
    pub fn public_key(&self) -> &Rak<'a> {
        &self.public_key
    }

    /// Claim 44238: the realm initial measurement (RIM).
    pub fn initial_measurement(&self) -> &'a [u8] {
        self.initial_measurement
    }

    /// Claim 44239: the four realm extensible measurements (REM0..REM3).
    pub fn extensible_measurements(&self) -> [&'a [u8]; 4] {
        self.extensible_measurements
    }

    /// Claim 44240: the name of the hash algorithm of the RAK hash (the platform challenge).
    pub fn public_key_hash_algorithm(&self) -> &'a str {
        self.public_key_hash_algorithm
    }

    /// Claim 44243: the MEC policy (0 shared, 1 private), RMM 2.0.
    pub fn mec_policy(&self) -> Option<u64> {
        self.mec_policy
    }

    /// Claim 44244: the live firmware activation policy (0 disallow, 1 allow), RMM 2.0.
    pub fn lfa_policy(&self) -> Option<u64> {
        self.lfa_policy
    }

    /// Claim 44257: the devices token hash, RMM 2.0, present when devices are assigned.
    pub fn devices_token_hash(&self) -> Option<&'a [u8]> {
        self.devices_token_hash
    }
}

/// A measurement (or a hash of the same sizes): 32, 48 or 64 bytes.
#[inline(always)]
fn measurement<'a>(r: &mut Reader<'a>, part: Part, key: i64) -> Result<&'a [u8], TokenError> {
    let value = r.bytes(part, key)?;
    if matches!(value.len(), 32 | 48 | 64) {
        Ok(value)
    } else {
        Err(TokenError::WrongSize {
            part,
            key,
            len: value.len(),
            expected: MEASUREMENT_EXPECTED,
        })
    }
}

/// The four REMs of claim 44239.
#[inline(always)]
fn rems<'a>(r: &mut Reader<'a>, key: i64) -> Result<[&'a [u8]; 4], TokenError> {
    const P: Part = Part::Realm;
    if r.array_len(P, key)? != 4 {
        return Err(TokenError::BadValue {
            part: P,
            key,
            reason: "not exactly 4 REMs",
        });
    }
    let mut rems: [&[u8]; 4] = [&[]; 4];
    for rem in &mut rems {
        *rem = measurement(r, P, key)?;
    }
    Ok(rems)
}

/// An EAT ueid of type RAND: 33 bytes, the first 0x01.
#[inline(always)]
fn ueid<'a>(r: &mut Reader<'a>, part: Part, key: i64) -> Result<&'a [u8], TokenError> {
    let value = r.bytes_sized(part, key, 33, "33")?;
    if value.first() != Some(&0x01) {
        return Err(TokenError::BadValue {
            part,
            key,
            reason: "instance ID type byte is not 0x01 (RAND)",
        });
    }
    Ok(value)
}

/// A 0/1 policy claim.
#[inline(always)]
fn policy_bit(r: &mut Reader<'_>, part: Part, key: i64) -> Result<u64, TokenError> {
    let value = r.uint(part, key)?;
    if value > 1 {
        return Err(TokenError::BadValue {
            part,
            key,
            reason: "policy value is not 0 or 1",
        });
    }
    Ok(value)
}

/// How claim 44237 encodes the RAK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RakEncoding {
    /// An uncompressed SEC1 point `04 || X || Y` (TF-RMM up to v0.5.0).
    RawPoint,
    /// A serialized COSE_Key of type EC2 (TF-RMM v0.6.0 and later, RMM 1.0-rel0).
    CoseKey,
}

impl RakEncoding {
    /// A stable name (`raw-point`, `cose-key`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RawPoint => "raw-point",
            Self::CoseKey => "cose-key",
        }
    }
}

/// The realm attestation key: the claim bytes exactly as received (the binding hashes them)
/// and the key they encode as an uncompressed point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rak<'a> {
    claim: &'a [u8],
    encoding: RakEncoding,
    curve: Curve,
    point: [u8; 97],
    point_len: usize,
}

const COSE_KEY_KTY: i64 = 1;
const COSE_KEY_CRV: i64 = -1;
const COSE_KEY_X: i64 = -2;
const COSE_KEY_Y: i64 = -3;
const COSE_KTY_EC2: u64 = 2;

impl<'a> Rak<'a> {
    /// Decodes the contents of claim 44237. The encoding is chosen from the bytes, not from
    /// the profile claim: tokens exist whose profile and RAK encoding disagree with what
    /// either veraison implementation assumes.
    pub fn decode(claim: &'a [u8]) -> Result<Self, TokenError> {
        const P: Part = Part::Rak;
        let mut point = [0u8; 97];
        match claim.first() {
            Some(0x04) => {
                let curve = match claim.len() {
                    65 => Curve::P256,
                    97 => Curve::P384,
                    133 => {
                        return Err(TokenError::UnsupportedCurve {
                            part: P,
                            reason: "P-521",
                        });
                    }
                    len => {
                        return Err(TokenError::WrongSize {
                            part: P,
                            key: REALM_PUBLIC_KEY,
                            len,
                            expected: "65 or 97 (uncompressed P-256 or P-384 point)",
                        });
                    }
                };
                let slot = point.get_mut(..claim.len()).ok_or(TokenError::WrongSize {
                    part: P,
                    key: REALM_PUBLIC_KEY,
                    len: claim.len(),
                    expected: "65 or 97",
                })?;
                slot.copy_from_slice(claim);
                Ok(Self {
                    claim,
                    encoding: RakEncoding::RawPoint,
                    curve,
                    point,
                    point_len: claim.len(),
                })
            }
            Some(0xa0..=0xbb) => Self::decode_cose_key(claim),
            _ => Err(TokenError::BadValue {
                part: P,
                key: REALM_PUBLIC_KEY,
                reason: "neither an uncompressed EC point nor a COSE_Key",
            }),
        }
    }

    fn decode_cose_key(claim: &'a [u8]) -> Result<Self, TokenError> {
        const P: Part = Part::Rak;
        let mut r = Reader::new(claim);
        let entries = r.map_len(P, REALM_PUBLIC_KEY)?;
        let start = r.position();
        let (mut kty, mut crv, mut x, mut y) = (None, None, None, None);
        for index in 0..entries {
            let key = r.int_key(P)?;
            let r = &mut r;
            match key {
                COSE_KEY_KTY => once(&mut kty, P, key, || r.uint(P, key))?,
                COSE_KEY_CRV => once(&mut crv, P, key, || r.uint(P, key))?,
                // y may be a bool (compressed form) in COSE; RMM never emits that.
                COSE_KEY_X => once(&mut x, P, key, || r.bytes(P, key))?,
                COSE_KEY_Y => once(&mut y, P, key, || r.bytes(P, key))?,
                _ => skip_unknown(r, P, key, start, index)?,
            }
        }
        r.end(P)?;
        if required(kty, P, COSE_KEY_KTY)? != COSE_KTY_EC2 {
            return Err(TokenError::BadValue {
                part: P,
                key: COSE_KEY_KTY,
                reason: "COSE_Key kty is not EC2",
            });
        }
        let curve = match required(crv, P, COSE_KEY_CRV)? {
            1 => Curve::P256,
            2 => Curve::P384,
            3 => {
                return Err(TokenError::UnsupportedCurve {
                    part: P,
                    reason: "P-521",
                });
            }
            _ => {
                return Err(TokenError::BadValue {
                    part: P,
                    key: COSE_KEY_CRV,
                    reason: "COSE_Key crv is not a NIST curve",
                });
            }
        };
        let size = curve.scalar_len();
        let x = required(x, P, COSE_KEY_X)?;
        let y = required(y, P, COSE_KEY_Y)?;
        for (coordinate, key) in [(x, COSE_KEY_X), (y, COSE_KEY_Y)] {
            if coordinate.len() != size {
                return Err(TokenError::WrongSize {
                    part: P,
                    key,
                    len: coordinate.len(),
                    expected: "the curve's coordinate size",
                });
            }
        }
        let mut point = [0u8; 97];
        let point_len = 1 + 2 * size;
        if let Some((tag, rest)) = point.split_first_mut() {
            *tag = 0x04;
            let (px, py) = rest.split_at_mut(size);
            if let (Some(px), Some(py)) = (px.get_mut(..size), py.get_mut(..size)) {
                px.copy_from_slice(x);
                py.copy_from_slice(y);
            }
        }
        Ok(Self {
            claim,
            encoding: RakEncoding::CoseKey,
            curve,
            point,
            point_len,
        })
    }

    /// The claim bytes exactly as they were in the token: what the platform challenge hashes.
    pub fn claim_bytes(&self) -> &'a [u8] {
        self.claim
    }

    /// How the claim encodes the key.
    pub fn encoding(&self) -> RakEncoding {
        self.encoding
    }

    /// The key's curve.
    pub fn curve(&self) -> Curve {
        self.curve
    }

    /// The key as an uncompressed SEC1 point (not yet known to be on the curve).
    pub fn sec1_point(&self) -> &[u8] {
        self.point.get(..self.point_len).unwrap_or(&[])
    }
}

/// The platform's security lifecycle state (PSA/CCA: the high byte of claim 2395).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lifecycle {
    /// 0x0000..=0x00ff: unknown.
    Unknown,
    /// 0x1000..=0x10ff: assembly and test.
    AssemblyAndTest,
    /// 0x2000..=0x20ff: PSA RoT provisioning.
    PsaRotProvisioning,
    /// 0x3000..=0x30ff: secured, the only state a production verifier accepts by default.
    Secured,
    /// 0x4000..=0x40ff: non-PSA-RoT debug.
    NonPsaRotDebug,
    /// 0x5000..=0x50ff: recoverable PSA-RoT debug.
    RecoverablePsaRotDebug,
    /// 0x6000..=0x60ff: decommissioned.
    Decommissioned,
}

impl Lifecycle {
    /// The state of a lifecycle claim value, `None` outside the defined ranges.
    pub fn from_value(value: u16) -> Option<Self> {
        Some(match value >> 8 {
            0x00 => Self::Unknown,
            0x10 => Self::AssemblyAndTest,
            0x20 => Self::PsaRotProvisioning,
            0x30 => Self::Secured,
            0x40 => Self::NonPsaRotDebug,
            0x50 => Self::RecoverablePsaRotDebug,
            0x60 => Self::Decommissioned,
            _ => return None,
        })
    }

    /// A stable kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::AssemblyAndTest => "assembly-and-test",
            Self::PsaRotProvisioning => "psa-rot-provisioning",
            Self::Secured => "secured",
            Self::NonPsaRotDebug => "non-psa-rot-debug",
            Self::RecoverablePsaRotDebug => "recoverable-psa-rot-debug",
            Self::Decommissioned => "decommissioned",
        }
    }
}

/// Claim 2395: a defined security lifecycle state.
#[inline(always)]
fn lifecycle_value(r: &mut Reader<'_>, key: i64) -> Result<u16, TokenError> {
    u16::try_from(r.uint(Part::Platform, key)?)
        .ok()
        .filter(|v| Lifecycle::from_value(*v).is_some())
        .ok_or(TokenError::BadValue {
            part: Part::Platform,
            key,
            reason: "not a defined security lifecycle state",
        })
}

/// The claims of the platform token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformClaims<'a> {
    profile: &'a str,
    challenge: &'a [u8],
    implementation_id: &'a [u8],
    instance_id: &'a [u8],
    config: &'a [u8],
    lifecycle: u16,
    sw_components: SwComponents<'a>,
    verification_service: Option<&'a str>,
    hash_algorithm: &'a str,
}

impl<'a> PlatformClaims<'a> {
    /// Decodes a platform claims map that spans all of `payload`.
    pub fn decode(payload: &'a [u8]) -> Result<Self, TokenError> {
        const P: Part = Part::Platform;
        let mut r = Reader::new(payload);
        let entries = r.map_len(P, 0)?;
        let start = r.position();
        let mut profile = None;
        let mut challenge = None;
        let mut implementation_id = None;
        let mut instance_id = None;
        let mut config = None;
        let mut lifecycle = None;
        let mut sw_components = None;
        let mut verification_service = None;
        let mut hash_algorithm = None;
        for index in 0..entries {
            let key = r.int_key(P)?;
            let r = &mut r;
            match key {
                PLATFORM_PROFILE => once(&mut profile, P, key, || {
                    r.text_known(P, key, PLATFORM_PROFILES)
                })?,
                PLATFORM_CHALLENGE => once(&mut challenge, P, key, || measurement(r, P, key))?,
                PLATFORM_IMPLEMENTATION_ID => once(&mut implementation_id, P, key, || {
                    r.bytes_sized(P, key, 32, "32")
                })?,
                PLATFORM_INSTANCE_ID => once(&mut instance_id, P, key, || ueid(r, P, key))?,
                PLATFORM_CONFIG => once(&mut config, P, key, || r.bytes(P, key))?,
                PLATFORM_LIFECYCLE => once(&mut lifecycle, P, key, || lifecycle_value(r, key))?,
                PLATFORM_SW_COMPONENTS => {
                    once(&mut sw_components, P, key, || SwComponents::decode(r))?;
                }
                PLATFORM_VERIFICATION_SERVICE => {
                    once(&mut verification_service, P, key, || r.text(P, key))?;
                }
                PLATFORM_HASH_ALGORITHM => {
                    once(&mut hash_algorithm, P, key, || {
                        r.text_known(P, key, HASH_NAMES)
                    })?;
                }
                _ => skip_unknown(r, P, key, start, index)?,
            }
        }
        r.end(P)?;
        Ok(Self {
            profile: required(profile, P, PLATFORM_PROFILE)?,
            challenge: required(challenge, P, PLATFORM_CHALLENGE)?,
            implementation_id: required(implementation_id, P, PLATFORM_IMPLEMENTATION_ID)?,
            instance_id: required(instance_id, P, PLATFORM_INSTANCE_ID)?,
            config: required(config, P, PLATFORM_CONFIG)?,
            lifecycle: required(lifecycle, P, PLATFORM_LIFECYCLE)?,
            sw_components: required(sw_components, P, PLATFORM_SW_COMPONENTS)?,
            verification_service,
            hash_algorithm: required(hash_algorithm, P, PLATFORM_HASH_ALGORITHM)?,
        })
    }

    /// Claim 265: the platform profile.
    pub fn profile(&self) -> &'a str {
        self.profile
    }

    /// Claim 10: the platform challenge, the hash of the RAK claim (not fresh: RMM caches the
    /// platform token at boot).
    pub fn challenge(&self) -> &'a [u8] {
        self.challenge
    }

    /// Claim 2396: the implementation ID (32 bytes).
    pub fn implementation_id(&self) -> &'a [u8] {
        self.implementation_id
    }

    /// Claim 256: the instance ID (33 bytes), which identifies the CPAK.
    pub fn instance_id(&self) -> &'a [u8] {
        self.instance_id
    }

    /// Claim 2401: the platform configuration.
    pub fn config(&self) -> &'a [u8] {
        self.config
    }

    /// Claim 2395: the security lifecycle value.
    pub fn lifecycle(&self) -> u16 {
        self.lifecycle
    }

    /// The state of [`Self::lifecycle`] (always defined: decoding refuses other values).
    pub fn lifecycle_state(&self) -> Lifecycle {
        Lifecycle::from_value(self.lifecycle).unwrap_or(Lifecycle::Unknown)
    }

    /// Claim 2399: the software components.
    pub fn sw_components(&self) -> &SwComponents<'a> {
        &self.sw_components
    }

    /// Claim 2400: the verification service indicator.
    pub fn verification_service(&self) -> Option<&'a str> {
        self.verification_service
    }

    /// Claim 2402: the name of the default hash algorithm of the software components.
    pub fn hash_algorithm(&self) -> &'a str {
        self.hash_algorithm
    }
}

/// The software components array, decoded once with the token into one allocation (the only
/// one of decoding; none when the array is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwComponents<'a> {
    components: Vec<SwComponent<'a>>,
}

/// The fewest bytes a valid software component takes: a map head, the keys 2 and 5 and two
/// 32-byte byte strings. Bounds the capacity reserved for a hostile count.
const MIN_COMPONENT_LEN: usize = 1 + 2 * (1 + 2 + 32);

impl<'a> SwComponents<'a> {
    // Its own function: inlined into the platform claims it made that one spill more.
    #[inline(never)]
    fn decode(r: &mut Reader<'a>) -> Result<Self, TokenError> {
        let count = r.array_len(Part::Platform, PLATFORM_SW_COMPONENTS)?;
        // A count the input cannot hold fails below; until then it reserves no more than
        // the input could hold, so a valid token needs exactly this one allocation.
        let room = r.remaining() / MIN_COMPONENT_LEN;
        let mut components =
            Vec::with_capacity(usize::try_from(count).map_or(room, |c| c.min(room)));
        for _ in 0..count {
            components.push(SwComponent::decode(r)?);
        }
        Ok(Self { components })
    }

    /// The number of components.
    pub fn len(&self) -> usize {
        self.components.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.components.is_empty()
    }

    /// The components in token order.
    pub fn iter(&self) -> SwComponentIter<'_, 'a> {
        SwComponentIter {
            inner: self.components.iter(),
        }
    }

    /// The components in token order, as a slice.
    pub fn as_slice(&self) -> &[SwComponent<'a>] {
        &self.components
    }
}

impl<'s, 'a> IntoIterator for &'s SwComponents<'a> {
    type Item = SwComponent<'a>;
    type IntoIter = SwComponentIter<'s, 'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over [`SwComponents`], yielding each component by value (they are borrowed views).
#[derive(Clone, Debug)]
pub struct SwComponentIter<'s, 'a> {
    inner: std::slice::Iter<'s, SwComponent<'a>>,
}

impl<'a> Iterator for SwComponentIter<'_, 'a> {
    type Item = SwComponent<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().copied()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl ExactSizeIterator for SwComponentIter<'_, '_> {}

/// One software component of the platform token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SwComponent<'a> {
    component_type: Option<&'a str>,
    measurement_value: &'a [u8],
    version: Option<&'a str>,
    signer_id: &'a [u8],
    hash_algorithm: Option<&'a str>,
}

impl<'a> SwComponent<'a> {
    fn decode(r: &mut Reader<'a>) -> Result<Self, TokenError> {
        const P: Part = Part::SoftwareComponent;
        let entries = r.map_len(P, 0)?;
        let start = r.position();
        let (mut component_type, mut measurement_value, mut version) = (None, None, None);
        let (mut signer_id, mut hash_algorithm) = (None, None);
        for index in 0..entries {
            let key = r.int_key(P)?;
            let r = &mut *r;
            match key {
                SW_COMPONENT_TYPE => once(&mut component_type, P, key, || r.text(P, key))?,
                SW_MEASUREMENT_VALUE => {
                    once(&mut measurement_value, P, key, || measurement(r, P, key))?;
                }
                SW_VERSION => once(&mut version, P, key, || r.text(P, key))?,
                SW_SIGNER_ID => once(&mut signer_id, P, key, || measurement(r, P, key))?,
                SW_HASH_ALGORITHM => once(&mut hash_algorithm, P, key, || {
                    r.text_known(P, key, HASH_NAMES)
                })?,
                _ => skip_unknown(r, P, key, start, index)?,
            }
        }
        Ok(Self {
            component_type,
            measurement_value: required(measurement_value, P, SW_MEASUREMENT_VALUE)?,
            version,
            signer_id: required(signer_id, P, SW_SIGNER_ID)?,
            hash_algorithm,
        })
    }

    /// Key 1: the component type (`BL`, `RMM`, …).
    pub fn component_type(&self) -> Option<&'a str> {
        self.component_type
    }

    /// Key 2: the measurement value.
    pub fn measurement_value(&self) -> &'a [u8] {
        self.measurement_value
    }

    /// Key 4: the version.
    pub fn version(&self) -> Option<&'a str> {
        self.version
    }

    /// Key 5: the signer ID (hash of the signing authority's key).
    pub fn signer_id(&self) -> &'a [u8] {
        self.signer_id
    }

    /// Key 6: the measurement's hash algorithm, when it differs from the platform default.
    pub fn hash_algorithm(&self) -> Option<&'a str> {
        self.hash_algorithm
    }
}

/// The keys of a claims map that this crate does not interpret, in map order (for `inspect`:
/// unknown claims are skipped by decoding but should stay visible).
pub fn unknown_claim_keys(payload: &[u8], known: &[i64]) -> Vec<i64> {
    let mut r = Reader::new(payload);
    let mut out = Vec::new();
    let Ok(entries) = r.map_len(Part::Realm, 0) else {
        return out;
    };
    for _ in 0..entries {
        let Ok(key) = r.int_key(Part::Realm) else {
            break;
        };
        if !known.contains(&key) {
            out.push(key);
        }
        if r.skip(Part::Realm).is_err() {
            break;
        }
    }
    out
}

/// Every realm claim key this crate interprets.
pub const REALM_KNOWN: [i64; 12] = [
    REALM_CHALLENGE,
    REALM_PROFILE,
    REALM_INSTANCE_ID,
    REALM_PERSONALIZATION_VALUE,
    REALM_HASH_ALGORITHM,
    REALM_PUBLIC_KEY,
    REALM_INITIAL_MEASUREMENT,
    REALM_EXTENSIBLE_MEASUREMENTS,
    REALM_PUBLIC_KEY_HASH_ALGORITHM,
    REALM_MEC_POLICY,
    REALM_LFA_POLICY,
    REALM_DEVICES_TOKEN_HASH,
];

/// Every platform claim key this crate interprets.
pub const PLATFORM_KNOWN: [i64; 9] = [
    PLATFORM_PROFILE,
    PLATFORM_CHALLENGE,
    PLATFORM_IMPLEMENTATION_ID,
    PLATFORM_INSTANCE_ID,
    PLATFORM_CONFIG,
    PLATFORM_LIFECYCLE,
    PLATFORM_SW_COMPONENTS,
    PLATFORM_VERIFICATION_SERVICE,
    PLATFORM_HASH_ALGORITHM,
];
