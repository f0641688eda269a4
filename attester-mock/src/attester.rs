//! The `mock` attester: an EAT in COSE_Sign1, ES384, signed by the mock attestation key.

use crate::eat::{DebugStatus, MEASUREMENT_LEN, MockClaims};
use crate::pki::MockPki;
use attester_core::cose::{self, ALG_ES384};
use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Evidence, FillRule, Item, Platform, Result,
    crypto, media_types,
};
use std::time::{SystemTime, UNIX_EPOCH};

/// The image whose SHA-384 is the default mock measurement.
pub const DEFAULT_IMAGE: &[u8] = b"attester mock image v1";

/// NOT SECURE: produces EAT evidence signed with a key derived from a public seed.
pub struct MockAttester {
    pki: MockPki,
    debug: bool,
    measurement: [u8; MEASUREMENT_LEN],
}

impl MockAttester {
    /// A mock attester signing with `pki`'s attestation key, debug disabled, measuring
    /// [`DEFAULT_IMAGE`].
    pub fn new(pki: MockPki) -> Self {
        let digest = crypto::digest(crypto::HashAlg::Sha384, DEFAULT_IMAGE);
        let mut measurement = [0u8; MEASUREMENT_LEN];
        measurement.copy_from_slice(digest.as_bytes());
        Self {
            pki,
            debug: false,
            measurement,
        }
    }

    /// Claims debug enabled (`dbgstat` 0), which the default policy rejects.
    pub fn with_debug(mut self, debug: bool) -> Self {
        self.debug = debug;
        self
    }

    /// Reports `measurement` instead of the default image's digest.
    pub fn with_measurement(mut self, measurement: [u8; MEASUREMENT_LEN]) -> Self {
        self.measurement = measurement;
        self
    }

    /// The PKI this attester signs with.
    pub fn pki(&self) -> &MockPki {
        &self.pki
    }

    fn claims(&self, challenge: &Challenge) -> MockClaims {
        let issued_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        MockClaims {
            nonce: challenge.as_bytes().to_vec(),
            ueid: self.pki.ueid().to_vec(),
            debug: if self.debug {
                DebugStatus::Enabled
            } else {
                DebugStatus::DisabledPermanently
            },
            measurement: self.measurement.to_vec(),
            issued_at,
        }
    }
}

/// The mock's capabilities: any challenge, exactly, in `eat_nonce`.
pub fn capabilities() -> Capabilities {
    Capabilities {
        challenge_lengths: 8..=64,
        field: "eat_nonce",
        fill: FillRule::Exact,
        extend: None,
    }
}

impl Attester for MockAttester {
    fn platform(&self) -> Platform {
        Platform::Mock
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        let caps = capabilities();
        caps.field_value(challenge)?;
        let payload = self.claims(challenge).encode();
        let key = self.pki.attestation_key();
        let token = cose::encode_sign1(&cose::protected_alg_header(ALG_ES384), &payload, |tbs| {
            Ok(key.sign(tbs)?)
        })?;
        Ok(Evidence {
            platform: Platform::Mock,
            challenge: *challenge,
            binding: BindingMode::Raw,
            fill: caps.fill,
            body: Item::new(media_types::MOCK_EAT, token),
            endorsements: vec![Item::new(
                media_types::PKIX_CERT,
                self.pki.attestation_certificate_der().to_vec(),
            )],
            event_logs: Vec::new(),
        })
    }
}
