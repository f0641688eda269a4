//! `attester demo`: an attested TLS exchange on loopback, step by step.
//!
//! A server and a client in one process: the server makes a self-signed certificate, the two
//! complete a TLS 1.3 handshake, the client asks for attestation twice (each round with a fresh
//! context and binder), checks that replaying the first round's evidence against the second
//! binder is refused and that mock evidence is refused without `--allow-mock`, then the server
//! asks the client (mutual attestation). Every verdict comes from the production verifier.

use crate::backends::{self, BackendName};
use crate::tls::{FacadeVerifier, Server, connect};
use crate::verify::{Verdict, verify};
use attester_core::{Check, Error, Result};
use attester_tls::{Attested, Identity, KeyAlgorithm};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// One step of the demo, as printed.
#[derive(Clone, Debug)]
pub struct Step {
    /// What was done.
    pub name: &'static str,
    /// Time taken by the step.
    pub elapsed: Duration,
    /// What came out.
    pub detail: String,
}

/// The demo's outcome: the client's verdicts on the server, and the server's on the client.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The client's verdicts, one per round.
    pub rounds: Vec<Verdict>,
    /// The server's verdict on the client.
    pub mutual: Verdict,
}

impl Outcome {
    /// Whether every verdict verified.
    pub fn verified(&self) -> bool {
        self.rounds.iter().all(Verdict::verified) && self.mutual.verified()
    }
}

/// Runs the demo with `platform` on both sides, handing each step to `report` as it
/// completes.
pub fn run(platform: BackendName, mut report: impl FnMut(&Step)) -> Result<Outcome> {
    let verifier = FacadeVerifier {
        allow_mock: platform.is_mock(),
        ..FacadeVerifier::default()
    };
    let mut step = |name: &'static str, started: Instant, detail: String| {
        report(&Step {
            name,
            elapsed: started.elapsed(),
            detail,
        })
    };

    let t = Instant::now();
    let server_id = Identity::generate(KeyAlgorithm::EcdsaP256, "attester-demo").map_err(tls)?;
    let server = Server::bind("127.0.0.1:0", &server_id).map_err(tls)?;
    let addr = server.local_addr().map_err(tls)?;
    step(
        "server",
        t,
        format!("self-signed ECDSA P-256 certificate, listening on {addr}"),
    );

    let (mutual_tx, mutual_rx) = mpsc::channel();
    let server_verifier = verifier.clone();
    let server_thread =
        thread::spawn(move || serve(&server, platform, &server_id, &server_verifier, &mutual_tx));

    let t = Instant::now();
    let mut client = connect(addr).map_err(tls)?;
    let suite = client
        .channel()
        .conn
        .negotiated_cipher_suite()
        .map(|s| format!("{:?}", s.suite()))
        .unwrap_or_default();
    step(
        "handshake",
        t,
        format!("TLS 1.3, {suite}, full handshake, no tickets"),
    );

    let mut rounds = Vec::new();
    for name in ["round 1", "round 2"] {
        let t = Instant::now();
        let attested = client.request_attestation(&verifier).map_err(tls)?;
        step(name, t, describe_round(&attested));
        rounds.push(attested);
    }

    if let [first, second] = rounds.as_slice() {
        let t = Instant::now();
        let replay = verify(&first.evidence, &verifier.options(second.binding.clone()))?;
        step(
            "replay",
            t,
            expect_refusal(
                &replay,
                "round 1's evidence against round 2's binder",
                Check::Binding,
            )?,
        );
        if platform.is_mock() {
            let t = Instant::now();
            let strict = FacadeVerifier::default();
            let untrusted = verify(&second.evidence, &strict.options(second.binding.clone()))?;
            step(
                "no --allow-mock",
                t,
                expect_refusal(&untrusted, "mock roots not trusted", Check::Trust)?,
            );
        }
    }

    let t = Instant::now();
    let client_id =
        Identity::generate(KeyAlgorithm::EcdsaP384, "attester-demo-client").map_err(tls)?;
    let mut attester = backends::open(platform)?;
    client
        .attest_on_request(attester.as_mut(), &client_id)
        .map_err(tls)?
        .ok_or_else(|| Error::malformed("demo", "the server closed before asking the client"))?;
    let mutual = mutual_rx
        .recv()
        .map_err(|_| Error::malformed("demo", "the server stopped"))??;
    step(
        "mutual",
        t,
        format!("server on the client: {}", describe(&mutual)),
    );
    client.close().map_err(tls)?;
    server_thread
        .join()
        .map_err(|_| Error::malformed("demo", "the server thread panicked"))??;

    Ok(Outcome {
        rounds: rounds.into_iter().map(|r| r.verdict).collect(),
        mutual,
    })
}

/// The server side: answer two rounds, ask the client once, then answer until it closes.
fn serve(
    server: &Server,
    platform: BackendName,
    identity: &Identity,
    verifier: &FacadeVerifier,
    mutual: &mpsc::Sender<Result<Verdict>>,
) -> Result<()> {
    let mut session = server.accept().map_err(tls)?;
    let mut attester = backends::open(platform)?;
    for _ in 0..2 {
        session
            .attest_on_request(attester.as_mut(), identity)
            .map_err(tls)?;
    }
    let verdict = session
        .request_attestation(verifier)
        .map(|a| a.verdict)
        .map_err(tls);
    // The client may have gone; its side reports that.
    let _ = mutual.send(verdict);
    while session
        .attest_on_request(attester.as_mut(), identity)
        .map_err(tls)?
        .is_some()
    {}
    Ok(())
}

fn tls(e: attester_tls::Error) -> Error {
    Error::malformed("attested TLS", e.to_string())
}

fn describe_round(attested: &Attested<Verdict>) -> String {
    format!(
        "context {}…, binder {}…, {} evidence, {:?}: {}",
        hex_prefix(&attested.context),
        hex_prefix(attested.binding.challenge().as_ref()),
        attested.verdict.platform,
        attested.scheme,
        describe(&attested.verdict)
    )
}

fn hex_prefix(bytes: &[u8]) -> String {
    hex::encode(bytes.get(..6).unwrap_or(bytes))
}

fn describe(verdict: &Verdict) -> String {
    match &verdict.failed {
        None => {
            let passed: Vec<String> = verdict.passed.iter().map(ToString::to_string).collect();
            format!("verified ({})", passed.join(", "))
        }
        Some(failed) => format!("FAILED: {failed}"),
    }
}

/// The demo checks its own refusals: a refusal for the wrong reason is as bad as none.
fn expect_refusal(verdict: &Verdict, what: &str, expected: Check) -> Result<String> {
    match &verdict.failed {
        Some(failed) if failed.check == expected => {
            Ok(format!("{what}: refused as expected ({failed})"))
        }
        Some(failed) => Err(Error::check(
            expected,
            format!("{what}: refused by the wrong check ({failed})"),
        )),
        None => Err(Error::check(
            expected,
            format!("{what}: verified, which must never happen"),
        )),
    }
}
