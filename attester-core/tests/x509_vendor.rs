//! Real vendor chains from the corpus: AMD Milan VCEK → ASK → ARK (RSA-PSS SHA-384, 4096-bit)
// Helpers outside `#[test]` functions build fixtures; a failure there should fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! and Intel's PCK chain cut out of a real TDX quote (P-256), under every provider.
#![cfg(any(feature = "aws-lc", feature = "rustcrypto"))]

mod support;

use attester_core::crypto::{HashAlg, Provider, default_provider};
use attester_core::x509::{
    CertSignatureAlg, Certificate, Oid, TrustAnchors, parse_pem_chain, verify_chain,
    verify_issued_by,
};
use attester_core::{Check, CheckFailed, ErrorKind};
use time::OffsetDateTime;
use time::macros::datetime;

/// Inside every corpus certificate's validity.
const NOW: OffsetDateTime = datetime!(2026-06-01 00:00 UTC);

fn providers() -> Vec<&'static dyn Provider> {
    #[allow(unused_mut)]
    let mut all: Vec<&'static dyn Provider> = vec![default_provider()];
    #[cfg(all(feature = "aws-lc", feature = "rustcrypto"))]
    all.push(&attester_core::crypto::RustCrypto);
    all
}

fn check_of(result: Result<(), CheckFailed>) -> Check {
    result.expect_err("the check must fail").check
}

struct Milan {
    ark: Certificate,
    ask: Certificate,
    vcek: Certificate,
}

fn milan(test: &str) -> Option<Milan> {
    let ark = support::corpus_file(test, "snp/certs/milan/ark.pem")?;
    let ask = support::corpus_file(test, "snp/certs/milan/ask.pem")?;
    let vcek = support::corpus_file(test, "snp/reports/milan_v3_mstav/vcek.pem")?;
    Some(Milan {
        ark: Certificate::from_pem(&ark).unwrap(),
        ask: Certificate::from_pem(&ask).unwrap(),
        vcek: Certificate::from_pem(&vcek).unwrap(),
    })
}

/// The PEM PCK chain (certification data type 5) inside a real quote, found by its markers.
fn intel_pck_chain(test: &str) -> Option<(Vec<u8>, Certificate)> {
    let quote = support::corpus_file(test, "tdx/go-tdx-guest/tdx_prod_quote_SPR_E4.dat")?;
    let root = support::corpus_file(test, "tdx/go-tdx-guest/trusted_root.pem")?;
    let begin = b"-----BEGIN CERTIFICATE-----";
    let end = b"-----END CERTIFICATE-----";
    let start = quote.windows(begin.len()).position(|w| w == begin).unwrap();
    let stop = quote.windows(end.len()).rposition(|w| w == end).unwrap() + end.len();
    Some((
        quote[start..stop].to_vec(),
        Certificate::from_pem(&root).unwrap(),
    ))
}

#[test]
fn amd_milan_vcek_chain_with_rsa_pss() {
    let Some(Milan { ark, ask, vcek }) = milan("amd_milan_vcek_chain_with_rsa_pss") else {
        return;
    };
    assert_eq!(
        hex::encode(ark.fingerprint_sha256()),
        "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd"
    );
    for cert in [&ark, &vcek] {
        assert_eq!(
            cert.signature_alg(),
            CertSignatureAlg::RsaPss {
                hash: HashAlg::Sha384
            }
        );
    }
    assert!(vcek.subject().contains("CN=SEV-VCEK"));
    assert!(ask.subject().contains("CN=SEV-Milan"));
    // productName, an IA5String "Milan-B0".
    let product = vcek
        .extension(&Oid::new_unwrap("1.3.6.1.4.1.3704.1.2"))
        .unwrap();
    assert_eq!(product.value, b"\x16\x08Milan-B0");
    let anchors = TrustAnchors::from_certificates([&ark]);
    let chain = [vcek.clone(), ask.clone(), ark.clone()];
    for provider in providers() {
        verify_chain(&chain, &anchors, NOW, provider)
            .unwrap_or_else(|e| panic!("{}: {e}", provider.name()));
        // Without the ARK in the chain: the ASK is signed by the pinned ARK key.
        verify_chain(&chain[..2], &anchors, NOW, provider).unwrap();
        // A VCEK is not a CA key: nothing it signs can chain.
        assert_eq!(
            check_of(verify_issued_by(&ask, &vcek, provider)),
            Check::Chain
        );
    }
    let ask_pinned = TrustAnchors::from_certificates([&ask]);
    assert!(verify_chain(&chain[..1], &ask_pinned, NOW, default_provider()).is_ok());
    let result = verify_chain(&chain, &TrustAnchors::new(), NOW, default_provider());
    assert_eq!(check_of(result), Check::Trust);
    let later = datetime!(2034-01-01 00:00 UTC);
    let result = verify_chain(&chain, &anchors, later, default_provider());
    assert_eq!(check_of(result), Check::Validity);
}

#[test]
fn intel_pck_chain_from_a_quote_with_trailing_nul() {
    let Some((mut pem, root)) = intel_pck_chain("intel_pck_chain_from_a_quote_with_trailing_nul")
    else {
        return;
    };
    pem.push(0);
    let chain = parse_pem_chain(&pem).unwrap();
    assert_eq!(chain.len(), 3);
    assert!(chain[0].subject().contains("CN=Intel SGX PCK Certificate"));
    assert!(chain[1].subject().contains("CN=Intel SGX PCK Platform CA"));
    assert_eq!(chain[2], root);
    assert_eq!(
        hex::encode(root.fingerprint_sha256()),
        "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3"
    );
    assert_eq!(
        root.signature_alg(),
        CertSignatureAlg::Ecdsa {
            hash: HashAlg::Sha256
        }
    );
    // The SGX extensions (FMSPC, TCB) live under 1.2.840.113741.1.13.1.
    assert!(
        chain[0]
            .extension(&Oid::new_unwrap("1.2.840.113741.1.13.1"))
            .is_some()
    );
    let anchors = TrustAnchors::from_certificates([&root]);
    for provider in providers() {
        verify_chain(&chain, &anchors, NOW, provider)
            .unwrap_or_else(|e| panic!("{}: {e}", provider.name()));
    }
    // Anchored by the root's bare key, without the root in the chain.
    let mut bare = TrustAnchors::new();
    bare.add_spki(root.spki_der()).unwrap();
    verify_chain(&chain[..2], &bare, NOW, default_provider()).unwrap();
    // The AMD root does not anchor Intel's chain.
    if let Some(Milan { ark, .. }) = milan("intel_pck_chain_from_a_quote_with_trailing_nul") {
        let amd = TrustAnchors::from_certificates([&ark]);
        let result = verify_chain(&chain, &amd, NOW, default_provider());
        assert_eq!(check_of(result), Check::Trust);
    }
}

#[test]
fn truncated_real_certificates_are_typed_errors() {
    let test = "truncated_real_certificates_are_typed_errors";
    let Some(milan) = milan(test) else { return };
    let Some((_, root)) = intel_pck_chain(test) else {
        return;
    };
    for der in [milan.vcek.der().to_vec(), root.der().to_vec()] {
        for len in 0..der.len() {
            let err = Certificate::from_der(&der[..len]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed, "cut at {len}");
        }
        let mut long = der.clone();
        long.push(0);
        assert_eq!(
            Certificate::from_der(&long).unwrap_err().kind(),
            ErrorKind::Malformed
        );
    }
}
