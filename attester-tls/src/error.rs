//! Errors of the attested-TLS layer, each with a [`ErrorKind`] a caller can match on.

use std::fmt;

/// What went wrong, coarsely: enough for a caller to decide what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The transport failed or closed.
    Io,
    /// The TLS connection does not meet the draft's rules (TLS 1.3, full handshake, no
    /// tickets) or rustls refused an operation.
    Connection,
    /// A frame or message is not well formed, or arrived out of turn.
    Protocol,
    /// A frame exceeds the configured limit.
    TooLarge,
    /// The authenticator does not validate: context, scheme, signature or Finished.
    Authenticator,
    /// The peer sent an extension it was not asked for (TLS alert `unsupported_extension`).
    UnsupportedExtension,
    /// The peer answered with an empty authenticator.
    Refused,
    /// The evidence is not bound to this connection and key.
    Binding,
    /// The evidence could not be produced, decoded or verified.
    Evidence,
}

impl ErrorKind {
    /// A stable lower-case name, used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Io => "io",
            Self::Connection => "connection",
            Self::Protocol => "protocol",
            Self::TooLarge => "too-large",
            Self::Authenticator => "authenticator",
            Self::UnsupportedExtension => "unsupported-extension",
            Self::Refused => "refused",
            Self::Binding => "binding",
            Self::Evidence => "evidence",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An attested-TLS failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The transport failed.
    #[error("transport: {0}")]
    Io(#[from] std::io::Error),
    /// The peer closed the connection where a message was expected.
    #[error("the peer closed the connection")]
    Closed,
    /// rustls refused an operation (an exporter before the handshake completed, say).
    #[error("TLS: {0}")]
    Tls(#[from] rustls::Error),
    /// The connection does not meet the draft's requirements.
    #[error("connection not usable for attestation: {0}")]
    Connection(&'static str),
    /// A structure does not decode.
    #[error("malformed {what}: {reason}")]
    Malformed {
        /// The structure.
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A handshake message of the wrong type.
    #[error("unexpected handshake message type {got}")]
    UnexpectedMessage {
        /// The type received.
        got: u8,
    },
    /// A frame of the wrong kind at this point of the exchange.
    #[error("unexpected frame: {0}")]
    UnexpectedFrame(String),
    /// Something exceeds its limit.
    #[error("{what} is {len} bytes, more than the limit of {max}")]
    TooLarge {
        /// What is too large.
        what: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The authenticator answers a context this side never requested (or already used).
    #[error("authenticator for a certificate_request_context that was never requested")]
    UnknownContext,
    /// A request reuses a context within the connection (RFC 9261 §4 forbids it).
    #[error("certificate_request_context reused within the connection")]
    ContextReused,
    /// The CertificateVerify scheme was not offered in the request or is not a TLS 1.3 scheme.
    #[error("signature scheme {0:?} was not offered")]
    SchemeNotOffered(rustls::SignatureScheme),
    /// Our identity cannot sign with any scheme the peer offered.
    #[error("no offered signature scheme fits the identity's key")]
    NoCommonScheme,
    /// The authenticator has no certificate.
    #[error("the authenticator carries no certificate")]
    NoCertificate,
    /// The CertificateVerify signature does not verify with the end-entity key.
    #[error(
        "CertificateVerify does not verify: the authenticator was not made on this connection \
         (relayed) or was tampered with"
    )]
    Signature,
    /// The Finished MAC does not match.
    #[error("Finished does not match this connection's authenticator key")]
    Finished,
    /// An extension the request did not carry (`unsupported_extension`).
    #[error("unsolicited extension {0} in the authenticator")]
    UnsolicitedExtension(u16),
    /// Attestation was requested but the authenticator carries no evidence.
    #[error("the authenticator carries no cmw_attestation")]
    MissingEvidence,
    /// The peer refused with an empty authenticator.
    #[error("the peer refused to authenticate (empty authenticator)")]
    Refused,
    /// The evidence's challenge is not this connection's binder.
    #[error("binding: {0}")]
    Binding(String),
    /// Producing, decoding or verifying the evidence failed.
    #[error("evidence: {0}")]
    Evidence(#[from] attester_core::Error),
}

impl Error {
    /// The coarse kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Io(_) | Self::Closed => ErrorKind::Io,
            Self::Tls(_) | Self::Connection(_) => ErrorKind::Connection,
            Self::Malformed { .. }
            | Self::UnexpectedMessage { .. }
            | Self::UnexpectedFrame(_)
            | Self::ContextReused
            | Self::NoCommonScheme => ErrorKind::Protocol,
            Self::TooLarge { .. } => ErrorKind::TooLarge,
            Self::UnknownContext
            | Self::SchemeNotOffered(_)
            | Self::NoCertificate
            | Self::Signature
            | Self::Finished
            | Self::MissingEvidence => ErrorKind::Authenticator,
            Self::UnsolicitedExtension(_) => ErrorKind::UnsupportedExtension,
            Self::Refused => ErrorKind::Refused,
            Self::Binding(_) => ErrorKind::Binding,
            Self::Evidence(_) => ErrorKind::Evidence,
        }
    }
}
