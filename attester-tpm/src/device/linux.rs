//! The TPM backend on Linux, through tss-esapi.

use std::convert::TryFrom;

use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Error, ErrorKind, Evidence, ExtendMeasurement,
    ExtendSupport, Item, Platform, Result, media_types,
};
use tss_esapi::abstraction::{nv, pcr};
use tss_esapi::attributes::ObjectAttributesBuilder;
use tss_esapi::constants::{CapabilityType, PropertyTag, tss::TPM2_PT_MAX_DIGEST};
use tss_esapi::handles::{
    KeyHandle, NvIndexTpmHandle, ObjectHandle, PcrHandle, PersistentTpmHandle, TpmHandle,
};
use tss_esapi::interface_types::algorithm::{HashingAlgorithm, PublicAlgorithm};
use tss_esapi::interface_types::ecc::EccCurve;
use tss_esapi::interface_types::resource_handles::{Hierarchy, NvAuth};
use tss_esapi::structures::{
    CapabilityData, Data, Digest, DigestValues, EccPoint, EccScheme, HashScheme,
    KeyDerivationFunctionScheme, PcrSelectionList, PcrSelectionListBuilder, PcrSlot, Public,
    PublicBuilder, PublicEccParametersBuilder, SignatureScheme, SymmetricDefinitionObject,
};
use tss_esapi::traits::Marshall;
use tss_esapi::{Context, TctiNameConf};

use super::{Config, check_device_node, device_error};
use crate::{HashAlgId, PcrValues, QuoteBundle, marshal};

/// The PCR handles by index (ESYS_TR_PCR0..23 are 0..23).
const PCR_HANDLES: [PcrHandle; 24] = [
    PcrHandle::Pcr0,
    PcrHandle::Pcr1,
    PcrHandle::Pcr2,
    PcrHandle::Pcr3,
    PcrHandle::Pcr4,
    PcrHandle::Pcr5,
    PcrHandle::Pcr6,
    PcrHandle::Pcr7,
    PcrHandle::Pcr8,
    PcrHandle::Pcr9,
    PcrHandle::Pcr10,
    PcrHandle::Pcr11,
    PcrHandle::Pcr12,
    PcrHandle::Pcr13,
    PcrHandle::Pcr14,
    PcrHandle::Pcr15,
    PcrHandle::Pcr16,
    PcrHandle::Pcr17,
    PcrHandle::Pcr18,
    PcrHandle::Pcr19,
    PcrHandle::Pcr20,
    PcrHandle::Pcr21,
    PcrHandle::Pcr22,
    PcrHandle::Pcr23,
];

/// tss-esapi refuses qualifyingData above `Data::MAX_SIZE` (64) on the client side.
const CLIENT_MAX_DATA: usize = 64;

/// A TPM opened through its TCTI, with its AK loaded.
pub struct TpmAttester {
    context: Context,
    ak: KeyHandle,
    /// Whether `ak` is a transient key this backend created (and must flush).
    ak_transient: bool,
    ak_public: Vec<u8>,
    selection: PcrSelectionList,
    max_digest: usize,
    max_challenge: Option<usize>,
    event_log: Option<std::path::PathBuf>,
    ek_certificates: Vec<Vec<u8>>,
}

impl std::fmt::Debug for TpmAttester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TpmAttester")
            .field("max_digest", &self.max_digest)
            .field("ak_transient", &self.ak_transient)
            .finish_non_exhaustive()
    }
}

impl TpmAttester {
    /// Connects through `config.tcti`, reads the TPM's largest digest and allocated banks,
    /// and creates (or loads) the AK.
    ///
    /// # Errors
    /// [`Error::Unsupported`] when a `device:` TCTI names a node that does not exist;
    /// [`Error::Device`] when the TCTI cannot be loaded or the TPM refuses a command
    /// ([`ErrorKind::PermissionDenied`] for a device node the caller may not open).
    pub fn open(config: &Config) -> Result<Self> {
        check_device_node(&config.tcti)?;
        let tcti: TctiNameConf = config
            .tcti
            .parse()
            .map_err(|e| device_error("TCTI configuration", e))?;
        let mut context = Context::new(tcti).map_err(|e| device_error("opening the TPM", e))?;
        let max_digest = max_digest(&mut context)?;
        let selection = selection(&mut context, &config.pcrs)?;
        let (ak, ak_transient) = match config.ak_handle {
            Some(handle) => (persistent_ak(&mut context, handle)?, false),
            None => (create_primary_ak(&mut context)?, true),
        };
        let mut attester = Self {
            context,
            ak,
            ak_transient,
            ak_public: Vec::new(),
            selection,
            max_digest,
            max_challenge: config.max_challenge,
            event_log: config.event_log.clone(),
            ek_certificates: Vec::new(),
        };
        let (public, _, _) = attester
            .context
            .read_public(ak)
            .map_err(|e| device_error("reading the AK public area", e))?;
        attester.ak_public = marshal::tpm2b_public(&marshall(&public, "AK public area")?);
        attester.ek_certificates = read_ek_certificates(&mut attester.context);
        Ok(attester)
    }

    /// The AK's TPM2B_PUBLIC.
    pub fn ak_public(&self) -> &[u8] {
        &self.ak_public
    }

    /// The AK as a DER SubjectPublicKeyInfo (for enrolment: what a verifier pins).
    ///
    /// # Errors
    /// [`Error::Malformed`] if the TPM's public area does not parse (not expected).
    pub fn ak_spki_der(&self) -> Result<Vec<u8>> {
        let public = crate::Public::parse_tpm2b(&self.ak_public)?;
        Ok(public.key()?.public_key().to_spki_der()?)
    }

    /// The TPM's largest digest (TPM2_PT_MAX_DIGEST) in bytes.
    pub fn max_digest(&self) -> usize {
        self.max_digest
    }

    /// The longest qualifyingData accepted: `2 + max digest`, tss-esapi's 64, and the
    /// configured cap, whichever is smallest.
    pub fn max_qualifying_data(&self) -> usize {
        let tpm = 2 + self.max_digest;
        tpm.min(CLIENT_MAX_DATA)
            .min(self.max_challenge.unwrap_or(usize::MAX))
    }

    /// A quote over the configured PCRs of every allocated bank with `qualifying_data`
    /// exactly, as the evidence body ([`QuoteBundle`] CBOR).
    ///
    /// # Errors
    /// [`ErrorKind::ChallengeTooLong`] when `qualifying_data` is longer than
    /// [`Self::max_qualifying_data`]; [`Error::Device`] when the TPM refuses.
    pub fn quote(&mut self, qualifying_data: &[u8]) -> Result<Vec<u8>> {
        let max = self.max_qualifying_data();
        if qualifying_data.len() > max {
            return Err(Error::ChallengeLength {
                len: qualifying_data.len(),
                min: 0,
                max,
                what: "TPM2_Quote qualifyingData",
            });
        }
        // PCRs can change between the quote and the read: read on both sides and retry
        // until they agree, so the values shipped are the ones quoted.
        for _ in 0..3 {
            let before = self.read_pcrs()?;
            let (attest, signature) = self.raw_quote(qualifying_data)?;
            if self.read_pcrs()? == before {
                return Ok(QuoteBundle {
                    attest: &attest,
                    signature: &signature,
                    ak_public: &self.ak_public,
                    pcrs: before,
                }
                .encode());
            }
        }
        Err(Error::device(
            ErrorKind::Busy,
            "PCRs kept changing during the quote",
            "retry later",
        ))
    }

    fn raw_quote(&mut self, qualifying_data: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
        let data = Data::try_from(qualifying_data.to_vec())
            .map_err(|e| device_error("qualifyingData", e))?;
        let (ak, selection) = (self.ak, self.selection.clone());
        let (attest, signature) = self
            .context
            .execute_with_nullauth_session(|ctx| {
                ctx.quote(ak, data, SignatureScheme::Null, selection)
            })
            .map_err(|e| device_error("TPM2_Quote", e))?;
        Ok((
            marshall(&attest, "TPMS_ATTEST")?,
            marshall(&signature, "TPMT_SIGNATURE")?,
        ))
    }

    /// The values of the quoted PCRs.
    ///
    /// # Errors
    /// [`Error::Device`] when TPM2_PCR_Read fails.
    pub fn read_pcrs(&mut self) -> Result<PcrValues> {
        let data = pcr::read_all(&mut self.context, self.selection.clone())
            .map_err(|e| device_error("TPM2_PCR_Read", e))?;
        let mut values = PcrValues::new();
        for (alg, bank) in data {
            let Some(hash) = HashAlgId::new(tss_esapi::tss2_esys::TPMI_ALG_HASH::from(alg)) else {
                continue;
            };
            for (slot, digest) in &bank {
                let index = u32::from(*slot).trailing_zeros();
                values.insert(hash, index, digest.value())?;
            }
        }
        Ok(values)
    }

    fn event_log(&self) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.event_log.as_ref()?).ok()?;
        (!bytes.is_empty()).then_some(bytes)
    }
}

impl Drop for TpmAttester {
    fn drop(&mut self) {
        if self.ak_transient {
            // Nothing to report to in Drop; a failure leaves a slot used until the TPM
            // resets, which the next create would surface as TPM_RC_OBJECT_MEMORY.
            let _ = self.context.flush_context(ObjectHandle::from(self.ak));
        }
    }
}

impl Attester for TpmAttester {
    fn platform(&self) -> Platform {
        Platform::Tpm
    }

    fn capabilities(&self) -> Capabilities {
        let mut caps = crate::capabilities(self.max_digest);
        let max = self.max_qualifying_data();
        caps.challenge_lengths = *caps.challenge_lengths.start()..=max;
        caps
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        let caps = self.capabilities();
        let field = caps.field_value(challenge)?;
        let body = self.quote(field.as_bytes())?;
        let endorsements = self
            .ek_certificates
            .iter()
            .map(|der| Item::new(crate::EK_CERT_MEDIA_TYPE, der.clone()))
            .collect();
        let event_logs = self
            .event_log()
            .map(|log| vec![Item::new(media_types::TCG_EVENT_LOG, log)])
            .unwrap_or_default();
        Ok(Evidence {
            platform: Platform::Tpm,
            challenge: *challenge,
            binding: BindingMode::Raw,
            fill: caps.fill,
            body: Item::new(media_types::TPM_QUOTE, body),
            endorsements,
            event_logs,
        })
    }

    fn extender(&mut self) -> Option<&mut dyn ExtendMeasurement> {
        Some(self)
    }
}

impl ExtendMeasurement for TpmAttester {
    fn extend_support(&self) -> ExtendSupport {
        ExtendSupport {
            registers: (0..24).collect(),
            digest_len: 32,
        }
    }

    /// Extends the SHA-256 bank of PCR `register` with `digest` (TPM2_PCR_Extend).
    fn extend(&mut self, register: u32, digest: &[u8]) -> Result<()> {
        let handle = *PCR_HANDLES
            .get(register as usize)
            .ok_or_else(|| Error::Unsupported(format!("PCR {register} does not exist").into()))?;
        if digest.len() != 32 {
            return Err(Error::malformed(
                "PCR extend digest",
                "a SHA-256 digest is 32 bytes",
            ));
        }
        let mut values = DigestValues::new();
        values.set(
            HashingAlgorithm::Sha256,
            Digest::try_from(digest.to_vec()).map_err(|e| device_error("PCR digest", e))?,
        );
        self.context
            .execute_with_nullauth_session(|ctx| ctx.pcr_extend(handle, values))
            .map_err(|e| device_error("TPM2_PCR_Extend", e))
    }
}

fn marshall(value: &impl Marshall, what: &'static str) -> Result<Vec<u8>> {
    value.marshall().map_err(|e| device_error(what, e))
}

fn max_digest(context: &mut Context) -> Result<usize> {
    let (data, _) = context
        .get_capability(CapabilityType::TpmProperties, TPM2_PT_MAX_DIGEST, 1)
        .map_err(|e| device_error("TPM2_GetCapability(TPM_PT_MAX_DIGEST)", e))?;
    match data {
        CapabilityData::TpmProperties(list) => list
            .find(PropertyTag::MaxDigest)
            .map(|p| p.value() as usize)
            .ok_or_else(|| Error::Unsupported("the TPM does not report TPM_PT_MAX_DIGEST".into())),
        _ => Err(Error::Unsupported(
            "the TPM does not report TPM_PT_MAX_DIGEST".into(),
        )),
    }
}

/// `pcrs` of every allocated bank whose hash this crate knows.
fn selection(context: &mut Context, pcrs: &[u32]) -> Result<PcrSelectionList> {
    let (data, _) = context
        .get_capability(CapabilityType::AssignedPcr, 0, 1)
        .map_err(|e| device_error("TPM2_GetCapability(TPM_CAP_PCRS)", e))?;
    let CapabilityData::AssignedPcr(allocated) = data else {
        return Err(Error::Unsupported(
            "the TPM does not list its PCR banks".into(),
        ));
    };
    let slots = pcrs
        .iter()
        .map(|&i| {
            1u32.checked_shl(i)
                .and_then(|bit| PcrSlot::try_from(bit).ok())
                .ok_or_else(|| Error::Unsupported(format!("PCR {i} does not exist").into()))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut builder = PcrSelectionListBuilder::new();
    for bank in allocated.get_selections() {
        let alg = bank.hashing_algorithm();
        let known = HashAlgId::new(tss_esapi::tss2_esys::TPMI_ALG_HASH::from(alg)).is_some();
        if known && !bank.is_empty() {
            builder = builder.with_selection(alg, &slots);
        }
    }
    builder
        .build()
        .map_err(|e| device_error("PCR selection", e))
}

/// The AK template: a restricted ECDSA-SHA256 P-256 signing key bound to this TPM (fixedTPM,
/// fixedParent, sensitiveDataOrigin, userWithAuth, noDA), symmetric NULL, empty unique — a
/// primary key re-derived identically on every boot.
fn ak_template() -> tss_esapi::Result<Public> {
    let attributes = ObjectAttributesBuilder::new()
        .with_fixed_tpm(true)
        .with_fixed_parent(true)
        .with_sensitive_data_origin(true)
        .with_user_with_auth(true)
        .with_no_da(true)
        .with_restricted(true)
        .with_sign_encrypt(true)
        .build()?;
    PublicBuilder::new()
        .with_public_algorithm(PublicAlgorithm::Ecc)
        .with_name_hashing_algorithm(HashingAlgorithm::Sha256)
        .with_object_attributes(attributes)
        .with_ecc_parameters(
            PublicEccParametersBuilder::new()
                .with_symmetric(SymmetricDefinitionObject::Null)
                .with_ecc_scheme(EccScheme::EcDsa(HashScheme::new(HashingAlgorithm::Sha256)))
                .with_curve(EccCurve::NistP256)
                .with_key_derivation_function_scheme(KeyDerivationFunctionScheme::Null)
                .with_is_signing_key(true)
                .with_is_decryption_key(false)
                .with_restricted(true)
                .build()?,
        )
        .with_ecc_unique_identifier(EccPoint::default())
        .build()
}

fn create_primary_ak(context: &mut Context) -> Result<KeyHandle> {
    let template = ak_template().map_err(|e| device_error("AK template", e))?;
    let created = context
        .execute_with_nullauth_session(|ctx| {
            ctx.create_primary(Hierarchy::Endorsement, template, None, None, None, None)
        })
        .map_err(|e| device_error("TPM2_CreatePrimary (AK)", e))?;
    Ok(created.key_handle)
}

fn persistent_ak(context: &mut Context, handle: u32) -> Result<KeyHandle> {
    let tpm_handle =
        PersistentTpmHandle::new(handle).map_err(|e| device_error("persistent AK handle", e))?;
    let object = context
        .tr_from_tpm_public(TpmHandle::Persistent(tpm_handle))
        .map_err(|e| device_error("loading the persistent AK", e))?;
    Ok(KeyHandle::from(object))
}

/// The EK certificates present in NV (none is not an error: most swtpm states have none).
fn read_ek_certificates(context: &mut Context) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for index in super::EK_CERT_NV_INDICES {
        let Ok(handle) = NvIndexTpmHandle::new(index) else {
            continue;
        };
        let read =
            context.execute_with_nullauth_session(|ctx| nv::read_full(ctx, NvAuth::Owner, handle));
        if let Ok(der) = read {
            if !der.is_empty() {
                out.push(der);
            }
        }
    }
    out
}
