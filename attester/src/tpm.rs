//! TPM 2.0 in the facade: opening the device (feature `tpm-device`) or the mock, recognising a
//! raw TPMS_ATTEST, assembling one from loose files, decoding and verifying TPM evidence.

use crate::input::Input;
use crate::verify::{Verdict, VerifyOptions};
use attester_core::x509::Certificate;
use attester_core::{Attester, Error, Evidence, Platform, Result, media_types};
use attester_tpm::verify::{self as tpm_verify, Ak, AkTrust};
use attester_tpm::{PcrValues, QuoteBundle};
use serde_json::{Value, json};

/// The first bytes of every TPMS_ATTEST: TPM_GENERATED_VALUE.
const ATTEST_MAGIC: [u8; 4] = attester_tpm::TPM_GENERATED_VALUE.to_be_bytes();

/// Whether `bytes` look like a raw TPMS_ATTEST (they start with TPM_GENERATED_VALUE).
pub fn is_raw_attest(bytes: &[u8]) -> bool {
    bytes.starts_with(&ATTEST_MAGIC)
}

/// A raw TPMS_ATTEST as an input: its bytes still need a signature and an AK
/// ([`complete_raw`]) before they can be verified.
pub fn raw_input(bytes: &[u8]) -> Result<Input> {
    attester_tpm::Attest::parse(bytes)?;
    Ok(Input::Raw {
        platform: Platform::Tpm,
        media_type: media_types::TPM_QUOTE,
        bytes: bytes.to_vec(),
    })
}

/// The loose files that come with a raw TPMS_ATTEST.
#[derive(Debug, Default)]
pub struct LooseQuote {
    /// The TPMT_SIGNATURE.
    pub signature: Option<Vec<u8>>,
    /// The AK: PEM or DER SubjectPublicKeyInfo, or TPM2B_PUBLIC.
    pub ak: Option<Vec<u8>>,
    /// PCR values (JSON, tpm2-tools text or binary).
    pub pcrs: Option<Vec<u8>>,
}

/// Turns a raw TPMS_ATTEST input into one whose bytes are a [`QuoteBundle`], from the loose
/// files; any other input is returned unchanged.
///
/// # Errors
/// [`Error::Malformed`] when the signature or AK is missing or does not parse.
pub fn complete_raw(input: Input, loose: &LooseQuote) -> Result<Input> {
    let Input::Raw {
        platform: Platform::Tpm,
        media_type,
        bytes,
    } = input
    else {
        return Ok(input);
    };
    if !is_raw_attest(&bytes) {
        // Already a bundle.
        return Ok(Input::Raw {
            platform: Platform::Tpm,
            media_type,
            bytes,
        });
    }
    let missing = |what| Error::malformed("raw TPMS_ATTEST", format!("needs {what}"));
    let signature = loose
        .signature
        .as_deref()
        .ok_or_else(|| missing("--tpm-signature"))?;
    let ak = ak_bytes(loose.ak.as_deref().ok_or_else(|| missing("--tpm-ak"))?)?;
    Ak::parse(&ak)?;
    let pcrs = match &loose.pcrs {
        Some(text) => PcrValues::parse(text)?,
        None => PcrValues::new(),
    };
    let bundle = QuoteBundle {
        attest: &bytes,
        signature,
        ak_public: &ak,
        pcrs,
    };
    Ok(Input::Raw {
        platform: Platform::Tpm,
        media_type,
        bytes: bundle.encode(),
    })
}

/// An AK file's bytes as the bundle holds them: a TPM2B_PUBLIC, or a DER SPKI (from PEM).
///
/// # Errors
/// [`Error::Malformed`] for a PEM file without exactly one PUBLIC KEY block.
pub fn ak_bytes(file: &[u8]) -> Result<Vec<u8>> {
    if file.starts_with(b"-----BEGIN ") {
        let blocks = attester_core::x509::pem_blocks(file)?;
        return match blocks.as_slice() {
            [block] if block.label == "PUBLIC KEY" => Ok(block.der.clone()),
            _ => Err(Error::malformed("TPM AK", "expected one PUBLIC KEY block")),
        };
    }
    Ok(file.to_vec())
}

/// The SubjectPublicKeyInfo of an AK given as a TPM2B_PUBLIC (for `--trust`), or `None` when
/// the bytes are not one.
pub fn tpm2b_public_spki(bytes: &[u8]) -> Option<Vec<u8>> {
    let public = attester_tpm::Public::parse_tpm2b(bytes).ok()?;
    public.key().ok()?.public_key().to_spki_der().ok()
}

/// Decodes a TPM evidence body (a bundle) or a raw TPMS_ATTEST to JSON.
///
/// # Errors
/// [`Error::Malformed`] when it is neither.
pub fn decode(bytes: &[u8]) -> Result<Value> {
    if is_raw_attest(bytes) {
        let attest = attester_tpm::Attest::parse(bytes)?;
        return Ok(attester_tpm::describe::attest_json(&attest));
    }
    Ok(attester_tpm::describe::bundle_json(bytes)?)
}

/// Verifies TPM evidence: the AK must be pinned by `--trust` (its SPKI, PEM or TPM2B_PUBLIC),
/// or certified by a trusted root through the AK certificate the evidence carries. With
/// `allow_mock`, the mock-tpm AK is pinned as well.
///
/// # Errors
/// As [`attester_tpm::verify::verify`].
pub fn verify(evidence: &Evidence, options: &VerifyOptions) -> Result<Verdict> {
    let mut anchors = options.anchors.clone();
    if options.allow_mock {
        let mock = attester_mock::tpm::MockTpm::from_default_seed()?;
        anchors.add_spki(&mock.ak_spki_der()?)?;
    }
    let tpm_options = tpm_verify::Options::new(&anchors, options.at);
    let appraisal = tpm_verify::verify(evidence, options.expected.challenge(), &tpm_options)?;
    let trust = match &appraisal.trust {
        AkTrust::Pinned => json!({ "ak": "pinned" }),
        AkTrust::Certified { subject, issuer } => {
            json!({ "ak": "certified", "subject": subject, "issuer": issuer })
        }
    };
    let ek_certificates: Vec<Value> = evidence
        .endorsements
        .iter()
        .filter(|item| item.media_type == attester_tpm::EK_CERT_MEDIA_TYPE)
        .map(|item| match Certificate::from_der(&item.bytes) {
            Ok(cert) => json!({ "subject": cert.subject(), "issuer": cert.issuer() }),
            Err(e) => json!({ "error": e.to_string() }),
        })
        .collect();
    Ok(Verdict {
        platform: Platform::Tpm,
        passed: appraisal.passed,
        failed: None,
        claims: json!({
            "trust": trust,
            "pcrs_checked": appraisal.pcrs_checked,
            "quote": decode(&evidence.body.bytes)?,
            "ek_certificates": ek_certificates,
            "event_logs": evidence.event_logs.len(),
        }),
    })
}

/// The mock-tpm backend.
///
/// # Errors
/// From the crypto seam (not expected).
pub fn open_mock() -> Result<Box<dyn Attester + Send>> {
    Ok(Box::new(attester_mock::tpm::MockTpmAttester::new(
        attester_mock::tpm::MockTpm::from_default_seed()?,
    )))
}

/// The TPM device backend with `tcti`, or the TCTI from the environment.
///
/// # Errors
/// [`Error::Unsupported`] when this build has no TPM device backend (feature `tpm-device`),
/// or the device's error.
pub fn open_device(tcti: Option<&str>) -> Result<Box<dyn Attester + Send>> {
    #[cfg(feature = "tpm-device")]
    {
        let config = match tcti {
            Some(tcti) => attester_tpm::device::Config::with_tcti(tcti),
            None => attester_tpm::device::Config::from_env(),
        };
        Ok(Box::new(attester_tpm::device::TpmAttester::open(&config)?))
    }
    #[cfg(not(feature = "tpm-device"))]
    {
        let _ = tcti;
        Err(Error::Unsupported(
            "this attester was built without the TPM device backend (feature `tpm-device`)".into(),
        ))
    }
}

/// The AK of the TPM at `tcti` as a PEM SubjectPublicKeyInfo (for enrolment).
///
/// # Errors
/// As [`open_device`].
pub fn export_ak_pem(tcti: Option<&str>) -> Result<String> {
    #[cfg(feature = "tpm-device")]
    {
        let config = match tcti {
            Some(tcti) => attester_tpm::device::Config::with_tcti(tcti),
            None => attester_tpm::device::Config::from_env(),
        };
        let tpm = attester_tpm::device::TpmAttester::open(&config)?;
        Ok(pem_public_key(&tpm.ak_spki_der()?))
    }
    #[cfg(not(feature = "tpm-device"))]
    {
        let _ = tcti;
        Err(Error::Unsupported(
            "this attester was built without the TPM device backend (feature `tpm-device`)".into(),
        ))
    }
}

/// A DER SubjectPublicKeyInfo as PEM.
pub fn pem_public_key(der: &[u8]) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
    for line in text.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END PUBLIC KEY-----\n");
    pem
}
