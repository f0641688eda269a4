//! The claims of the platform and realm tokens (RMM specification DEN0137 A7.2.3), decoded
//! strictly into borrowed views: mandatory claims present, sizes as specified, no duplicate
//! keys, nothing after the map. Unknown claims are skipped (later RMM versions add claims),
//! and [`unknown_claim_keys`] lists them for `inspect`.

use crate::cbor::{
    Seen, array_len, bytes, bytes_sized, end, int_key, map_len, required, skip, text, uint,
};
use crate::error::{Part, TokenError};
use attester_core::crypto::{Curve, HashAlg};
use minicbor::Decoder;

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

const MEASUREMENT_SIZES: &[usize] = &[32, 48, 64];
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
        let mut d = Decoder::new(payload);
        let entries = map_len(&mut d, P, 0)?;
        let mut seen = Seen::new();
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
        for _ in 0..entries {
            let key = int_key(&mut d, P)?;
            seen.insert(P, key)?;
            match key {
                REALM_CHALLENGE => challenge = Some(bytes_sized(&mut d, P, key, &[64], "64")?),
                REALM_PROFILE => profile = Some(text(&mut d, P, key)?),
                REALM_INSTANCE_ID => instance_id = Some(ueid(&mut d, P, key)?),
                REALM_PERSONALIZATION_VALUE => {
                    personalization_value = Some(bytes_sized(&mut d, P, key, &[64], "64")?);
                }
                REALM_HASH_ALGORITHM => hash_algorithm = Some(text(&mut d, P, key)?),
                REALM_PUBLIC_KEY => public_key = Some(Rak::decode(bytes(&mut d, P, key)?)?),
                REALM_INITIAL_MEASUREMENT => {
                    initial_measurement = Some(bytes_sized(
                        &mut d,
                        P,
                        key,
                        MEASUREMENT_SIZES,
                        MEASUREMENT_EXPECTED,
                    )?);
                }
                REALM_EXTENSIBLE_MEASUREMENTS => {
                    if array_len(&mut d, P, key)? != 4 {
                        return Err(TokenError::BadValue {
                            part: P,
                            key,
                            reason: "not exactly 4 REMs",
                        });
                    }
                    let mut rems: [&[u8]; 4] = [&[]; 4];
                    for rem in &mut rems {
                        *rem =
                            bytes_sized(&mut d, P, key, MEASUREMENT_SIZES, MEASUREMENT_EXPECTED)?;
                    }
                    extensible_measurements = Some(rems);
                }
                REALM_PUBLIC_KEY_HASH_ALGORITHM => {
                    public_key_hash_algorithm = Some(text(&mut d, P, key)?);
                }
                REALM_MEC_POLICY => mec_policy = Some(policy_bit(&mut d, P, key)?),
                REALM_LFA_POLICY => lfa_policy = Some(policy_bit(&mut d, P, key)?),
                REALM_DEVICES_TOKEN_HASH => {
                    devices_token_hash = Some(bytes_sized(
                        &mut d,
                        P,
                        key,
                        MEASUREMENT_SIZES,
                        MEASUREMENT_EXPECTED,
                    )?);
                }
                _ => skip(&mut d, P)?,
            }
        }
        end(&d, payload.len(), P)?;
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

/// An EAT ueid of type RAND: 33 bytes, the first 0x01.
fn ueid<'a>(d: &mut Decoder<'a>, part: Part, key: i64) -> Result<&'a [u8], TokenError> {
    let value = bytes_sized(d, part, key, &[33], "33")?;
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
fn policy_bit(d: &mut Decoder<'_>, part: Part, key: i64) -> Result<u64, TokenError> {
    let value = uint(d, part, key)?;
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
        let mut d = Decoder::new(claim);
        let entries = map_len(&mut d, P, REALM_PUBLIC_KEY)?;
        let mut seen = Seen::new();
        let (mut kty, mut crv, mut x, mut y) = (None, None, None, None);
        for _ in 0..entries {
            let key = int_key(&mut d, P)?;
            seen.insert(P, key)?;
            match key {
                COSE_KEY_KTY => kty = Some(uint(&mut d, P, key)?),
                COSE_KEY_CRV => crv = Some(uint(&mut d, P, key)?),
                // y may be a bool (compressed form) in COSE; RMM never emits that.
                COSE_KEY_X => x = Some(bytes(&mut d, P, key)?),
                COSE_KEY_Y => y = Some(bytes(&mut d, P, key)?),
                _ => skip(&mut d, P)?,
            }
        }
        end(&d, claim.len(), P)?;
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

/// The claims of the platform token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
        let mut d = Decoder::new(payload);
        let entries = map_len(&mut d, P, 0)?;
        let mut seen = Seen::new();
        let mut profile = None;
        let mut challenge = None;
        let mut implementation_id = None;
        let mut instance_id = None;
        let mut config = None;
        let mut lifecycle = None;
        let mut sw_components = None;
        let mut verification_service = None;
        let mut hash_algorithm = None;
        for _ in 0..entries {
            let key = int_key(&mut d, P)?;
            seen.insert(P, key)?;
            match key {
                PLATFORM_PROFILE => profile = Some(text(&mut d, P, key)?),
                PLATFORM_CHALLENGE => {
                    challenge = Some(bytes_sized(
                        &mut d,
                        P,
                        key,
                        MEASUREMENT_SIZES,
                        MEASUREMENT_EXPECTED,
                    )?);
                }
                PLATFORM_IMPLEMENTATION_ID => {
                    implementation_id = Some(bytes_sized(&mut d, P, key, &[32], "32")?);
                }
                PLATFORM_INSTANCE_ID => instance_id = Some(ueid(&mut d, P, key)?),
                PLATFORM_CONFIG => config = Some(bytes(&mut d, P, key)?),
                PLATFORM_LIFECYCLE => {
                    let value = u16::try_from(uint(&mut d, P, key)?)
                        .ok()
                        .filter(|v| Lifecycle::from_value(*v).is_some())
                        .ok_or(TokenError::BadValue {
                            part: P,
                            key,
                            reason: "not a defined security lifecycle state",
                        })?;
                    lifecycle = Some(value);
                }
                PLATFORM_SW_COMPONENTS => sw_components = Some(SwComponents::decode(&mut d)?),
                PLATFORM_VERIFICATION_SERVICE => {
                    verification_service = Some(text(&mut d, P, key)?);
                }
                PLATFORM_HASH_ALGORITHM => hash_algorithm = Some(text(&mut d, P, key)?),
                _ => skip(&mut d, P)?,
            }
        }
        end(&d, payload.len(), P)?;
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
    pub fn sw_components(&self) -> SwComponents<'a> {
        self.sw_components
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

/// The software components array, validated when the token was decoded and read again
/// lazily, so decoding needs no allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SwComponents<'a> {
    /// The encoded entries (after the array header).
    entries: &'a [u8],
    count: usize,
}

impl<'a> SwComponents<'a> {
    fn decode(d: &mut Decoder<'a>) -> Result<Self, TokenError> {
        const P: Part = Part::SoftwareComponent;
        let count = array_len(d, Part::Platform, PLATFORM_SW_COMPONENTS)?;
        let input = d.input();
        let start = d.position();
        for _ in 0..count {
            SwComponent::decode(d)?;
        }
        let entries = input.get(start..d.position()).ok_or(TokenError::Cbor {
            part: P,
            offset: start,
        })?;
        Ok(Self {
            entries,
            count: usize::try_from(count).unwrap_or(usize::MAX),
        })
    }

    /// The number of components.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The components in token order.
    pub fn iter(&self) -> SwComponentIter<'a> {
        SwComponentIter {
            decoder: Decoder::new(self.entries),
            remaining: self.count,
        }
    }
}

impl<'a> IntoIterator for SwComponents<'a> {
    type Item = SwComponent<'a>;
    type IntoIter = SwComponentIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over [`SwComponents`].
#[derive(Clone, Debug)]
pub struct SwComponentIter<'a> {
    decoder: Decoder<'a>,
    remaining: usize,
}

impl<'a> Iterator for SwComponentIter<'a> {
    type Item = SwComponent<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        // The entries were validated when the token was decoded, so this cannot fail; if it
        // did, stopping is the only safe answer.
        SwComponent::decode(&mut self.decoder).ok()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.remaining))
    }
}

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
    fn decode(d: &mut Decoder<'a>) -> Result<Self, TokenError> {
        const P: Part = Part::SoftwareComponent;
        let entries = map_len(d, P, 0)?;
        let mut seen = Seen::new();
        let (mut component_type, mut measurement_value, mut version) = (None, None, None);
        let (mut signer_id, mut hash_algorithm) = (None, None);
        for _ in 0..entries {
            let key = int_key(d, P)?;
            seen.insert(P, key)?;
            match key {
                SW_COMPONENT_TYPE => component_type = Some(text(d, P, key)?),
                SW_MEASUREMENT_VALUE => {
                    measurement_value = Some(bytes_sized(
                        d,
                        P,
                        key,
                        MEASUREMENT_SIZES,
                        MEASUREMENT_EXPECTED,
                    )?);
                }
                SW_VERSION => version = Some(text(d, P, key)?),
                SW_SIGNER_ID => {
                    signer_id = Some(bytes_sized(
                        d,
                        P,
                        key,
                        MEASUREMENT_SIZES,
                        MEASUREMENT_EXPECTED,
                    )?);
                }
                SW_HASH_ALGORITHM => hash_algorithm = Some(text(d, P, key)?),
                _ => skip(d, P)?,
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
    let mut d = Decoder::new(payload);
    let mut out = Vec::new();
    let Ok(entries) = map_len(&mut d, Part::Realm, 0) else {
        return out;
    };
    for _ in 0..entries {
        let Ok(key) = int_key(&mut d, Part::Realm) else {
            break;
        };
        if !known.contains(&key) {
            out.push(key);
        }
        if d.skip().is_err() {
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
