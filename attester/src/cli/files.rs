//! Reading the files the CLI is given: evidence, keys, certificates, policies.

use anyhow::{Context, Result, bail};
use attester_core::x509::Certificate;
use base64::Engine as _;
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

/// The DER blocks of a PEM file (`label`, DER), or `None` when the bytes are not PEM.
pub fn pem_blocks(bytes: &[u8]) -> Result<Option<Vec<(String, Vec<u8>)>>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(None);
    };
    if !text.contains("-----BEGIN ") {
        return Ok(None);
    }
    let mut blocks = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        let mut closed = false;
        for line in lines.by_ref() {
            if line == end {
                closed = true;
                break;
            }
            body.push_str(line);
        }
        if !closed {
            bail!("PEM block {label} is not closed");
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .with_context(|| format!("PEM block {label} is not valid base64"))?;
        blocks.push((label.to_owned(), der));
    }
    Ok(Some(blocks))
}

/// A public key for the binder: DER or PEM SubjectPublicKeyInfo, or the SPKI of a certificate.
pub fn spki(path: &Path) -> Result<Vec<u8>> {
    let bytes = read(path)?;
    let der = match pem_blocks(&bytes)? {
        Some(blocks) => match blocks.as_slice() {
            [(label, der)] if label == "PUBLIC KEY" || label == "CERTIFICATE" => der.clone(),
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
    let ders = match pem_blocks(&bytes)? {
        Some(blocks) => blocks
            .into_iter()
            .filter(|(label, _)| label == "CERTIFICATE")
            .map(|(_, der)| der)
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

/// Trust anchors from a file: certificates, or one SubjectPublicKeyInfo (PEM or DER).
pub fn add_trust(anchors: &mut attester_core::x509::TrustAnchors, path: &Path) -> Result<()> {
    let bytes = read(path)?;
    if let Some(blocks) = pem_blocks(&bytes)? {
        if blocks.is_empty() {
            bail!("{}: no PEM block", path.display());
        }
        for (label, der) in blocks {
            match label.as_str() {
                "CERTIFICATE" => anchors.add_certificate(&Certificate::from_der(&der)?),
                "PUBLIC KEY" => anchors.add_spki(&der)?,
                other => bail!("{}: unexpected PEM block {other}", path.display()),
            }
        }
        return Ok(());
    }
    match Certificate::from_der(&bytes) {
        Ok(cert) => anchors.add_certificate(&cert),
        Err(_) => anchors.add_spki(&bytes).with_context(|| {
            format!("{}: neither a certificate nor a public key", path.display())
        })?,
    }
    Ok(())
}
