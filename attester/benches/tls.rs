//! Attested TLS on loopback (`cargo bench -p attester --bench tls`): a TLS 1.3 handshake
//! alone, the same handshake plus one attestation round with mock-snp, the mock's attest +
//! verify without TLS (what the round must not exceed by more than 10 %), and one
//! re-attestation round on an established connection (its inverse is the rounds per second),
//! with a P-256 and with an Ed25519 server identity.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use attester::backends::{self, BackendName};
use attester::tls::{ClientSession, FacadeVerifier, Server, connect};
use attester_core::{BinderHash, Binding};
use attester_tls::{EvidenceVerifier, Identity, Incoming, KeyAlgorithm};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::net::SocketAddr;
use std::thread;

/// A server thread with an `algorithm` identity that answers every connection's requests with
/// mock-snp until it closes.
fn spawn_server(algorithm: KeyAlgorithm) -> SocketAddr {
    let identity = Identity::generate(algorithm, "bench").unwrap();
    let server = Server::bind("127.0.0.1:0", &identity).unwrap();
    let addr = server.local_addr().unwrap();
    thread::spawn(move || {
        let mut attester = backends::open(BackendName::MockSnp).unwrap();
        loop {
            let Ok(mut session) = server.accept() else {
                continue;
            };
            // Requests are answered with evidence, application data is echoed back.
            loop {
                let served = match session.receive() {
                    Ok(Some(Incoming::Request(request))) => session
                        .answer(&request, attester.as_mut(), &identity)
                        .map(drop),
                    Ok(Some(Incoming::Data(data))) => session.send_data(&data),
                    _ => break,
                };
                if served.is_err() {
                    break;
                }
            }
        }
    });
    addr
}

fn verifier() -> FacadeVerifier {
    FacadeVerifier {
        allow_mock: true,
        ..FacadeVerifier::default()
    }
}

fn round(client: &mut ClientSession, verifier: &FacadeVerifier) {
    let attested = client.request_attestation(verifier).unwrap();
    assert!(attested.accepted);
    black_box(attested);
}

fn bench_tls(c: &mut Criterion) {
    let addr = spawn_server(KeyAlgorithm::EcdsaP256);
    let verifier = verifier();
    let mut group = c.benchmark_group("tls");

    group.bench_function("handshake", |b| {
        b.iter(|| connect(addr).unwrap().close().unwrap())
    });

    group.bench_function("handshake+round/mock-snp", |b| {
        b.iter(|| {
            let mut client = connect(addr).unwrap();
            round(&mut client, &verifier);
            client.close().unwrap()
        })
    });

    group.bench_function("attest+verify/mock-snp", |b| {
        let mut attester = backends::open(BackendName::MockSnp).unwrap();
        let identity = Identity::generate(KeyAlgorithm::EcdsaP256, "bench").unwrap();
        let binding = Binding::tls_exporter(&[7; 32], identity.spki(), BinderHash::Sha384).unwrap();
        b.iter(|| {
            let evidence = attester.attest_binding(&binding).unwrap();
            let verdict = verifier.verify(&evidence, &binding).unwrap();
            assert!(verdict.verified());
        })
    });

    group.bench_function("reattest round/mock-snp", |b| {
        let mut client = connect(addr).unwrap();
        b.iter(|| round(&mut client, &verifier));
        client.close().unwrap();
    });

    // What any request and answer over the attested stream costs on this machine, with no
    // cryptography beyond the record layer: the floor under a round's transport.
    group.bench_function("data echo, 1 KiB", |b| {
        let mut client = connect(addr).unwrap();
        round(&mut client, &verifier);
        let data = vec![0x5a; 1024];
        b.iter(|| {
            client.send_data(&data).unwrap();
            match client.receive().unwrap() {
                Some(Incoming::Data(echo)) => assert_eq!(echo.len(), data.len()),
                _ => panic!("no echo"),
            }
        });
        client.close().unwrap();
    });

    // The authenticator's own signature and its check are part of every round; Ed25519 makes
    // both cheaper than P-256.
    let ed25519 = spawn_server(KeyAlgorithm::Ed25519);
    group.bench_function("reattest round/mock-snp, Ed25519 identity", |b| {
        let mut client = connect(ed25519).unwrap();
        b.iter(|| round(&mut client, &verifier));
        client.close().unwrap();
    });
    group.finish();
}

criterion_group!(benches, bench_tls);
criterion_main!(benches);
