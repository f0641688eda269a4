//! One attested TLS session: requests, authenticators and application data over the
//! established connection, with the per-connection state RFC 9261 asks for (unique contexts,
//! no answer to a context twice).

use crate::authenticator::{self, Validated};
use crate::channel::{TlsChannel, check_connection};
use crate::error::Error;
use crate::expat::{self, EXPORTER_LABEL};
use crate::frame::{DEFAULT_MAX_FRAME, FrameKind, read_frame, write_frame};
use crate::identity::{Identity, provider};
use crate::keys::{AuthenticatorHash, AuthenticatorKeys};
use crate::messages::{AuthenticatorRequest, RequestKind};
use crate::verifier::EvidenceVerifier;
use attester_core::cmw::Encoding;
use attester_core::x509::Certificate;
use attester_core::{Attester, Binding, Evidence, Platform};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::CertificateDer;
use rustls::{Side, SignatureScheme};
use std::collections::HashSet;

/// The length of the `certificate_request_context` this side draws for its requests.
pub const CONTEXT_LEN: usize = 32;

/// Settings of a session.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// The largest frame accepted or sent.
    pub max_frame: usize,
    /// The exporter label of the binder (`"Attestation"`).
    pub exporter_label: String,
    /// The signature schemes offered in this side's requests, in order of preference.
    pub schemes: Vec<SignatureScheme>,
    /// Refuse an authenticator whose key differs from the peer's handshake certificate (when
    /// the peer presented one).
    pub require_handshake_key: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            max_frame: DEFAULT_MAX_FRAME,
            exporter_label: EXPORTER_LABEL.to_owned(),
            schemes: vec![
                SignatureScheme::ECDSA_NISTP256_SHA256,
                SignatureScheme::ECDSA_NISTP384_SHA384,
                SignatureScheme::ED25519,
                SignatureScheme::RSA_PSS_SHA256,
                SignatureScheme::RSA_PSS_SHA384,
                SignatureScheme::RSA_PSS_SHA512,
            ],
            require_handshake_key: true,
        }
    }
}

/// A verified attestation round.
#[derive(Clone, Debug)]
pub struct Attested<V> {
    /// The verifier's outcome.
    pub verdict: V,
    /// Whether the verifier accepted the evidence.
    pub accepted: bool,
    /// The `certificate_request_context` of the round.
    pub context: Vec<u8>,
    /// The binding the evidence was checked against.
    pub binding: Binding,
    /// The evidence.
    pub evidence: Evidence,
    /// The authenticator's certificate chain, end-entity first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The CertificateVerify scheme.
    pub scheme: SignatureScheme,
    /// Whether the authenticating key is the peer's handshake key (`None`: the peer had no
    /// handshake certificate, as a client usually has not).
    pub same_key_as_handshake: Option<bool>,
}

/// What this side answered to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// The request's `certificate_request_context`.
    pub context: Vec<u8>,
    /// The binding the evidence signs, when attestation was requested.
    pub binding: Option<Binding>,
    /// The platform that attested, when attestation was requested.
    pub platform: Option<Platform>,
}

/// An incoming message other than an authenticator exchange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// The peer asks this side to authenticate; answer with [`Session::answer`].
    Request(Vec<u8>),
    /// Application data.
    Data(Vec<u8>),
}

/// An attested session over an established TLS 1.3 connection.
pub struct Session<C> {
    channel: C,
    config: SessionConfig,
    hash: AuthenticatorHash,
    own_keys: AuthenticatorKeys,
    peer_keys: AuthenticatorKeys,
    algorithms: WebPkiSupportedAlgorithms,
    issued: HashSet<Vec<u8>>,
    answered: HashSet<Vec<u8>>,
    attested: bool,
}

impl<C: TlsChannel> Session<C> {
    /// Checks the connection (TLS 1.3, full handshake) and derives both directions'
    /// authenticator keys once: they depend on the connection only.
    pub fn new(channel: C, config: SessionConfig) -> Result<Self, Error> {
        check_connection(channel.state())?;
        let suite = channel
            .state()
            .negotiated_cipher_suite()
            .ok_or(Error::Connection("no negotiated cipher suite"))?;
        let hash = AuthenticatorHash::of_suite(suite)?;
        let own = channel.side();
        let peer = match own {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        };
        let own_keys = AuthenticatorKeys::derive(&channel, &hash, own)?;
        let peer_keys = AuthenticatorKeys::derive(&channel, &hash, peer)?;
        Ok(Self {
            channel,
            config,
            hash,
            own_keys,
            peer_keys,
            algorithms: provider().signature_verification_algorithms,
            issued: HashSet::new(),
            answered: HashSet::new(),
            attested: false,
        })
    }

    /// The connection.
    pub fn channel(&self) -> &C {
        &self.channel
    }

    /// The connection, for callers that need to drive it themselves.
    pub fn channel_mut(&mut self) -> &mut C {
        &mut self.channel
    }

    /// The authenticator hash of the connection's suite.
    pub fn hash(&self) -> &AuthenticatorHash {
        &self.hash
    }

    /// Asks the peer for evidence and appraises the answer: sends a fresh request with
    /// `cmw_attestation`, validates the authenticator, checks that the evidence carries this
    /// connection's binder for the authenticating key, then hands it to `verifier`.
    pub fn request_attestation<V: EvidenceVerifier>(
        &mut self,
        verifier: &V,
    ) -> Result<Attested<V::Verdict>, Error> {
        let request = self.send_request(true)?;
        let bytes = self.read_authenticator()?;
        self.appraise(&request, &bytes, verifier)
    }

    /// Sends a new request with a fresh random context; `attestation` adds the empty
    /// `cmw_attestation` extension.
    pub fn send_request(&mut self, attestation: bool) -> Result<AuthenticatorRequest, Error> {
        let kind = match self.channel.side() {
            Side::Client => RequestKind::ClientCertificateRequest,
            Side::Server => RequestKind::CertificateRequest,
        };
        let context = self.fresh_context()?;
        let request = AuthenticatorRequest::new(kind, &context, &self.config.schemes, attestation)?;
        self.write(FrameKind::Request, request.encoded())?;
        Ok(request)
    }

    fn fresh_context(&mut self) -> Result<Vec<u8>, Error> {
        loop {
            let mut context = vec![0u8; CONTEXT_LEN];
            attester_core::crypto::random_bytes(&mut context)
                .map_err(attester_core::Error::from)?;
            if self.issued.insert(context.clone()) {
                return Ok(context);
            }
        }
    }

    /// Reads frames until the peer's authenticator.
    fn read_authenticator(&mut self) -> Result<Vec<u8>, Error> {
        match self.read()? {
            Some((FrameKind::Authenticator, body)) => Ok(body),
            Some((kind, _)) => Err(Error::UnexpectedFrame(format!(
                "{kind:?} while waiting for an authenticator"
            ))),
            None => Err(Error::Closed),
        }
    }

    /// Validates `bytes` as the answer to `request` and appraises its evidence.
    pub fn appraise<V: EvidenceVerifier>(
        &mut self,
        request: &AuthenticatorRequest,
        bytes: &[u8],
        verifier: &V,
    ) -> Result<Attested<V::Verdict>, Error> {
        let validated = self.validate(request, bytes)?;
        let cmw = validated.cmw.as_deref().ok_or(Error::MissingEvidence)?;
        let end_entity = validated.chain.first().ok_or(Error::NoCertificate)?;
        let spki = Certificate::from_der(end_entity)?.spki_der().to_vec();
        let same_key_as_handshake = self.same_key_as_handshake(end_entity, &spki)?;
        if self.config.require_handshake_key && same_key_as_handshake == Some(false) {
            return Err(Error::Binding(
                "the authenticator's key is not the peer's handshake key".into(),
            ));
        }
        let expected = expat::binding(
            &self.channel,
            &self.hash,
            &self.config.exporter_label,
            request.context(),
            &spki,
        )?;
        let evidence = Evidence::from_cmw(cmw)?;
        // The platform verifier then checks that the signed field holds the binder.
        evidence
            .check_recorded_binding(&expected)
            .map_err(|failed| {
                Error::Binding(format!(
                    "not this connection's binder for the authenticating key: {}",
                    failed.reason
                ))
            })?;
        let verdict = verifier.verify(&evidence, &expected)?;
        let accepted = verifier.accepts(&verdict);
        self.attested |= accepted;
        Ok(Attested {
            verdict,
            accepted,
            context: request.context().to_vec(),
            binding: expected,
            evidence,
            chain: validated.chain,
            scheme: validated.scheme,
            same_key_as_handshake,
        })
    }

    /// Validates an authenticator for one of this side's requests, which is then spent: a
    /// second authenticator for the same context is refused as unknown.
    pub fn validate(
        &mut self,
        request: &AuthenticatorRequest,
        bytes: &[u8],
    ) -> Result<Validated, Error> {
        if !self.issued.contains(request.context()) {
            return Err(Error::UnknownContext);
        }
        let result = authenticator::validate(
            &self.peer_keys,
            &self.hash,
            request,
            bytes,
            &self.algorithms,
        );
        // Spent whatever the outcome (RFC 9261 §7.4): a context is answered once.
        self.issued.remove(request.context());
        self.answered.insert(request.context().to_vec());
        result
    }

    fn same_key_as_handshake(&self, cert: &[u8], spki: &[u8]) -> Result<Option<bool>, Error> {
        match self
            .channel
            .state()
            .peer_certificates()
            .and_then(<[_]>::first)
        {
            // The usual case, the very same certificate, needs no second parse.
            Some(handshake) if handshake.as_ref() == cert => Ok(Some(true)),
            Some(handshake) => Ok(Some(Certificate::from_der(handshake)?.spki_der() == spki)),
            None => Ok(None),
        }
    }

    /// Waits for the peer's next request and answers it with `attester` and `identity`.
    /// `Ok(None)` when the peer closed the connection instead.
    pub fn attest_on_request(
        &mut self,
        attester: &mut dyn Attester,
        identity: &Identity,
    ) -> Result<Option<Served>, Error> {
        match self.receive()? {
            Some(Incoming::Request(request)) => self.answer(&request, attester, identity).map(Some),
            Some(Incoming::Data(_)) => Err(Error::UnexpectedFrame(
                "application data while waiting for a request".into(),
            )),
            None => Ok(None),
        }
    }

    /// Answers one request. When it asks for attestation, the evidence signs the binder of
    /// `identity`'s key; if the attester fails, the peer gets an empty authenticator (a
    /// refusal) and the error is returned here.
    pub fn answer(
        &mut self,
        request_bytes: &[u8],
        attester: &mut dyn Attester,
        identity: &Identity,
    ) -> Result<Served, Error> {
        let request = AuthenticatorRequest::decode(request_bytes)?;
        self.check_request_kind(&request)?;
        if !self.answered.insert(request.context().to_vec()) {
            return Err(Error::ContextReused);
        }
        if !request.requests_attestation() {
            let bytes =
                authenticator::authenticate(&self.own_keys, &self.hash, &request, identity, None)?;
            self.write(FrameKind::Authenticator, &bytes)?;
            return Ok(Served {
                context: request.context().to_vec(),
                binding: None,
                platform: None,
            });
        }
        match self.attest(&request, attester, identity) {
            Ok((bytes, binding, platform)) => {
                self.write(FrameKind::Authenticator, &bytes)?;
                self.attested = true;
                Ok(Served {
                    context: request.context().to_vec(),
                    binding: Some(binding),
                    platform: Some(platform),
                })
            }
            Err(e) => {
                self.refuse(&request)?;
                Err(e)
            }
        }
    }

    fn attest(
        &mut self,
        request: &AuthenticatorRequest,
        attester: &mut dyn Attester,
        identity: &Identity,
    ) -> Result<(Vec<u8>, Binding, Platform), Error> {
        let binding = expat::binding(
            &self.channel,
            &self.hash,
            &self.config.exporter_label,
            request.context(),
            identity.spki(),
        )?;
        let evidence = attester.attest_binding(&binding)?;
        let cmw = evidence.to_cmw(Encoding::Cbor);
        let bytes =
            authenticator::authenticate(&self.own_keys, &self.hash, request, identity, Some(&cmw))?;
        Ok((bytes, binding, evidence.platform))
    }

    /// Answers `request` with an empty authenticator.
    pub fn refuse(&mut self, request: &AuthenticatorRequest) -> Result<(), Error> {
        let bytes = authenticator::refuse(&self.own_keys, &self.hash, request)?;
        self.write(FrameKind::Authenticator, &bytes)
    }

    /// A client answers CertificateRequest, a server ClientCertificateRequest.
    fn check_request_kind(&self, request: &AuthenticatorRequest) -> Result<(), Error> {
        let expected = match self.channel.side() {
            Side::Client => RequestKind::CertificateRequest,
            Side::Server => RequestKind::ClientCertificateRequest,
        };
        if request.kind() == expected {
            Ok(())
        } else {
            Err(Error::UnexpectedFrame(format!(
                "{:?} sent to the {:?}",
                request.kind(),
                self.channel.side()
            )))
        }
    }

    /// The next request or application data; `Ok(None)` when the peer closed.
    pub fn receive(&mut self) -> Result<Option<Incoming>, Error> {
        match self.read()? {
            Some((FrameKind::Request, body)) => Ok(Some(Incoming::Request(body))),
            Some((FrameKind::Data, body)) => Ok(Some(Incoming::Data(body))),
            Some((FrameKind::Authenticator, _)) => Err(Error::UnexpectedFrame(
                "an authenticator nobody asked for".into(),
            )),
            None => Ok(None),
        }
    }

    /// Sends application data; refused until an attestation round has completed in either
    /// direction (expat: attestation completes before any application data).
    pub fn send_data(&mut self, data: &[u8]) -> Result<(), Error> {
        if !self.attested {
            return Err(Error::Connection(
                "application data before any attestation completed",
            ));
        }
        self.write(FrameKind::Data, data)
    }

    /// Sends `close_notify` and ends the session.
    pub fn close(mut self) -> Result<C, Error> {
        self.channel.close()?;
        Ok(self.channel)
    }

    fn write(&mut self, kind: FrameKind, body: &[u8]) -> Result<(), Error> {
        write_frame(&mut self.channel, kind, body, self.config.max_frame)
    }

    fn read(&mut self) -> Result<Option<(FrameKind, Vec<u8>)>, Error> {
        read_frame(&mut self.channel, self.config.max_frame)
    }
}
