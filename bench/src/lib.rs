//! Fixtures shared by the benchmarks in `benches/`: the inputs every comparison runs on, built
//! once so that ours and the peer crate see the same bytes.
//!
//! Nothing here is measured; the benches time what they do with these values.

use attester_core::crypto::{Curve, EcdsaSigningKey};
use attester_core::{BinderHash, Binding, Evidence, FillRule, Item, Platform, Result, media_types};

/// The size of the evidence record in the CMW benchmarks: 5 KiB, about a TDX quote v4 with
/// its PCK certificate chain.
pub const EVIDENCE_LEN: usize = 5 * 1024;

/// A fixed TLS exporter value (`TLS-Exporter("Attestation", ctx, 32)` as a TLS stack would
/// hand it over).
pub const EXPORTER: [u8; 32] = [
    0x3a, 0x1f, 0x92, 0x07, 0xc4, 0x5e, 0x88, 0x21, 0x6d, 0xb0, 0x13, 0xfe, 0x47, 0x99, 0x2a, 0x05,
    0xe1, 0x7c, 0x30, 0xd8, 0x64, 0x0b, 0xaf, 0x52, 0x19, 0xc6, 0x8e, 0x73, 0x24, 0xfd, 0x4a, 0x90,
];

/// The seed of the benchmark keys (test keys; they protect nothing).
const SEED: &[u8] = b"attester-bench fixed seed, NOT SECURE";

/// `len` bytes of deterministic filler that is neither constant nor periodic over short spans,
/// so no encoder or hash takes a shortcut on it.
pub fn filler(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(167) ^ (i >> 7) ^ 0x5a) as u8)
        .collect()
}

/// A seeded ECDSA key on `curve` (SHA-256 on P-256, SHA-384 on P-384).
pub fn ecdsa_key(curve: Curve) -> Result<EcdsaSigningKey> {
    Ok(EcdsaSigningKey::from_seed(curve, SEED, b"bench key")?)
}

/// The DER SubjectPublicKeyInfo of a P-256 TLS end-entity key: the usual TLS leaf key, and the
/// `spki_der` input of the binder.
pub fn tls_spki_p256() -> Result<Vec<u8>> {
    Ok(ecdsa_key(Curve::P256)?.spki_der()?)
}

/// Evidence whose body is an [`EVIDENCE_LEN`]-byte TDX quote stand-in, bound to [`EXPORTER`]
/// and [`tls_spki_p256`] with SHA-384, without endorsements or logs: the shape of the CMW
/// benchmarks' envelope.
pub fn tdx_evidence() -> Result<Evidence> {
    let binding = Binding::tls_exporter(&EXPORTER, &tls_spki_p256()?, BinderHash::Sha384)?;
    Ok(Evidence {
        platform: Platform::Tdx,
        challenge: *binding.challenge(),
        binding: binding.mode().clone(),
        fill: FillRule::ZeroPad { field_len: 64 },
        body: Item::new(media_types::TDX_QUOTE, filler(EVIDENCE_LEN)),
        endorsements: Vec::new(),
        event_logs: Vec::new(),
    })
}

/// The corpus folder: `ATTESTER_VECTORS`, or the shared folder beside the workspace.
pub fn corpus_dir() -> std::path::PathBuf {
    match std::env::var_os("ATTESTER_VECTORS") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
    }
}

/// The corpus file `relative`, or `None` where the corpus is absent.
pub fn corpus_file(relative: &str) -> Option<Vec<u8>> {
    std::fs::read(corpus_dir().join(relative)).ok()
}
