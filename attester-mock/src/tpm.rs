//! NOT SECURE: the `mock-tpm` attester. Real-format TPM 2.0 quotes (TPMS_ATTEST, TPMT_SIGNATURE
//! with ECDSA P-256/SHA-256, the AK's TPM2B_PUBLIC) over 24 mock SHA-256 PCRs, signed by an AK
//! derived from a public seed.
//!
//! The AK's public area carries the attributes of a real AK (restricted, sign, fixedTPM,
//! fixedParent, ...), so the production verifier (`attester_tpm::verify`) accepts its quotes
//! exactly when told to trust [`MockTpm::ak_spki_der`] — and fails them with "AK not trusted"
//! otherwise. `qualifiedSigner` holds the AK's Name.

use crate::pki::DEFAULT_SEED;
use attester_core::crypto::{Curve, EcdsaSigningKey, HashAlg, digest, digest_parts};
use attester_core::x509::TrustAnchors;
use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Error, Evidence, ExtendMeasurement,
    ExtendSupport, Item, Platform, Result, media_types,
};
use attester_tpm::marshal::{self, QuoteFields};
use attester_tpm::{HashAlgId, PcrValues, QuoteBundle};

/// The number of mock PCRs (the PC Client count).
pub const PCR_COUNT: u32 = 24;
/// What the mock firmware measured into PCR 0 at "boot".
pub const BOOT_FIRMWARE: &[u8] = b"attester mock tpm firmware v1";
/// What the mock boot loader measured into PCR 4.
pub const BOOT_LOADER: &[u8] = b"attester mock tpm boot loader v1";
/// The mock TPM's firmware version (TPMS_ATTEST.firmwareVersion).
pub const FIRMWARE_VERSION: u64 = 0x2026_0001_0000_0001;
/// The largest digest the mock implements (SHA-512, like swtpm): challenges up to 64 bytes.
pub const MAX_DIGEST: usize = 64;

/// A mock TPM: a seeded AK and 24 SHA-256 PCRs.
pub struct MockTpm {
    ak: EcdsaSigningKey,
    ak_public: Vec<u8>,
    pcrs: [[u8; 32]; PCR_COUNT as usize],
    clock: u64,
}

impl MockTpm {
    /// The mock TPM of `seed`, with PCR 0 and 4 extended as a boot would.
    ///
    /// # Errors
    /// From the crypto seam (not expected).
    pub fn from_seed(seed: [u8; 32]) -> Result<Self> {
        let ak = EcdsaSigningKey::from_seed(Curve::P256, &seed, b"mock tpm ak")?;
        let point = ak.public_sec1();
        let x = point.get(1..33).unwrap_or(&[]);
        let y = point.get(33..65).unwrap_or(&[]);
        let ak_public = marshal::ecc_p256_ak_public(x, y);
        let mut tpm = Self {
            ak,
            ak_public,
            pcrs: [[0u8; 32]; PCR_COUNT as usize],
            clock: 1_000,
        };
        tpm.extend_pcr(0, digest(HashAlg::Sha256, BOOT_FIRMWARE).as_bytes())?;
        tpm.extend_pcr(4, digest(HashAlg::Sha256, BOOT_LOADER).as_bytes())?;
        Ok(tpm)
    }

    /// The mock TPM of [`DEFAULT_SEED`]: what `--allow-mock` trusts.
    ///
    /// # Errors
    /// As [`Self::from_seed`].
    pub fn from_default_seed() -> Result<Self> {
        Self::from_seed(DEFAULT_SEED)
    }

    /// The AK's TPM2B_PUBLIC.
    pub fn ak_tpm2b_public(&self) -> Vec<u8> {
        marshal::tpm2b_public(&self.ak_public)
    }

    /// The AK as a DER SubjectPublicKeyInfo (what a verifier pins).
    ///
    /// # Errors
    /// From the crypto seam (not expected).
    pub fn ak_spki_der(&self) -> Result<Vec<u8>> {
        Ok(self.ak.spki_der()?)
    }

    /// Trust anchors that pin the mock AK.
    ///
    /// # Errors
    /// As [`Self::ak_spki_der`].
    pub fn trust_anchors(&self) -> Result<TrustAnchors> {
        let mut anchors = TrustAnchors::new();
        anchors.add_spki(&self.ak_spki_der()?)?;
        Ok(anchors)
    }

    /// The current value of PCR `index`.
    pub fn pcr(&self, index: u32) -> Option<[u8; 32]> {
        self.pcrs.get(index as usize).copied()
    }

    /// `PCR[index] = SHA-256(PCR[index] ‖ digest)`, as TPM2_PCR_Extend does.
    ///
    /// # Errors
    /// [`Error::Unsupported`] for an index above 23, [`Error::Malformed`] for a digest that is
    /// not 32 bytes.
    pub fn extend_pcr(&mut self, index: u32, digest: &[u8]) -> Result<()> {
        if digest.len() != 32 {
            return Err(Error::malformed(
                "PCR extend digest",
                "a SHA-256 digest is 32 bytes",
            ));
        }
        let pcr = self
            .pcrs
            .get_mut(index as usize)
            .ok_or_else(|| Error::Unsupported(format!("PCR {index} does not exist").into()))?;
        let next = digest_parts(HashAlg::Sha256, &[pcr.as_slice(), digest]);
        pcr.copy_from_slice(next.as_bytes());
        Ok(())
    }

    /// A quote of every PCR with `extra_data` as qualifyingData, as the evidence body
    /// ([`QuoteBundle`] CBOR).
    ///
    /// # Errors
    /// From the crypto seam (not expected).
    pub fn quote(&mut self, extra_data: &[u8]) -> Result<Vec<u8>> {
        let indices: Vec<u32> = (0..PCR_COUNT).collect();
        let selection = marshal::pcr_selection(&[(HashAlgId::SHA256, &indices)]);
        let mut values = PcrValues::new();
        for (index, value) in (0u32..).zip(&self.pcrs) {
            values.insert(HashAlgId::SHA256, index, value)?;
        }
        let parts: Vec<&[u8]> = self.pcrs.iter().map(|p| p.as_slice()).collect();
        let pcr_digest = digest_parts(HashAlg::Sha256, &parts);
        let mut name = attester_tpm::alg::SHA256.to_be_bytes().to_vec();
        name.extend_from_slice(digest(HashAlg::Sha256, &self.ak_public).as_bytes());
        self.clock += 1;
        let attest = marshal::quote_attest(&QuoteFields {
            qualified_signer: &name,
            extra_data,
            clock: self.clock,
            reset_count: 0,
            restart_count: 0,
            firmware_version: FIRMWARE_VERSION,
            pcr_select: &selection,
            pcr_digest: pcr_digest.as_bytes(),
        });
        let rs = self.ak.sign(&attest)?;
        let (r, s) = rs.split_at(rs.len() / 2);
        let signature = marshal::ecdsa_signature(HashAlgId::SHA256, r, s);
        let ak_public = self.ak_tpm2b_public();
        Ok(QuoteBundle {
            attest: &attest,
            signature: &signature,
            ak_public: &ak_public,
            pcrs: values,
        }
        .encode())
    }
}

/// The `mock-tpm` backend.
pub struct MockTpmAttester {
    tpm: MockTpm,
}

impl MockTpmAttester {
    /// A backend over `tpm`.
    pub fn new(tpm: MockTpm) -> Self {
        Self { tpm }
    }

    /// The mock TPM.
    pub fn tpm(&self) -> &MockTpm {
        &self.tpm
    }
}

impl Attester for MockTpmAttester {
    fn platform(&self) -> Platform {
        Platform::Tpm
    }

    fn capabilities(&self) -> Capabilities {
        attester_tpm::capabilities(MAX_DIGEST)
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        let caps = self.capabilities();
        let field = caps.field_value(challenge)?;
        Ok(Evidence {
            platform: Platform::Tpm,
            challenge: *challenge,
            binding: BindingMode::Raw,
            fill: caps.fill,
            body: Item::new(media_types::TPM_QUOTE, self.tpm.quote(field.as_bytes())?),
            endorsements: Vec::new(),
            event_logs: Vec::new(),
        })
    }

    fn extender(&mut self) -> Option<&mut dyn ExtendMeasurement> {
        Some(self)
    }
}

impl ExtendMeasurement for MockTpmAttester {
    fn extend_support(&self) -> ExtendSupport {
        ExtendSupport {
            registers: (0..PCR_COUNT).collect(),
            digest_len: 32,
        }
    }

    fn extend(&mut self, register: u32, digest: &[u8]) -> Result<()> {
        self.tpm.extend_pcr(register, digest)
    }
}
