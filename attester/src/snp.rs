//! SEV-SNP roots for the facade: AMD's built-in ARKs, the mock ARK with `--allow-mock`, and
//! ARK certificates a verifier pins with `--trust`.

use attester_core::x509::{Certificate, verify_issued_by};
use attester_core::{Check, Error, Result, crypto};
use attester_snp::Generation;
use attester_snp::verify::{AmdRoots, ProductRoots};

/// The product of an AMD Root Key certificate: a self-issued certificate whose subject common
/// name is `ARK-<product>` (AMD's `ARK-Milan`, `ARK-Genoa`, `ARK-Turin`; a test PKI may add
/// words after the product, as the mock's `ARK-Milan MOCK NOT SECURE` does). `None` for any
/// other certificate.
pub fn ark_product(cert: &Certificate) -> Option<Generation> {
    if !cert.is_self_issued() {
        return None;
    }
    let subject = cert.subject();
    let cn = subject
        .split(',')
        .find_map(|part| part.trim().strip_prefix("CN="))?;
    let product = cn.strip_prefix("ARK-")?.split(' ').next()?;
    Generation::from_product_name(product)
}

/// `cert` as the pinned root of its product: an ARK ([`ark_product`]) whose self-signature
/// verifies.
///
/// # Errors
/// [`Check::Trust`] when it is not a self-signed ARK certificate.
pub fn pinned_ark(cert: &Certificate) -> Result<ProductRoots> {
    let generation = ark_product(cert).ok_or_else(|| {
        Error::check(
            Check::Trust,
            format!(
                "\"{}\" is not an SEV-SNP ARK (a self-issued certificate named ARK-<product>)",
                cert.subject()
            ),
        )
    })?;
    verify_issued_by(cert, cert, crypto::default_provider()).map_err(|e| {
        Error::check(
            Check::Trust,
            format!("ARK \"{}\" is not self-signed: {e}", cert.subject()),
        )
    })?;
    Ok(ProductRoots {
        generation,
        ark: cert.clone(),
        ask: None,
        asvk: None,
    })
}

/// The roots a SEV-SNP verification trusts: AMD's, then every pinned ARK, then the mock ARK
/// when `allow_mock`. A pinned ARK's ASK or ASVK must come with the evidence.
///
/// # Errors
/// When the built-in or mock roots cannot be loaded (a broken build), or a pinned certificate
/// is not a self-signed ARK ([`Check::Trust`]).
pub fn roots(pinned: &[Certificate], allow_mock: bool) -> Result<AmdRoots> {
    let mut roots = AmdRoots::empty().with_all(AmdRoots::builtin()?);
    for cert in pinned {
        roots = roots.with_product(pinned_ark(cert)?);
    }
    if allow_mock {
        roots = roots.with_product(ProductRoots {
            generation: attester_mock::snp::GENERATION,
            ark: attester_mock::snp::default_ark()?.clone(),
            ask: None,
            asvk: None,
        });
    }
    Ok(roots)
}
