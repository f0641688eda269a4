//! NOT SECURE: `mock-snp`, real-format SEV-SNP attestation reports signed by a seeded
//! ARK → ASK → VCEK chain.
//!
//! The reports are version 3 Milan reports (CPUID family 0x19 model 0x01) with the challenge in
//! REPORT_DATA; the VCEK carries AMD's extension OIDs (structVersion, productName, the SPLs,
//! hwID = the mock CHIP_ID), so `attester_snp::verify` checks them exactly as it checks AMD's.
//! The ARK and ASK are RSA-4096 keys signing with RSASSA-PSS, SHA-384 and a 48-byte salt, as
//! AMD's do (the ARK self-signed, the ASK by the ARK, the P-384 VCEK by the ASK), so a verifier
//! checks the mock chain on the same code path as AMD's. Names carry "MOCK NOT SECURE" so a
//! mock certificate can never be mistaken for AMD's.
//!
//! The RSA keys of the default seed are committed with the crate (`keys/`, see its README):
//! deriving RSA-4096 keys from a seed is too slow for tests. Any other seed gets fresh random
//! RSA keys, generated once per process and seed, so its ARK is its own within a process but
//! not reproducible across processes (docs/design-decisions.md).

use std::sync::{Arc, Mutex, OnceLock};

use attester_core::crypto::{self, Curve, EcdsaSigningKey, HashAlg, RsaSigningKey};
use attester_core::x509::build::{CertificateBuilder, RawExtension};
use attester_core::x509::{Certificate, Oid, oid};
use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Error, Evidence, FillRule, Item, Platform,
    Result, media_types,
};
use attester_snp::{CertKind, CertTable, Generation, REPORT_LEN, SIGNED_LEN};
use time::macros::datetime;

use crate::pki::DEFAULT_SEED;

/// The image whose SHA-384 is the mock-snp MEASUREMENT.
pub const DEFAULT_IMAGE: &[u8] = b"attester mock-snp image v1";

/// The product the mock reports claim (its CPUID bytes and the VCEK's productName).
pub const GENERATION: Generation = Generation::Milan;

const AMD_NAME_TAIL: &str =
    "OU=Engineering,C=US,L=Santa Clara,ST=CA,O=Advanced Micro Devices (MOCK NOT SECURE)";

/// REPORTED_TCB (and every other TCB) of mock reports, Milan layout: boot loader 4, TEE 0,
/// SNP 24, microcode 219 (what a real Milan on firmware 1.55.29 reports).
pub const DEFAULT_TCB: [u8; 8] = [4, 0, 0, 0, 0, 0, 24, 219];

/// The seeded AMD-shaped PKI and the report template of a mock SEV-SNP guest.
pub struct MockSnp {
    ark_certificate: Vec<u8>,
    ask_certificate: Vec<u8>,
    vcek_key: EcdsaSigningKey,
    vcek_certificate: Vec<u8>,
    chip_id: [u8; 64],
    tcb: [u8; 8],
    debug: bool,
    measurement: [u8; 48],
}

impl std::fmt::Debug for MockSnp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockSnp")
            .field("debug", &self.debug)
            .finish_non_exhaustive()
    }
}

/// How the mock VCEK is issued, for tests that need a key that does not match the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VcekShape {
    /// The TCB the VCEK's SPL extensions certify (Milan layout bytes).
    pub tcb: [u8; 8],
    /// The VCEK's hwID.
    pub hw_id: [u8; 64],
    /// Write hwID inside a DER OCTET STRING, as some issuers do, instead of raw as KDS does.
    pub hw_id_wrapped: bool,
}

impl MockSnp {
    /// The mock of `seed`, its VCEK issued for the mock's own CHIP_ID and TCB.
    ///
    /// # Errors
    /// Only if key derivation or certificate encoding fails (not expected).
    pub fn from_seed(seed: [u8; 32]) -> Result<Self> {
        let chip_id = chip_id(&seed);
        Self::with_vcek(
            seed,
            VcekShape {
                tcb: DEFAULT_TCB,
                hw_id: chip_id,
                hw_id_wrapped: false,
            },
        )
    }

    /// The mock of [`DEFAULT_SEED`] (what `--allow-mock` trusts).
    ///
    /// # Errors
    /// As [`MockSnp::from_seed`].
    pub fn from_default_seed() -> Result<Self> {
        Self::from_seed(DEFAULT_SEED)
    }

    /// The mock of `seed` with a VCEK issued as `shape` says.
    ///
    /// # Errors
    /// As [`MockSnp::from_seed`].
    pub fn with_vcek(seed: [u8; 32], shape: VcekShape) -> Result<Self> {
        let (ark_key, ask_key) = rsa_keys(seed)?;
        let vcek_key = EcdsaSigningKey::from_seed(Curve::P384, &seed, b"mock snp vcek")?;
        let ark_name = ark_name();
        let ask_name = ask_name();
        let ark_certificate = ca_template(0x01_00_00, &ark_name, &ark_name, &ark_key)
            .sign_with_rsa_pss(&ark_key, HashAlg::Sha384)?;
        let ask_certificate = ca_template(0x01_00_01, &ask_name, &ark_name, &ask_key)
            .sign_with_rsa_pss(&ark_key, HashAlg::Sha384)?;
        let vcek_certificate = CertificateBuilder {
            // KDS issues VCEKs with serial 0, which the core's builder (rightly, RFC 5280) refuses.
            serial: vec![1],
            subject: format!("CN=SEV-VCEK,{AMD_NAME_TAIL}"),
            issuer: ask_name,
            not_before: datetime!(2025-01-01 0:00 UTC),
            not_after: datetime!(9999-12-31 23:59:59 UTC),
            spki_der: vcek_key.spki_der()?,
            is_ca: false,
            extensions: vcek_extensions(&shape),
        }
        .sign_with_rsa_pss(&ask_key, HashAlg::Sha384)?;
        Ok(Self {
            ark_certificate,
            ask_certificate,
            vcek_key,
            vcek_certificate,
            chip_id: chip_id(&seed),
            tcb: DEFAULT_TCB,
            debug: false,
            measurement: measurement(DEFAULT_IMAGE),
        })
    }

    /// Sets POLICY.DEBUG in the reports (which the default policy rejects).
    #[must_use]
    pub fn with_debug(mut self, debug: bool) -> Self {
        self.debug = debug;
        self
    }

    /// Reports `measurement` as MEASUREMENT.
    #[must_use]
    pub fn with_measurement(mut self, measurement: [u8; 48]) -> Self {
        self.measurement = measurement;
        self
    }

    /// The mock ARK certificate (DER): what a verifier must trust to accept mock reports.
    pub fn ark_certificate_der(&self) -> &[u8] {
        &self.ark_certificate
    }

    /// The mock ASK certificate (DER).
    pub fn ask_certificate_der(&self) -> &[u8] {
        &self.ask_certificate
    }

    /// The mock VCEK certificate (DER).
    pub fn vcek_certificate_der(&self) -> &[u8] {
        &self.vcek_certificate
    }

    /// The mock CHIP_ID.
    pub fn chip_id(&self) -> &[u8; 64] {
        &self.chip_id
    }

    /// The certificate table an extended report would carry: VCEK, ASK, ARK.
    pub fn cert_table(&self) -> Vec<u8> {
        CertTable::encode(&[
            (CertKind::Vcek, &self.vcek_certificate),
            (CertKind::Ask, &self.ask_certificate),
            (CertKind::Ark, &self.ark_certificate),
        ])
    }

    /// A signed version 3 report with `report_data` for `vmpl`.
    ///
    /// # Errors
    /// Only if signing fails (not expected).
    pub fn report(&self, report_data: &[u8; 64], vmpl: u32) -> Result<Vec<u8>> {
        let mut r = vec![0u8; REPORT_LEN];
        let policy: u64 = 0x3_0000 | if self.debug { 1 << 19 } else { 0 };
        let report_id =
            crypto::digest_parts(HashAlg::Sha256, &[b"mock snp report id", report_data]);
        let fields: [(usize, &[u8]); 20] = [
            (0x000, &3u32.to_le_bytes()),
            (0x004, &1u32.to_le_bytes()),
            (0x008, &policy.to_le_bytes()),
            (0x030, &vmpl.to_le_bytes()),
            (0x034, &1u32.to_le_bytes()),
            (0x038, &self.tcb),
            (0x040, &0x25u64.to_le_bytes()),
            (0x050, report_data),
            (0x090, &self.measurement),
            (0x140, report_id.as_bytes()),
            (0x160, &[0xFF; 32]),
            (0x180, &self.tcb),
            (0x188, &[0x19, 0x01, 0x01]),
            (0x1A0, &self.chip_id),
            (0x1E0, &self.tcb),
            // Firmware 1.55.29, stored build first.
            (0x1E8, &[29, 55, 1]),
            (0x1EC, &[29, 55, 1]),
            (0x1F0, &self.tcb),
            (0x048, &0u32.to_le_bytes()),
            (0x04C, &[0; 4]),
        ];
        for (offset, bytes) in fields {
            put(&mut r, offset, bytes)?;
        }
        let signed = r.get(..SIGNED_LEN).unwrap_or(&[]);
        let fixed = self.vcek_key.sign(signed)?;
        let (sig_r, sig_s) = fixed.split_at(fixed.len() / 2);
        put(&mut r, 0x2A0, &little_endian(sig_r))?;
        put(&mut r, 0x2E8, &little_endian(sig_s))?;
        Ok(r)
    }
}

fn put(report: &mut [u8], offset: usize, bytes: &[u8]) -> Result<()> {
    report
        .get_mut(offset..offset + bytes.len())
        .ok_or_else(|| Error::malformed("mock SNP report", "field outside the report"))?
        .copy_from_slice(bytes);
    Ok(())
}

fn little_endian(big_endian: &[u8]) -> Vec<u8> {
    big_endian.iter().rev().copied().collect()
}

fn ark_name() -> String {
    format!("CN=ARK-Milan MOCK NOT SECURE,{AMD_NAME_TAIL}")
}

fn ask_name() -> String {
    format!("CN=SEV-Milan MOCK NOT SECURE,{AMD_NAME_TAIL}")
}

fn chip_id(seed: &[u8; 32]) -> [u8; 64] {
    let digest = crypto::digest_parts(HashAlg::Sha512, &[b"mock snp chip id", seed]);
    let mut id = [0u8; 64];
    id.copy_from_slice(digest.as_bytes());
    id
}

fn measurement(image: &[u8]) -> [u8; 48] {
    let mut out = [0u8; 48];
    out.copy_from_slice(crypto::digest(HashAlg::Sha384, image).as_bytes());
    out
}

/// keyUsage keyCertSign and cRLSign, as on AMD's ARK.
const KEY_USAGE_CA: [u8; 4] = [0x03, 0x02, 0x01, 0x06];

fn ca_template(
    serial: u32,
    subject: &str,
    issuer: &str,
    key: &RsaSigningKey,
) -> CertificateBuilder {
    CertificateBuilder {
        serial: serial.to_be_bytes().to_vec(),
        subject: subject.to_owned(),
        issuer: issuer.to_owned(),
        not_before: datetime!(2025-01-01 0:00 UTC),
        not_after: datetime!(9999-12-31 23:59:59 UTC),
        spki_der: key.spki_der().to_vec(),
        is_ca: true,
        extensions: vec![RawExtension {
            oid: oid::KEY_USAGE,
            critical: true,
            value: KEY_USAGE_CA.to_vec(),
        }],
    }
}

/// The ARK and ASK RSA-4096 keys of the default seed (PKCS#8 DER, `keys/README.md`).
const DEFAULT_ARK_KEY: &[u8] = include_bytes!("../keys/mock-snp-ark.pk8.der");
const DEFAULT_ASK_KEY: &[u8] = include_bytes!("../keys/mock-snp-ask.pk8.der");

/// The size of the mock ARK and ASK keys, as AMD's.
pub const RSA_BITS: usize = 4096;

type RsaPair = (Arc<RsaSigningKey>, Arc<RsaSigningKey>);

/// The ARK and ASK keys of `seed`: the committed keys for [`DEFAULT_SEED`], fresh keys
/// generated once per process for any other seed.
fn rsa_keys(seed: [u8; 32]) -> Result<RsaPair> {
    static DEFAULT: OnceLock<RsaPair> = OnceLock::new();
    static OTHERS: Mutex<Vec<([u8; 32], RsaPair)>> = Mutex::new(Vec::new());
    if seed == DEFAULT_SEED {
        if let Some(keys) = DEFAULT.get() {
            return Ok(keys.clone());
        }
        let keys = (
            Arc::new(RsaSigningKey::from_pkcs8_der(DEFAULT_ARK_KEY)?),
            Arc::new(RsaSigningKey::from_pkcs8_der(DEFAULT_ASK_KEY)?),
        );
        return Ok(DEFAULT.get_or_init(|| keys).clone());
    }
    // A poisoned lock only means another test panicked while generating; the list is intact.
    let mut others = OTHERS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, keys)) = others.iter().find(|(s, _)| *s == seed) {
        return Ok(keys.clone());
    }
    let keys = (
        Arc::new(RsaSigningKey::generate(RSA_BITS)?),
        Arc::new(RsaSigningKey::generate(RSA_BITS)?),
    );
    others.push((seed, keys.clone()));
    Ok(keys)
}

/// AMD's VCEK extensions (pub. 57230) for a Milan VCEK of `shape`.
fn vcek_extensions(shape: &VcekShape) -> Vec<RawExtension> {
    let amd = |arc: &str| Oid::new(&format!("1.3.6.1.4.1.3704.1.{arc}")).ok();
    let integer = |v: u8| {
        if v >= 0x80 {
            vec![0x02, 0x02, 0x00, v]
        } else {
            vec![0x02, 0x01, v]
        }
    };
    let [bl, tee, _, _, _, _, snp, ucode] = shape.tcb;
    let hw_id = if shape.hw_id_wrapped {
        let mut wrapped = vec![0x04, 64];
        wrapped.extend_from_slice(&shape.hw_id);
        wrapped
    } else {
        shape.hw_id.to_vec()
    };
    let mut product = vec![0x16, 8];
    product.extend_from_slice(b"Milan-B0");
    let values: [(&str, Vec<u8>); 11] = [
        ("1", integer(0)),
        ("2", product),
        ("3.1", integer(bl)),
        ("3.2", integer(tee)),
        ("3.3", integer(snp)),
        ("3.4", integer(0)),
        ("3.5", integer(0)),
        ("3.6", integer(0)),
        ("3.7", integer(0)),
        ("3.8", integer(ucode)),
        ("4", hw_id),
    ];
    values
        .into_iter()
        .filter_map(|(arc, value)| {
            amd(arc).map(|oid| RawExtension {
                oid,
                critical: false,
                value,
            })
        })
        .collect()
}

/// NOT SECURE: the `mock-snp` attester, real SEV-SNP reports from the seeded mock PKI.
#[derive(Debug)]
pub struct MockSnpAttester {
    snp: MockSnp,
    vmpl: u32,
}

impl MockSnpAttester {
    /// An attester signing with `snp`, requesting reports for VMPL 0.
    pub fn new(snp: MockSnp) -> Self {
        Self { snp, vmpl: 0 }
    }

    /// The mock behind the attester.
    pub fn mock(&self) -> &MockSnp {
        &self.snp
    }
}

/// The SEV-SNP capabilities: 8..=64 bytes, zero-padded to the 64-byte REPORT_DATA.
pub fn capabilities() -> Capabilities {
    Capabilities {
        challenge_lengths: 8..=64,
        field: "REPORT_DATA",
        fill: FillRule::ZeroPad { field_len: 64 },
        extend: None,
    }
}

impl Attester for MockSnpAttester {
    fn platform(&self) -> Platform {
        Platform::Snp
    }

    fn capabilities(&self) -> Capabilities {
        capabilities()
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        let caps = capabilities();
        let field = caps.field_value(challenge)?;
        let mut report_data = [0u8; 64];
        report_data.copy_from_slice(field.as_bytes());
        Ok(Evidence {
            platform: Platform::Snp,
            challenge: *challenge,
            binding: BindingMode::Raw,
            fill: caps.fill,
            body: Item::new(
                media_types::SNP_REPORT,
                self.snp.report(&report_data, self.vmpl)?,
            ),
            endorsements: vec![Item::new(media_types::SNP_CERTS, self.snp.cert_table())],
            event_logs: Vec::new(),
        })
    }
}

/// The mock ARK of the default seed, parsed once per process: what `--allow-mock` adds to the
/// trusted SEV-SNP roots.
///
/// # Errors
/// Only if the mock cannot be built (not expected).
pub fn default_ark() -> Result<&'static Certificate> {
    static ARK: std::sync::OnceLock<Certificate> = std::sync::OnceLock::new();
    if let Some(ark) = ARK.get() {
        return Ok(ark);
    }
    let mock = MockSnp::from_default_seed()?;
    let ark = Certificate::from_der(mock.ark_certificate_der())?;
    Ok(ARK.get_or_init(|| ark))
}
