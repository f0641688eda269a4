//! RFC 9261 encodings against values computed independently here: the exporter labels written
//! out, the handshake-message bytes spelled in hex, and the transcript hashes and HMACs
//! recomputed with the `sha2` and `hmac` crates (the library uses rustls's suite providers).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use attester_tls::authenticator::{authenticate, refuse, signed_content, validate};
use attester_tls::keys::{AuthenticatorHash, AuthenticatorKeys, Exporter};
use attester_tls::messages::{AuthenticatorMsg, AuthenticatorRequest, RequestKind};
use attester_tls::{Error, Identity, KeyAlgorithm};
use hmac::{Hmac, KeyInit, Mac};
use rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256;
use rustls::{Side, SignatureScheme};
use sha2::{Digest, Sha256};

/// A stand-in exporter: SHA-256(label || 0x00 || context), so every label matters.
struct FixedExporter;

impl Exporter for FixedExporter {
    fn export(&self, label: &[u8], context: &[u8], out: &mut [u8]) -> Result<(), Error> {
        let digest = exported(label, context);
        out.copy_from_slice(&digest[..out.len()]);
        Ok(())
    }
}

fn exported(label: &[u8], context: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(label);
    h.update([0]);
    h.update(context);
    h.finalize().into()
}

fn sha256(parts: &[&[u8]]) -> Vec<u8> {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().to_vec()
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

fn context() -> Vec<u8> {
    (0u8..32).collect()
}

fn hash() -> AuthenticatorHash {
    AuthenticatorHash::of_suite(TLS13_AES_128_GCM_SHA256).unwrap()
}

/// The server's keys, exported with the labels of RFC 9261 §5.1 spelled out here.
fn server_keys_by_hand() -> (Vec<u8>, Vec<u8>) {
    (
        exported(b"EXPORTER-server authenticator handshake context", b"").to_vec(),
        exported(b"EXPORTER-server authenticator finished key", b"").to_vec(),
    )
}

#[test]
fn keys_use_the_rfc_labels_by_sender_role() {
    let server = AuthenticatorKeys::derive(&FixedExporter, &hash(), Side::Server).unwrap();
    let (hc, fk) = server_keys_by_hand();
    assert_eq!(server.handshake_context, hc);
    assert_eq!(server.finished_key, fk);
    let client = AuthenticatorKeys::derive(&FixedExporter, &hash(), Side::Client).unwrap();
    assert_eq!(
        client.handshake_context,
        exported(b"EXPORTER-client authenticator handshake context", b"")
    );
    assert_eq!(
        client.finished_key,
        exported(b"EXPORTER-client authenticator finished key", b"")
    );
}

#[test]
fn client_certificate_request_encoding() {
    let request = AuthenticatorRequest::new(
        RequestKind::ClientCertificateRequest,
        &context(),
        &[
            SignatureScheme::ECDSA_NISTP256_SHA256,
            SignatureScheme::ED25519,
        ],
        true,
    )
    .unwrap();
    // type 17, length 0x31; context<32>; extensions<14>: signature_algorithms (13) with two
    // schemes, cmw_attestation (0xffca) empty.
    let expected = hex::decode(concat!(
        "11000031",
        "20000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "000e",
        "000d000600040403",
        "0807",
        "ffca0000",
    ))
    .unwrap();
    assert_eq!(request.encoded(), expected);
    assert_eq!(AuthenticatorRequest::decode(&expected).unwrap(), request);

    let server_request = AuthenticatorRequest::new(
        RequestKind::CertificateRequest,
        &[],
        &[SignatureScheme::RSA_PSS_SHA256],
        false,
    )
    .unwrap();
    // type 13, length 11; empty context; extensions<8>: signature_algorithms with one scheme.
    assert_eq!(
        server_request.encoded(),
        hex::decode(concat!("0d00000b", "00", "0008", "000d0004", "00020804")).unwrap()
    );
}

#[test]
fn empty_authenticator_is_a_finished_over_an_empty_certificate() {
    let request = AuthenticatorRequest::new(
        RequestKind::ClientCertificateRequest,
        &context(),
        &[SignatureScheme::ECDSA_NISTP256_SHA256],
        true,
    )
    .unwrap();
    let keys = AuthenticatorKeys::derive(&FixedExporter, &hash(), Side::Server).unwrap();
    let bytes = refuse(&keys, &hash(), &request).unwrap();

    let (hc, fk) = server_keys_by_hand();
    // Certificate: type 11, length 36, context<32>, certificate_list<0>.
    let empty_certificate = [hex::decode("0b00002420").unwrap(), context(), vec![0, 0, 0]].concat();
    let mac = hmac_sha256(&fk, &sha256(&[&hc, request.encoded(), &empty_certificate]));
    let expected = [hex::decode("14000020").unwrap(), mac].concat();
    assert_eq!(bytes, expected);
    assert!(matches!(
        validate(&keys, &hash(), &request, &bytes, &algorithms()),
        Err(Error::Refused)
    ));
}

fn algorithms() -> rustls::crypto::WebPkiSupportedAlgorithms {
    rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms
}

#[test]
fn authenticator_transcript_signature_and_finished() {
    let identity = Identity::generate(KeyAlgorithm::EcdsaP256, "kat").unwrap();
    let request = AuthenticatorRequest::new(
        RequestKind::ClientCertificateRequest,
        &context(),
        &[SignatureScheme::ECDSA_NISTP256_SHA256],
        true,
    )
    .unwrap();
    let keys = AuthenticatorKeys::derive(&FixedExporter, &hash(), Side::Server).unwrap();
    let cmw = b"\x81\x82cmw".as_slice();
    let bytes = authenticate(&keys, &hash(), &request, &identity, Some(cmw)).unwrap();

    let AuthenticatorMsg::Full {
        certificate_bytes,
        verify_bytes,
        signature,
        finished,
        ..
    } = AuthenticatorMsg::decode(&bytes).unwrap()
    else {
        panic!("not a full authenticator")
    };
    // The Certificate message, written out: context, one entry with the cmw_attestation
    // extension (type 0xffca, data = uint16 length || cmw).
    let cert = identity.chain()[0].as_ref();
    let entry_len = 3 + cert.len() + 2 + 4 + 2 + cmw.len();
    let body_len = 1 + 32 + 3 + entry_len;
    let mut expected_certificate = vec![11];
    expected_certificate.extend_from_slice(&(body_len as u32).to_be_bytes()[1..]);
    expected_certificate.push(32);
    expected_certificate.extend_from_slice(&context());
    expected_certificate.extend_from_slice(&(entry_len as u32).to_be_bytes()[1..]);
    expected_certificate.extend_from_slice(&(cert.len() as u32).to_be_bytes()[1..]);
    expected_certificate.extend_from_slice(cert);
    expected_certificate.extend_from_slice(&((4 + 2 + cmw.len()) as u16).to_be_bytes());
    expected_certificate.extend_from_slice(&[0xff, 0xca]);
    expected_certificate.extend_from_slice(&((2 + cmw.len()) as u16).to_be_bytes());
    expected_certificate.extend_from_slice(&(cmw.len() as u16).to_be_bytes());
    expected_certificate.extend_from_slice(cmw);
    assert_eq!(certificate_bytes, expected_certificate);

    // CertificateVerify signs 64 spaces, the context string, a zero, and the transcript hash.
    let (hc, fk) = server_keys_by_hand();
    let transcript = sha256(&[&hc, request.encoded(), certificate_bytes]);
    let content = [
        vec![0x20; 64],
        b"Exported Authenticator".to_vec(),
        vec![0],
        transcript.clone(),
    ]
    .concat();
    assert_eq!(signed_content(&transcript), content);
    assert_eq!(
        &verify_bytes[..6],
        &[15, 0, 0, (verify_bytes.len() - 4) as u8, 0x04, 0x03]
    );
    let der = rustls::pki_types::CertificateDer::from(cert);
    webpki::EndEntityCert::try_from(&der)
        .unwrap()
        .verify_signature(
            rustls::crypto::aws_lc_rs::default_provider()
                .signature_verification_algorithms
                .mapping
                .iter()
                .find(|(s, _)| *s == SignatureScheme::ECDSA_NISTP256_SHA256)
                .unwrap()
                .1[0],
            &content,
            signature,
        )
        .unwrap();

    // Finished = HMAC(finished key, Hash(HC || request || Certificate || CertificateVerify)).
    let mac = hmac_sha256(
        &fk,
        &sha256(&[&hc, request.encoded(), certificate_bytes, verify_bytes]),
    );
    assert_eq!(finished, mac.as_slice());

    let validated = validate(&keys, &hash(), &request, &bytes, &algorithms()).unwrap();
    assert_eq!(validated.cmw.as_deref(), Some(cmw));
    // The client's keys do not validate a server's authenticator.
    let client_keys = AuthenticatorKeys::derive(&FixedExporter, &hash(), Side::Client).unwrap();
    assert!(validate(&client_keys, &hash(), &request, &bytes, &algorithms()).is_err());
}
