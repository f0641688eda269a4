//! Building and validating exported authenticators (RFC 9261 §5–§6), given the connection's
//! authenticator keys. Pure functions: the session layer supplies the keys and the request.

use crate::error::Error;
use crate::expat::CMW_ATTESTATION;
#[cfg(feature = "aws-lc")]
use crate::identity::Identity;
use crate::keys::{AuthenticatorHash, AuthenticatorKeys, Transcript};
use crate::messages::{
    AuthenticatorMsg, AuthenticatorRequest, CertificateEntry, CertificateMsg, decode_cmw_data,
    encode_finished,
};
use rustls::SignatureScheme;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::CertificateDer;

/// The context string of the CertificateVerify signature (RFC 9261 §5.2.2).
pub const CONTEXT_STRING: &[u8] = b"Exported Authenticator";

/// `0x20 * 64 || "Exported Authenticator" || 0x00 || transcript_hash`: what CertificateVerify
/// signs.
pub fn signed_content(transcript_hash: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + CONTEXT_STRING.len() + 1 + transcript_hash.len());
    out.extend_from_slice(&[0x20; 64]);
    out.extend_from_slice(CONTEXT_STRING);
    out.push(0);
    out.extend_from_slice(transcript_hash);
    out
}

#[cfg(feature = "aws-lc")]
/// The authenticator answering `request` with `identity`; `cmw`, when given, travels in the
/// first CertificateEntry as `cmw_attestation` and is refused unless the request asked for it.
pub fn authenticate(
    keys: &AuthenticatorKeys,
    hash: &AuthenticatorHash,
    request: &AuthenticatorRequest,
    identity: &Identity,
    cmw: Option<&[u8]>,
) -> Result<Vec<u8>, Error> {
    if cmw.is_some() && !request.requests_attestation() {
        return Err(Error::UnsolicitedExtension(CMW_ATTESTATION));
    }
    let max = crate::expat::MAX_CMW_LEN;
    if let Some(cmw) = cmw.filter(|c| c.len() > max) {
        return Err(Error::TooLarge {
            what: "evidence CMW",
            len: cmw.len(),
            max,
        });
    }
    let tls13: Vec<SignatureScheme> = request
        .schemes()
        .iter()
        .copied()
        .filter(|s| is_tls13_scheme(*s))
        .collect();
    let signer = identity
        .signing_key()
        .choose_scheme(&tls13)
        .ok_or(Error::NoCommonScheme)?;
    let chain: Vec<&[u8]> = identity.chain().iter().map(|c| c.as_ref()).collect();
    let certificate = CertificateMsg::encode(request.context(), &chain, cmw)?;
    let mut transcript = hash.transcript(&keys.handshake_context);
    transcript.add(request.encoded());
    transcript.add(&certificate);
    let signature = signer.sign(&signed_content(&transcript.current()))?;
    let verify = crate::messages::encode_certificate_verify(signer.scheme(), &signature)?;
    transcript.add(&verify);
    let finished = finished_mac(keys, hash, &transcript);
    let mut out = certificate;
    out.extend_from_slice(&verify);
    out.extend_from_slice(&encode_finished(&finished)?);
    Ok(out)
}

/// The empty authenticator (RFC 9261 §6): a refusal, MACed over an empty Certificate.
pub fn refuse(
    keys: &AuthenticatorKeys,
    hash: &AuthenticatorHash,
    request: &AuthenticatorRequest,
) -> Result<Vec<u8>, Error> {
    encode_finished(&empty_finished_mac(keys, hash, request)?)
}

/// The Finished MAC of the empty authenticator: over the request and an empty Certificate.
fn empty_finished_mac(
    keys: &AuthenticatorKeys,
    hash: &AuthenticatorHash,
    request: &AuthenticatorRequest,
) -> Result<Vec<u8>, Error> {
    let certificate = CertificateMsg::encode(request.context(), &[], None)?;
    let mut transcript = hash.transcript(&keys.handshake_context);
    transcript.add(request.encoded());
    transcript.add(&certificate);
    Ok(finished_mac(keys, hash, &transcript))
}

/// `HMAC(finished_key, Hash(Handshake Context || messages))` (RFC 9261 §5.2.3).
fn finished_mac(
    keys: &AuthenticatorKeys,
    hash: &AuthenticatorHash,
    transcript: &Transcript,
) -> Vec<u8> {
    hash.hmac(&keys.finished_key, &transcript.current())
}

/// What a valid authenticator proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validated {
    /// The certificate chain, end-entity first.
    pub chain: Vec<CertificateDer<'static>>,
    /// The CertificateVerify scheme.
    pub scheme: SignatureScheme,
    /// The `cmw_data` of `cmw_attestation`, when present.
    pub cmw: Option<Vec<u8>>,
}

/// Validates `bytes` as the answer to `request`: the context, the extensions (only those the
/// request carried), the scheme (offered and TLS 1.3), the CertificateVerify signature with
/// the end-entity key, then the Finished MAC, compared in constant time.
pub fn validate(
    keys: &AuthenticatorKeys,
    hash: &AuthenticatorHash,
    request: &AuthenticatorRequest,
    bytes: &[u8],
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<Validated, Error> {
    match AuthenticatorMsg::decode(bytes)? {
        AuthenticatorMsg::Empty { finished } => {
            check_finished(&empty_finished_mac(keys, hash, request)?, finished)?;
            Err(Error::Refused)
        }
        AuthenticatorMsg::Full {
            certificate_bytes,
            certificate,
            verify_bytes,
            scheme,
            signature,
            finished,
        } => {
            if certificate.context != request.context() {
                return Err(Error::UnknownContext);
            }
            let cmw = check_entries(&certificate.entries, request)?;
            if !request.schemes().contains(&scheme) || !is_tls13_scheme(scheme) {
                return Err(Error::SchemeNotOffered(scheme));
            }
            let end_entity = certificate.entries.first().ok_or(Error::NoCertificate)?;
            let mut transcript = hash.transcript(&keys.handshake_context);
            transcript.add(request.encoded());
            transcript.add(certificate_bytes);
            verify_signature(
                end_entity.cert,
                scheme,
                &signed_content(&transcript.current()),
                signature,
                algorithms,
            )?;
            transcript.add(verify_bytes);
            check_finished(&finished_mac(keys, hash, &transcript), finished)?;
            Ok(Validated {
                chain: certificate
                    .entries
                    .iter()
                    .map(|e| CertificateDer::from(e.cert.to_vec()))
                    .collect(),
                scheme,
                cmw: cmw.map(<[u8]>::to_vec),
            })
        }
    }
}

/// Only the first entry may carry `cmw_attestation`, and only when requested; no other
/// extension was requested, so any other is unsolicited.
fn check_entries<'a>(
    entries: &[CertificateEntry<'a>],
    request: &AuthenticatorRequest,
) -> Result<Option<&'a [u8]>, Error> {
    let mut cmw = None;
    for (index, entry) in entries.iter().enumerate() {
        for ext in &entry.extensions {
            let solicited =
                ext.typ == CMW_ATTESTATION && index == 0 && request.requests_attestation();
            if !solicited {
                return Err(Error::UnsolicitedExtension(ext.typ));
            }
            cmw = Some(decode_cmw_data(ext.data)?);
        }
    }
    if request.requests_attestation() && cmw.is_none() {
        return Err(Error::MissingEvidence);
    }
    Ok(cmw)
}

fn verify_signature(
    cert: &[u8],
    scheme: SignatureScheme,
    message: &[u8],
    signature: &[u8],
    algorithms: &WebPkiSupportedAlgorithms,
) -> Result<(), Error> {
    let alg = algorithms
        .mapping
        .iter()
        .find(|(s, _)| *s == scheme)
        .and_then(|(_, algs)| algs.first())
        .ok_or(Error::SchemeNotOffered(scheme))?;
    let der = CertificateDer::from(cert);
    let end_entity = webpki::EndEntityCert::try_from(&der).map_err(|e| Error::Malformed {
        what: "end-entity certificate",
        reason: e.to_string(),
    })?;
    end_entity
        .verify_signature(*alg, message, signature)
        .map_err(|_| Error::Signature)
}

fn check_finished(expected: &[u8], got: &[u8]) -> Result<(), Error> {
    if constant_time_eq(expected, got) {
        Ok(())
    } else {
        Err(Error::Finished)
    }
}

/// Equality whose time depends on the lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The schemes RFC 8446 §4.2.3 allows in a TLS 1.3 CertificateVerify (no PKCS#1 v1.5, no
/// ECDSA with a hash other than the curve's).
fn is_tls13_scheme(scheme: SignatureScheme) -> bool {
    matches!(
        scheme,
        SignatureScheme::ECDSA_NISTP256_SHA256
            | SignatureScheme::ECDSA_NISTP384_SHA384
            | SignatureScheme::ECDSA_NISTP521_SHA512
            | SignatureScheme::ED25519
            | SignatureScheme::ED448
            | SignatureScheme::RSA_PSS_SHA256
            | SignatureScheme::RSA_PSS_SHA384
            | SignatureScheme::RSA_PSS_SHA512
    )
}
