//! NOT SECURE: the `mock-cca` attester. Real-format Arm CCA tokens (both collection encodings,
//! both RAK encodings) signed with a CPAK and a RAK derived from a public seed.
//!
//! Like RMM, it signs one platform token whose challenge is the hash of the RAK claim, and a
//! fresh realm token per challenge. The production verifier (`attester_cca::verify`) accepts
//! its tokens only when told to trust [`MockCca::platform_keys`].

use crate::pki::DEFAULT_SEED;
use attester_cca::claims::{
    PLATFORM_CHALLENGE, PLATFORM_CONFIG, PLATFORM_HASH_ALGORITHM, PLATFORM_IMPLEMENTATION_ID,
    PLATFORM_INSTANCE_ID, PLATFORM_LIFECYCLE, PLATFORM_PROFILE, PLATFORM_SW_COMPONENTS,
    PLATFORM_VERIFICATION_SERVICE, PROFILE_PLATFORM_1_0, PROFILE_REALM_1_0, REALM_CHALLENGE,
    REALM_EXTENSIBLE_MEASUREMENTS, REALM_HASH_ALGORITHM, REALM_INITIAL_MEASUREMENT,
    REALM_MEC_POLICY, REALM_PERSONALIZATION_VALUE, REALM_PROFILE, REALM_PUBLIC_KEY,
    REALM_PUBLIC_KEY_HASH_ALGORITHM, SW_COMPONENT_TYPE, SW_HASH_ALGORITHM, SW_MEASUREMENT_VALUE,
    SW_SIGNER_ID, SW_VERSION,
};
use attester_cca::token::{
    CF_EAT_CWT, LABEL_PLATFORM, LABEL_REALM, TAG_COLLECTION_CMW, TAG_COLLECTION_LEGACY,
};
use attester_cca::trust::{Anchor, PlatformKey, PlatformKeys};
use attester_cca::{Collection, RakEncoding};
use attester_core::cose::{self, ALG_ES384};
use attester_core::crypto::{Curve, EcdsaSigningKey, HashAlg, digest};
use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Evidence, Item, Platform, Result, media_types,
};
use minicbor::Encoder;
use minicbor::data::Tag;

/// The image whose SHA-256 is the mock realm's initial measurement.
pub const DEFAULT_REALM_IMAGE: &[u8] = b"attester mock cca realm image v1";
/// The lifecycle the mock platform reports by default: secured (0x3000 range).
pub const LIFECYCLE_SECURED: u16 = 0x3003;
/// A debug lifecycle (non-PSA-RoT debug), which the default policy rejects.
pub const LIFECYCLE_DEBUG: u16 = 0x4000;
/// The mock's verification service indicator.
pub const VERIFICATION_SERVICE: &str = "https://attester.invalid/mock-cca (NOT SECURE)";

/// The seeded CPAK and RAK, and how tokens are encoded.
pub struct MockCca {
    cpak: EcdsaSigningKey,
    rak: EcdsaSigningKey,
    collection: Collection,
    rak_encoding: RakEncoding,
    lifecycle: u16,
    rim: [u8; 32],
}

impl MockCca {
    /// The mock CCA platform of `seed`: tag 907, COSE_Key RAK, lifecycle secured.
    pub fn from_seed(seed: [u8; 32]) -> Result<Self> {
        let cpak = EcdsaSigningKey::from_seed(Curve::P384, &seed, b"mock cca cpak")?;
        let rak = EcdsaSigningKey::from_seed(Curve::P384, &seed, b"mock cca rak")?;
        let mut rim = [0u8; 32];
        rim.copy_from_slice(digest(HashAlg::Sha256, DEFAULT_REALM_IMAGE).as_bytes());
        Ok(Self {
            cpak,
            rak,
            collection: Collection::Cmw,
            rak_encoding: RakEncoding::CoseKey,
            lifecycle: LIFECYCLE_SECURED,
            rim,
        })
    }

    /// The mock CCA platform of [`DEFAULT_SEED`]: what `--allow-mock` trusts.
    pub fn from_default_seed() -> Result<Self> {
        Self::from_seed(DEFAULT_SEED)
    }

    /// Emits the collection with `collection`'s tag (and its value form).
    #[must_use]
    pub fn with_collection(mut self, collection: Collection) -> Self {
        self.collection = collection;
        self
    }

    /// Encodes the RAK claim as `encoding` (the realm profile follows, as TF-RMM's does).
    #[must_use]
    pub fn with_rak_encoding(mut self, encoding: RakEncoding) -> Self {
        self.rak_encoding = encoding;
        self
    }

    /// Reports `lifecycle` in the platform token.
    #[must_use]
    pub fn with_lifecycle(mut self, lifecycle: u16) -> Self {
        self.lifecycle = lifecycle;
        self
    }

    /// Reports `rim` as the realm initial measurement.
    #[must_use]
    pub fn with_rim(mut self, rim: [u8; 32]) -> Self {
        self.rim = rim;
        self
    }

    /// The realm initial measurement the tokens carry.
    pub fn rim(&self) -> [u8; 32] {
        self.rim
    }

    /// The platform instance ID: type 0x01 and the SHA-256 of the CPAK point, so that it
    /// names the key as a real instance ID does.
    pub fn instance_id(&self) -> [u8; 33] {
        let mut id = [0u8; 33];
        if let Some((kind, tail)) = id.split_first_mut() {
            *kind = 0x01;
            tail.copy_from_slice(digest(HashAlg::Sha256, self.cpak.public_sec1()).as_bytes());
        }
        id
    }

    /// The implementation ID of the mock platform.
    pub fn implementation_id(&self) -> [u8; 32] {
        let mut id = [0u8; 32];
        id.copy_from_slice(digest(HashAlg::Sha256, b"attester mock cca implementation").as_bytes());
        id
    }

    /// The CPAK public key, uncompressed SEC1.
    pub fn cpak_public_sec1(&self) -> &[u8] {
        self.cpak.public_sec1()
    }

    /// The CPAK as a DER SubjectPublicKeyInfo (for `--trust` files).
    pub fn cpak_spki_der(&self) -> Result<Vec<u8>> {
        Ok(self.cpak.spki_der()?)
    }

    /// Platform keys trusting this mock's CPAK for its instance ID only.
    pub fn platform_keys(&self) -> Result<PlatformKeys> {
        let mut keys = PlatformKeys::new();
        keys.add_anchor(Anchor {
            instance_id: self.instance_id().to_vec(),
            implementation_id: Some(self.implementation_id().to_vec()),
            key: PlatformKey::from_sec1(Curve::P384, self.cpak.public_sec1())?,
        });
        Ok(keys)
    }

    /// The RAK claim (44237) in the configured encoding.
    pub fn rak_claim(&self) -> Vec<u8> {
        let point = self.rak.public_sec1();
        match self.rak_encoding {
            RakEncoding::RawPoint => point.to_vec(),
            RakEncoding::CoseKey => {
                let (x, y) = point.get(1..).unwrap_or(&[]).split_at(48.min(point.len()));
                let mut e = Encoder::new(Vec::with_capacity(107));
                // The t_cose layout TF-RMM emits: kty, crv, x, y. Writing to a Vec cannot fail.
                let _ = e
                    .map(4)
                    .and_then(|e| e.i64(1))
                    .and_then(|e| e.u64(2))
                    .and_then(|e| e.i64(-1))
                    .and_then(|e| e.u64(2))
                    .and_then(|e| e.i64(-2))
                    .and_then(|e| e.bytes(x))
                    .and_then(|e| e.i64(-3))
                    .and_then(|e| e.bytes(y));
                e.into_writer()
            }
        }
    }

    /// The signed platform token, its challenge bound to the RAK claim.
    pub fn platform_token(&self) -> Result<Vec<u8>> {
        let challenge = digest(HashAlg::Sha256, &self.rak_claim());
        let measurement = digest(HashAlg::Sha256, b"attester mock cca rmm");
        let signer = digest(HashAlg::Sha256, b"attester mock cca signer");
        let mut e = Encoder::new(Vec::with_capacity(512));
        // Writing to a Vec cannot fail.
        let _ = e
            .map(9)
            .and_then(|e| e.i64(PLATFORM_PROFILE))
            .and_then(|e| e.str(PROFILE_PLATFORM_1_0))
            .and_then(|e| e.i64(PLATFORM_CHALLENGE))
            .and_then(|e| e.bytes(challenge.as_bytes()))
            .and_then(|e| e.i64(PLATFORM_IMPLEMENTATION_ID))
            .and_then(|e| e.bytes(&self.implementation_id()))
            .and_then(|e| e.i64(PLATFORM_INSTANCE_ID))
            .and_then(|e| e.bytes(&self.instance_id()))
            .and_then(|e| e.i64(PLATFORM_CONFIG))
            .and_then(|e| e.bytes(b"attester mock cca"))
            .and_then(|e| e.i64(PLATFORM_LIFECYCLE))
            .and_then(|e| e.u64(u64::from(self.lifecycle)))
            .and_then(|e| e.i64(PLATFORM_SW_COMPONENTS))
            .and_then(|e| e.array(1))
            .and_then(|e| e.map(5))
            .and_then(|e| e.i64(SW_COMPONENT_TYPE))
            .and_then(|e| e.str("RMM"))
            .and_then(|e| e.i64(SW_MEASUREMENT_VALUE))
            .and_then(|e| e.bytes(measurement.as_bytes()))
            .and_then(|e| e.i64(SW_VERSION))
            .and_then(|e| e.str("0.0.0-mock"))
            .and_then(|e| e.i64(SW_SIGNER_ID))
            .and_then(|e| e.bytes(signer.as_bytes()))
            .and_then(|e| e.i64(SW_HASH_ALGORITHM))
            .and_then(|e| e.str("sha-256"))
            .and_then(|e| e.i64(PLATFORM_VERIFICATION_SERVICE))
            .and_then(|e| e.str(VERIFICATION_SERVICE))
            .and_then(|e| e.i64(PLATFORM_HASH_ALGORITHM))
            .and_then(|e| e.str("sha-256"));
        sign(&self.cpak, &e.into_writer())
    }

    /// The signed realm token for a 64-byte realm challenge.
    pub fn realm_token(&self, challenge: &[u8]) -> Result<Vec<u8>> {
        let with_profile = self.rak_encoding == RakEncoding::CoseKey;
        let mut e = Encoder::new(Vec::with_capacity(512));
        // Writing to a Vec cannot fail.
        let _ = e.map(if with_profile { 9 } else { 8 });
        if with_profile {
            let _ = e.i64(REALM_PROFILE).and_then(|e| e.str(PROFILE_REALM_1_0));
        }
        let _ = e
            .i64(REALM_CHALLENGE)
            .and_then(|e| e.bytes(challenge))
            .and_then(|e| e.i64(REALM_PERSONALIZATION_VALUE))
            .and_then(|e| e.bytes(&[0; 64]))
            .and_then(|e| e.i64(REALM_HASH_ALGORITHM))
            .and_then(|e| e.str("sha-256"))
            .and_then(|e| e.i64(REALM_PUBLIC_KEY))
            .and_then(|e| e.bytes(&self.rak_claim()))
            .and_then(|e| e.i64(REALM_INITIAL_MEASUREMENT))
            .and_then(|e| e.bytes(&self.rim))
            .and_then(|e| e.i64(REALM_EXTENSIBLE_MEASUREMENTS))
            .and_then(|e| e.array(4))
            .and_then(|e| e.bytes(&[0; 32]))
            .and_then(|e| e.bytes(&[0; 32]))
            .and_then(|e| e.bytes(&[0; 32]))
            .and_then(|e| e.bytes(&[0; 32]))
            .and_then(|e| e.i64(REALM_PUBLIC_KEY_HASH_ALGORITHM))
            .and_then(|e| e.str("sha-256"))
            .and_then(|e| e.i64(REALM_MEC_POLICY))
            .and_then(|e| e.u64(0));
        sign(&self.rak, &e.into_writer())
    }

    /// A whole CCA token for a 64-byte realm challenge.
    pub fn token(&self, challenge: &[u8]) -> Result<Vec<u8>> {
        let platform = self.platform_token()?;
        let realm = self.realm_token(challenge)?;
        let mut e = Encoder::new(Vec::with_capacity(platform.len() + realm.len() + 32));
        // Writing to a Vec cannot fail.
        let _ = match self.collection {
            Collection::Legacy => e
                .tag(Tag::new(TAG_COLLECTION_LEGACY))
                .and_then(|e| e.map(2))
                .and_then(|e| e.i64(LABEL_PLATFORM))
                .and_then(|e| e.bytes(&platform))
                .and_then(|e| e.i64(LABEL_REALM))
                .and_then(|e| e.bytes(&realm)),
            Collection::Cmw => e
                .tag(Tag::new(TAG_COLLECTION_CMW))
                .and_then(|e| e.map(2))
                .and_then(|e| e.i64(LABEL_PLATFORM))
                .and_then(|e| e.array(2))
                .and_then(|e| e.u64(CF_EAT_CWT))
                .and_then(|e| e.bytes(&platform))
                .and_then(|e| e.i64(LABEL_REALM))
                .and_then(|e| e.array(2))
                .and_then(|e| e.u64(CF_EAT_CWT))
                .and_then(|e| e.bytes(&realm)),
        };
        Ok(e.into_writer())
    }
}

fn sign(key: &EcdsaSigningKey, payload: &[u8]) -> Result<Vec<u8>> {
    cose::encode_sign1(&cose::protected_alg_header(ALG_ES384), payload, |tbs| {
        Ok(key.sign(tbs)?)
    })
}

/// NOT SECURE: the `mock-cca` backend.
pub struct MockCcaAttester {
    platform: MockCca,
}

impl MockCcaAttester {
    /// An attester over `platform`.
    pub fn new(platform: MockCca) -> Self {
        Self { platform }
    }

    /// The mock platform.
    pub fn platform(&self) -> &MockCca {
        &self.platform
    }
}

impl Attester for MockCcaAttester {
    fn platform(&self) -> Platform {
        Platform::Cca
    }

    fn capabilities(&self) -> Capabilities {
        attester_cca::capabilities()
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        let caps = attester_cca::capabilities();
        let field = caps.field_value(challenge)?;
        Ok(Evidence {
            platform: Platform::Cca,
            challenge: *challenge,
            binding: BindingMode::Raw,
            fill: caps.fill,
            body: Item::new(
                media_types::CCA_TOKEN,
                self.platform.token(field.as_bytes())?,
            ),
            endorsements: Vec::new(),
            event_logs: Vec::new(),
        })
    }
}
