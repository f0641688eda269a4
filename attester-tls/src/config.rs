//! rustls configurations as expat requires them: TLS 1.3 only, no session tickets sent or
//! used, no 0-RTT.

use crate::error::Error;
use crate::identity::{Identity, provider};
use rustls::client::Resumption;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::NoServerSessionStorage;
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, ServerConfig, SignatureScheme};
use std::sync::Arc;

/// A server configuration presenting `identity`: TLS 1.3 only, no tickets, no stateful
/// resumption, no early data.
pub fn server_config(identity: &Identity) -> Result<Arc<ServerConfig>, Error> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_no_client_auth()
        .with_single_cert(identity.chain().to_vec(), identity.private_key())?;
    config.send_tls13_tickets = 0;
    config.session_storage = Arc::new(NoServerSessionStorage {});
    config.max_early_data_size = 0;
    Ok(Arc::new(config))
}

/// A client configuration whose trust in the server comes from attestation: the handshake
/// checks that the server holds the key of the certificate it presents, and the attestation
/// round (which must complete before application data) proves what that key runs in. TLS 1.3
/// only, resumption disabled, no early data.
pub fn attested_client_config() -> Result<Arc<ClientConfig>, Error> {
    let verifier = Arc::new(AttestedServerCert::new());
    let config = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Arc::new(harden_client(config)))
}

/// A client configuration that also validates the server's chain to `roots` as usual.
pub fn client_config_with_roots(roots: RootCertStore) -> Result<Arc<ClientConfig>, Error> {
    let config = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(harden_client(config)))
}

fn harden_client(mut config: ClientConfig) -> ClientConfig {
    config.resumption = Resumption::disabled();
    config.enable_early_data = false;
    config
}

/// Accepts any well-formed server certificate and checks the handshake signature with its
/// key; the name and chain are not checked, because the attestation binds the key instead.
///
/// Use it only with a [`crate::Session`] that attests the server before any application data;
/// [`attested_client_config`] is a client configuration built with it.
#[derive(Debug)]
pub struct AttestedServerCert {
    algorithms: rustls::crypto::WebPkiSupportedAlgorithms,
}

impl AttestedServerCert {
    /// The verifier with this crate's signature algorithms.
    pub fn new() -> Self {
        Self {
            algorithms: provider().signature_verification_algorithms,
        }
    }
}

impl Default for AttestedServerCert {
    fn default() -> Self {
        Self::new()
    }
}

impl ServerCertVerifier for AttestedServerCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        webpki::EndEntityCert::try_from(end_entity).map_err(|_| {
            rustls::Error::InvalidCertificate(rustls::CertificateError::BadEncoding)
        })?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::PeerIncompatible(
            rustls::PeerIncompatible::Tls13RequiredForQuic,
        ))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
