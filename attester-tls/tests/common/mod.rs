//! Loopback TLS pairs and a mock-evidence verifier shared by the attester-tls tests.
#![allow(dead_code)]

use attester_core::x509::{Certificate, TrustAnchors};
use attester_core::{Binding, Evidence};
use attester_mock::pki::default_root_certificate_der;
use attester_mock::verify::{MockAppraisal, MockPolicy};
use attester_tls::config::{attested_client_config, server_config};
use attester_tls::{EvidenceVerifier, Identity, KeyAlgorithm, Session, SessionConfig};
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, ServerConfig, ServerConnection, StreamOwned};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use time::OffsetDateTime;

pub type ClientStream = StreamOwned<ClientConnection, TcpStream>;
pub type ServerStream = StreamOwned<ServerConnection, TcpStream>;

/// A completed TLS 1.3 handshake on loopback with the given configurations.
pub fn streams(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
) -> (ClientStream, ServerStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accept = thread::spawn(move || {
        let (mut sock, _) = listener.accept().unwrap();
        let mut conn = ServerConnection::new(server).unwrap();
        while conn.is_handshaking() {
            conn.complete_io(&mut sock).unwrap();
        }
        StreamOwned::new(conn, sock)
    });
    let mut sock = TcpStream::connect(addr).unwrap();
    let name = ServerName::try_from("localhost").unwrap();
    let mut conn = ClientConnection::new(client, name).unwrap();
    while conn.is_handshaking() {
        conn.complete_io(&mut sock).unwrap();
    }
    let server = accept.join().unwrap();
    (StreamOwned::new(conn, sock), server)
}

/// Sessions on both ends of a fresh connection whose server presents `identity`.
pub fn sessions(identity: &Identity) -> (Session<ClientStream>, Session<ServerStream>) {
    let (c, s) = streams(
        attested_client_config().unwrap(),
        server_config(identity).unwrap(),
    );
    (
        Session::new(c, SessionConfig::default()).unwrap(),
        Session::new(s, SessionConfig::default()).unwrap(),
    )
}

pub fn identity() -> Identity {
    Identity::generate(KeyAlgorithm::EcdsaP256, "localhost").unwrap()
}

/// Verifies mock EAT evidence against the mock root (tests only).
pub struct MockVerifier;

impl EvidenceVerifier for MockVerifier {
    type Verdict = MockAppraisal;

    fn verify(
        &self,
        evidence: &Evidence,
        expected: &Binding,
    ) -> attester_core::Result<MockAppraisal> {
        let root = Certificate::from_der(default_root_certificate_der()?)?;
        let anchors = TrustAnchors::from_certificates([&root]);
        attester_mock::verify::verify(
            evidence,
            expected.challenge(),
            &anchors,
            OffsetDateTime::now_utc(),
            &MockPolicy::default(),
        )
    }

    fn accepts(&self, _verdict: &MockAppraisal) -> bool {
        true
    }
}

pub fn mock_attester() -> attester_mock::MockAttester {
    attester_mock::MockAttester::new(
        attester_mock::pki::MockPki::from_seed(attester_mock::pki::DEFAULT_SEED).unwrap(),
    )
}
