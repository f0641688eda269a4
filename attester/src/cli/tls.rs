//! `attester tls-server` and `attester tls-client`: attested TLS between two processes.

#![allow(clippy::print_stderr)]

use super::args::{TlsClientArgs, TlsServerArgs};
use super::files;
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use anyhow::{Context, Result, bail};
use attester::backends::{self, BackendName};
use attester::tls::{FacadeVerifier, Server, connect};
use attester_core::x509::TrustAnchors;
use attester_tls::{ErrorKind, Identity, Incoming, KeyAlgorithm};
use serde_json::{Value, json};
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

pub fn server(args: &TlsServerArgs) -> Result<u8> {
    let name: BackendName = args.platform.parse()?;
    let attester = backends::open(name)?;
    if name.is_mock() {
        eprintln!(
            "attester: warning: {name} evidence is signed with public test keys (NOT SECURE)"
        );
    }
    let identity = Identity::generate(KeyAlgorithm::EcdsaP256, "attester-tls-server")?;
    let server = Server::bind(args.listen.as_str(), &identity)
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    // Scripts read the bound address (the port, for :0) from this line.
    say!("listening on {}", server.local_addr()?);
    std::io::stdout().flush()?;
    // One attester for every connection: device requests are serialised in-process anyway.
    let attester = Arc::new(Mutex::new(attester));
    let server = Arc::new(server);
    loop {
        let sock = server.accept_tcp()?;
        let (server, attester, identity) = (server.clone(), attester.clone(), identity.clone());
        let worker = thread::spawn(move || {
            let outcome = server
                .handshake(sock)
                .map_err(anyhow::Error::from)
                .and_then(|session| serve_connection(session, &attester, &identity));
            report_connection(&outcome);
            outcome.is_ok()
        });
        if args.once {
            let ok = worker
                .join()
                .map_err(|_| anyhow::anyhow!("the connection's thread panicked"))?;
            return Ok(if ok { EXIT_OK } else { EXIT_FAILED });
        }
    }
}

fn report_connection(outcome: &Result<usize>) {
    match outcome {
        Ok(rounds) => eprintln!("attester: connection closed after {rounds} round(s)"),
        Err(e) => eprintln!("attester: connection failed: {e:#}"),
    }
}

type SharedAttester = Arc<Mutex<Box<dyn attester_core::Attester + Send>>>;

/// Answers one connection's requests until it closes.
fn serve_connection(
    mut session: attester::tls::ServerSession,
    attester: &SharedAttester,
    identity: &Identity,
) -> Result<usize> {
    let mut rounds = 0;
    loop {
        let request = match session.receive()? {
            Some(Incoming::Request(request)) => request,
            Some(Incoming::Data(_)) => bail!("application data; this server only attests"),
            None => break,
        };
        let mut guard = attester
            .lock()
            .map_err(|_| anyhow::anyhow!("the attester lock is poisoned"))?;
        let served = session.answer(&request, guard.as_mut(), identity)?;
        drop(guard);
        rounds += 1;
        eprintln!(
            "attester: round {rounds}: answered context {}",
            hex::encode(&served.context)
        );
    }
    Ok(rounds)
}

pub fn client(args: &TlsClientArgs) -> Result<u8> {
    let mut verifier = FacadeVerifier {
        anchors: TrustAnchors::new(),
        cca_keys: attester_cca::trust::PlatformKeys::new(),
        allow_mock: args.allow_mock,
        policy: files::policy(args.policy.as_deref(), args.allow_debug)?,
        tdx_collateral: Vec::new(),
        snp_arks: Vec::new(),
    };
    for path in &args.trust {
        files::add_trust(
            &mut verifier.anchors,
            &mut verifier.cca_keys,
            &mut verifier.snp_arks,
            path,
        )?;
    }
    let mut session = match connect(args.addr.as_str()) {
        Ok(session) => session,
        Err(e) => {
            eprintln!("attester: error: cannot connect to {}: {e}", args.addr);
            return Ok(EXIT_USAGE);
        }
    };
    let mut reports = Vec::new();
    let mut all_verified = true;
    for round in 1..=args.rounds {
        let started = Instant::now();
        let report = match session.request_attestation(&verifier) {
            Ok(attested) => {
                all_verified &= attested.accepted;
                let mut value = attested.verdict.to_json();
                if let Value::Object(map) = &mut value {
                    map.insert("context".into(), hex::encode(&attested.context).into());
                    map.insert(
                        "binder".into(),
                        attested.binding.challenge().to_hex().into(),
                    );
                }
                value
            }
            Err(e) => {
                all_verified = false;
                json!({
                    "verified": false,
                    "error": { "kind": e.kind().as_str(), "reason": e.to_string() },
                })
            }
        };
        let ms = started.elapsed().as_secs_f64() * 1e3;
        if !args.json {
            print_round(round, ms, &report);
        }
        let stop = report.get("error").is_some_and(is_fatal);
        reports.push(json!({ "round": round, "ms": ms, "result": report }));
        if stop {
            break;
        }
    }
    let _ = session.close();
    if args.json {
        say!("{}", json!({ "verified": all_verified, "rounds": reports }));
    }
    Ok(if all_verified { EXIT_OK } else { EXIT_FAILED })
}

/// After a transport or protocol failure the connection is unusable.
fn is_fatal(error: &Value) -> bool {
    let fatal = [
        ErrorKind::Io,
        ErrorKind::Connection,
        ErrorKind::Protocol,
        ErrorKind::TooLarge,
    ];
    error
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| fatal.iter().any(|f| f.as_str() == k))
}

fn print_round(round: u32, ms: f64, report: &Value) {
    let verified = report.get("verified").and_then(Value::as_bool) == Some(true);
    let platform = report
        .get("platform")
        .and_then(Value::as_str)
        .unwrap_or("-");
    if verified {
        say!("round {round}: verified {platform} evidence in {ms:.1} ms");
    } else {
        let reason = report
            .get("failed")
            .or_else(|| report.get("error"))
            .map(Value::to_string)
            .unwrap_or_default();
        say!("round {round}: FAILED in {ms:.1} ms");
        eprintln!("attester: round {round} failed: {reason}");
    }
}
