//! Attacks on the attested exchange fail, each for its own reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use attester_core::Attester;
use attester_core::cmw::Encoding;
use attester_tls::authenticator::authenticate;
use attester_tls::expat::{EXPORTER_LABEL, binding};
use attester_tls::frame::{DEFAULT_MAX_FRAME, FrameKind, read_frame, write_frame};
use attester_tls::keys::AuthenticatorKeys;
use attester_tls::messages::{AuthenticatorRequest, RequestKind};
use attester_tls::{Error, ErrorKind, Identity, Incoming, Session, SessionConfig, TlsChannel};
use common::*;
use rustls::Side;
use std::sync::Arc;
use std::thread;

/// Reads the peer's next request as the server.
fn next_request(server: &mut Session<ServerStream>) -> AuthenticatorRequest {
    match server.receive().unwrap() {
        Some(Incoming::Request(bytes)) => AuthenticatorRequest::decode(&bytes).unwrap(),
        other => panic!("expected a request, got {other:?}"),
    }
}

fn read_authenticator<C: TlsChannel>(session: &mut Session<C>) -> Vec<u8> {
    let (kind, body) = read_frame(session.channel_mut(), DEFAULT_MAX_FRAME)
        .unwrap()
        .unwrap();
    assert_eq!(kind, FrameKind::Authenticator);
    body
}

fn send_authenticator<C: TlsChannel>(session: &mut Session<C>, bytes: &[u8]) {
    write_frame(
        session.channel_mut(),
        FrameKind::Authenticator,
        bytes,
        DEFAULT_MAX_FRAME,
    )
    .unwrap();
}

/// The server's authenticator keys, derived as the session does.
fn server_keys(server: &Session<ServerStream>) -> AuthenticatorKeys {
    AuthenticatorKeys::derive(server.channel(), server.hash(), Side::Server).unwrap()
}

#[test]
fn a_relayed_authenticator_fails_its_signature() {
    // client <-> relay (its own TLS server) and relay <-> genuine server.
    let genuine_id = identity();
    let relay_id = identity();
    let (mut client, mut relay_front) = sessions(&relay_id);
    let (mut relay_back, mut server) = sessions(&genuine_id);
    let genuine = thread::spawn(move || {
        server
            .attest_on_request(&mut mock_attester(), &genuine_id)
            .unwrap()
            .unwrap();
    });
    let relay = thread::spawn(move || {
        let Some(Incoming::Request(request)) = relay_front.receive().unwrap() else {
            panic!()
        };
        write_frame(
            relay_back.channel_mut(),
            FrameKind::Request,
            &request,
            DEFAULT_MAX_FRAME,
        )
        .unwrap();
        let answer = read_authenticator(&mut relay_back);
        send_authenticator(&mut relay_front, &answer);
    });
    let err = client.request_attestation(&MockVerifier).unwrap_err();
    assert!(matches!(err, Error::Signature), "{err}");
    genuine.join().unwrap();
    relay.join().unwrap();
}

#[test]
fn an_answer_to_a_context_never_requested_is_refused() {
    let id = identity();
    let (mut client, mut server) = sessions(&id);
    let first = client.send_request(true).unwrap();
    let second = client.send_request(true).unwrap();
    let t = thread::spawn(move || {
        let mut attester = mock_attester();
        server.attest_on_request(&mut attester, &id).unwrap();
        server.attest_on_request(&mut attester, &id).unwrap();
    });
    let answer_to_first = read_authenticator(&mut client);
    let _answer_to_second = read_authenticator(&mut client);
    t.join().unwrap();
    // The first answer checked against the second request: another context.
    let err = client
        .appraise(&second, &answer_to_first, &MockVerifier)
        .unwrap_err();
    assert!(matches!(err, Error::UnknownContext), "{err}");
    // A request this client never sent.
    let forged = AuthenticatorRequest::new(
        RequestKind::ClientCertificateRequest,
        &[7; 32],
        &SessionConfig::default().schemes,
        true,
    )
    .unwrap();
    let err = client
        .appraise(&forged, &answer_to_first, &MockVerifier)
        .unwrap_err();
    assert!(matches!(err, Error::UnknownContext), "{err}");
    // And the first context is spent once answered.
    let err = client.appraise(&first, &answer_to_first, &MockVerifier);
    assert!(err.is_ok(), "the first answer validates once");
    let err = client
        .appraise(&first, &answer_to_first, &MockVerifier)
        .unwrap_err();
    assert!(matches!(err, Error::UnknownContext), "{err}");
}

/// The server answers with `forge(request, server)`; returns the client's error.
/// The server authenticates with its handshake identity, so only the forged part can fail.
fn client_error_for(
    forge: impl FnOnce(&AuthenticatorRequest, &mut Session<ServerStream>, &Identity) -> Vec<u8>
    + Send
    + 'static,
) -> Error {
    let id = identity();
    let (mut client, mut server) = sessions(&id);
    let t = thread::spawn(move || {
        let request = next_request(&mut server);
        let bytes = forge(&request, &mut server, &id);
        send_authenticator(&mut server, &bytes);
    });
    let err = client.request_attestation(&MockVerifier).unwrap_err();
    t.join().unwrap();
    err
}

#[test]
fn evidence_bound_to_another_key_is_refused() {
    let err = client_error_for(|request, server, signer| {
        let other = identity();
        let b = binding(
            server.channel(),
            server.hash(),
            EXPORTER_LABEL,
            request.context(),
            other.spki(),
        )
        .unwrap();
        let cmw = mock_attester()
            .attest_binding(&b)
            .unwrap()
            .to_cmw(Encoding::Cbor);
        // Authenticated with `signer`, evidence for `other`'s key.
        let keys = server_keys(server);
        authenticate(&keys, server.hash(), request, signer, Some(&cmw)).unwrap()
    });
    assert_eq!(err.kind(), ErrorKind::Binding, "{err}");
    assert!(err.to_string().contains("binder"), "{err}");
}

#[test]
fn evidence_with_another_connections_binder_is_refused() {
    let err = client_error_for(|request, server, id| {
        let (_c2, s2) = sessions(&identity());
        // The binder of another connection (same context, same key).
        let b = binding(
            s2.channel(),
            s2.hash(),
            EXPORTER_LABEL,
            request.context(),
            id.spki(),
        )
        .unwrap();
        let cmw = mock_attester()
            .attest_binding(&b)
            .unwrap()
            .to_cmw(Encoding::Cbor);
        authenticate(&server_keys(server), server.hash(), request, id, Some(&cmw)).unwrap()
    });
    assert_eq!(err.kind(), ErrorKind::Binding, "{err}");
    assert!(err.to_string().contains("binder"), "{err}");
}

#[test]
fn evidence_whose_recorded_challenge_was_edited_fails_the_platform_binding() {
    let err = client_error_for(|request, server, id| {
        let b = binding(
            server.channel(),
            server.hash(),
            EXPORTER_LABEL,
            request.context(),
            id.spki(),
        )
        .unwrap();
        let mut wrong = [0u8; 32];
        wrong[0] = 1;
        let signed_for = attester_core::Binding::from_parts(
            b.mode().clone(),
            attester_core::Challenge::new(&wrong[..b.challenge().len().min(32)]).unwrap(),
        );
        let mut evidence = mock_attester().attest_binding(&signed_for).unwrap();
        // Claim the right binder while the token signs another one.
        evidence.challenge = *b.challenge();
        let cmw = evidence.to_cmw(Encoding::Cbor);
        authenticate(&server_keys(server), server.hash(), request, id, Some(&cmw)).unwrap()
    });
    match err {
        Error::Evidence(e) => assert_eq!(e.kind(), attester_core::ErrorKind::Verification, "{e}"),
        other => panic!("expected the platform verifier's binding check, got {other}"),
    }
}

fn tamper(offset_from_end: impl Fn(usize) -> usize) -> Error {
    let id = identity();
    let (mut client, mut server) = sessions(&id);
    let request = client.send_request(true).unwrap();
    let t = thread::spawn(move || {
        server.attest_on_request(&mut mock_attester(), &id).unwrap();
    });
    let mut bytes = read_authenticator(&mut client);
    t.join().unwrap();
    let at = bytes.len() - offset_from_end(client.hash().output_len());
    bytes[at] ^= 0x01;
    client
        .appraise(&request, &bytes, &MockVerifier)
        .unwrap_err()
}

#[test]
fn a_tampered_certificate_verify_fails_the_signature() {
    // Finished (a 4-byte header and the MAC) ends the authenticator; the signature precedes it.
    let err = tamper(|mac_len| 4 + mac_len + 1);
    assert!(matches!(err, Error::Signature), "{err}");
}

#[test]
fn a_tampered_finished_fails() {
    let err = tamper(|_| 1);
    assert!(matches!(err, Error::Finished), "{err}");
}

#[test]
fn an_unsolicited_cmw_attestation_is_an_unsupported_extension() {
    let id = identity();
    let (mut client, mut server) = sessions(&id);
    let request = client.send_request(false).unwrap();
    let t = thread::spawn(move || {
        let plain = next_request(&mut server);
        assert!(!plain.requests_attestation());
        // Our own builder refuses to answer with evidence that was not asked for...
        let keys = server_keys(&server);
        let err = authenticate(&keys, server.hash(), &plain, &id, Some(b"cmw")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnsupportedExtension);
        // ...so forge it: the same context, with the extension, as if it had been requested.
        let as_if = AuthenticatorRequest::new(plain.kind(), plain.context(), plain.schemes(), true)
            .unwrap();
        let b = binding(
            server.channel(),
            server.hash(),
            EXPORTER_LABEL,
            plain.context(),
            id.spki(),
        )
        .unwrap();
        let cmw = mock_attester()
            .attest_binding(&b)
            .unwrap()
            .to_cmw(Encoding::Cbor);
        let forged = authenticate(&keys, server.hash(), &as_if, &id, Some(&cmw)).unwrap();
        send_authenticator(&mut server, &forged);
    });
    let bytes = read_authenticator(&mut client);
    t.join().unwrap();
    let err = client.validate(&request, &bytes).unwrap_err();
    assert!(matches!(err, Error::UnsolicitedExtension(0xffca)), "{err}");
    assert_eq!(err.kind(), ErrorKind::UnsupportedExtension);
}

#[test]
fn an_oversized_frame_is_refused_before_allocation() {
    let id = identity();
    let (mut client, mut server) = sessions(&id);
    let t = thread::spawn(move || {
        let _ = next_request(&mut server);
        // A header announcing 4 GiB - 1.
        use std::io::Write;
        server
            .channel_mut()
            .write_all(&[2, 0xff, 0xff, 0xff, 0xff])
            .unwrap();
        server.channel_mut().flush().unwrap();
        server
    });
    let err = client.request_attestation(&MockVerifier).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                len: 0xffff_ffff,
                ..
            }
        ),
        "{err}"
    );
    let _server = t.join().unwrap();
    // Sending is bounded too.
    let err = write_frame(client.channel_mut(), FrameKind::Data, &[0; 11], 10).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooLarge);
}

#[test]
fn a_session_resumed_from_a_ticket_is_refused() {
    let id = identity();
    // A plain rustls server that issues tickets, and a client that resumes.
    let mut server = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS13])
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(id.chain().to_vec(), id.private_key())
    .unwrap();
    server.send_tls13_tickets = 2;
    server.ticketer = rustls::crypto::aws_lc_rs::Ticketer::new().unwrap();
    let mut client = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS13])
    .unwrap()
    .dangerous()
    .with_custom_certificate_verifier(Arc::new(attester_tls::config::AttestedServerCert::new()))
    .with_no_client_auth();
    client.resumption = rustls::client::Resumption::in_memory_sessions(8);
    let (client, server) = (Arc::new(client), Arc::new(server));

    let (mut first, _s) = streams(client.clone(), server.clone());
    // Tickets arrive after the handshake; read them in.
    first.conn.complete_io(&mut first.sock).ok();
    let (second, second_server) = streams(client, server);
    assert_eq!(
        second.conn.handshake_kind(),
        Some(rustls::HandshakeKind::Resumed)
    );
    let err = Session::new(second, SessionConfig::default())
        .err()
        .unwrap();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    let err = Session::new(second_server, SessionConfig::default())
        .err()
        .unwrap();
    assert!(err.to_string().contains("resumed"), "{err}");
}

#[test]
fn a_reused_request_context_is_refused() {
    let id = identity();
    let (mut client, mut server) = sessions(&id);
    let request = client.send_request(true).unwrap();
    // Send the very same request bytes again.
    write_frame(
        client.channel_mut(),
        FrameKind::Request,
        request.encoded(),
        DEFAULT_MAX_FRAME,
    )
    .unwrap();
    let mut attester = mock_attester();
    server
        .attest_on_request(&mut attester, &id)
        .unwrap()
        .unwrap();
    let err = server.attest_on_request(&mut attester, &id).unwrap_err();
    assert!(matches!(err, Error::ContextReused), "{err}");
}
