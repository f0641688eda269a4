//! Attested TLS through the facade: the verifier that appraises evidence from an
//! authenticator with [`crate::verify::verify`], and the connection helpers behind
//! `attester demo`, `attester tls-server` and `attester tls-client`.

use crate::policy::Policy;
use crate::verify::{Verdict, VerifyOptions, verify};
use attester_core::x509::TrustAnchors;
use attester_core::{Binding, Evidence};
use attester_tls::config::{attested_client_config, server_config};
use attester_tls::{Error, EvidenceVerifier, Identity, Session, SessionConfig};
use rustls::pki_types::ServerName;
use rustls::{ClientConnection, ServerConfig, ServerConnection, StreamOwned};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use time::OffsetDateTime;

/// A client's session over TCP.
pub type ClientSession = Session<StreamOwned<ClientConnection, TcpStream>>;
/// A server's session over TCP.
pub type ServerSession = Session<StreamOwned<ServerConnection, TcpStream>>;

/// Appraises evidence with the facade's verifier: whom it trusts and its policy; the time is
/// the moment of each round.
#[derive(Clone, Debug, Default)]
pub struct FacadeVerifier {
    /// Trusted roots and keys beyond the pinned vendor roots.
    pub anchors: TrustAnchors,
    /// Trusted Arm CCA platform keys.
    pub cca_keys: attester_cca::trust::PlatformKeys,
    /// Trust the mock roots (NOT SECURE).
    pub allow_mock: bool,
    /// The appraisal policy.
    pub policy: Policy,
    /// TDX collateral files (TCB Info, QE Identity, CRLs) for the offline TCB status.
    pub tdx_collateral: Vec<Vec<u8>>,
    /// SEV-SNP ARK certificates pinned as extra roots of their product.
    pub snp_arks: Vec<attester_core::x509::Certificate>,
}

impl FacadeVerifier {
    /// The options of one verification against `expected`, now.
    pub fn options(&self, expected: Binding) -> VerifyOptions {
        VerifyOptions {
            expected,
            anchors: self.anchors.clone(),
            cca_keys: self.cca_keys.clone(),
            allow_mock: self.allow_mock,
            at: OffsetDateTime::now_utc(),
            policy: self.policy.clone(),
            tdx_collateral: self.tdx_collateral.clone(),
            snp_arks: self.snp_arks.clone(),
        }
    }
}

impl EvidenceVerifier for FacadeVerifier {
    type Verdict = Verdict;

    fn verify(&self, evidence: &Evidence, expected: &Binding) -> attester_core::Result<Verdict> {
        verify(evidence, &self.options(expected.clone()))
    }

    fn accepts(&self, verdict: &Verdict) -> bool {
        verdict.verified()
    }
}

/// Connects to `addr` and completes a TLS 1.3 handshake as expat requires (no resumption, no
/// early data); the server's key is trusted only through its attestation.
pub fn connect(addr: impl ToSocketAddrs) -> Result<ClientSession, Error> {
    let mut sock = TcpStream::connect(addr)?;
    // Each frame is one small write answered by the peer: without TCP_NODELAY, Nagle's
    // algorithm and delayed ACKs add ~40 ms per exchange.
    sock.set_nodelay(true)?;
    let name = ServerName::try_from("attester.invalid")
        .map_err(|_| Error::Connection("invalid server name"))?;
    let mut conn = ClientConnection::new(attested_client_config()?, name)?;
    while conn.is_handshaking() {
        conn.complete_io(&mut sock)?;
    }
    Session::new(StreamOwned::new(conn, sock), SessionConfig::default())
}

/// A listening attested-TLS server presenting one identity.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    config: Arc<ServerConfig>,
}

impl Server {
    /// Binds `addr` with a configuration presenting `identity` (TLS 1.3 only, no tickets).
    pub fn bind(addr: impl ToSocketAddrs, identity: &Identity) -> Result<Self, Error> {
        Ok(Self {
            listener: TcpListener::bind(addr)?,
            config: server_config(identity)?,
        })
    }

    /// The bound address (the port chosen for `:0`).
    pub fn local_addr(&self) -> Result<std::net::SocketAddr, Error> {
        Ok(self.listener.local_addr()?)
    }

    /// Accepts one connection and completes its handshake.
    pub fn accept(&self) -> Result<ServerSession, Error> {
        let (sock, _) = self.listener.accept()?;
        self.handshake(sock)
    }

    /// Accepts one TCP connection without starting TLS, so the handshake can run on another
    /// thread ([`Server::handshake`]) while this one accepts the next.
    pub fn accept_tcp(&self) -> Result<TcpStream, Error> {
        Ok(self.listener.accept()?.0)
    }

    /// Completes the TLS handshake on an accepted connection.
    pub fn handshake(&self, mut sock: TcpStream) -> Result<ServerSession, Error> {
        sock.set_nodelay(true)?;
        let mut conn = ServerConnection::new(self.config.clone())?;
        while conn.is_handshaking() {
            conn.complete_io(&mut sock)?;
        }
        Session::new(StreamOwned::new(conn, sock), SessionConfig::default())
    }
}
