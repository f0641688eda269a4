//! X.509 parsing and chain checks on chains built here with the certificate builder and broken
//! on purpose. Real vendor chains are in `x509_vendor.rs`.
#![cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
// Helpers outside `#[test]` functions build fixtures; a failure there should fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_core::crypto::{Curve, EcdsaSigningKey, HashAlg, Provider, default_provider};
use attester_core::x509::build::{CertificateBuilder, RawExtension};
use attester_core::x509::{
    CertSignatureAlg, Certificate, Oid, TrustAnchors, check_validity, oid, parse_pem_chain,
    verify_chain, verify_issued_by,
};
use attester_core::{Check, ErrorKind};
use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::datetime;

fn providers() -> Vec<&'static dyn Provider> {
    #[allow(unused_mut)]
    let mut all: Vec<&'static dyn Provider> = vec![default_provider()];
    #[cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
    all.push(&attester_core::crypto::RustCrypto);
    all
}

const NOW: OffsetDateTime = datetime!(2026-06-01 00:00 UTC);

struct Pki {
    root_key: EcdsaSigningKey,
    root: Certificate,
    inter_key: EcdsaSigningKey,
    inter: Certificate,
    leaf: Certificate,
}

fn template(subject: &str, issuer: &str, spki: Vec<u8>, is_ca: bool) -> CertificateBuilder {
    CertificateBuilder {
        serial: vec![0x42, subject.len() as u8],
        subject: subject.into(),
        issuer: issuer.into(),
        not_before: datetime!(2025-01-01 00:00 UTC),
        not_after: datetime!(2030-01-01 00:00 UTC),
        spki_der: spki,
        is_ca,
        extensions: vec![],
    }
}

/// root (self-signed CA) → intermediate (CA) → leaf, all on `curve`, keys from `seed`.
fn build_pki(curve: Curve, seed: &[u8]) -> Pki {
    let root_key = EcdsaSigningKey::from_seed(curve, seed, b"root").unwrap();
    let inter_key = EcdsaSigningKey::from_seed(curve, seed, b"intermediate").unwrap();
    let leaf_key = EcdsaSigningKey::from_seed(curve, seed, b"leaf").unwrap();
    let root_name = "CN=Test Root,O=attester";
    let inter_name = "CN=Test Intermediate,O=attester";
    let root = template(root_name, root_name, root_key.spki_der().unwrap(), true)
        .sign_with(&root_key)
        .unwrap();
    let inter = template(inter_name, root_name, inter_key.spki_der().unwrap(), true)
        .sign_with(&root_key)
        .unwrap();
    let mut leaf = template(
        "CN=Test Leaf,O=attester",
        inter_name,
        leaf_key.spki_der().unwrap(),
        false,
    );
    leaf.extensions.push(RawExtension {
        oid: Oid::new_unwrap("1.3.6.1.4.1.99999.1"),
        critical: false,
        value: vec![0x04, 0x03, 1, 2, 3],
    });
    let leaf = leaf.sign_with(&inter_key).unwrap();
    Pki {
        root_key,
        root: Certificate::from_der(&root).unwrap(),
        inter_key,
        inter: Certificate::from_der(&inter).unwrap(),
        leaf: Certificate::from_der(&leaf).unwrap(),
    }
}

impl Pki {
    fn chain(&self) -> Vec<Certificate> {
        vec![self.leaf.clone(), self.inter.clone(), self.root.clone()]
    }

    fn anchors(&self) -> TrustAnchors {
        TrustAnchors::from_certificates([&self.root])
    }
}

fn check_of(result: Result<(), attester_core::CheckFailed>) -> Check {
    result.expect_err("expected a failed check").check
}

#[test]
fn built_chains_verify_on_both_curves() {
    for curve in [Curve::P256, Curve::P384] {
        let pki = build_pki(curve, b"good");
        for provider in providers() {
            verify_chain(&pki.chain(), &pki.anchors(), NOW, provider)
                .unwrap_or_else(|e| panic!("{curve:?} {}: {e}", provider.name()));
            verify_issued_by(&pki.leaf, &pki.inter, provider).unwrap();
        }
        let hash = curve.default_hash();
        assert_eq!(pki.leaf.signature_alg(), CertSignatureAlg::Ecdsa { hash });
        assert_eq!(pki.root.subject(), "CN=Test Root,O=attester");
        assert_eq!(pki.leaf.issuer(), "CN=Test Intermediate,O=attester");
        assert!(pki.root.is_self_issued());
        assert!(!pki.leaf.is_self_issued());
        assert_eq!(pki.root.basic_constraints().map(|bc| bc.ca), Some(true));
        assert_eq!(pki.leaf.basic_constraints(), None);
        let ext = pki
            .leaf
            .extension(&Oid::new_unwrap("1.3.6.1.4.1.99999.1"))
            .unwrap();
        assert_eq!(
            (ext.critical, ext.value),
            (false, &[0x04, 0x03, 1, 2, 3][..])
        );
        assert!(pki.leaf.extension(&oid::KEY_USAGE).is_none());
        assert_eq!(pki.leaf.not_after(), datetime!(2030-01-01 00:00 UTC));
        assert_eq!(pki.leaf.serial(), &[0x42, 23]);
        // The TBS is sliced from the original bytes: it is a prefix-free part of the DER.
        let der = pki.leaf.der();
        let tbs = pki.leaf.tbs_der();
        assert!(der.windows(tbs.len()).any(|w| w == tbs));
        assert_eq!(
            pki.leaf.fingerprint_sha256().as_slice(),
            attester_core::crypto::digest(HashAlg::Sha256, der).as_bytes()
        );
    }
}

#[test]
fn chains_anchored_by_a_bare_key() {
    let pki = build_pki(Curve::P384, b"bare");
    let mut anchors = TrustAnchors::new();
    anchors.add_spki(pki.root.spki_der()).unwrap();
    assert_eq!(anchors.len(), 1);
    // The root is not in the chain: the intermediate is signed by the pinned key.
    let chain = [pki.leaf.clone(), pki.inter.clone()];
    verify_chain(&chain, &anchors, NOW, default_provider()).unwrap();
    // A pinned intermediate is enough too.
    let mut anchors = TrustAnchors::new();
    anchors.add_certificate(&pki.inter);
    verify_chain(&chain[..1], &anchors, NOW, default_provider()).unwrap();
    assert!(anchors.add_spki(b"\x30\x00").is_err());
}

#[test]
fn wrong_root_fails_trust() {
    let pki = build_pki(Curve::P384, b"one");
    let other = build_pki(Curve::P384, b"two");
    for provider in providers() {
        let result = verify_chain(&pki.chain(), &other.anchors(), NOW, provider);
        assert_eq!(check_of(result), Check::Trust);
        let result = verify_chain(&pki.chain()[..2], &other.anchors(), NOW, provider);
        assert_eq!(check_of(result), Check::Trust);
        let result = verify_chain(&pki.chain(), &TrustAnchors::new(), NOW, provider);
        assert_eq!(check_of(result), Check::Trust);
    }
    // Same key pinned from a certificate with another name: the name must match.
    let renamed = template(
        "CN=Other Name",
        "CN=Other Name",
        pki.root.spki_der().to_vec(),
        true,
    )
    .sign_with(&pki.root_key)
    .unwrap();
    let anchors = TrustAnchors::from_certificates([&Certificate::from_der(&renamed).unwrap()]);
    let result = verify_chain(&pki.chain()[..2], &anchors, NOW, default_provider());
    assert_eq!(check_of(result), Check::Trust);
}

#[test]
fn validity_is_checked_at_the_given_time() {
    let pki = build_pki(Curve::P256, b"time");
    for at in [
        datetime!(2024-12-31 23:59:59 UTC),
        datetime!(2030-01-01 00:00:01 UTC),
    ] {
        let result = verify_chain(&pki.chain(), &pki.anchors(), at, default_provider());
        assert_eq!(check_of(result), Check::Validity, "{at}");
    }
    // Both ends are inclusive.
    check_validity(&pki.leaf, datetime!(2025-01-01 00:00 UTC)).unwrap();
    check_validity(&pki.leaf, datetime!(2030-01-01 00:00 UTC)).unwrap();
    // An expired intermediate in an otherwise good chain.
    let mut expired = template(
        "CN=Test Intermediate,O=attester",
        "CN=Test Root,O=attester",
        pki.inter.spki_der().to_vec(),
        true,
    );
    expired.not_after = datetime!(2026-01-01 00:00 UTC);
    let expired = Certificate::from_der(&expired.sign_with(&pki.root_key).unwrap()).unwrap();
    let chain = [pki.leaf.clone(), expired, pki.root.clone()];
    let result = verify_chain(&chain, &pki.anchors(), NOW, default_provider());
    assert_eq!(check_of(result), Check::Validity);
}

#[test]
fn broken_links_fail_chain() {
    let pki = build_pki(Curve::P384, b"links");
    let anchors = pki.anchors();
    let p = default_provider();
    // Order swapped, a link missing, empty.
    let swapped = [pki.inter.clone(), pki.leaf.clone(), pki.root.clone()];
    assert_eq!(
        check_of(verify_chain(&swapped, &anchors, NOW, p)),
        Check::Chain
    );
    let gap = [pki.leaf.clone(), pki.root.clone()];
    assert_eq!(check_of(verify_chain(&gap, &anchors, NOW, p)), Check::Chain);
    assert_eq!(check_of(verify_chain(&[], &anchors, NOW, p)), Check::Chain);

    // Right names, wrong key: the intermediate re-issued with another key.
    let stranger = EcdsaSigningKey::from_seed(Curve::P384, b"links", b"stranger").unwrap();
    let forged = template(
        "CN=Test Intermediate,O=attester",
        "CN=Test Root,O=attester",
        stranger.spki_der().unwrap(),
        true,
    )
    .sign_with(&pki.root_key)
    .unwrap();
    let chain = [
        pki.leaf.clone(),
        Certificate::from_der(&forged).unwrap(),
        pki.root.clone(),
    ];
    assert_eq!(
        check_of(verify_chain(&chain, &anchors, NOW, p)),
        Check::Chain
    );

    // Right key, wrong name: the leaf names another issuer.
    let misnamed = template(
        "CN=Test Leaf,O=attester",
        "CN=Somebody Else",
        pki.leaf.spki_der().to_vec(),
        false,
    )
    .sign_with(&pki.inter_key)
    .unwrap();
    let misnamed = Certificate::from_der(&misnamed).unwrap();
    assert_eq!(
        check_of(verify_issued_by(&misnamed, &pki.inter, p)),
        Check::Chain
    );
    let chain = [misnamed, pki.inter.clone(), pki.root.clone()];
    assert_eq!(
        check_of(verify_chain(&chain, &anchors, NOW, p)),
        Check::Chain
    );

    // An issuer that is not a CA.
    let not_ca = template(
        "CN=Test Intermediate,O=attester",
        "CN=Test Root,O=attester",
        pki.inter.spki_der().to_vec(),
        false,
    );
    let mut not_ca = not_ca;
    not_ca.extensions.push(RawExtension {
        oid: oid::BASIC_CONSTRAINTS,
        critical: true,
        value: vec![0x30, 0x00],
    });
    let not_ca = Certificate::from_der(&not_ca.sign_with(&pki.root_key).unwrap()).unwrap();
    let chain = [pki.leaf.clone(), not_ca, pki.root.clone()];
    assert_eq!(
        check_of(verify_chain(&chain, &anchors, NOW, p)),
        Check::Chain
    );

    // An issuer whose keyUsage lacks keyCertSign (digitalSignature only).
    let mut no_cert_sign = template(
        "CN=Test Intermediate,O=attester",
        "CN=Test Root,O=attester",
        pki.inter.spki_der().to_vec(),
        true,
    );
    no_cert_sign.extensions.push(RawExtension {
        oid: oid::KEY_USAGE,
        critical: true,
        value: vec![0x03, 0x02, 0x07, 0x80],
    });
    let no_cert_sign =
        Certificate::from_der(&no_cert_sign.sign_with(&pki.root_key).unwrap()).unwrap();
    assert_eq!(no_cert_sign.key_usage_cert_sign(), Some(false));
    let chain = [pki.leaf.clone(), no_cert_sign, pki.root.clone()];
    assert_eq!(
        check_of(verify_chain(&chain, &anchors, NOW, p)),
        Check::Chain
    );
}

#[test]
fn path_length_and_critical_extensions() {
    let pki = build_pki(Curve::P256, b"path");
    let p = default_provider();
    // A root allowing no intermediates below it.
    let mut root = template(
        "CN=Test Root,O=attester",
        "CN=Test Root,O=attester",
        pki.root.spki_der().to_vec(),
        false,
    );
    root.extensions.push(RawExtension {
        oid: oid::BASIC_CONSTRAINTS,
        critical: true,
        value: vec![0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00],
    });
    let root = Certificate::from_der(&root.sign_with(&pki.root_key).unwrap()).unwrap();
    assert_eq!(root.basic_constraints().and_then(|bc| bc.path_len), Some(0));
    let anchors = TrustAnchors::from_certificates([&root]);
    let chain = [pki.leaf.clone(), pki.inter.clone(), root.clone()];
    assert_eq!(
        check_of(verify_chain(&chain, &anchors, NOW, p)),
        Check::Chain
    );
    // Without the leaf there is no intermediate below the root: allowed.
    verify_chain(&chain[1..], &anchors, NOW, p).unwrap();

    // An unknown critical extension on the leaf.
    let mut leaf = template(
        "CN=Test Leaf,O=attester",
        "CN=Test Intermediate,O=attester",
        pki.leaf.spki_der().to_vec(),
        false,
    );
    leaf.extensions.push(RawExtension {
        oid: Oid::new_unwrap("1.3.6.1.4.1.99999.2"),
        critical: true,
        value: vec![0x05, 0x00],
    });
    let leaf = Certificate::from_der(&leaf.sign_with(&pki.inter_key).unwrap()).unwrap();
    let chain = [leaf, pki.inter.clone(), pki.root.clone()];
    assert_eq!(
        check_of(verify_chain(&chain, &pki.anchors(), NOW, p)),
        Check::Chain
    );
}

#[test]
fn every_bit_flip_in_the_leaf_tbs_fails_chain() {
    let pki = build_pki(Curve::P256, b"flips");
    let anchors = pki.anchors();
    let provider = default_provider();
    // RustCrypto without optimisation needs ~4 ms per P-256 verification; there, every fourth
    // bit (each byte still gets two flips).
    let stride = if provider.name() == "aws-lc-rs" { 1 } else { 4 };
    let der = pki.leaf.der().to_vec();
    let tbs_len = pki.leaf.tbs_der().len();
    let tbs_start = der
        .windows(tbs_len)
        .position(|w| w == pki.leaf.tbs_der())
        .unwrap();
    let (mut unparsable, mut rejected) = (0, 0);
    for bit in (tbs_start * 8..(tbs_start + tbs_len) * 8).step_by(stride) {
        let mut flipped = der.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        match Certificate::from_der(&flipped) {
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::Malformed);
                unparsable += 1;
            }
            Ok(leaf) => {
                let chain = [leaf, pki.inter.clone(), pki.root.clone()];
                let result = verify_chain(&chain, &anchors, NOW, provider);
                assert_eq!(check_of(result), Check::Chain, "bit {bit}");
                rejected += 1;
            }
        }
    }
    assert!(rejected > 100 && unparsable > 10, "{rejected} {unparsable}");
}

#[test]
fn builder_rejects_bad_templates() {
    let key = EcdsaSigningKey::from_seed(Curve::P256, b"builder", b"key").unwrap();
    let good = template("CN=A", "CN=A", key.spki_der().unwrap(), true);
    let cert = Certificate::from_der(&good.sign_with(&key).unwrap()).unwrap();
    assert_eq!(cert.tbs_der(), good.tbs_der(&key).unwrap());

    let mut bad = good.clone();
    bad.serial = vec![0, 0];
    assert!(bad.sign_with(&key).is_err());
    bad.serial = vec![0x7f; 21];
    assert!(bad.sign_with(&key).is_err());
    let mut bad = good.clone();
    bad.subject = "not a name".into();
    assert!(bad.sign_with(&key).is_err());
    let mut bad = good.clone();
    bad.spki_der = vec![1, 2, 3];
    assert!(bad.sign_with(&key).is_err());
    let mut bad = good.clone();
    bad.not_before = datetime!(1969-12-31 00:00 UTC);
    assert!(bad.sign_with(&key).is_err());
    let mut bad = good.clone();
    bad.extensions.push(RawExtension {
        oid: oid::BASIC_CONSTRAINTS,
        critical: false,
        value: vec![0x30, 0x00],
    });
    let err = bad.sign_with(&key).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Malformed);
    // Dates from 2050 on are GeneralizedTime and still round-trip.
    let mut late = good.clone();
    late.not_after = datetime!(2099-12-31 23:59:59 UTC);
    let late = Certificate::from_der(&late.sign_with(&key).unwrap()).unwrap();
    assert_eq!(late.not_after(), datetime!(2099-12-31 23:59:59 UTC));
}

#[test]
fn pem_single_and_chain() {
    let pki = build_pki(Curve::P384, b"pem");
    let pem = |der: &[u8]| {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    };
    let one = pem(pki.leaf.der());
    assert_eq!(Certificate::from_pem(one.as_bytes()).unwrap(), pki.leaf);
    let two = format!("{one}{}", pem(pki.root.der()));
    assert!(Certificate::from_pem(two.as_bytes()).is_err());
    let mut with_nul = two.into_bytes();
    with_nul.push(0);
    let chain = parse_pem_chain(&with_nul).unwrap();
    assert_eq!(chain, vec![pki.leaf.clone(), pki.root.clone()]);
    let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    assert!(Certificate::from_pem(key.as_bytes()).is_err());
    assert!(parse_pem_chain(format!("{one}{key}").as_bytes()).is_err());
}

fn sample_der() -> Vec<u8> {
    build_pki(Curve::P256, b"proptest sample")
        .leaf
        .der()
        .to_vec()
}

proptest! {
    #[test]
    fn parsing_never_panics_on_truncations_and_flips(
        cut in 0usize..2048,
        flips in proptest::collection::vec(0usize..(2048 * 8), 0..4),
    ) {
        let mut der = sample_der();
        for bit in flips {
            if let Some(byte) = der.get_mut(bit / 8) {
                *byte ^= 1 << (bit % 8);
            }
        }
        der.truncate(cut);
        if let Err(e) = Certificate::from_der(&der) {
            prop_assert_eq!(e.kind(), ErrorKind::Malformed);
        }
    }

    #[test]
    fn parsing_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Err(e) = Certificate::from_der(&bytes) {
            prop_assert_eq!(e.kind(), ErrorKind::Malformed);
        }
        let _ = parse_pem_chain(&bytes);
    }
}
