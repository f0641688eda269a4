//! Intel TDX in the facade: recognising raw quotes (binary or hex text) and TDREPORTs,
//! decoding them for `inspect`, the `tdx` policy rules, and verification with optional offline
//! collateral (`--collateral`) and a stapled CC event log.

use attester_core::x509::Certificate;
use attester_core::{Check, Error, Evidence, Platform, Result, media_types};
use attester_tdx::collateral::Collateral;
use attester_tdx::verify::{self as tdx, IntelRoots, Options};
use attester_tdx::{Masked, Quote, TdReport};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::input::Input;
use crate::verify::{Verdict, VerifyOptions};

/// Recognises a raw TDX quote (binary, or hex text with an optional `0x`) or a TDREPORT.
/// `None` when the bytes are neither; an error when they are plainly one that does not parse.
pub fn recognise(bytes: &[u8]) -> Option<Result<Input>> {
    if bytes.len() == attester_tdx::TDREPORT_SIZE && bytes.first() == Some(&0x81) {
        return Some(
            TdReport::parse(bytes).map(|_| raw(media_types::TDX_TDREPORT, bytes.to_vec())),
        );
    }
    if looks_like_quote(bytes) {
        return Some(Quote::parse(bytes).map(|_| raw(media_types::TDX_QUOTE, bytes.to_vec())));
    }
    let decoded = hex_text(bytes)?;
    looks_like_quote(&decoded)
        .then(|| Quote::parse(&decoded).map(|_| raw(media_types::TDX_QUOTE, decoded.clone())))
}

fn raw(media_type: &'static str, bytes: Vec<u8>) -> Input {
    Input::Raw {
        platform: Platform::Tdx,
        media_type,
        bytes,
    }
}

/// Version 4 or 5, attestation key type 2, TEE type 0x81: the first 8 bytes of a TD quote.
fn looks_like_quote(bytes: &[u8]) -> bool {
    matches!(bytes.get(..8), Some([4 | 5, 0, 2, 0, 0x81, 0, 0, 0]))
}

/// Hex text (whitespace around it, an optional `0x`) decoded, or `None`.
fn hex_text(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let text = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(text).ok()
}

/// Every field of a TD quote or a TDREPORT, named as in Intel's specifications.
pub fn decode(bytes: &[u8]) -> Result<Value> {
    if bytes.len() == attester_tdx::TDREPORT_SIZE {
        if let Ok(report) = TdReport::parse(bytes) {
            return Ok(decode_tdreport(&report));
        }
    }
    let quote = Quote::parse(bytes)?;
    Ok(decode_quote(&quote))
}

fn decode_quote(q: &Quote<'_>) -> Value {
    let b = q.body();
    let qe = q.qe_report_cert().map(|qe| {
        json!({
            "mr_enclave": hex::encode(qe.qe_report.mr_enclave()),
            "mr_signer": hex::encode(qe.qe_report.mr_signer()),
            "isv_prod_id": qe.qe_report.isv_prod_id(),
            "isv_svn": qe.qe_report.isv_svn(),
            "attributes": hex::encode(qe.qe_report.attributes()),
            "report_data": hex::encode(qe.qe_report.report_data()),
            "qe_auth_data_size": qe.qe_auth_data.len(),
            "inner_cert_type": qe.inner.kind.as_u16(),
            "inner_cert_size": qe.inner.data.len(),
        })
    });
    let cert_type = match q.certification() {
        attester_tdx::Certification::QeReport(_) => 6,
        attester_tdx::Certification::Other(data) => data.kind.as_u16(),
    };
    json!({
        "kind": "quote",
        "version": q.version(),
        "att_key_type": q.att_key_type(),
        "tee_type": format!("{:#x}", q.tee_type()),
        "qe_vendor_id": hex::encode(q.qe_vendor_id()),
        "user_data": hex::encode(q.user_data()),
        "body_type": b.body_type().as_str(),
        "tee_tcb_svn": hex::encode(b.tee_tcb_svn()),
        "mr_seam": hex::encode(b.mr_seam()),
        "mr_signer_seam": hex::encode(b.mr_signer_seam()),
        "seam_attributes": format!("{:#018x}", b.seam_attributes()),
        "td_attributes": {
            "raw": format!("{:#018x}", b.td_attributes().0),
            "debug": b.td_attributes().debug(),
        },
        "xfam": format!("{:#018x}", b.xfam()),
        "mr_td": hex::encode(b.mr_td()),
        "mr_config_id": hex::encode(b.mr_config_id()),
        "mr_owner": hex::encode(b.mr_owner()),
        "mr_owner_config": hex::encode(b.mr_owner_config()),
        "rtmrs": b.rtmrs().iter().map(hex::encode).collect::<Vec<_>>(),
        "report_data": hex::encode(b.report_data()),
        "tee_tcb_svn2": b.tee_tcb_svn2().map(hex::encode),
        "mr_service_td": b.mr_service_td().map(hex::encode),
        "signature": hex::encode(q.signature()),
        "attestation_key": hex::encode(q.attestation_key()),
        "cert_type": cert_type,
        "qe_report": qe,
        "trailing_bytes": q.trailing().len(),
    })
}

fn decode_tdreport(r: &TdReport<'_>) -> Value {
    json!({
        "kind": "tdreport",
        "report_version": r.report_version(),
        "hashes_ok": r.check_hashes().is_ok(),
        "cpu_svn": hex::encode(r.cpu_svn()),
        "report_data": hex::encode(r.report_data()),
        "tee_tcb_valid": format!("{:#x}", r.tee_tcb_valid()),
        "tee_tcb_svn": hex::encode(r.tee_tcb_svn()),
        "tee_tcb_svn2": hex::encode(r.tee_tcb_svn2()),
        "mr_seam": hex::encode(r.mr_seam()),
        "mr_signer_seam": hex::encode(r.mr_signer_seam()),
        "seam_attributes": format!("{:#018x}", r.seam_attributes()),
        "td_attributes": {
            "raw": format!("{:#018x}", r.td_attributes().0),
            "debug": r.td_attributes().debug(),
        },
        "xfam": format!("{:#018x}", r.xfam()),
        "mr_td": hex::encode(r.mr_td()),
        "mr_config_id": hex::encode(r.mr_config_id()),
        "mr_owner": hex::encode(r.mr_owner()),
        "mr_owner_config": hex::encode(r.mr_owner_config()),
        "rtmrs": r.rtmrs().iter().map(hex::encode).collect::<Vec<_>>(),
        "servtd_hash": hex::encode(r.servtd_hash()),
        "mac": hex::encode(r.mac()),
    })
}

/// Rules for Intel TDX evidence (`tdx` and `mock-tdx`), `docs/policy.md`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TdxRules {
    /// The lowest TEE_TCB_SVN, 16 bytes as hex, compared byte by byte.
    #[serde(default)]
    pub min_tee_tcb_svn: Option<String>,
    /// The accepted MRSEAM values, 48 bytes each as hex.
    #[serde(default)]
    pub mr_seams: Option<Vec<String>>,
    /// The expected MRTD, hex.
    #[serde(default)]
    pub mr_td: Option<String>,
    /// The expected RTMR0..3, hex or null.
    #[serde(default)]
    pub rtmrs: Option<[Option<String>; 4]>,
    /// The expected MRCONFIGID, hex.
    #[serde(default)]
    pub mr_config_id: Option<String>,
    /// The expected MROWNER, hex.
    #[serde(default)]
    pub mr_owner: Option<String>,
    /// The expected MROWNERCONFIG, hex.
    #[serde(default)]
    pub mr_owner_config: Option<String>,
    /// TD_ATTRIBUTES under a mask.
    #[serde(default)]
    pub td_attributes: Option<MaskRule>,
    /// XFAM under a mask.
    #[serde(default)]
    pub xfam: Option<MaskRule>,
    /// Refuse non-zero bytes after the signature data.
    #[serde(default)]
    pub reject_trailing_bytes: bool,
    /// The TCB statuses accepted when collateral is given.
    #[serde(default)]
    pub tcb_statuses: Option<Vec<String>>,
}

/// `{"value": "0x…", "mask": "0x…"}`: `(field & mask) == (value & mask)`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaskRule {
    /// The expected bits, hex (`0x` optional).
    pub value: String,
    /// The compared bits, hex (`0x` optional).
    pub mask: String,
}

fn bad(key: &str, reason: &str) -> Error {
    Error::malformed("policy file", format!("tdx.{key}: {reason}"))
}

fn hex_n<const N: usize>(text: &str, key: &str) -> Result<[u8; N]> {
    let bytes = hex::decode(text).map_err(|_| bad(key, "not hex"))?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| bad(key, "wrong length"))
}

fn opt48(text: &Option<String>, key: &str) -> Result<Option<[u8; 48]>> {
    text.as_deref().map(|t| hex_n::<48>(t, key)).transpose()
}

fn masked(rule: &Option<MaskRule>, key: &str) -> Result<Option<Masked>> {
    let parse = |text: &str| {
        u64::from_str_radix(text.trim_start_matches("0x"), 16)
            .map_err(|_| bad(key, "not a hex u64"))
    };
    rule.as_ref()
        .map(|r| {
            Ok(Masked {
                value: parse(&r.value)?,
                mask: parse(&r.mask)?,
            })
        })
        .transpose()
}

impl TdxRules {
    /// The crate's policy from these rules.
    ///
    /// # Errors
    /// [`Error::Malformed`] naming a key whose value has the wrong form.
    pub fn to_tdx_policy(&self, allow_debug: bool) -> Result<attester_tdx::Policy> {
        let mut rtmrs = [None; 4];
        if let Some(given) = &self.rtmrs {
            for (slot, text) in rtmrs.iter_mut().zip(given) {
                *slot = opt48(text, "rtmrs")?;
            }
        }
        Ok(attester_tdx::Policy {
            allow_debug,
            min_tee_tcb_svn: self
                .min_tee_tcb_svn
                .as_deref()
                .map(|t| hex_n::<16>(t, "min_tee_tcb_svn"))
                .transpose()?,
            mr_seams: self
                .mr_seams
                .as_ref()
                .map(|list| list.iter().map(|t| hex_n::<48>(t, "mr_seams")).collect())
                .transpose()?,
            mr_td: opt48(&self.mr_td, "mr_td")?,
            rtmrs,
            mr_config_id: opt48(&self.mr_config_id, "mr_config_id")?,
            mr_owner: opt48(&self.mr_owner, "mr_owner")?,
            mr_owner_config: opt48(&self.mr_owner_config, "mr_owner_config")?,
            td_attributes: masked(&self.td_attributes, "td_attributes")?,
            xfam: masked(&self.xfam, "xfam")?,
            reject_trailing_bytes: self.reject_trailing_bytes,
            tcb_statuses: self.tcb_statuses.clone(),
        })
    }
}

/// TDX: a quote to the pinned Intel SGX Root CA (and the mock root only with `allow_mock`),
/// with the collateral files and a stapled CC event log when present. A TDREPORT cannot be
/// verified off its platform (its MAC key never leaves it): a failed signature check.
pub fn verify(evidence: &Evidence, options: &VerifyOptions) -> Result<Verdict> {
    if evidence.body.media_type == media_types::TDX_TDREPORT {
        let report = TdReport::parse(&evidence.body.bytes)?;
        report
            .check_hashes()
            .map_err(|e| Error::check(Check::Format("tdreport".into()), e.to_string()))?;
        return Err(Error::check(
            Check::Signature,
            "a TDREPORT is MACed with a key only its platform holds and cannot be verified \
             elsewhere; verify a quote made from it",
        ));
    }
    if evidence.body.media_type != media_types::TDX_QUOTE {
        return Err(Error::malformed(
            "TDX evidence",
            format!("body media type `{}`", evidence.body.media_type),
        ));
    }
    if evidence.fill != attester_tdx::FILL {
        return Err(Error::check(
            Check::Binding,
            format!(
                "fill rule `{}`; TDX's is `zero-pad-64`",
                evidence.fill.name()
            ),
        ));
    }
    let builtin = IntelRoots::builtin()?;
    let mut roots = IntelRoots::empty().with_all(builtin);
    if options.allow_mock {
        roots = roots.with_root(attester_mock::tdx::default_root()?.clone());
    }
    for item in &evidence.endorsements {
        if item.media_type == media_types::PKIX_CERT {
            // Endorsement certificates cannot add trust; the chain is inside the quote.
            Certificate::from_der(&item.bytes)?;
        }
    }
    let policy = options
        .policy
        .tdx
        .to_tdx_policy(options.policy.allow_debug)?;
    let verified_collateral = if options.tdx_collateral.is_empty() {
        None
    } else {
        let mut collateral = Collateral::new();
        for file in &options.tdx_collateral {
            collateral.add_file(file)?;
        }
        Some(collateral.verify(
            &roots,
            options.at,
            attester_core::crypto::default_provider(),
        )?)
    };
    let event_log = evidence
        .event_logs
        .iter()
        .find(|item| item.media_type == media_types::CCEL)
        .map(|item| item.bytes.as_slice());
    let mut tdx_options = Options::new(&roots, options.at, &policy);
    tdx_options.collateral = verified_collateral.as_ref();
    tdx_options.event_log = event_log;
    let appraisal = tdx::verify(
        &evidence.body.bytes,
        options.expected.challenge(),
        &tdx_options,
    )?;
    Ok(Verdict {
        platform: Platform::Tdx,
        passed: appraisal.passed,
        failed: None,
        claims: json!({
            "pck": appraisal.pck_subject,
            "pck_ca": appraisal.pck_issuer,
            "fmspc": hex::encode(appraisal.fmspc),
            "tcb": appraisal.tcb.map(|t| json!({
                "status": t.status.as_str(),
                "advisory_ids": t.advisory_ids,
                "tcb_date": t.tcb_date,
                "module": t.module_id,
            })),
            "event_log_events": appraisal.event_log_events,
            "quote": decode(&evidence.body.bytes)?,
        }),
    })
}
