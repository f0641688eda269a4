//! PEM (RFC 7468) as vendors ship certificates: blocks with text around them, CRLF or LF, and
//! sometimes a trailing NUL (Intel's PCK chains inside quotes).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::Certificate;
use crate::Error;

const BEGIN: &[u8] = b"-----BEGIN ";
const DASHES: &[u8] = b"-----";

/// One decoded PEM block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemBlock {
    /// The label of the BEGIN line (`CERTIFICATE`, `PUBLIC KEY`, …).
    pub label: String,
    /// The decoded bytes.
    pub der: Vec<u8>,
}

/// Every PEM block of `input`, in order. Anything outside the blocks (explanatory text, blank
/// lines, NUL padding) is ignored, as RFC 7468 section 2 allows; inside a block only base64 and
/// whitespace may appear (no RFC 1421 headers).
///
/// # Errors
/// [`Error::Malformed`] for an unterminated block or a body that is not base64.
pub fn pem_blocks(input: &[u8]) -> Result<Vec<PemBlock>, Error> {
    let malformed = |reason: &'static str| Error::malformed("PEM", reason);
    let mut blocks = Vec::new();
    let mut rest = input;
    while let Some(start) = find(rest, BEGIN) {
        let after_begin = rest.get(start + BEGIN.len()..).unwrap_or(&[]);
        let label_len = find(after_begin, DASHES).ok_or(malformed("unterminated BEGIN line"))?;
        let label = after_begin.get(..label_len).unwrap_or(&[]);
        if !label.iter().all(|&c| c.is_ascii_graphic() || c == b' ') {
            return Err(malformed("PEM label is not printable ASCII"));
        }
        let body_and_rest = after_begin.get(label_len + DASHES.len()..).unwrap_or(&[]);
        let end_marker = [b"-----END ".as_slice(), label, DASHES].concat();
        let body_len = find(body_and_rest, &end_marker).ok_or(malformed("no matching END line"))?;
        let body: Vec<u8> = body_and_rest
            .get(..body_len)
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        let der = STANDARD
            .decode(&body)
            .map_err(|_| malformed("PEM body is not base64"))?;
        blocks.push(PemBlock {
            label: String::from_utf8_lossy(label).into_owned(),
            der,
        });
        rest = body_and_rest
            .get(body_len + end_marker.len()..)
            .unwrap_or(&[]);
    }
    Ok(blocks)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Parses every `CERTIFICATE` block of a PEM input, in order (leaf first for the chains
/// vendors ship).
///
/// # Errors
/// [`Error::Malformed`] when there is no block, a block is not a certificate, or one does not
/// parse as [`Certificate::from_der`].
pub fn parse_pem_chain(pem: &[u8]) -> Result<Vec<Certificate>, Error> {
    parse_pem_chain_reusing(pem, &[])
}

/// [`parse_pem_chain`], taking a block whose DER equals a certificate of `known` from there
/// instead of parsing it again. Vendor chains repeat the same certificates (Intel's root ends
/// the PCK chain and every collateral issuer chain): parsing one costs far more than comparing
/// its bytes, and a reused [`Certificate`] is a cheap shared clone.
///
/// # Errors
/// As [`parse_pem_chain`].
pub fn parse_pem_chain_reusing(
    pem: &[u8],
    known: &[Certificate],
) -> Result<Vec<Certificate>, Error> {
    let blocks = pem_blocks(pem)?;
    if blocks.is_empty() {
        return Err(Error::malformed("PEM", "no CERTIFICATE block"));
    }
    blocks
        .into_iter()
        .map(|block| {
            if block.label != "CERTIFICATE" {
                return Err(Error::malformed(
                    "PEM",
                    format!("expected CERTIFICATE blocks, found {}", block.label),
                ));
            }
            match known.iter().find(|cert| cert.der() == block.der.as_slice()) {
                Some(cert) => Ok(cert.clone()),
                None => Certificate::from_der(&block.der),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_with_text_crlf_and_nul() {
        let input = b"junk\r\n-----BEGIN THING-----\r\nAAEC\r\nAw==\r\n-----END THING-----\r\nmore\n-----BEGIN OTHER-----\n/w==\n-----END OTHER-----\n\0";
        let blocks = pem_blocks(input).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "THING");
        assert_eq!(blocks[0].der, [0, 1, 2, 3]);
        assert_eq!(blocks[1].label, "OTHER");
        assert_eq!(blocks[1].der, [0xff]);
    }

    #[test]
    fn broken_blocks_are_errors() {
        for input in [
            &b"-----BEGIN X-----\nAAAA\n"[..],
            b"-----BEGIN X-----\nAAAA\n-----END Y-----\n",
            b"-----BEGIN X-----\nA*AA\n-----END X-----\n",
            b"-----BEGIN X\nAAAA\n",
            b"-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END X-----\n",
        ] {
            assert!(
                pem_blocks(input).is_err(),
                "{}",
                String::from_utf8_lossy(input)
            );
        }
        assert!(pem_blocks(b"no pem here").unwrap().is_empty());
        assert!(parse_pem_chain(b"no pem here").is_err());
        assert!(parse_pem_chain(b"-----BEGIN X-----\nAAAA\n-----END X-----\n").is_err());
    }
}
