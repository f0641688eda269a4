//! The `signatureAlgorithm` of a certificate, mapped onto the crypto seam's algorithms.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::{Reader, TagMode, TagNumber};
use x509_cert::spki::{AlgorithmIdentifierOwned, AlgorithmIdentifierRef};

use super::Oid;
use crate::crypto::{HashAlg, KeyType, SignatureAlg};

const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
const RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
const MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");

/// The signature algorithm a certificate names.
///
/// ECDSA identifiers do not name the curve; it comes from the issuer's key, which
/// [`CertSignatureAlg::for_key`] combines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CertSignatureAlg {
    /// `ecdsa-with-SHA256/384/512` (RFC 5758), without parameters.
    Ecdsa {
        /// The message hash.
        hash: HashAlg,
    },
    /// `id-RSASSA-PSS` with parameters naming SHA-256/384/512 for both the hash and MGF1, a salt
    /// of the hash length and the default trailer (AMD's certificates: SHA-384, salt 48).
    RsaPss {
        /// The message hash, also MGF1's.
        hash: HashAlg,
    },
    /// `sha256/384/512WithRSAEncryption` (RFC 4055).
    RsaPkcs1 {
        /// The message hash.
        hash: HashAlg,
    },
    /// Anything else: an unsupported algorithm, or PSS parameters other than the above.
    Unsupported {
        /// The algorithm OID.
        oid: Oid,
        /// Why it is not supported.
        reason: &'static str,
    },
}

impl CertSignatureAlg {
    /// The seam's algorithm for a signature by a key of type `key`, or `None` when the two do
    /// not fit together (or the algorithm is unsupported).
    pub fn for_key(self, key: KeyType) -> Option<SignatureAlg> {
        match (self, key) {
            (Self::Ecdsa { hash }, KeyType::Ec(curve)) => Some(SignatureAlg::Ecdsa { curve, hash }),
            (Self::RsaPss { hash }, KeyType::Rsa) => Some(SignatureAlg::RsaPss { hash }),
            (Self::RsaPkcs1 { hash }, KeyType::Rsa) => Some(SignatureAlg::RsaPkcs1 { hash }),
            _ => None,
        }
    }

    /// Maps a DER `AlgorithmIdentifier`.
    pub(crate) fn from_identifier(alg: &AlgorithmIdentifierOwned) -> Self {
        let oid = alg.oid;
        let params = alg.parameters.as_ref().map(|p| p.to_ref());
        let unsupported = |reason| Self::Unsupported { oid, reason };
        let ecdsa = [
            (ECDSA_WITH_SHA256, HashAlg::Sha256),
            (ECDSA_WITH_SHA384, HashAlg::Sha384),
            (ECDSA_WITH_SHA512, HashAlg::Sha512),
        ];
        if let Some((_, hash)) = ecdsa.iter().find(|(id, _)| *id == oid) {
            // RFC 5758 3.2: the parameters field MUST be absent.
            return match params {
                None => Self::Ecdsa { hash: *hash },
                Some(_) => unsupported("ECDSA algorithm identifier with parameters"),
            };
        }
        let pkcs1 = [
            (SHA256_WITH_RSA, HashAlg::Sha256),
            (SHA384_WITH_RSA, HashAlg::Sha384),
            (SHA512_WITH_RSA, HashAlg::Sha512),
        ];
        if let Some((_, hash)) = pkcs1.iter().find(|(id, _)| *id == oid) {
            // RFC 4055 5: NULL; absent parameters are seen in the field and mean the same.
            return match params {
                None => Self::RsaPkcs1 { hash: *hash },
                Some(p) if p.is_null() => Self::RsaPkcs1 { hash: *hash },
                Some(_) => unsupported("PKCS#1 v1.5 algorithm identifier with parameters"),
            };
        }
        if oid == RSASSA_PSS {
            return match params.map(pss_hash) {
                Some(Ok(hash)) => Self::RsaPss { hash },
                Some(Err(reason)) => unsupported(reason),
                None => unsupported("RSASSA-PSS without parameters (SHA-1 defaults)"),
            };
        }
        unsupported("signature algorithm other than ECDSA, RSASSA-PSS or PKCS#1 v1.5")
    }
}

/// The hash of `RSASSA-PSS-params` (RFC 8017 A.2.3, explicitly tagged) when the parameters are
/// the consistent set this crate supports: hash H in {SHA-256, SHA-384, SHA-512}, MGF1 over H,
/// salt length = output length of H, trailer field 1 (or absent).
fn pss_hash(params: AnyRef<'_>) -> Result<HashAlg, &'static str> {
    struct Params<'a> {
        hash: Option<AlgorithmIdentifierRef<'a>>,
        mgf: Option<AlgorithmIdentifierRef<'a>>,
        salt: Option<u32>,
        trailer: Option<u8>,
    }
    let parsed: der::Result<Params<'_>> = params.sequence(|r| {
        Ok(Params {
            hash: r.context_specific(TagNumber(0), TagMode::Explicit)?,
            mgf: r.context_specific(TagNumber(1), TagMode::Explicit)?,
            salt: r.context_specific(TagNumber(2), TagMode::Explicit)?,
            trailer: r.context_specific(TagNumber(3), TagMode::Explicit)?,
        })
    });
    let params = parsed.map_err(|_| "RSASSA-PSS parameters are not valid DER")?;
    let hash_id = params
        .hash
        .ok_or("RSASSA-PSS with the default SHA-1 hash")?;
    let hash = hash_from_identifier(&hash_id).ok_or("RSASSA-PSS hash is not SHA-256/384/512")?;
    let mgf = params.mgf.ok_or("RSASSA-PSS with the default MGF1-SHA-1")?;
    if mgf.oid != MGF1 {
        return Err("RSASSA-PSS mask generation is not MGF1");
    }
    let mgf_hash = mgf
        .parameters
        .ok_or("MGF1 without a hash")?
        .decode_as::<AlgorithmIdentifierRef<'_>>()
        .map_err(|_| "MGF1 hash is not an AlgorithmIdentifier")?;
    if hash_from_identifier(&mgf_hash) != Some(hash) {
        return Err("RSASSA-PSS MGF1 hash differs from the message hash");
    }
    let salt = params
        .salt
        .ok_or("RSASSA-PSS with the default 20-byte salt")?;
    if usize::try_from(salt).ok() != Some(hash.output_len()) {
        return Err("RSASSA-PSS salt length is not the hash length");
    }
    if params.trailer.is_some_and(|t| t != 1) {
        return Err("RSASSA-PSS trailer field is not 1");
    }
    Ok(hash)
}

fn hash_from_identifier(alg: &AlgorithmIdentifierRef<'_>) -> Option<HashAlg> {
    // RFC 5754 2: hash identifiers come with absent or NULL parameters.
    if alg.parameters.is_some_and(|p| !p.is_null()) {
        return None;
    }
    hash_from_oid(alg.oid)
}

fn hash_from_oid(oid: ObjectIdentifier) -> Option<HashAlg> {
    match oid {
        o if o == SHA256 => Some(HashAlg::Sha256),
        o if o == SHA384 => Some(HashAlg::Sha384),
        o if o == SHA512 => Some(HashAlg::Sha512),
        _ => None,
    }
}

/// The `AlgorithmIdentifier` the builder writes for ECDSA with `hash` (parameters absent).
#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
pub(crate) fn ecdsa_identifier(hash: HashAlg) -> AlgorithmIdentifierOwned {
    let oid = match hash {
        HashAlg::Sha256 => ECDSA_WITH_SHA256,
        HashAlg::Sha384 => ECDSA_WITH_SHA384,
        HashAlg::Sha512 => ECDSA_WITH_SHA512,
    };
    AlgorithmIdentifierOwned {
        oid,
        parameters: None,
    }
}

/// The DER `AlgorithmIdentifier` the builder writes for RSASSA-PSS with `hash`: explicit
/// RSASSA-PSS-params naming `hash`, MGF1 with `hash`, and a salt of the hash's length (the
/// trailer field is the DEFAULT and so absent), which [`CertSignatureAlg`] reads back as
/// [`CertSignatureAlg::RsaPss`].
#[cfg(any(feature = "aws-lc", feature = "rustcrypto"))]
pub(crate) fn rsa_pss_identifier_der(hash: HashAlg) -> der::Result<Vec<u8>> {
    use crate::crypto::encoding::{der_sequence, der_tlv};
    use der::Encode;
    use der::asn1::Null;

    let explicit = |n: u8, inner: &[u8]| {
        der_tlv(
            der::Tag::ContextSpecific {
                constructed: true,
                number: TagNumber(n.into()),
            },
            &[inner],
        )
    };
    let hash_oid = match hash {
        HashAlg::Sha256 => SHA256,
        HashAlg::Sha384 => SHA384,
        HashAlg::Sha512 => SHA512,
    };
    let hash_id = der_sequence(&[&hash_oid.to_der()?, &Null.to_der()?])?;
    let mgf = der_sequence(&[&MGF1.to_der()?, &hash_id])?;
    let salt = u32::try_from(hash.output_len())
        .map_err(|_| der::Error::from(der::ErrorKind::Overflow))?
        .to_der()?;
    let params = der_sequence(&[
        &explicit(0, &hash_id)?,
        &explicit(1, &mgf)?,
        &explicit(2, &salt)?,
    ])?;
    der_sequence(&[&RSASSA_PSS.to_der()?, &params])
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Decode;

    #[test]
    fn builder_pss_identifier_reads_back() {
        for hash in [HashAlg::Sha256, HashAlg::Sha384, HashAlg::Sha512] {
            let der = rsa_pss_identifier_der(hash).unwrap();
            let alg = AlgorithmIdentifierOwned::from_der(&der).unwrap();
            assert_eq!(
                CertSignatureAlg::from_identifier(&alg),
                CertSignatureAlg::RsaPss { hash }
            );
        }
        let hex_384 = hex::encode(rsa_pss_identifier_der(HashAlg::Sha384).unwrap());
        assert!(hex_384.ends_with(PSS_384), "{hex_384}");
    }

    fn pss(params_hex: &str) -> CertSignatureAlg {
        let alg = AlgorithmIdentifierOwned {
            oid: RSASSA_PSS,
            parameters: Some(der::Any::from_der(&hex::decode(params_hex).unwrap()).unwrap()),
        };
        CertSignatureAlg::from_identifier(&alg)
    }

    // RSASSA-PSS-params with SHA-384, MGF1-SHA-384, salt 0x30 and no trailer field, hand-encoded
    // from RFC 8017 A.2.3 (explicit tags [0]..[2]).
    const PSS_384: &str = "3034a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130";
    // The same as AMD's ARK-Milan has it: the default trailer field 1 spelled out as [3].
    const AMD_PSS: &str = "3039a00f300d06096086480165030402020500a11c301a06092a864886f70d010108300d06096086480165030402020500a203020130a303020101";

    #[test]
    fn amd_pss_parameters() {
        assert_eq!(
            pss(PSS_384),
            CertSignatureAlg::RsaPss {
                hash: HashAlg::Sha384
            }
        );
        assert_eq!(
            pss(AMD_PSS),
            CertSignatureAlg::RsaPss {
                hash: HashAlg::Sha384
            }
        );
    }

    #[test]
    fn pss_with_other_salt_or_mgf_hash_is_unsupported() {
        // salt 0x20 with SHA-384
        let salt32 = PSS_384.replace("a203020130", "a203020120");
        assert!(matches!(pss(&salt32), CertSignatureAlg::Unsupported { .. }));
        // MGF1 over SHA-256 with a SHA-384 message hash
        let mgf256 = PSS_384.replace(
            "a11c301a06092a864886f70d010108300d06096086480165030402020500",
            "a11c301a06092a864886f70d010108300d06096086480165030402010500",
        );
        assert!(matches!(pss(&mgf256), CertSignatureAlg::Unsupported { .. }));
        // no parameters at all: SHA-1 defaults
        assert!(matches!(pss("3000"), CertSignatureAlg::Unsupported { .. }));
        // trailer field 2
        let trailer2 = AMD_PSS.replace("a303020101", "a303020102");
        assert!(matches!(
            pss(&trailer2),
            CertSignatureAlg::Unsupported { .. }
        ));
    }

    #[test]
    fn ecdsa_and_pkcs1_identifiers() {
        let ecdsa = ecdsa_identifier_for_test(ECDSA_WITH_SHA256, None);
        assert_eq!(
            ecdsa,
            CertSignatureAlg::Ecdsa {
                hash: HashAlg::Sha256
            }
        );
        let with_null = ecdsa_identifier_for_test(ECDSA_WITH_SHA384, Some(der::Any::null()));
        assert!(matches!(with_null, CertSignatureAlg::Unsupported { .. }));
        let pkcs1 = ecdsa_identifier_for_test(SHA384_WITH_RSA, Some(der::Any::null()));
        assert_eq!(
            pkcs1,
            CertSignatureAlg::RsaPkcs1 {
                hash: HashAlg::Sha384
            }
        );
        let sha1 = ecdsa_identifier_for_test(Oid::new_unwrap("1.2.840.113549.1.1.5"), None);
        assert!(matches!(sha1, CertSignatureAlg::Unsupported { .. }));
    }

    fn ecdsa_identifier_for_test(oid: Oid, parameters: Option<der::Any>) -> CertSignatureAlg {
        CertSignatureAlg::from_identifier(&AlgorithmIdentifierOwned { oid, parameters })
    }
}
