//! Offline collateral (Intel PCS v4): TDX TCB Info v3, TD_QE Identity v2, the PCK CRL and the
//! Root CA CRL, their signatures checked to the same pinned root, and the TCB status of a
//! quote computed with Intel QVL's matching rules (`TcbLevelCheck`, `TdxModuleCheck`, QE
//! identity convergence).
//!
//! Accepted inputs: the `QuoteCollateralV3` JSON bundle (`tcb_info` and `qe_identity` as the
//! exact signed JSON text, hex signatures, PEM issuer chains, hex DER CRLs), PCS responses
//! (`{"tcbInfo": …, "signature": …}`, `{"enclaveIdentity": …, "signature": …}`, signed over the
//! exact bytes of the value, never a re-serialisation), DER CRLs and PEM certificates (the TCB
//! signing chain, which PCS sends in an HTTP header).

use attester_core::crypto::{Curve, HashAlg, Provider, Signature, SignatureAlg};
use attester_core::x509::{
    Certificate, Crl, parse_pem_chain, parse_pem_chain_reusing, verify_chain,
};
use attester_core::{Check, Error, Result};
use serde::Deserialize;
use serde_json::value::RawValue;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::quote::{QeReportCertData, Quote};
use crate::verify::{IntelRoots, VerifiedPck};

const WHAT: &str = "TDX collateral";

fn malformed(reason: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::malformed(WHAT, reason)
}

fn fail(name: &'static str, reason: impl Into<String>) -> Error {
    Error::check(Check::Format(name.into()), reason)
}

/// A JSON value signed by the TCB signing key: its exact text and its `r || s` signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedJson {
    /// The exact signed text.
    pub text: Vec<u8>,
    /// The ECDSA P-256 signature.
    pub signature: [u8; 64],
}

/// Collateral as supplied, not yet verified.
#[derive(Clone, Debug, Default)]
pub struct Collateral {
    /// The TDX TCB Info.
    pub tcb_info: Option<SignedJson>,
    /// The TD_QE identity.
    pub qe_identity: Option<SignedJson>,
    /// Certificates: the TCB signing chain and the PCK CRL issuer chain.
    pub certificates: Vec<Certificate>,
    /// CRLs: PCK (Platform or Processor CA) and Root CA.
    pub crls: Vec<Crl>,
}

#[derive(Deserialize)]
struct Bundle {
    tcb_info: String,
    tcb_info_signature: String,
    tcb_info_issuer_chain: String,
    qe_identity: String,
    qe_identity_signature: String,
    qe_identity_issuer_chain: String,
    pck_crl: String,
    pck_crl_issuer_chain: String,
    root_ca_crl: String,
}

#[derive(Deserialize)]
struct PcsResponse<'a> {
    #[serde(borrow, rename = "tcbInfo")]
    tcb_info: Option<&'a RawValue>,
    #[serde(borrow, rename = "enclaveIdentity")]
    enclave_identity: Option<&'a RawValue>,
    signature: &'a str,
}

fn signature(hex_text: &str) -> Result<[u8; 64]> {
    let bytes = hex::decode(hex_text).map_err(|_| malformed("a signature is not hex"))?;
    bytes
        .try_into()
        .map_err(|_| malformed("a signature is not 64 bytes"))
}

impl Collateral {
    /// No collateral.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one file: a JSON bundle or PCS response, a DER CRL, or PEM certificates.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the file is none of them.
    pub fn add_file(&mut self, bytes: &[u8]) -> Result<()> {
        let text = std::str::from_utf8(bytes).map(str::trim_start);
        match text {
            Ok(t) if t.starts_with('{') => self.add_json(t),
            Ok(t) if t.starts_with("-----BEGIN") => {
                self.certificates.extend(parse_pem_chain(t.as_bytes())?);
                Ok(())
            }
            _ => match Crl::from_der(bytes) {
                Ok(crl) => {
                    self.crls.push(crl);
                    Ok(())
                }
                Err(_) => {
                    self.certificates
                        .push(Certificate::from_der(bytes).map_err(|_| {
                            malformed("neither collateral JSON, a DER CRL nor a certificate")
                        })?);
                    Ok(())
                }
            },
        }
    }

    /// The certificates a chain being added may repeat: those already collected and the
    /// built-in Intel root (reused only to skip parsing it again; trust is decided later).
    fn known_certificates(&self) -> Vec<Certificate> {
        let mut known = self.certificates.clone();
        if let Ok(builtin) = IntelRoots::builtin() {
            known.extend(builtin.roots().iter().cloned());
        }
        known
    }

    fn add_json(&mut self, text: &str) -> Result<()> {
        if let Ok(bundle) = serde_json::from_str::<Bundle>(text) {
            self.tcb_info = Some(SignedJson {
                text: bundle.tcb_info.as_bytes().to_vec(),
                signature: signature(&bundle.tcb_info_signature)?,
            });
            self.qe_identity = Some(SignedJson {
                text: bundle.qe_identity.as_bytes().to_vec(),
                signature: signature(&bundle.qe_identity_signature)?,
            });
            for chain in [
                &bundle.tcb_info_issuer_chain,
                &bundle.qe_identity_issuer_chain,
                &bundle.pck_crl_issuer_chain,
            ] {
                // The issuer chains share the TCB signing certificate and Intel's root: each
                // is parsed once.
                let known = self.known_certificates();
                for cert in parse_pem_chain_reusing(chain.as_bytes(), &known)? {
                    if !self.certificates.contains(&cert) {
                        self.certificates.push(cert);
                    }
                }
            }
            for crl in [&bundle.pck_crl, &bundle.root_ca_crl] {
                let der = hex::decode(crl).map_err(|_| malformed("a CRL is not hex"))?;
                self.crls.push(Crl::from_der(&der)?);
            }
            return Ok(());
        }
        let response: PcsResponse<'_> = serde_json::from_str(text)
            .map_err(|e| malformed(format!("not a collateral bundle or PCS response: {e}")))?;
        let signed = |raw: &RawValue| -> Result<SignedJson> {
            Ok(SignedJson {
                text: raw.get().as_bytes().to_vec(),
                signature: signature(response.signature)?,
            })
        };
        match (response.tcb_info, response.enclave_identity) {
            (Some(raw), None) => self.tcb_info = Some(signed(raw)?),
            (None, Some(raw)) => self.qe_identity = Some(signed(raw)?),
            _ => return Err(malformed("a PCS response has tcbInfo or enclaveIdentity")),
        }
        Ok(())
    }

    /// Verifies the TCB Info and QE Identity signatures with the TCB signing certificate (whose
    /// chain must end at a root of `roots` and be valid at `at`), that both are current at `at`
    /// (`nextUpdate` not passed) and parse, and the Root CA CRL's signature and currency. PCK
    /// CRLs are checked against the quote's own PCK CA in [`VerifiedCollateral::evaluate`].
    ///
    /// # Errors
    /// [`Error::Malformed`] for unparsable JSON; [`Check::Format`] (`collateral`) when a part is
    /// missing; [`Check::Signature`], [`Check::Chain`], [`Check::Validity`], [`Check::Trust`].
    pub fn verify(
        &self,
        roots: &IntelRoots,
        at: OffsetDateTime,
        provider: &dyn Provider,
    ) -> Result<VerifiedCollateral> {
        let tcb_signed = self
            .tcb_info
            .as_ref()
            .ok_or_else(|| fail("collateral", "no TCB Info"))?;
        let qe_signed = self
            .qe_identity
            .as_ref()
            .ok_or_else(|| fail("collateral", "no QE Identity"))?;
        let signer = self.tcb_signer(roots, at, provider)?;
        for (name, signed) in [("TCB Info", tcb_signed), ("QE Identity", qe_signed)] {
            provider
                .verify(
                    SignatureAlg::Ecdsa {
                        curve: Curve::P256,
                        hash: HashAlg::Sha256,
                    },
                    signer.public_key(),
                    &signed.text,
                    Signature::EcdsaFixed(&signed.signature),
                )
                .map_err(|e| Error::check(Check::Signature, format!("{name} signature: {e}")))?;
        }
        let tcb_info: TcbInfo = serde_json::from_slice(&tcb_signed.text)
            .map_err(|e| malformed(format!("TCB Info: {e}")))?;
        let qe_identity: QeIdentity = serde_json::from_slice(&qe_signed.text)
            .map_err(|e| malformed(format!("QE Identity: {e}")))?;
        check_current("TCB Info", &tcb_info.next_update, at)?;
        check_current("QE Identity", &qe_identity.next_update, at)?;
        if tcb_info.id != "TDX" || tcb_info.version != 3 {
            return Err(fail("collateral", "the TCB Info is not TDX version 3"));
        }
        if qe_identity.id != "TD_QE" {
            return Err(fail("collateral", "the QE Identity is not TD_QE"));
        }
        let mut root_crl = None;
        let mut pck_crls = Vec::new();
        for crl in &self.crls {
            match roots.roots().iter().find(|r| crl.issued_by(r)) {
                Some(root) => {
                    crl.verify_signed_by(root, provider)?;
                    crl.check_current(at)?;
                    root_crl = Some(crl.clone());
                }
                None => {
                    // Checked now when its issuer came with the collateral (the bundle's PCK
                    // CRL issuer chain), else later with the quote's own PCK CA.
                    let issuer = self.certificates.iter().find(|c| crl.issued_by(c));
                    let verified_with = match issuer {
                        Some(ca) => {
                            crl.verify_signed_by(ca, provider)?;
                            crl.check_current(at)?;
                            Some(ca.spki_der().to_vec())
                        }
                        None => None,
                    };
                    pck_crls.push((crl.clone(), verified_with));
                }
            }
        }
        Ok(VerifiedCollateral {
            tcb_info,
            qe_identity,
            root_crl,
            pck_crls,
        })
    }

    /// The TCB signing certificate, its chain verified.
    fn tcb_signer(
        &self,
        roots: &IntelRoots,
        at: OffsetDateTime,
        provider: &dyn Provider,
    ) -> Result<Certificate> {
        let signer = self
            .certificates
            .iter()
            .find(|c| is_tcb_signer(c))
            .ok_or_else(|| fail("collateral", "no TCB signing certificate"))?;
        let mut chain = vec![signer.clone()];
        if let Some(root) = roots
            .roots()
            .iter()
            .find(|r| r.subject_der() == signer.issuer_der())
        {
            chain.push(root.clone());
        }
        verify_chain(&chain, roots.anchors(), at, provider)?;
        Ok(signer.clone())
    }
}

/// Intel's collateral signer is "CN=Intel SGX TCB Signing"; its chain is checked to the pinned
/// root, so the name only picks the certificate out of the ones supplied.
fn is_tcb_signer(cert: &Certificate) -> bool {
    cert.subject().contains("CN=Intel SGX TCB Signing")
}

fn check_current(name: &str, next_update: &str, at: OffsetDateTime) -> Result<()> {
    let next = OffsetDateTime::parse(next_update, &Rfc3339)
        .map_err(|_| malformed(format!("{name} nextUpdate is not RFC 3339")))?;
    if at > next {
        return Err(Error::check(
            Check::Validity,
            format!("{name} expired at {next_update}"),
        ));
    }
    Ok(())
}

/// A TCB status string of Intel PCS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TcbStatus {
    /// `UpToDate`.
    UpToDate,
    /// `SWHardeningNeeded`.
    SwHardeningNeeded,
    /// `ConfigurationNeeded`.
    ConfigurationNeeded,
    /// `ConfigurationAndSWHardeningNeeded`.
    ConfigurationAndSwHardeningNeeded,
    /// `OutOfDate`.
    OutOfDate,
    /// `OutOfDateConfigurationNeeded`.
    OutOfDateConfigurationNeeded,
    /// `Revoked`.
    Revoked,
}

impl TcbStatus {
    /// Parses a PCS status string.
    ///
    /// # Errors
    /// [`Error::Malformed`] for an unknown one.
    pub fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "UpToDate" => Self::UpToDate,
            "SWHardeningNeeded" => Self::SwHardeningNeeded,
            "ConfigurationNeeded" => Self::ConfigurationNeeded,
            "ConfigurationAndSWHardeningNeeded" => Self::ConfigurationAndSwHardeningNeeded,
            "OutOfDate" => Self::OutOfDate,
            "OutOfDateConfigurationNeeded" => Self::OutOfDateConfigurationNeeded,
            "Revoked" => Self::Revoked,
            _ => return Err(malformed(format!("unknown TCB status {text}"))),
        })
    }

    /// The PCS string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UpToDate => "UpToDate",
            Self::SwHardeningNeeded => "SWHardeningNeeded",
            Self::ConfigurationNeeded => "ConfigurationNeeded",
            Self::ConfigurationAndSwHardeningNeeded => "ConfigurationAndSWHardeningNeeded",
            Self::OutOfDate => "OutOfDate",
            Self::OutOfDateConfigurationNeeded => "OutOfDateConfigurationNeeded",
            Self::Revoked => "Revoked",
        }
    }

    /// Intel QVL's `convergeTcbStatusWithQeTcbStatus`, also used for the TDX module.
    fn converge(self, other: Self) -> Self {
        match (other, self) {
            (Self::Revoked, _) | (_, Self::Revoked) => Self::Revoked,
            (Self::OutOfDate, Self::UpToDate | Self::SwHardeningNeeded) => Self::OutOfDate,
            (
                Self::OutOfDate,
                Self::ConfigurationNeeded | Self::ConfigurationAndSwHardeningNeeded,
            ) => Self::OutOfDateConfigurationNeeded,
            _ => self,
        }
    }
}

/// The outcome of TCB matching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcbEvaluation {
    /// The converged status.
    pub status: TcbStatus,
    /// The advisory IDs of the matched levels.
    pub advisory_ids: Vec<String>,
    /// The matched platform level's tcbDate.
    pub tcb_date: String,
    /// The TDX module identity used (`TDX_01`, …), when TEE_TCB_SVN names one.
    pub module_id: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TcbInfo {
    id: String,
    version: u32,
    next_update: String,
    fmspc: String,
    pce_id: String,
    tdx_module: Option<Module>,
    #[serde(default)]
    tdx_module_identities: Vec<ModuleIdentity>,
    tcb_levels: Vec<TcbLevel>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Module {
    mrsigner: String,
    attributes: String,
    attributes_mask: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ModuleIdentity {
    id: String,
    mrsigner: String,
    attributes: String,
    attributes_mask: String,
    tcb_levels: Vec<IsvLevel>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IsvLevel {
    tcb: IsvSvn,
    tcb_date: String,
    tcb_status: String,
    #[serde(default, rename = "advisoryIDs")]
    advisory_ids: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
struct IsvSvn {
    isvsvn: u16,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TcbLevel {
    tcb: Tcb,
    tcb_date: String,
    tcb_status: String,
    #[serde(default, rename = "advisoryIDs")]
    advisory_ids: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
struct Tcb {
    sgxtcbcomponents: Vec<Component>,
    pcesvn: u16,
    tdxtcbcomponents: Vec<Component>,
}

#[derive(Clone, Debug, Deserialize)]
struct Component {
    svn: u8,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct QeIdentity {
    id: String,
    next_update: String,
    miscselect: String,
    miscselect_mask: String,
    attributes: String,
    attributes_mask: String,
    mrsigner: String,
    isvprodid: u16,
    tcb_levels: Vec<IsvLevel>,
}

/// Collateral whose signatures verified: evaluates quotes without further signatures except a
/// PCK CRL's (checked with the quote's own PCK CA).
#[derive(Clone, Debug)]
pub struct VerifiedCollateral {
    tcb_info: TcbInfo,
    qe_identity: QeIdentity,
    root_crl: Option<Crl>,
    /// PCK CRLs, with the key of the CA they were verified with, if already.
    pck_crls: Vec<(Crl, Option<Vec<u8>>)>,
}

fn unhex(text: &str) -> Result<Vec<u8>> {
    hex::decode(text).map_err(|_| malformed("a collateral field is not hex"))
}

fn masked_eq(value: &[u8], expected: &str, mask: &str) -> Result<bool> {
    let expected = unhex(expected)?;
    let mask = unhex(mask)?;
    if expected.len() != value.len() || mask.len() != value.len() {
        return Err(malformed("a masked collateral field has the wrong length"));
    }
    Ok(value
        .iter()
        .zip(&expected)
        .zip(&mask)
        .all(|((v, e), m)| v & m == e & m))
}

impl VerifiedCollateral {
    /// The TCB status of `quote` (whose PCK chain `pck` verified): CRLs (the leaf and its CA
    /// not revoked; a PCK CRL must be signed by the quote's PCK CA and be current), the FMSPC
    /// and PCE-ID, the QE identity, the platform TCB level, the TDX module, converged.
    ///
    /// # Errors
    /// [`Check::Chain`]/[`Check::Validity`] for a bad CRL, [`Check::Trust`] for a revoked
    /// certificate, [`Check::Format`] (`tcb-level`) when the collateral does not fit the quote
    /// or no level matches (Intel: "TCB not supported").
    pub fn evaluate(
        &self,
        quote: &Quote<'_>,
        qe: &QeReportCertData<'_>,
        pck: &VerifiedPck,
        at: OffsetDateTime,
        provider: &dyn Provider,
    ) -> Result<TcbEvaluation> {
        self.check_revocation(pck, at, provider)?;
        let ext = pck.extensions();
        let tcb_info = &self.tcb_info;
        let no_match = |reason: String| fail("tcb-level", reason);
        if !unhex(&tcb_info.fmspc)?.eq(&ext.fmspc) {
            return Err(no_match(format!(
                "the TCB Info is for FMSPC {}, the PCK for {}",
                tcb_info.fmspc,
                hex::encode(ext.fmspc)
            )));
        }
        if !unhex(&tcb_info.pce_id)?.eq(&ext.pce_id) {
            return Err(no_match("the TCB Info's PCE-ID is not the PCK's".into()));
        }
        let qe_status = self.qe_status(qe)?;
        let body = quote.body();
        let svn = body.tee_tcb_svn();
        let first_tdx = if svn.get(1).copied().unwrap_or(0) > 0 {
            2
        } else {
            0
        };
        let level = tcb_info
            .tcb_levels
            .iter()
            .find(|level| {
                let sgx_ok = level.tcb.sgxtcbcomponents.len() == 16
                    && level
                        .tcb
                        .sgxtcbcomponents
                        .iter()
                        .zip(&ext.sgx_tcb_components)
                        .all(|(c, have)| *have >= c.svn)
                    && ext.pce_svn >= level.tcb.pcesvn;
                let tdx_ok = level.tcb.tdxtcbcomponents.len() == 16
                    && level
                        .tcb
                        .tdxtcbcomponents
                        .iter()
                        .zip(svn)
                        .skip(first_tdx)
                        .all(|(c, have)| *have >= c.svn);
                sgx_ok && tdx_ok
            })
            .ok_or_else(|| {
                no_match(
                    "no TCB level of the TCB Info matches the platform (TCB not supported)".into(),
                )
            })?;
        let mut status = TcbStatus::parse(&level.tcb_status)?;
        let mut advisory_ids = level.advisory_ids.clone();
        let (module_id, module_status) = self.module_status(body, &mut advisory_ids)?;
        if let Some(module_status) = module_status {
            status = status.converge(module_status);
        }
        status = status.converge(qe_status.0);
        for id in qe_status.1 {
            if !advisory_ids.contains(&id) {
                advisory_ids.push(id);
            }
        }
        Ok(TcbEvaluation {
            status,
            advisory_ids,
            tcb_date: level.tcb_date.clone(),
            module_id,
        })
    }

    fn check_revocation(
        &self,
        pck: &VerifiedPck,
        at: OffsetDateTime,
        provider: &dyn Provider,
    ) -> Result<()> {
        let ca = pck.intermediate();
        if let Some(root_crl) = &self.root_crl {
            if root_crl.is_revoked(ca.serial()) {
                return Err(Error::check(
                    Check::Trust,
                    format!("\"{}\" is revoked by the Root CA CRL", ca.subject()),
                ));
            }
        }
        for (crl, verified_with) in self.pck_crls.iter().filter(|(crl, _)| crl.issued_by(ca)) {
            if verified_with.as_deref() != Some(ca.spki_der()) {
                crl.verify_signed_by(ca, provider)?;
                crl.check_current(at)?;
            }
            if crl.is_revoked(pck.leaf().serial()) {
                return Err(Error::check(
                    Check::Trust,
                    "the PCK certificate is revoked by its CA's CRL",
                ));
            }
        }
        Ok(())
    }

    fn qe_status(&self, qe: &QeReportCertData<'_>) -> Result<(TcbStatus, Vec<String>)> {
        let id = &self.qe_identity;
        let report = &qe.qe_report;
        let bad = |reason: &str| fail("tcb-level", format!("QE identity: {reason}"));
        if !unhex(&id.mrsigner)?.eq(report.mr_signer()) {
            return Err(bad("MRSIGNER differs"));
        }
        if id.isvprodid != report.isv_prod_id() {
            return Err(bad("ISVPRODID differs"));
        }
        if !masked_eq(
            &report.misc_select().to_le_bytes(),
            &le_hex32(&id.miscselect)?,
            &le_hex32(&id.miscselect_mask)?,
        )? {
            return Err(bad("MISCSELECT does not match"));
        }
        if !masked_eq(report.attributes(), &id.attributes, &id.attributes_mask)? {
            return Err(bad("ATTRIBUTES do not match"));
        }
        let level = id
            .tcb_levels
            .iter()
            .find(|l| report.isv_svn() >= l.tcb.isvsvn)
            .ok_or_else(|| bad("no TCB level for the QE's ISVSVN"))?;
        Ok((
            TcbStatus::parse(&level.tcb_status)?,
            level.advisory_ids.clone(),
        ))
    }

    fn module_status(
        &self,
        body: &crate::quote::TdBody<'_>,
        advisories: &mut Vec<String>,
    ) -> Result<(Option<String>, Option<TcbStatus>)> {
        let svn = body.tee_tcb_svn();
        let major = svn.get(1).copied().unwrap_or(0);
        let minor = svn.first().copied().unwrap_or(0);
        let attributes = body.seam_attributes().to_le_bytes();
        let bad = |reason: String| fail("tcb-level", format!("TDX module: {reason}"));
        if major == 0 {
            if let Some(module) = &self.tcb_info.tdx_module {
                if !unhex(&module.mrsigner)?.eq(body.mr_signer_seam())
                    || !masked_eq(&attributes, &module.attributes, &module.attributes_mask)?
                {
                    return Err(bad("MRSIGNERSEAM or SEAM attributes do not match".into()));
                }
            }
            return Ok((None, None));
        }
        let id = format!("TDX_{major:02X}");
        let identity = self
            .tcb_info
            .tdx_module_identities
            .iter()
            .find(|m| m.id.eq_ignore_ascii_case(&id))
            .ok_or_else(|| bad(format!("no identity {id} in the TCB Info")))?;
        if !unhex(&identity.mrsigner)?.eq(body.mr_signer_seam())
            || !masked_eq(&attributes, &identity.attributes, &identity.attributes_mask)?
        {
            return Err(bad(format!(
                "MRSIGNERSEAM or SEAM attributes do not match {id}"
            )));
        }
        let level = identity
            .tcb_levels
            .iter()
            .find(|l| minor >= l.tcb.isvsvn as u8 && l.tcb.isvsvn <= 255)
            .ok_or_else(|| bad(format!("no {id} level for module SVN {minor}")))?;
        for advisory in &level.advisory_ids {
            if !advisories.contains(advisory) {
                advisories.push(advisory.clone());
            }
        }
        let _ = &level.tcb_date;
        Ok((Some(id), Some(TcbStatus::parse(&level.tcb_status)?)))
    }
}

/// MISCSELECT is a big-endian hex u32 in the JSON; the QE report stores it little-endian.
fn le_hex32(text: &str) -> Result<String> {
    let bytes = unhex(text)?;
    if bytes.len() != 4 {
        return Err(malformed("MISCSELECT is not 4 bytes"));
    }
    Ok(hex::encode(
        bytes.iter().rev().copied().collect::<Vec<u8>>(),
    ))
}
