//! Verification of a TD quote (Intel DCAP): in order, the certification data's shape, the
//! quote signature with the attestation key, the PCK chain to the pinned Intel SGX Root CA and
//! its validity, the QE report signature with the PCK leaf, the QE report's commitment to the
//! attestation key, the binding to the challenge, then (when supplied) the collateral's TCB
//! status and the CC event log, and the policy. Each failure names its [`Check`].
//!
//! [`VerifiedPck`] separates the chain from the per-quote checks, so a verifier can cache it
//! per PCK chain; [`VerifiedCollateral`] does the same for collateral.

use std::sync::OnceLock;

use attester_core::crypto::{self, Curve, HashAlg, Provider, PublicKey, Signature, SignatureAlg};
use attester_core::x509::{Certificate, TrustAnchors, parse_pem_chain_reusing, verify_chain};
use attester_core::{Challenge, Check, Error, Result};
use time::OffsetDateTime;

use crate::ccel::EventLog;
use crate::collateral::{TcbEvaluation, VerifiedCollateral};
use crate::pck::PckExtensions;
use crate::policy::{Policy, check_policy};
use crate::quote::{CertDataType, QeReportCertData, Quote, TdBody};

pub use crate::FILL;

/// SHA-256 of the DER of the Intel SGX Root CA (CN=Intel SGX Root CA, serial
/// 22650cd65a9d3489f383b49552bf501b392706ac, valid 2018-05-21..2049-12-31).
pub const INTEL_ROOT_SHA256: [u8; 32] = [
    0x44, 0xa0, 0x19, 0x6b, 0x2b, 0x99, 0xf8, 0x89, 0xb8, 0xe1, 0x49, 0xe9, 0x5b, 0x80, 0x7a, 0x35,
    0x0e, 0x74, 0x24, 0x96, 0x43, 0x99, 0xe8, 0x85, 0xa7, 0xcb, 0xb8, 0xcc, 0xfa, 0xb6, 0x74, 0xd3,
];

/// The roots a TDX verifier trusts: pinned by their keys.
#[derive(Clone, Debug, Default)]
pub struct IntelRoots {
    roots: Vec<Certificate>,
    anchors: TrustAnchors,
}

static BUILTIN: OnceLock<std::result::Result<IntelRoots, String>> = OnceLock::new();

impl IntelRoots {
    /// No roots: every quote fails [`Check::Trust`].
    pub fn empty() -> Self {
        Self::default()
    }

    /// The Intel SGX Root CA embedded in the crate, checked against [`INTEL_ROOT_SHA256`] when
    /// first loaded.
    ///
    /// # Errors
    /// [`Error::Malformed`] if the embedded certificate is corrupted.
    pub fn builtin() -> Result<&'static IntelRoots> {
        BUILTIN
            .get_or_init(|| load_builtin().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::malformed("embedded Intel root", e.clone()))
    }

    /// Adds a root certificate (a test PKI's).
    #[must_use]
    pub fn with_root(mut self, root: Certificate) -> Self {
        self.anchors.add_certificate(&root);
        self.roots.push(root);
        self
    }

    /// Adds every root of `other`.
    #[must_use]
    pub fn with_all(mut self, other: &IntelRoots) -> Self {
        for root in &other.roots {
            self = self.with_root(root.clone());
        }
        self
    }

    /// The trust anchors.
    pub fn anchors(&self) -> &TrustAnchors {
        &self.anchors
    }

    /// The root certificates.
    pub fn roots(&self) -> &[Certificate] {
        &self.roots
    }
}

fn load_builtin() -> Result<IntelRoots> {
    let root = Certificate::from_der(include_bytes!("../roots/intel_sgx_root_ca.der"))?;
    if root.fingerprint_sha256() != INTEL_ROOT_SHA256 {
        return Err(Error::malformed(
            "embedded Intel root",
            "the Intel SGX Root CA does not match its pinned fingerprint",
        ));
    }
    Ok(IntelRoots::empty().with_root(root))
}

/// Everything a verification needs beside the quote and the challenge.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// The trusted roots.
    pub roots: &'a IntelRoots,
    /// The verification time.
    pub at: OffsetDateTime,
    /// The signature implementation.
    pub provider: &'a dyn Provider,
    /// The appraisal policy.
    pub policy: &'a Policy,
    /// Verified collateral, for the TCB status.
    pub collateral: Option<&'a VerifiedCollateral>,
    /// A CC event log to check against the quote's RTMRs.
    pub event_log: Option<&'a [u8]>,
}

impl<'a> Options<'a> {
    /// Options with the default provider, no collateral and no event log.
    pub fn new(roots: &'a IntelRoots, at: OffsetDateTime, policy: &'a Policy) -> Self {
        Self {
            roots,
            at,
            provider: crypto::default_provider(),
            policy,
            collateral: None,
            event_log: None,
        }
    }
}

/// What a successful verification established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appraisal {
    /// The checks that passed, in order.
    pub passed: Vec<Check>,
    /// The PCK leaf's subject.
    pub pck_subject: String,
    /// The PCK intermediate's subject (Platform or Processor CA).
    pub pck_issuer: String,
    /// The FMSPC of the platform.
    pub fmspc: [u8; 6],
    /// The TCB status from collateral, when supplied.
    pub tcb: Option<TcbEvaluation>,
    /// How many bytes follow the signature data.
    pub trailing_bytes: usize,
    /// How many events the supplied event log has, when one was checked.
    pub event_log_events: Option<usize>,
}

/// A PCK chain whose certificates verified to a pinned root: quotes with the same chain need
/// only the per-quote checks.
#[derive(Clone, Debug)]
pub struct VerifiedPck {
    pem: Vec<u8>,
    leaf: Certificate,
    intermediate: Certificate,
    extensions: PckExtensions,
}

impl VerifiedPck {
    /// Verifies the PEM PCK chain (leaf, intermediate, root) to a root of `roots` at `at`, and
    /// reads the leaf's SGX extension.
    ///
    /// # Errors
    /// [`Check::Format`] (`pck-chain`, `pck-extension`), [`Check::Chain`],
    /// [`Check::Validity`] or [`Check::Trust`].
    pub fn verify(
        pem: &[u8],
        roots: &IntelRoots,
        at: OffsetDateTime,
        provider: &dyn Provider,
    ) -> Result<Self> {
        let format =
            |name: &'static str, reason: String| Error::check(Check::Format(name.into()), reason);
        // The chain usually ends at the pinned root, which is then not parsed again.
        let chain = parse_pem_chain_reusing(pem, roots.roots())
            .map_err(|e| format("pck-chain", e.to_string()))?;
        let (leaf, intermediate) = match chain.as_slice() {
            [leaf, intermediate, ..] => (leaf.clone(), intermediate.clone()),
            _ => {
                return Err(format(
                    "pck-chain",
                    "the PCK chain needs the leaf and its CA".into(),
                ));
            }
        };
        if chain.len() > 3 {
            return Err(format(
                "pck-chain",
                "the PCK chain has more than three certificates".into(),
            ));
        }
        verify_chain(&chain, roots.anchors(), at, provider)?;
        let extensions = PckExtensions::from_certificate(&leaf)
            .map_err(|e| format("pck-extension", e.to_string()))?;
        Ok(Self {
            pem: pem.to_vec(),
            leaf,
            intermediate,
            extensions,
        })
    }

    /// Whether `pem` is the chain this was verified from.
    pub fn is_chain(&self, pem: &[u8]) -> bool {
        self.pem == pem
    }

    /// The PCK leaf.
    pub fn leaf(&self) -> &Certificate {
        &self.leaf
    }

    /// The PCK intermediate (Platform or Processor CA).
    pub fn intermediate(&self) -> &Certificate {
        &self.intermediate
    }

    /// The leaf's SGX extension.
    pub fn extensions(&self) -> &PckExtensions {
        &self.extensions
    }

    /// Checks the QE report's signature with the PCK leaf and its REPORTDATA commitment to the
    /// attestation key: `SHA-256(attestation key || QE authentication data) || 0^32`.
    ///
    /// # Errors
    /// [`Check::Signature`] or [`Check::Chain`] (the QE report does not certify the key).
    pub fn verify_qe_report(
        &self,
        quote: &Quote<'_>,
        qe: &QeReportCertData<'_>,
        provider: &dyn Provider,
    ) -> Result<()> {
        provider
            .verify(
                P256_SHA256,
                PublicKey::Spki(self.leaf.spki_der()),
                qe.qe_report.as_bytes(),
                Signature::EcdsaFixed(qe.qe_report_signature),
            )
            .map_err(|e| Error::check(Check::Signature, format!("QE report signature: {e}")))?;
        check_qe_binding(quote, qe)
    }
}

const P256_SHA256: SignatureAlg = SignatureAlg::Ecdsa {
    curve: Curve::P256,
    hash: HashAlg::Sha256,
};

/// Checks that QE REPORTDATA = SHA-256(attestation key || QE authentication data) || 0^32.
///
/// # Errors
/// [`Check::Chain`].
pub fn check_qe_binding(quote: &Quote<'_>, qe: &QeReportCertData<'_>) -> Result<()> {
    let expected =
        crypto::digest_parts(HashAlg::Sha256, &[quote.attestation_key(), qe.qe_auth_data]);
    let report_data = qe.qe_report.report_data();
    let (hash, zeros) = report_data.split_at(32);
    if hash != expected.as_bytes() || zeros.iter().any(|b| *b != 0) {
        return Err(Error::check(
            Check::Chain,
            "the QE report's REPORTDATA does not commit to the attestation key and QE \
             authentication data",
        ));
    }
    Ok(())
}

/// Verifies the quote's ECDSA P-256 / SHA-256 signature over the header, descriptor and body
/// with the attestation key it carries.
///
/// # Errors
/// [`Check::Signature`].
pub fn verify_quote_signature(quote: &Quote<'_>, provider: &dyn Provider) -> Result<()> {
    let mut point = [0u8; 65];
    if let Some((prefix, xy)) = point.split_first_mut() {
        *prefix = 0x04;
        xy.copy_from_slice(quote.attestation_key());
    }
    provider
        .verify(
            P256_SHA256,
            PublicKey::EcPoint {
                curve: Curve::P256,
                sec1: &point,
            },
            quote.signed_bytes(),
            Signature::EcdsaFixed(quote.signature()),
        )
        .map_err(|e| Error::check(Check::Signature, format!("quote signature: {e}")))
}

/// Checks that REPORTDATA holds `expected` zero-padded to 64 bytes, in constant time.
///
/// # Errors
/// [`Check::Binding`].
pub fn check_binding(body: &TdBody<'_>, expected: &Challenge) -> Result<()> {
    let field = FILL.fill(expected)?;
    let diff = body
        .report_data()
        .iter()
        .zip(field.as_bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 || field.as_bytes().len() != 64 {
        return Err(Error::check(
            Check::Binding,
            "REPORTDATA does not hold the expected challenge",
        ));
    }
    Ok(())
}

/// The type 6 certification data wrapping a type 5 PEM chain, or a [`Check::Format`] failure.
///
/// # Errors
/// [`Check::Format`] named `certification-data`.
pub fn qe_certification<'q>(quote: &Quote<'q>) -> Result<(QeReportCertData<'q>, &'q [u8])> {
    let format = |reason: &str| Error::check(Check::Format("certification-data".into()), reason);
    let qe = *quote
        .qe_report_cert()
        .ok_or_else(|| format("the certification data is not type 6 (QE report)"))?;
    if qe.inner.kind != CertDataType::PckCertChain {
        return Err(format(
            "the QE report certification data does not wrap a PCK chain (type 5)",
        ));
    }
    let pem = qe
        .inner
        .pck_chain_pem()
        .ok_or_else(|| format("no PCK chain"))?;
    Ok((qe, pem))
}

/// Verifies `quote` against the challenge `expected`; see the module documentation for the
/// order of the checks.
///
/// # Errors
/// [`Error::Malformed`] when the quote does not parse; [`Error::Verification`] naming the
/// first check that failed.
pub fn verify(quote: &[u8], expected: &Challenge, options: &Options<'_>) -> Result<Appraisal> {
    let parsed = Quote::parse(quote)?;
    let (_, pem) = qe_certification(&parsed)?;
    let mut passed = vec![Check::Format("quote".into())];
    verify_quote_signature(&parsed, options.provider)?;
    passed.push(Check::Signature);
    let pck = VerifiedPck::verify(pem, options.roots, options.at, options.provider)?;
    passed.extend([Check::Chain, Check::Validity, Check::Trust]);
    finish(&parsed, &pck, expected, options, passed)
}

/// Verifies `quote` with a PCK chain verified earlier (cached per chain): the quote signature,
/// the QE report, the binding, collateral, event log and policy.
///
/// # Errors
/// As [`verify`]; [`Check::Chain`] when the quote carries another chain than `pck`.
pub fn verify_with_pck(
    quote: &[u8],
    pck: &VerifiedPck,
    expected: &Challenge,
    options: &Options<'_>,
) -> Result<Appraisal> {
    let parsed = Quote::parse(quote)?;
    let (_, pem) = qe_certification(&parsed)?;
    if !pck.is_chain(pem) {
        return Err(Error::check(
            Check::Chain,
            "the quote's PCK chain is not the cached one",
        ));
    }
    let mut passed = vec![Check::Format("quote".into())];
    verify_quote_signature(&parsed, options.provider)?;
    passed.push(Check::Signature);
    finish(&parsed, pck, expected, options, passed)
}

fn finish(
    quote: &Quote<'_>,
    pck: &VerifiedPck,
    expected: &Challenge,
    options: &Options<'_>,
    mut passed: Vec<Check>,
) -> Result<Appraisal> {
    let (qe, _) = qe_certification(quote)?;
    pck.verify_qe_report(quote, &qe, options.provider)?;
    passed.push(Check::Format("qe-report".into()));
    check_binding(quote.body(), expected)?;
    passed.push(Check::Binding);
    let tcb = match options.collateral {
        Some(collateral) => {
            let evaluation = collateral.evaluate(quote, &qe, pck, options.at, options.provider)?;
            passed.push(Check::Format("tcb-level".into()));
            if let Some(accepted) = &options.policy.tcb_statuses {
                if !accepted.iter().any(|s| s == evaluation.status.as_str()) {
                    return Err(Error::check(
                        Check::Policy("tcb-status".into()),
                        format!(
                            "TCB status {} is not one of {}",
                            evaluation.status.as_str(),
                            accepted.join(", ")
                        ),
                    ));
                }
                passed.push(Check::Policy("tcb-status".into()));
            }
            Some(evaluation)
        }
        None => None,
    };
    let event_log_events = match options.event_log {
        Some(log) => Some(check_event_log(log, quote.body())?),
        None => None,
    };
    if event_log_events.is_some() {
        passed.push(Check::Format("event-log".into()));
    }
    check_policy(quote.body(), quote.trailing(), options.policy, &mut passed)?;
    Ok(Appraisal {
        passed,
        pck_subject: pck.leaf.subject(),
        pck_issuer: pck.intermediate.subject(),
        fmspc: pck.extensions.fmspc,
        tcb,
        trailing_bytes: quote.trailing().len(),
        event_log_events,
    })
}

/// Checks that the CC event log replays to the body's RTMRs; returns its number of events.
///
/// # Errors
/// [`Check::Format`] named `event-log`.
pub fn check_event_log(log: &[u8], body: &TdBody<'_>) -> Result<usize> {
    let fail = |reason: String| Error::check(Check::Format("event-log".into()), reason);
    let parsed = EventLog::parse(log).map_err(|e| fail(e.to_string()))?;
    match parsed
        .check_rtmrs(body.rtmrs())
        .map_err(|e| fail(e.to_string()))?
    {
        Ok(()) => Ok(parsed.events.len()),
        Err(index) => Err(fail(format!(
            "the event log does not replay to the quote's RTMR{index}"
        ))),
    }
}
