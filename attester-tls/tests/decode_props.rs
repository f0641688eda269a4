//! The message decoders are total: truncations, bit flips and random bytes give typed errors,
//! never panics, and re-decoding what decoded gives the same value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_tls::authenticator::authenticate;
use attester_tls::frame::read_frame;
use attester_tls::keys::{AuthenticatorHash, AuthenticatorKeys, Exporter};
use attester_tls::messages::{AuthenticatorMsg, AuthenticatorRequest, RequestKind};
use attester_tls::{Error, Identity, KeyAlgorithm};
use proptest::prelude::*;
use rustls::{Side, SignatureScheme};
use std::sync::OnceLock;

struct ZeroExporter;

impl Exporter for ZeroExporter {
    fn export(&self, _label: &[u8], _context: &[u8], out: &mut [u8]) -> Result<(), Error> {
        out.fill(7);
        Ok(())
    }
}

fn request() -> AuthenticatorRequest {
    AuthenticatorRequest::new(
        RequestKind::ClientCertificateRequest,
        &[9; 32],
        &[
            SignatureScheme::ECDSA_NISTP256_SHA256,
            SignatureScheme::ED25519,
        ],
        true,
    )
    .unwrap()
}

fn authenticator() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let hash = AuthenticatorHash::of_suite(
            rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256,
        )
        .unwrap();
        let keys = AuthenticatorKeys::derive(&ZeroExporter, &hash, Side::Server).unwrap();
        let id = Identity::generate(KeyAlgorithm::EcdsaP256, "props").unwrap();
        authenticate(&keys, &hash, &request(), &id, Some(b"evidence")).unwrap()
    })
}

proptest! {
    #[test]
    fn request_truncations_fail(cut in 0usize..100) {
        let bytes = request().encoded().to_vec();
        prop_assume!(cut < bytes.len());
        prop_assert!(AuthenticatorRequest::decode(&bytes[..cut]).is_err());
    }

    #[test]
    fn request_bit_flips_never_panic(bit in 0usize..(8 * 60)) {
        let mut bytes = request().encoded().to_vec();
        prop_assume!(bit / 8 < bytes.len());
        bytes[bit / 8] ^= 1 << (bit % 8);
        if let Ok(decoded) = AuthenticatorRequest::decode(&bytes) {
            prop_assert_eq!(decoded.encoded(), &bytes[..]);
        }
    }

    #[test]
    fn authenticator_truncations_fail(cut in 0usize..2000) {
        let bytes = authenticator();
        prop_assume!(cut < bytes.len());
        prop_assert!(AuthenticatorMsg::decode(&bytes[..cut]).is_err());
    }

    #[test]
    fn authenticator_bit_flips_never_panic(bit in 0usize..(8 * 2000)) {
        let mut bytes = authenticator().to_vec();
        prop_assume!(bit / 8 < bytes.len());
        bytes[bit / 8] ^= 1 << (bit % 8);
        let _ = AuthenticatorMsg::decode(&bytes);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = AuthenticatorRequest::decode(&bytes);
        let _ = AuthenticatorMsg::decode(&bytes);
        let _ = read_frame(&mut bytes.as_slice(), 256);
    }
}

#[test]
fn trailing_bytes_are_refused() {
    let mut bytes = request().encoded().to_vec();
    bytes.push(0);
    assert!(AuthenticatorRequest::decode(&bytes).is_err());
    let mut bytes = authenticator().to_vec();
    bytes.push(0);
    assert!(AuthenticatorMsg::decode(&bytes).is_err());
}

#[test]
fn duplicate_extensions_and_missing_signature_algorithms_are_refused() {
    // ClientCertificateRequest, empty context, signature_algorithms twice.
    let dup = hex::decode(concat!(
        "11000013",
        "00",
        "0010",
        "000d000400020403",
        "000d000400020403"
    ))
    .unwrap();
    assert!(
        AuthenticatorRequest::decode(&dup)
            .unwrap_err()
            .to_string()
            .contains("twice")
    );
    // Only cmw_attestation.
    let none = hex::decode(concat!("11000007", "00", "0004", "ffca0000")).unwrap();
    assert!(
        AuthenticatorRequest::decode(&none)
            .unwrap_err()
            .to_string()
            .contains("signature_algorithms")
    );
    // cmw_attestation with data in a request.
    let data = hex::decode(concat!(
        "1100000f",
        "00",
        "000c",
        "000d000400020403",
        "ffca000100"
    ))
    .unwrap();
    assert!(AuthenticatorRequest::decode(&data).is_err());
}
