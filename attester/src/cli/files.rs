//! Reading the files the CLI is given: evidence, keys, certificates, policies.

use anyhow::{Context, Result, bail};
use attester_cca::trust::{PlatformKey, PlatformKeys};
use attester_core::x509::{Certificate, PemBlock, pem_blocks};
use std::path::Path;

/// The largest input file accepted: far above any evidence, far below trouble.
const MAX_INPUT: u64 = 16 * 1024 * 1024;

/// The bytes of `path`; empty and oversized files are refused.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > MAX_INPUT {
        bail!(
            "{} is {size} bytes; the limit is {MAX_INPUT}",
            path.display()
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.is_empty() {
        bail!("{} is empty", path.display());
    }
    Ok(bytes)
}

/// The PEM blocks of a file, or `None` when it is not PEM (then it is taken as DER).
fn pem(bytes: &[u8]) -> Result<Option<Vec<PemBlock>>> {
    if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        return Ok(None);
    }
    Ok(Some(pem_blocks(bytes)?))
}

/// A public key for the binder: DER or PEM SubjectPublicKeyInfo, or the SPKI of a certificate.
pub fn spki(path: &Path) -> Result<Vec<u8>> {
    let bytes = read(path)?;
    let der = match pem(&bytes)? {
        Some(blocks) => match blocks.as_slice() {
            [block] if block.label == "PUBLIC KEY" || block.label == "CERTIFICATE" => {
                block.der.clone()
            }
            _ => bail!(
                "{}: expected one PUBLIC KEY or CERTIFICATE block",
                path.display()
            ),
        },
        None => bytes,
    };
    match Certificate::from_der(&der) {
        Ok(cert) => Ok(cert.spki_der().to_vec()),
        Err(_) => Ok(der),
    }
}

/// Certificates from a PEM file (every CERTIFICATE block) or a single DER certificate.
pub fn certificates(path: &Path) -> Result<Vec<Vec<u8>>> {
    let bytes = read(path)?;
    let ders = match pem(&bytes)? {
        Some(blocks) => blocks
            .into_iter()
            .filter(|block| block.label == "CERTIFICATE")
            .map(|block| block.der)
            .collect(),
        None => vec![bytes],
    };
    if ders.is_empty() {
        bail!("{}: no certificate", path.display());
    }
    for der in &ders {
        Certificate::from_der(der)
            .with_context(|| format!("{}: not a certificate", path.display()))?;
    }
    Ok(ders)
}

/// Trust anchors from a file: certificates, or one SubjectPublicKeyInfo (PEM or DER), or —
/// for Arm CCA platform keys — a JWK or a trust-anchor store (JSON). Every EC public key is
/// also offered to the CCA verifier as a platform key, and every SEV-SNP ARK certificate to
/// the SNP verifier as a root of its product.
pub fn add_trust(
    anchors: &mut attester_core::x509::TrustAnchors,
    cca_keys: &mut PlatformKeys,
    snp_arks: &mut Vec<Certificate>,
    path: &Path,
) -> Result<()> {
    let bytes = read(path)?;
    let text = std::str::from_utf8(&bytes)
        .map(str::trim_start)
        .unwrap_or("");
    if text.starts_with('{') || text.starts_with('[') {
        return cca_keys
            .add_file(&bytes)
            .with_context(|| format!("{}: not a usable CCA platform key", path.display()));
    }
    if let Some(blocks) = pem(&bytes)? {
        if blocks.is_empty() {
            bail!("{}: no PEM block", path.display());
        }
        for block in blocks {
            match block.label.as_str() {
                "CERTIFICATE" => {
                    add_certificate(anchors, snp_arks, Certificate::from_der(&block.der)?);
                }
                "PUBLIC KEY" => {
                    anchors.add_spki(&block.der)?;
                    offer_cca_key(cca_keys, &block.der);
                }
                other => bail!("{}: unexpected PEM block {other}", path.display()),
            }
        }
        return Ok(());
    }
    if let Some(spki) = attester::tpm::tpm2b_public_spki(&bytes) {
        anchors.add_spki(&spki)?;
        return Ok(());
    }
    match Certificate::from_der(&bytes) {
        Ok(cert) => add_certificate(anchors, snp_arks, cert),
        Err(_) => {
            anchors.add_spki(&bytes).with_context(|| {
                format!("{}: neither a certificate nor a public key", path.display())
            })?;
            offer_cca_key(cca_keys, &bytes);
        }
    }
    Ok(())
}

/// A trusted certificate is an anchor; an SEV-SNP ARK is also a root of its product.
fn add_certificate(
    anchors: &mut attester_core::x509::TrustAnchors,
    snp_arks: &mut Vec<Certificate>,
    cert: Certificate,
) {
    anchors.add_certificate(&cert);
    if attester::snp::ark_product(&cert).is_some() {
        snp_arks.push(cert);
    }
}

/// A public key that is a usable CCA platform key (P-256 or P-384 on its curve) becomes one;
/// any other key (RSA, for another platform's root) is only a trust anchor.
fn offer_cca_key(cca_keys: &mut PlatformKeys, spki_der: &[u8]) {
    if let Ok(key) = PlatformKey::from_spki_der(spki_der) {
        cca_keys.add_key(key);
    }
}

/// The appraisal policy from `--policy FILE` (default: the default policy), with
/// `--allow-debug` applied.
pub fn policy(path: Option<&Path>, allow_debug: bool) -> Result<attester::policy::Policy> {
    let mut policy = match path {
        Some(path) => {
            let text = String::from_utf8(read(path)?).context("policy is not UTF-8")?;
            attester::policy::Policy::from_json(&text)?
        }
        None => attester::policy::Policy::default(),
    };
    policy.allow_debug |= allow_debug;
    Ok(policy)
}
