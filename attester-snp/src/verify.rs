//! Verification of an attestation report: the signature with the VCEK or VLEK, the chain
//! VCEK → ASK → ARK or VLEK → ASVK → ARK to the pinned root of the report's product, validity
//! at a given time, the key's TCB and hardware ID against the report, the binding, then the
//! appraisal policy. Each failure names its [`Check`].

use std::sync::{Arc, OnceLock};

use attester_core::crypto::{
    self, Curve, HashAlg, KeyType, ParsedKey, Provider, PublicKey, Signature, SignatureAlg,
};
use attester_core::x509::{Certificate, TrustAnchors, verify_chain};
use attester_core::{Challenge, Check, Error, FillRule, Result};
use time::OffsetDateTime;

use crate::policy::SigningKey;
use crate::report::Report;
use crate::tcb::{Generation, Tcb, TcbLayout};
use crate::vek::VekExtensions;

/// How the challenge fills REPORT_DATA: zero-padded to 64 bytes (`docs/binding.md`).
pub const FILL: FillRule = FillRule::ZeroPad { field_len: 64 };

/// SHA-256 of the DER certificates of the AMD root keys this crate pins, as published by AMD
/// KDS (`/vcek/v1/{product}/cert_chain`).
pub const ARK_SHA256: [(Generation, [u8; 32]); 3] = [
    (
        Generation::Milan,
        [
            0x69, 0xd0, 0x63, 0xb4, 0x53, 0x44, 0xd2, 0x6a, 0x2e, 0x94, 0xe1, 0xf4, 0x21, 0x0d,
            0xe4, 0x9e, 0xf5, 0x55, 0x30, 0x82, 0x87, 0xd4, 0xc1, 0x74, 0x44, 0x5c, 0x95, 0x63,
            0x9a, 0x54, 0x0b, 0xcd,
        ],
    ),
    (
        Generation::Genoa,
        [
            0x4c, 0x65, 0x98, 0xd1, 0x9c, 0x18, 0x71, 0x9c, 0x5d, 0xfd, 0x4a, 0x7d, 0x33, 0x5f,
            0x67, 0x4e, 0x5b, 0xfe, 0x1d, 0x8f, 0x80, 0x0c, 0xea, 0x2c, 0xf2, 0x70, 0xc1, 0x0d,
            0x10, 0x3d, 0xb2, 0xf1,
        ],
    ),
    (
        Generation::Turin,
        [
            0x1f, 0x08, 0x41, 0x61, 0xa4, 0x4b, 0xb6, 0xd9, 0x37, 0x78, 0xa9, 0x04, 0x87, 0x7d,
            0x48, 0x19, 0xca, 0xfa, 0x5d, 0x05, 0xef, 0x41, 0x93, 0xb2, 0xde, 0xd9, 0xdd, 0x9c,
            0x73, 0xdd, 0x3f, 0x6a,
        ],
    ),
];

/// The AMD certificates of one product: the root, and the intermediates that sign VCEKs (ASK)
/// and VLEKs (ASVK).
#[derive(Clone, Debug)]
pub struct ProductRoots {
    /// The product.
    pub generation: Generation,
    /// The AMD Root Key certificate; its key is the trust anchor.
    pub ark: Certificate,
    /// The AMD SEV Key certificate, used when the evidence does not carry one.
    pub ask: Option<Certificate>,
    /// The AMD SEV VLEK Key certificate, used when the evidence does not carry one.
    pub asvk: Option<Certificate>,
}

/// The roots a verifier trusts, one set per product.
#[derive(Clone, Debug, Default)]
pub struct AmdRoots {
    products: Vec<ProductRoots>,
}

static BUILTIN: OnceLock<std::result::Result<AmdRoots, String>> = OnceLock::new();

impl AmdRoots {
    /// No roots: every report fails [`Check::Trust`].
    pub fn empty() -> Self {
        Self::default()
    }

    /// AMD's roots for Milan, Genoa and Turin, with their ASK and ASVK, embedded in the crate;
    /// each ARK is checked against [`ARK_SHA256`] when first loaded.
    ///
    /// # Errors
    /// [`Error::Malformed`] if an embedded certificate does not parse or an ARK does not match
    /// its pinned fingerprint (a corrupted build).
    pub fn builtin() -> Result<&'static AmdRoots> {
        BUILTIN
            .get_or_init(|| load_builtin().map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| Error::malformed("embedded AMD roots", e.clone()))
    }

    /// Adds the roots of one product. A product may have several (AMD's and a test PKI's):
    /// the chain picks the ARK its intermediate names as issuer.
    #[must_use]
    pub fn with_product(mut self, roots: ProductRoots) -> Self {
        self.products.push(roots);
        self
    }

    /// Adds every product of `other`.
    #[must_use]
    pub fn with_all(mut self, other: &AmdRoots) -> Self {
        self.products.extend(other.products.iter().cloned());
        self
    }

    /// The first roots of `generation`, if trusted.
    pub fn product(&self, generation: Generation) -> Option<&ProductRoots> {
        self.products(generation).next()
    }

    /// Every trusted set of roots of `generation`.
    pub fn products(&self, generation: Generation) -> impl Iterator<Item = &ProductRoots> + '_ {
        self.products
            .iter()
            .filter(move |p| p.generation == generation)
    }
}

/// A product and its embedded ARK, ASK and ASVK DER certificates.
type Embedded = (Generation, &'static [u8], &'static [u8], &'static [u8]);

fn load_builtin() -> Result<AmdRoots> {
    let embedded: [Embedded; 3] = [
        (
            Generation::Milan,
            include_bytes!("../roots/ark_milan.der"),
            include_bytes!("../roots/ask_milan.der"),
            include_bytes!("../roots/asvk_milan.der"),
        ),
        (
            Generation::Genoa,
            include_bytes!("../roots/ark_genoa.der"),
            include_bytes!("../roots/ask_genoa.der"),
            include_bytes!("../roots/asvk_genoa.der"),
        ),
        (
            Generation::Turin,
            include_bytes!("../roots/ark_turin.der"),
            include_bytes!("../roots/ask_turin.der"),
            include_bytes!("../roots/asvk_turin.der"),
        ),
    ];
    let mut roots = AmdRoots::empty();
    for (generation, ark, ask, asvk) in embedded {
        let ark = Certificate::from_der(ark)?;
        let pinned = ARK_SHA256
            .iter()
            .find(|(g, _)| *g == generation)
            .map(|(_, fp)| *fp);
        if pinned != Some(ark.fingerprint_sha256()) {
            return Err(Error::malformed(
                "embedded AMD roots",
                format!("ARK-{generation} does not match its pinned fingerprint"),
            ));
        }
        roots = roots.with_product(ProductRoots {
            generation,
            ark,
            ask: Some(Certificate::from_der(ask)?),
            asvk: Some(Certificate::from_der(asvk)?),
        });
    }
    Ok(roots)
}

/// The appraisal policy. The default rejects exactly a debug guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Accept a guest whose POLICY allows debugging.
    pub allow_debug: bool,
    /// Accept a report signed by a VLEK (a cloud provider's key) rather than a VCEK.
    pub allow_vlek: bool,
    /// The lowest REPORTED_TCB accepted, per component.
    pub min_tcb: Option<Tcb>,
    /// The lowest GUEST_SVN accepted.
    pub min_guest_svn: Option<u32>,
    /// The VMPLs a report may be requested for.
    pub allowed_vmpls: Option<Vec<u32>>,
    /// The exact MEASUREMENT.
    pub measurement: Option<[u8; 48]>,
    /// The exact HOST_DATA.
    pub host_data: Option<[u8; 32]>,
    /// The exact ID_KEY_DIGEST.
    pub id_key_digest: Option<[u8; 48]>,
    /// The exact AUTHOR_KEY_DIGEST.
    pub author_key_digest: Option<[u8; 48]>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            allow_debug: false,
            allow_vlek: true,
            min_tcb: None,
            min_guest_svn: None,
            allowed_vmpls: None,
            measurement: None,
            host_data: None,
            id_key_digest: None,
            author_key_digest: None,
        }
    }
}

/// Everything a verification needs beside the report and its certificates.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// The trusted AMD roots.
    pub roots: &'a AmdRoots,
    /// The verification time.
    pub at: OffsetDateTime,
    /// The product, for a version 2 report whose key names none; when given it overrides the
    /// report's CPUID bytes and the key's `productName`, which must then agree with it.
    pub product: Option<Generation>,
    /// The signature implementation.
    pub provider: &'a dyn Provider,
    /// The appraisal policy.
    pub policy: &'a Policy,
}

impl<'a> Options<'a> {
    /// Options with the default provider, no product override and `policy`.
    pub fn new(roots: &'a AmdRoots, at: OffsetDateTime, policy: &'a Policy) -> Self {
        Self {
            roots,
            at,
            product: None,
            provider: crypto::default_provider(),
            policy,
        }
    }
}

/// What a successful verification established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appraisal {
    /// The checks that passed, in order.
    pub passed: Vec<Check>,
    /// The product whose ARK the chain ends at.
    pub generation: Generation,
    /// The key that signed the report.
    pub signing_key: SigningKey,
    /// The signing key certificate's subject.
    pub signer: String,
    /// The signing key's `productName`.
    pub product_name: Option<String>,
    /// The VLEK's `cspID` (the cloud provider it was issued to).
    pub csp_id: Option<String>,
}

/// A VCEK or VLEK whose chain to a pinned ARK verified: reports it signed need only the
/// signature and the report checks, so a verifier can cache it per key. The public key is
/// parsed once, by the provider the chain was verified with.
#[derive(Clone, Debug)]
pub struct VerifiedKey {
    cert: Certificate,
    kind: SigningKey,
    generation: Generation,
    extensions: VekExtensions,
    key: Arc<ParsedKey>,
    provider: &'static str,
}

/// The report signature algorithm: ECDSA P-384 with SHA-384.
const REPORT_ALG: SignatureAlg = SignatureAlg::Ecdsa {
    curve: Curve::P384,
    hash: HashAlg::Sha384,
};

/// The signing key of `cert`, parsed by `provider` for the report signature.
///
/// # Errors
/// [`Check::Signature`]: a key that cannot verify a report signature.
fn parse_signing_key(cert: &Certificate, provider: &dyn Provider) -> Result<Arc<ParsedKey>> {
    provider
        .parse_key(REPORT_ALG, PublicKey::Spki(cert.spki_der()))
        .map(Arc::new)
        .map_err(|e| Error::check(Check::Signature, format!("report signature: {e}")))
}

/// The report's signature checked with a parsed key.
fn verify_with_key(report: &Report<'_>, key: &ParsedKey) -> Result<()> {
    let signature = report.signature_fixed();
    key.verify(report.signed_bytes(), Signature::EcdsaFixed(&signature))
        .map_err(|e| Error::check(Check::Signature, format!("report signature: {e}")))
}

/// What the chain of a signing key established, before its key is parsed.
struct ChainFacts {
    kind: SigningKey,
    generation: Generation,
    extensions: VekExtensions,
}

/// The chain checks of [`VerifiedKey::verify`].
fn verify_chain_of(
    leaf: &Certificate,
    intermediates: &[Certificate],
    product: Option<Generation>,
    roots: &AmdRoots,
    at: OffsetDateTime,
    provider: &dyn Provider,
) -> Result<ChainFacts> {
    let format =
        |name: &'static str, reason: String| Error::check(Check::Format(name.into()), reason);
    let extensions =
        VekExtensions::from_certificate(leaf).map_err(|e| format("vek", e.to_string()))?;
    let kind = match (&extensions.hw_id, &extensions.csp_id) {
        (Some(_), None) => SigningKey::Vcek,
        (None, Some(_)) => SigningKey::Vlek,
        _ => {
            return Err(format(
                "vek",
                "the key certificate has neither exactly a hwID (VCEK) nor a cspID (VLEK)".into(),
            ));
        }
    };
    let named = extensions
        .product_name
        .as_deref()
        .and_then(Generation::from_product_name);
    let generation = match (product, named) {
        (Some(p), Some(n)) if p != n => {
            return Err(format(
                "product",
                format!("the report is from {p} but the key is for {n}"),
            ));
        }
        (Some(p), _) | (None, Some(p)) => p,
        (None, None) => {
            return Err(format(
                "product",
                "the product is in neither the report nor the key; name it".into(),
            ));
        }
    };
    let candidates: Vec<&ProductRoots> = roots.products(generation).collect();
    if candidates.is_empty() {
        return Err(Error::check(
            Check::Trust,
            format!("no trusted ARK for {generation}"),
        ));
    }
    let intermediate = intermediates
        .iter()
        .find(|c| c.subject_der() == leaf.issuer_der() && *c != leaf)
        .or_else(|| {
            candidates
                .iter()
                .flat_map(|p| [p.ask.as_ref(), p.asvk.as_ref()])
                .flatten()
                .find(|c| c.subject_der() == leaf.issuer_der())
        })
        .ok_or_else(|| {
            Error::check(
                Check::Chain,
                format!("no certificate for \"{}\", the key's issuer", leaf.issuer()),
            )
        })?;
    let ark = candidates
        .iter()
        .map(|p| &p.ark)
        .find(|ark| ark.subject_der() == intermediate.issuer_der())
        .ok_or_else(|| {
            Error::check(
                Check::Trust,
                format!(
                    "\"{}\" is issued by \"{}\", which is not a trusted {generation} ARK",
                    intermediate.subject(),
                    intermediate.issuer()
                ),
            )
        })?;
    let chain = [leaf.clone(), intermediate.clone(), ark.clone()];
    let anchors = TrustAnchors::from_certificates([ark]);
    verify_chain(&chain, &anchors, at, provider)?;
    Ok(ChainFacts {
        kind,
        generation,
        extensions,
    })
}

impl VerifiedKey {
    /// Verifies the chain of `leaf` (a VCEK or VLEK) to the ARK of its product at `at`, with the
    /// intermediate from `intermediates` (the one that names itself as `leaf`'s issuer) or,
    /// failing that, from `roots`.
    ///
    /// `product` is the generation the report says (CPUID) or the caller chose; when `None`,
    /// the key's `productName` decides.
    ///
    /// # Errors
    /// [`Check::Format`] (`vek`, `product`) for an unusable key certificate, then
    /// [`Check::Chain`], [`Check::Validity`] or [`Check::Trust`].
    pub fn verify(
        leaf: &Certificate,
        intermediates: &[Certificate],
        product: Option<Generation>,
        roots: &AmdRoots,
        at: OffsetDateTime,
        provider: &dyn Provider,
    ) -> Result<Self> {
        let facts = verify_chain_of(leaf, intermediates, product, roots, at, provider)?;
        let key = parse_signing_key(leaf, provider)?;
        Ok(Self::from_parts(leaf, facts, key, provider))
    }

    /// [`Self::verify`] with the key already parsed (the cold path parses it first, to check
    /// the report signature before the chain).
    fn verify_parsed(
        leaf: &Certificate,
        parsed: Arc<ParsedKey>,
        intermediates: &[Certificate],
        product: Option<Generation>,
        options: &Options<'_>,
    ) -> Result<Self> {
        let facts = verify_chain_of(
            leaf,
            intermediates,
            product,
            options.roots,
            options.at,
            options.provider,
        )?;
        Ok(Self::from_parts(leaf, facts, parsed, options.provider))
    }

    fn from_parts(
        leaf: &Certificate,
        facts: ChainFacts,
        key: Arc<ParsedKey>,
        provider: &dyn Provider,
    ) -> Self {
        Self {
            cert: leaf.clone(),
            kind: facts.kind,
            generation: facts.generation,
            extensions: facts.extensions,
            key,
            provider: provider.name(),
        }
    }

    /// The key certificate.
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// VCEK or VLEK.
    pub fn kind(&self) -> SigningKey {
        self.kind
    }

    /// The product whose ARK the chain ends at.
    pub fn generation(&self) -> Generation {
        self.generation
    }

    /// The AMD extensions of the key certificate.
    pub fn extensions(&self) -> &VekExtensions {
        &self.extensions
    }

    /// Checks that this key signed `report`: the ECDSA P-384 signature over bytes
    /// `0x000..0x2A0` verifies and SIGNING_KEY names the key's kind.
    ///
    /// With the provider the key was verified with, the key parsed then is used; another
    /// provider parses the key again.
    ///
    /// # Errors
    /// [`Check::Signature`] or [`Check::Format`] (`signing-key`).
    pub fn verify_signature(&self, report: &Report<'_>, provider: &dyn Provider) -> Result<()> {
        if provider.name() == self.provider {
            verify_with_key(report, &self.key)?;
        } else {
            verify_report_signature(report, &self.cert, provider)?;
        }
        self.check_signing_key(report)
    }

    /// Checks that the report's KEY_INFO.SIGNING_KEY names this key's kind (VCEK or VLEK).
    ///
    /// # Errors
    /// [`Check::Format`] (`signing-key`).
    pub fn check_signing_key(&self, report: &Report<'_>) -> Result<()> {
        let declared = report.key_info().signing_key();
        if declared != self.kind {
            return Err(Error::check(
                Check::Format("signing-key".into()),
                format!(
                    "KEY_INFO names the {} but the key certificate is a {}",
                    declared.as_str(),
                    self.kind.as_str()
                ),
            ));
        }
        Ok(())
    }

    /// Checks that the key was issued for the report's platform: its SPLs equal REPORTED_TCB
    /// decoded with the product's layout, and a VCEK's hwID equals CHIP_ID.
    ///
    /// # Errors
    /// [`Check::Format`] named `product`, `vek-tcb` or `vek-hwid`.
    pub fn check_report_platform(&self, report: &Report<'_>) -> Result<()> {
        let layout = self.generation.tcb_layout();
        if report.tcb_layout().is_some_and(|l| l != layout) {
            return Err(Error::check(
                Check::Format("product".into()),
                format!("the report's TCB layout is not {}'s", self.generation),
            ));
        }
        let reported = report.reported_tcb().decode(layout);
        let certified = self.extensions.tcb;
        let expected_fmc = match layout {
            TcbLayout::Turin => reported.fmc,
            TcbLayout::MilanGenoa => None,
        };
        let pairs = [
            ("fmcSPL", certified.fmc, expected_fmc),
            (
                "blSPL",
                Some(certified.bootloader),
                Some(reported.bootloader),
            ),
            ("teeSPL", Some(certified.tee), Some(reported.tee)),
            ("snpSPL", Some(certified.snp), Some(reported.snp)),
            (
                "ucodeSPL",
                Some(certified.microcode),
                Some(reported.microcode),
            ),
        ];
        for (name, have, want) in pairs {
            if have != want {
                return Err(Error::check(
                    Check::Format("vek-tcb".into()),
                    format!("the key's {name} is {have:?}, REPORTED_TCB has {want:?} ({reported})"),
                ));
            }
        }
        if self.kind == SigningKey::Vcek {
            let hw_id = self.extensions.hw_id.as_deref().unwrap_or(&[]);
            let chip_id = report.chip_id();
            let id_len = match layout {
                TcbLayout::Turin => 8,
                TcbLayout::MilanGenoa => 64,
            };
            let (used, unused) = chip_id.split_at(id_len.min(chip_id.len()));
            let fail = |reason: &str| {
                Err(Error::check(
                    Check::Format("vek-hwid".into()),
                    reason.to_owned(),
                ))
            };
            if used.iter().all(|b| *b == 0) {
                return fail("CHIP_ID is masked (all zero); a VCEK cannot be matched to it");
            }
            if hw_id != used {
                return fail("the VCEK's hwID is not the report's CHIP_ID");
            }
            if unused.iter().any(|b| *b != 0) {
                return fail("CHIP_ID has non-zero bytes beyond the product's 8-byte ID");
            }
        }
        Ok(())
    }
}

/// Verifies the report's ECDSA P-384 / SHA-384 signature over bytes `0x000..0x2A0` with the
/// key of `cert`.
///
/// # Errors
/// [`Check::Signature`].
pub fn verify_report_signature(
    report: &Report<'_>,
    cert: &Certificate,
    provider: &dyn Provider,
) -> Result<()> {
    let signature = report.signature_fixed();
    provider
        .verify(
            SignatureAlg::Ecdsa {
                curve: Curve::P384,
                hash: HashAlg::Sha384,
            },
            PublicKey::Spki(cert.spki_der()),
            report.signed_bytes(),
            Signature::EcdsaFixed(&signature),
        )
        .map_err(|e| Error::check(Check::Signature, format!("report signature: {e}")))
}

/// Picks the signing key certificate out of `certs`: the one with a P-384 key and AMD's
/// `hwID` (VCEK) or `cspID` (VLEK) extension.
///
/// # Errors
/// [`Check::Format`] (`vek`) when there is none or more than one.
pub fn find_signing_key(certs: &[Certificate]) -> Result<&Certificate> {
    let mut keys = certs.iter().filter(|c| {
        PublicKey::Spki(c.spki_der()).key_type().ok() == Some(KeyType::Ec(Curve::P384))
            && (c.extension(&crate::vek::oid::HW_ID).is_some()
                || c.extension(&crate::vek::oid::CSP_ID).is_some())
    });
    let fail = |reason: &str| Error::check(Check::Format("vek".into()), reason.to_owned());
    let leaf = keys
        .next()
        .ok_or_else(|| fail("no VCEK or VLEK certificate in the endorsements"))?;
    if keys.next().is_some() {
        return Err(fail(
            "more than one VCEK or VLEK certificate in the endorsements",
        ));
    }
    Ok(leaf)
}

/// Verifies `report` with the certificates `certs` (the VCEK or VLEK, and optionally its ASK or
/// ASVK and the ARK; missing intermediates come from `options.roots`) against the challenge
/// `expected`, in order: format, signature, chain, validity, trust, platform (key TCB and
/// hwID), binding, policy.
///
/// # Errors
/// [`Error::Malformed`] when the report does not parse; [`Error::Verification`] naming the first
/// check that failed.
pub fn verify(
    report: &[u8],
    certs: &[Certificate],
    expected: &Challenge,
    options: &Options<'_>,
) -> Result<Appraisal> {
    let report = Report::parse(report)?;
    let mut passed = Vec::new();
    if report.key_info().signing_key() == SigningKey::None {
        return Err(Error::check(
            Check::Format("signing-key".into()),
            "KEY_INFO says the report is not signed",
        ));
    }
    let product = match (options.product, report.cpuid()) {
        (Some(product), _) => Some(product),
        (None, Some(cpuid)) => Some(
            Generation::from_cpuid(cpuid.family, cpuid.model).ok_or_else(|| {
                Error::check(
                    Check::Format("product".into()),
                    format!(
                        "CPUID family {:#x} model {:#x} is not a known SEV-SNP product",
                        cpuid.family, cpuid.model
                    ),
                )
            })?,
        ),
        (None, None) => None,
    };
    let leaf = find_signing_key(certs)?;
    passed.push(Check::Format("report".into()));

    // The key is parsed once: for the signature here, then kept by the verified key.
    let parsed = parse_signing_key(leaf, options.provider)?;
    verify_with_key(&report, &parsed)?;
    passed.push(Check::Signature);

    let key = VerifiedKey::verify_parsed(leaf, parsed, certs, product, options)?;
    passed.extend([Check::Chain, Check::Validity, Check::Trust]);

    key.check_signing_key(&report)?;
    passed.push(Check::Format("signing-key".into()));
    key.check_report_platform(&report)?;
    passed.extend([
        Check::Format("vek-tcb".into()),
        Check::Format("vek-hwid".into()),
    ]);

    check_binding(&report, expected)?;
    passed.push(Check::Binding);

    check_policy(&report, &key, options.policy, &mut passed)?;
    Ok(Appraisal {
        passed,
        generation: key.generation,
        signing_key: key.kind,
        signer: key.cert.subject(),
        product_name: key.extensions.product_name.clone(),
        csp_id: key.extensions.csp_id.clone(),
    })
}

/// Checks that REPORT_DATA holds `expected` zero-padded to 64 bytes, in constant time.
///
/// # Errors
/// [`Check::Binding`].
pub fn check_binding(report: &Report<'_>, expected: &Challenge) -> Result<()> {
    let field = FILL.fill(expected)?;
    let diff = report
        .report_data()
        .iter()
        .zip(field.as_bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff != 0 || field.as_bytes().len() != 64 {
        return Err(Error::check(
            Check::Binding,
            "REPORT_DATA does not hold the expected challenge",
        ));
    }
    Ok(())
}

/// A policy rule's name, its expected value when set, and the report's value.
type ExactRule<'a> = (&'static str, Option<&'a [u8]>, &'a [u8]);

fn policy_failure(name: &'static str, reason: String) -> Error {
    Error::check(Check::Policy(name.into()), reason)
}

/// Applies `policy` to a report whose signature and key were verified.
///
/// # Errors
/// [`Check::Policy`] named `debug`, `vlek`, `min-tcb.<component>`, `guest-svn`, `vmpl`,
/// `measurement`, `host-data`, `id-key-digest` or `author-key-digest`.
pub fn check_policy(
    report: &Report<'_>,
    key: &VerifiedKey,
    policy: &Policy,
    passed: &mut Vec<Check>,
) -> Result<()> {
    let mut pass = |name: &'static str| passed.push(Check::Policy(name.into()));
    if report.policy().debug_allowed() && !policy.allow_debug {
        return Err(policy_failure(
            "debug",
            "POLICY allows debugging the guest (allow with --allow-debug)".into(),
        ));
    }
    pass("debug");
    if key.kind == SigningKey::Vlek && !policy.allow_vlek {
        return Err(policy_failure(
            "vlek",
            "the report is signed by a VLEK and the policy requires a VCEK".into(),
        ));
    }
    pass("vlek");
    if let Some(min) = &policy.min_tcb {
        let reported = report.reported_tcb().decode(key.generation.tcb_layout());
        if let Some(component) = reported.first_below(min) {
            return Err(Error::check(
                Check::Policy(format!("min-tcb.{component}").into()),
                format!("REPORTED_TCB ({reported}) is below the minimum ({min})"),
            ));
        }
        pass("min-tcb");
    }
    if let Some(min) = policy.min_guest_svn {
        if report.guest_svn() < min {
            return Err(policy_failure(
                "guest-svn",
                format!("GUEST_SVN {} is below {min}", report.guest_svn()),
            ));
        }
        pass("guest-svn");
    }
    if let Some(vmpls) = &policy.allowed_vmpls {
        if !vmpls.contains(&report.vmpl()) {
            return Err(policy_failure(
                "vmpl",
                format!("VMPL {} is not one of {vmpls:?}", report.vmpl()),
            ));
        }
        pass("vmpl");
    }
    let exact: [ExactRule<'_>; 4] = [
        (
            "measurement",
            policy.measurement.as_ref().map(|v| &v[..]),
            report.measurement(),
        ),
        (
            "host-data",
            policy.host_data.as_ref().map(|v| &v[..]),
            report.host_data(),
        ),
        (
            "id-key-digest",
            policy.id_key_digest.as_ref().map(|v| &v[..]),
            report.id_key_digest(),
        ),
        (
            "author-key-digest",
            policy.author_key_digest.as_ref().map(|v| &v[..]),
            report.author_key_digest(),
        ),
    ];
    for (name, want, have) in exact {
        if let Some(want) = want {
            if want != have {
                return Err(policy_failure(
                    name,
                    format!("the report's {name} is not the expected value"),
                ));
            }
            pass(name);
        }
    }
    Ok(())
}
