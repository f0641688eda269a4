//! Recognising evidence files: a CMW (JSON or CBOR) or a platform's raw bytes.

use attester_core::cose::Sign1;
use attester_core::{Binding, Error, Evidence, Item, Platform, Result, cmw, media_types};

/// What an input file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Evidence in this workspace's CMW envelope.
    Evidence(Evidence),
    /// A CMW from elsewhere (another profile, a bare record), kept as its bytes.
    ForeignCmw(Vec<u8>),
    /// A platform's raw evidence bytes, with no envelope.
    Raw {
        /// The platform whose format the bytes are in.
        platform: Platform,
        /// The media type the bytes would have in a CMW.
        media_type: &'static str,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

/// Recognises `bytes`: a CMW by its first byte (draft-ietf-rats-msg-wrap demultiplexing), else
/// the raw formats of the supported platforms.
pub fn recognise(bytes: &[u8]) -> Result<Input> {
    if bytes.is_empty() {
        return Err(Error::malformed("input", "the file is empty"));
    }
    // Before the CMW check: a tag-907 token is itself shaped like a CBOR CMW collection.
    if attester_cca::CcaToken::decode(bytes).is_ok() {
        return Ok(Input::Raw {
            platform: Platform::Cca,
            media_type: media_types::CCA_TOKEN,
            bytes: bytes.to_vec(),
        });
    }
    if attester_tpm::QuoteBundle::decode(bytes).is_ok() {
        return Ok(Input::Raw {
            platform: Platform::Tpm,
            media_type: media_types::TPM_QUOTE,
            bytes: bytes.to_vec(),
        });
    }
    if cmw::encoding_of(bytes).is_ok() {
        let message = cmw::decode(bytes)?;
        let profile = message.as_collection().and_then(|c| c.ctype.as_deref());
        if profile == Some(cmw::EVIDENCE_PROFILE) {
            return Ok(Input::Evidence(Evidence::from_cmw(bytes)?));
        }
        return Ok(Input::ForeignCmw(bytes.to_vec()));
    }
    if bytes.len() == attester_snp::REPORT_LEN {
        // A report that does not parse is still an SNP report (the length says so): its parse
        // error is the useful message.
        attester_snp::Report::parse(bytes)?;
        return Ok(Input::Raw {
            platform: Platform::Snp,
            media_type: media_types::SNP_REPORT,
            bytes: bytes.to_vec(),
        });
    }
    if let Some(tdx) = crate::tdx::recognise(bytes) {
        return tdx;
    }
    if crate::tpm::is_raw_attest(bytes) {
        return crate::tpm::raw_input(bytes);
    }
    if is_mock_token(bytes) {
        return Ok(Input::Raw {
            platform: Platform::Mock,
            media_type: media_types::MOCK_EAT,
            bytes: bytes.to_vec(),
        });
    }
    Err(Error::malformed(
        "input",
        "neither a CMW nor raw evidence of a supported platform",
    ))
}

fn is_mock_token(bytes: &[u8]) -> bool {
    Sign1::decode(bytes)
        .ok()
        .is_some_and(|m| attester_mock::eat::MockClaims::decode(m.payload).is_ok())
}

/// Evidence ready for verification: a CMW's evidence as is, or raw bytes wrapped with the
/// verifier's expected binding and the endorsements given beside them.
pub fn into_evidence(
    input: Input,
    expected: &Binding,
    endorsements: Vec<Item>,
) -> Result<Evidence> {
    match input {
        Input::Evidence(mut evidence) => {
            evidence.endorsements.extend(endorsements);
            Ok(evidence)
        }
        Input::Raw {
            platform,
            media_type,
            bytes,
        } => Ok(Evidence {
            platform,
            challenge: *expected.challenge(),
            binding: expected.mode().clone(),
            fill: raw_fill_rule(platform)?,
            body: Item::new(media_type, bytes),
            endorsements,
            event_logs: Vec::new(),
        }),
        Input::ForeignCmw(_) => Err(Error::Unsupported(
            "this CMW is not in the attester evidence profile; `attester inspect` shows it".into(),
        )),
    }
}

fn raw_fill_rule(platform: Platform) -> Result<attester_core::FillRule> {
    match platform {
        Platform::Mock => Ok(attester_mock::capabilities().fill),
        Platform::Cca => Ok(attester_cca::capabilities().fill),
        Platform::Snp => Ok(attester_snp::verify::FILL),
        Platform::Tdx => Ok(attester_tdx::FILL),
        Platform::Tpm => Ok(attester_tpm::FILL),
        other => Err(Error::Unsupported(
            format!("raw {other} evidence is not supported by this version").into(),
        )),
    }
}
