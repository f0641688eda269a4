//! Attested TLS through the facade, end to end on loopback for every mock platform: attest,
//! verify with the production verifier, re-attest, mutual attestation; the demo and the
//! two-process CLI.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use attester::backends::{self, BackendName};
use attester::tls::{FacadeVerifier, Server, connect};
use attester_tls::{Identity, KeyAlgorithm};
use common::{attester, stderr, stdout};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::thread;

fn mock_platforms() -> Vec<BackendName> {
    BackendName::ALL
        .into_iter()
        .filter(|b| b.is_mock() && b.compiled_in())
        .collect()
}

#[test]
fn every_mock_platform_attests_reattests_and_mutually() {
    for platform in mock_platforms() {
        let server_id = Identity::generate(KeyAlgorithm::EcdsaP256, "server").unwrap();
        let server = Server::bind("127.0.0.1:0", &server_id).unwrap();
        let addr = server.local_addr().unwrap();
        let verifier = FacadeVerifier {
            allow_mock: true,
            ..FacadeVerifier::default()
        };
        let server_verifier = verifier.clone();
        let t = thread::spawn(move || {
            let mut session = server.accept().unwrap();
            let mut attester = backends::open(platform).unwrap();
            session
                .attest_on_request(attester.as_mut(), &server_id)
                .unwrap()
                .unwrap();
            session
                .attest_on_request(attester.as_mut(), &server_id)
                .unwrap()
                .unwrap();
            let mutual = session.request_attestation(&server_verifier).unwrap();
            assert!(
                session
                    .attest_on_request(attester.as_mut(), &server_id)
                    .unwrap()
                    .is_none()
            );
            mutual
        });
        let mut client = connect(addr).unwrap();
        let one = client.request_attestation(&verifier).unwrap();
        let two = client.request_attestation(&verifier).unwrap();
        assert!(one.accepted, "{platform}: {:?}", one.verdict.failed);
        assert!(two.accepted, "{platform}: {:?}", two.verdict.failed);
        assert_eq!(one.verdict.platform, platform.platform().unwrap());
        assert_ne!(
            one.binding, two.binding,
            "{platform}: fresh binder per round"
        );
        let client_id = Identity::generate(KeyAlgorithm::Ed25519, "client").unwrap();
        let mut attester = backends::open(platform).unwrap();
        client
            .attest_on_request(attester.as_mut(), &client_id)
            .unwrap()
            .unwrap();
        client.close().unwrap();
        let mutual = t.join().unwrap();
        assert!(
            mutual.accepted,
            "{platform} mutual: {:?}",
            mutual.verdict.failed
        );
    }
}

#[test]
fn mock_evidence_is_refused_without_allow_mock() {
    let server_id = Identity::generate(KeyAlgorithm::EcdsaP256, "server").unwrap();
    let server = Server::bind("127.0.0.1:0", &server_id).unwrap();
    let addr = server.local_addr().unwrap();
    let t = thread::spawn(move || {
        let mut session = server.accept().unwrap();
        let mut attester = backends::open(BackendName::MockSnp).unwrap();
        session
            .attest_on_request(attester.as_mut(), &server_id)
            .unwrap();
    });
    let mut client = connect(addr).unwrap();
    let attested = client
        .request_attestation(&FacadeVerifier::default())
        .unwrap();
    assert!(!attested.accepted);
    assert_eq!(
        attested.verdict.failed.unwrap().check,
        attester_core::Check::Trust
    );
    t.join().unwrap();
}

#[test]
fn demo_shows_the_attested_exchange() {
    let out = attester(&["demo"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for step in [
        "server",
        "handshake",
        "round 1",
        "round 2",
        "replay",
        "no --allow-mock",
        "mutual",
    ] {
        assert!(text.contains(step), "step {step} printed: {text}");
    }
    assert!(text.contains("verdict: VERIFIED"), "{text}");
    assert!(text.contains("refused as expected (binding"), "{text}");
    assert!(text.contains("refused as expected (trust"), "{text}");
    let out = attester(&["demo", "--platform", "mock"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Starts `attester tls-server --once` on a free port; returns the child and its address.
fn tls_server(platform: &str) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_attester"))
        .args([
            "tls-server",
            "--listen",
            "127.0.0.1:0",
            "--platform",
            platform,
            "--once",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    (child, addr)
}

#[test]
fn two_processes_verify_every_round() {
    let (mut server, addr) = tls_server("mock-cca");
    let out = attester(&[
        "tls-client",
        &addr,
        "--allow-mock",
        "--rounds",
        "3",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verified"], true);
    let rounds = report["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 3);
    let binders: std::collections::HashSet<&str> = rounds
        .iter()
        .map(|r| r["result"]["binder"].as_str().unwrap())
        .collect();
    assert_eq!(binders.len(), 3, "every round has its own binder");
    assert!(server.wait().unwrap().success());
}

#[test]
fn two_processes_fail_without_trust() {
    let (mut server, addr) = tls_server("mock-snp");
    let out = attester(&["tls-client", &addr, "--rounds", "2"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("round 1: FAILED"), "{}", stdout(&out));
    assert!(stderr(&out).contains("trust"), "{}", stderr(&out));
    assert!(server.wait().unwrap().success());
}

#[test]
fn tls_client_to_nothing_is_a_usage_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    drop(listener);
    let out = attester(&["tls-client", &addr]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
