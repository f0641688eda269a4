//! End to end on loopback: attest, verify, re-attest, mutual attestation, every key type and
//! both suite hashes, and the connection rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use attester_core::{BinderHash, BindingMode};
use attester_tls::config::{attested_client_config, server_config};
use attester_tls::{ErrorKind, Identity, KeyAlgorithm, Session, SessionConfig};
use common::*;
use std::sync::Arc;
use std::thread;

#[test]
fn attest_verify_reattest_and_mutual() {
    let server_id = identity();
    let (mut client, mut server) = sessions(&server_id);
    let server_thread = thread::spawn(move || {
        let mut attester = mock_attester();
        let first = server
            .attest_on_request(&mut attester, &server_id)
            .unwrap()
            .unwrap();
        let second = server
            .attest_on_request(&mut attester, &server_id)
            .unwrap()
            .unwrap();
        // Mutual: the server now asks the client.
        let from_client = server.request_attestation(&MockVerifier).unwrap();
        assert!(
            server
                .attest_on_request(&mut attester, &server_id)
                .unwrap()
                .is_none()
        );
        (first, second, from_client)
    });

    let one = client.request_attestation(&MockVerifier).unwrap();
    let two = client.request_attestation(&MockVerifier).unwrap();
    assert!(one.accepted && two.accepted);
    assert_eq!(one.same_key_as_handshake, Some(true));
    assert_ne!(one.context, two.context, "each round has a fresh context");
    assert_ne!(
        one.binding.challenge(),
        two.binding.challenge(),
        "and a fresh binder"
    );
    assert_eq!(
        one.binding.challenge().len(),
        client.hash().output_len(),
        "the binder has the suite hash's length"
    );

    let client_id = Identity::generate(KeyAlgorithm::EcdsaP384, "client").unwrap();
    let served = client
        .attest_on_request(&mut mock_attester(), &client_id)
        .unwrap()
        .unwrap();
    client.close().unwrap();

    let (first, second, from_client) = server_thread.join().unwrap();
    assert_eq!(first.context, one.context);
    assert_eq!(second.binding.as_ref(), Some(&two.binding));
    assert_eq!(from_client.context, served.context);
    assert_eq!(
        from_client.same_key_as_handshake, None,
        "the client had no handshake certificate"
    );
    assert!(from_client.accepted);
}

fn round_with(
    server_id: Identity,
    client_config: Arc<rustls::ClientConfig>,
) -> attester_tls::Attested<attester_mock::verify::MockAppraisal> {
    let (c, s) = streams(client_config, server_config(&server_id).unwrap());
    let mut client = Session::new(c, SessionConfig::default()).unwrap();
    let mut server = Session::new(s, SessionConfig::default()).unwrap();
    let t = thread::spawn(move || {
        server
            .attest_on_request(&mut mock_attester(), &server_id)
            .unwrap()
            .unwrap()
    });
    let attested = client.request_attestation(&MockVerifier).unwrap();
    t.join().unwrap();
    attested
}

#[test]
fn every_signature_scheme_authenticates() {
    for (alg, scheme) in [
        (
            KeyAlgorithm::EcdsaP256,
            rustls::SignatureScheme::ECDSA_NISTP256_SHA256,
        ),
        (
            KeyAlgorithm::EcdsaP384,
            rustls::SignatureScheme::ECDSA_NISTP384_SHA384,
        ),
        (KeyAlgorithm::Ed25519, rustls::SignatureScheme::ED25519),
        // rustls's RSA key prefers the strongest PSS hash offered.
        (
            KeyAlgorithm::Rsa2048,
            rustls::SignatureScheme::RSA_PSS_SHA512,
        ),
    ] {
        let id = Identity::generate(alg, "localhost").unwrap();
        let attested = round_with(id, attested_client_config().unwrap());
        assert_eq!(attested.scheme, scheme, "{alg:?}");
        assert!(attested.accepted);
    }
}

#[test]
fn sha384_suite_gives_a_48_byte_binder() {
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    provider.cipher_suites =
        vec![rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_256_GCM_SHA384];
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(accept_any())
        .with_no_client_auth();
    let attested = round_with(identity(), Arc::new(config));
    assert_eq!(attested.binding.challenge().len(), 48);
    assert_eq!(
        attested.binding.mode(),
        &BindingMode::TlsExporter {
            hash: BinderHash::Sha384,
            label: "Attestation".into()
        }
    );
}

fn accept_any() -> Arc<dyn rustls::client::danger::ServerCertVerifier> {
    Arc::new(attester_tls::config::AttestedServerCert::new())
}

#[test]
fn application_data_waits_for_attestation() {
    let id = identity();
    let (mut client, mut server) = sessions(&id);
    let err = client.send_data(b"too early").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection);
    let t = thread::spawn(move || {
        server
            .attest_on_request(&mut mock_attester(), &id)
            .unwrap()
            .unwrap();
        server.send_data(b"hello").unwrap();
        server
    });
    client.request_attestation(&MockVerifier).unwrap();
    assert_eq!(
        client.receive().unwrap(),
        Some(attester_tls::Incoming::Data(b"hello".to_vec()))
    );
    client.send_data(b"hi").unwrap();
    let mut server = t.join().unwrap();
    assert_eq!(
        server.receive().unwrap(),
        Some(attester_tls::Incoming::Data(b"hi".to_vec()))
    );
}

#[test]
fn our_server_sends_no_tickets_so_a_second_connection_is_full() {
    let id = identity();
    // A client that would resume if it could.
    let mut client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS13])
    .unwrap()
    .dangerous()
    .with_custom_certificate_verifier(accept_any())
    .with_no_client_auth();
    client.resumption = rustls::client::Resumption::in_memory_sessions(8);
    let client = Arc::new(client);
    let server = server_config(&id).unwrap();
    for _ in 0..2 {
        let (c, _s) = streams(client.clone(), server.clone());
        assert_eq!(c.conn.handshake_kind(), Some(rustls::HandshakeKind::Full));
        Session::new(c, SessionConfig::default()).unwrap();
    }
}
