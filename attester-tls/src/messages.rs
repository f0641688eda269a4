//! The handshake messages of an exported authenticator (RFC 9261 §4–§6, structures from
//! RFC 8446 §4.3.2, §4.4.2–§4.4.4), encoded as TLS handshake messages (type, `uint24` length,
//! body) without record framing. Decoding keeps the exact bytes of each message: the
//! transcript hashes are computed over them, never over a re-encoding.

use crate::error::Error;
use crate::expat::CMW_ATTESTATION;
use crate::wire::{Reader, put_uint, put_vector};
use rustls::SignatureScheme;

/// HandshakeType `certificate` (RFC 8446 §4).
pub const CERTIFICATE: u8 = 11;
/// HandshakeType `certificate_request` (RFC 8446 §4): a server's authenticator request.
pub const CERTIFICATE_REQUEST: u8 = 13;
/// HandshakeType `certificate_verify` (RFC 8446 §4).
pub const CERTIFICATE_VERIFY: u8 = 15;
/// HandshakeType `client_certificate_request` (RFC 9261 §8.2): a client's authenticator
/// request.
pub const CLIENT_CERTIFICATE_REQUEST: u8 = 17;
/// HandshakeType `finished` (RFC 8446 §4).
pub const FINISHED: u8 = 20;
/// ExtensionType `signature_algorithms` (RFC 8446 §4.2).
pub const SIGNATURE_ALGORITHMS: u16 = 13;

const MAX_U8: usize = 0xff;
const MAX_U16: usize = 0xffff;
const MAX_U24: usize = 0xff_ffff;

/// Wraps `body` as a handshake message of type `msg_type`.
fn handshake_message(msg_type: u8, body: &[u8], what: &'static str) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(4 + body.len());
    out.push(msg_type);
    put_vector(&mut out, 3, MAX_U24, body, what)?;
    Ok(out)
}

/// One handshake message read from `r`: its type, its body and its exact bytes.
fn next_message<'a>(r: &mut Reader<'a>, whole: &'a [u8]) -> Result<Message<'a>, Error> {
    // `r` reads `whole`, so what it has consumed is the offset into `whole`.
    let start = whole.len().saturating_sub(r.remaining());
    let msg_type = r.u8()?;
    let body = r.vector(3, 0, MAX_U24, "handshake message")?;
    let end = whole.len().saturating_sub(r.remaining());
    let bytes = whole.get(start..end).ok_or(Error::Malformed {
        what: "handshake message",
        reason: "offsets out of range".into(),
    })?;
    Ok(Message {
        msg_type,
        body,
        bytes,
    })
}

struct Message<'a> {
    msg_type: u8,
    body: &'a [u8],
    bytes: &'a [u8],
}

/// A TLS extension: type and data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extension<'a> {
    /// The ExtensionType.
    pub typ: u16,
    /// The extension_data.
    pub data: &'a [u8],
}

/// Reads `Extension extensions<min..2^16-1>`, refusing duplicates (RFC 8446 §4.2).
fn read_extensions<'a>(r: &mut Reader<'a>, min: usize) -> Result<Vec<Extension<'a>>, Error> {
    let block = r.vector(2, min, MAX_U16, "extensions")?;
    let mut inner = Reader::new(block, "extension");
    let mut out: Vec<Extension<'a>> = Vec::new();
    while !inner.is_empty() {
        let typ = inner.u16()?;
        let data = inner.vector(2, 0, MAX_U16, "extension_data")?;
        if out.iter().any(|e| e.typ == typ) {
            return Err(Error::Malformed {
                what: "extensions",
                reason: format!("extension {typ} appears twice"),
            });
        }
        out.push(Extension { typ, data });
    }
    Ok(out)
}

fn put_extension(out: &mut Vec<u8>, typ: u16, data: &[u8]) -> Result<(), Error> {
    put_uint(out, 2, usize::from(typ));
    put_vector(out, 2, MAX_U16, data, "extension_data")
}

/// Who built an authenticator request, which fixes its message type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// `ClientCertificateRequest` (type 17): a client asks the server to authenticate.
    ClientCertificateRequest,
    /// `CertificateRequest` (type 13): a server asks the client to authenticate.
    CertificateRequest,
}

impl RequestKind {
    fn msg_type(self) -> u8 {
        match self {
            Self::ClientCertificateRequest => CLIENT_CERTIFICATE_REQUEST,
            Self::CertificateRequest => CERTIFICATE_REQUEST,
        }
    }
}

/// An authenticator request (RFC 9261 §4), with its exact encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthenticatorRequest {
    encoded: Vec<u8>,
    kind: RequestKind,
    context: Vec<u8>,
    schemes: Vec<SignatureScheme>,
    attestation: bool,
}

impl AuthenticatorRequest {
    /// A request with `context` (0..=255 bytes), the signature schemes the requester accepts
    /// and, when `attestation` is set, an empty `cmw_attestation` extension.
    pub fn new(
        kind: RequestKind,
        context: &[u8],
        schemes: &[SignatureScheme],
        attestation: bool,
    ) -> Result<Self, Error> {
        let mut body = Vec::new();
        put_vector(&mut body, 1, MAX_U8, context, "certificate_request_context")?;
        let mut list = Vec::new();
        for scheme in schemes {
            put_uint(&mut list, 2, usize::from(u16::from(*scheme)));
        }
        let mut sigalgs = Vec::new();
        put_vector(&mut sigalgs, 2, MAX_U16 - 1, &list, "signature_algorithms")?;
        let mut exts = Vec::new();
        put_extension(&mut exts, SIGNATURE_ALGORITHMS, &sigalgs)?;
        if attestation {
            put_extension(&mut exts, CMW_ATTESTATION, &[])?;
        }
        put_vector(&mut body, 2, MAX_U16, &exts, "extensions")?;
        let encoded = handshake_message(kind.msg_type(), &body, "authenticator request")?;
        Self::decode(&encoded)
    }

    /// Decodes one request message; trailing bytes, duplicate extensions, a missing
    /// `signature_algorithms` and a non-empty `cmw_attestation` are errors. Unknown extensions
    /// are ignored, as RFC 9261 §5.2.1 requires.
    pub fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, "authenticator request");
        let msg = next_message(&mut r, bytes)?;
        r.finish()?;
        let kind = match msg.msg_type {
            CLIENT_CERTIFICATE_REQUEST => RequestKind::ClientCertificateRequest,
            CERTIFICATE_REQUEST => RequestKind::CertificateRequest,
            other => return Err(Error::UnexpectedMessage { got: other }),
        };
        let mut body = Reader::new(msg.body, "authenticator request");
        let context = body.vector(1, 0, MAX_U8, "certificate_request_context")?;
        let extensions = read_extensions(&mut body, 2)?;
        body.finish()?;
        let mut schemes = None;
        let mut attestation = false;
        for ext in &extensions {
            match ext.typ {
                SIGNATURE_ALGORITHMS => schemes = Some(decode_schemes(ext.data)?),
                CMW_ATTESTATION if ext.data.is_empty() => attestation = true,
                CMW_ATTESTATION => {
                    return Err(Error::Malformed {
                        what: "authenticator request",
                        reason: "cmw_attestation must be empty in a request".into(),
                    });
                }
                _ => {}
            }
        }
        let schemes = schemes.ok_or(Error::Malformed {
            what: "authenticator request",
            reason: "no signature_algorithms extension".into(),
        })?;
        Ok(Self {
            encoded: msg.bytes.to_vec(),
            kind,
            context: context.to_vec(),
            schemes,
            attestation,
        })
    }

    /// The exact bytes of the message (part of the authenticator transcript).
    pub fn encoded(&self) -> &[u8] {
        &self.encoded
    }

    /// Which message this is.
    pub fn kind(&self) -> RequestKind {
        self.kind
    }

    /// The `certificate_request_context`.
    pub fn context(&self) -> &[u8] {
        &self.context
    }

    /// The signature schemes the requester accepts, in its order of preference.
    pub fn schemes(&self) -> &[SignatureScheme] {
        &self.schemes
    }

    /// Whether the request carries the empty `cmw_attestation` extension.
    pub fn requests_attestation(&self) -> bool {
        self.attestation
    }
}

fn decode_schemes(data: &[u8]) -> Result<Vec<SignatureScheme>, Error> {
    let mut r = Reader::new(data, "signature_algorithms");
    let list = r.vector(2, 2, MAX_U16 - 1, "supported_signature_algorithms")?;
    r.finish()?;
    if list.len() % 2 != 0 {
        return Err(Error::Malformed {
            what: "signature_algorithms",
            reason: "odd length".into(),
        });
    }
    let mut inner = Reader::new(list, "signature_algorithms");
    let mut out = Vec::with_capacity(list.len() / 2);
    while !inner.is_empty() {
        out.push(SignatureScheme::from(inner.u16()?));
    }
    Ok(out)
}

/// One CertificateEntry: a DER certificate and its extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateEntry<'a> {
    /// The DER certificate.
    pub cert: &'a [u8],
    /// The entry's extensions.
    pub extensions: Vec<Extension<'a>>,
}

/// A Certificate message (RFC 8446 §4.4.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateMsg<'a> {
    /// The `certificate_request_context` echoed from the request.
    pub context: &'a [u8],
    /// The chain, end-entity first.
    pub entries: Vec<CertificateEntry<'a>>,
}

impl CertificateMsg<'_> {
    /// The handshake message bytes; `cmw` becomes the `cmw_attestation` extension of the
    /// first entry.
    pub fn encode(context: &[u8], chain: &[&[u8]], cmw: Option<&[u8]>) -> Result<Vec<u8>, Error> {
        let mut list = Vec::new();
        for (index, cert) in chain.iter().enumerate() {
            put_vector(&mut list, 3, MAX_U24, cert, "cert_data")?;
            let mut exts = Vec::new();
            if let (0, Some(cmw)) = (index, cmw) {
                let mut data = Vec::new();
                put_vector(&mut data, 2, MAX_U16, cmw, "cmw_data")?;
                put_extension(&mut exts, CMW_ATTESTATION, &data)?;
            }
            put_vector(&mut list, 2, MAX_U16, &exts, "extensions")?;
        }
        let mut body = Vec::new();
        put_vector(&mut body, 1, MAX_U8, context, "certificate_request_context")?;
        put_vector(&mut body, 3, MAX_U24, &list, "certificate_list")?;
        handshake_message(CERTIFICATE, &body, "Certificate")
    }
}

fn decode_certificate(body: &[u8]) -> Result<CertificateMsg<'_>, Error> {
    let mut r = Reader::new(body, "Certificate");
    let context = r.vector(1, 0, MAX_U8, "certificate_request_context")?;
    let list = r.vector(3, 0, MAX_U24, "certificate_list")?;
    r.finish()?;
    let mut inner = Reader::new(list, "CertificateEntry");
    let mut entries = Vec::new();
    while !inner.is_empty() {
        let cert = inner.vector(3, 1, MAX_U24, "cert_data")?;
        let extensions = read_extensions(&mut inner, 0)?;
        entries.push(CertificateEntry { cert, extensions });
    }
    Ok(CertificateMsg { context, entries })
}

/// The `cmw_data` of a `cmw_attestation` extension: `opaque cmw_data<1..2^16-1>`.
pub fn decode_cmw_data(data: &[u8]) -> Result<&[u8], Error> {
    let mut r = Reader::new(data, "cmw_attestation");
    let cmw = r.vector(2, 1, MAX_U16, "cmw_data")?;
    r.finish()?;
    Ok(cmw)
}

/// A decoded authenticator (RFC 9261 §5) or empty authenticator (§6), each message kept as
/// its exact bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthenticatorMsg<'a> {
    /// Certificate ‖ CertificateVerify ‖ Finished.
    Full {
        /// The Certificate message bytes.
        certificate_bytes: &'a [u8],
        /// The decoded Certificate.
        certificate: CertificateMsg<'a>,
        /// The CertificateVerify message bytes.
        verify_bytes: &'a [u8],
        /// The signature scheme of CertificateVerify.
        scheme: SignatureScheme,
        /// The signature of CertificateVerify.
        signature: &'a [u8],
        /// The Finished verify_data.
        finished: &'a [u8],
    },
    /// Finished alone: a refusal.
    Empty {
        /// The Finished verify_data.
        finished: &'a [u8],
    },
}

impl<'a> AuthenticatorMsg<'a> {
    /// Decodes the bytes of one authenticator; anything after its Finished is an error.
    pub fn decode(bytes: &'a [u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, "authenticator");
        let first = next_message(&mut r, bytes)?;
        let decoded = match first.msg_type {
            FINISHED => Self::Empty {
                finished: first.body,
            },
            CERTIFICATE => {
                let certificate = decode_certificate(first.body)?;
                let verify = expect(&mut r, bytes, CERTIFICATE_VERIFY)?;
                let (scheme, signature) = decode_certificate_verify(verify.body)?;
                let finished = expect(&mut r, bytes, FINISHED)?;
                Self::Full {
                    certificate_bytes: first.bytes,
                    certificate,
                    verify_bytes: verify.bytes,
                    scheme,
                    signature,
                    finished: finished.body,
                }
            }
            other => return Err(Error::UnexpectedMessage { got: other }),
        };
        r.finish()?;
        Ok(decoded)
    }
}

fn expect<'a>(r: &mut Reader<'a>, whole: &'a [u8], msg_type: u8) -> Result<Message<'a>, Error> {
    let msg = next_message(r, whole)?;
    if msg.msg_type != msg_type {
        return Err(Error::UnexpectedMessage { got: msg.msg_type });
    }
    Ok(msg)
}

/// CertificateVerify (RFC 8446 §4.4.3) as a handshake message.
pub fn encode_certificate_verify(
    scheme: SignatureScheme,
    signature: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut body = Vec::new();
    put_uint(&mut body, 2, usize::from(u16::from(scheme)));
    put_vector(&mut body, 2, MAX_U16, signature, "signature")?;
    handshake_message(CERTIFICATE_VERIFY, &body, "CertificateVerify")
}

fn decode_certificate_verify(body: &[u8]) -> Result<(SignatureScheme, &[u8]), Error> {
    let mut r = Reader::new(body, "CertificateVerify");
    let scheme = SignatureScheme::from(r.u16()?);
    let signature = r.vector(2, 0, MAX_U16, "signature")?;
    r.finish()?;
    Ok((scheme, signature))
}

/// Finished (RFC 8446 §4.4.4) as a handshake message.
pub fn encode_finished(verify_data: &[u8]) -> Result<Vec<u8>, Error> {
    handshake_message(FINISHED, verify_data, "Finished")
}
