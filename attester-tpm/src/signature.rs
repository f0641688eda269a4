//! TPMT_SIGNATURE (Part 2, Table 219) for the schemes a quote verifier accepts: RSASSA and
//! RSAPSS (`hash ‖ TPM2B_PUBLIC_KEY_RSA`) and ECDSA (`hash ‖ TPM2B r ‖ TPM2B s`).

use crate::raw::{MAX_ECC_KEY_BYTES, MAX_RSA_KEY_BYTES, SignatureHeader};
use crate::reader::Reader;
use crate::{HashAlgId, TpmError, alg};

/// A signature scheme a quote can be signed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigScheme {
    /// RSASSA-PKCS1-v1_5.
    RsaSsa,
    /// RSASSA-PSS.
    RsaPss,
    /// ECDSA.
    Ecdsa,
}

impl SigScheme {
    /// The TPM_ALG_ID.
    pub fn id(self) -> u16 {
        match self {
            Self::RsaSsa => alg::RSASSA,
            Self::RsaPss => alg::RSAPSS,
            Self::Ecdsa => alg::ECDSA,
        }
    }

    /// The scheme of a TPM_ALG_ID.
    pub fn from_id(id: u16) -> Option<Self> {
        match id {
            alg::RSASSA => Some(Self::RsaSsa),
            alg::RSAPSS => Some(Self::RsaPss),
            alg::ECDSA => Some(Self::Ecdsa),
            _ => None,
        }
    }

    /// A short name (`rsassa`, `rsapss`, `ecdsa`).
    pub fn name(self) -> &'static str {
        match self {
            Self::RsaSsa => "rsassa",
            Self::RsaPss => "rsapss",
            Self::Ecdsa => "ecdsa",
        }
    }
}

/// A parsed TPMT_SIGNATURE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TpmSignature<'a> {
    /// RSASSA or RSAPSS: the signature, big-endian, the modulus length.
    Rsa {
        /// RSASSA or RSAPSS.
        scheme: SigScheme,
        /// The hash the message was signed with.
        hash: HashAlgId,
        /// The signature value.
        sig: &'a [u8],
    },
    /// ECDSA: `r` and `s`, big-endian, possibly shorter than the curve's field.
    Ecdsa {
        /// The hash the message was signed with.
        hash: HashAlgId,
        /// `signatureR`.
        r: &'a [u8],
        /// `signatureS`.
        s: &'a [u8],
    },
}

impl<'a> TpmSignature<'a> {
    /// Parses a TPMT_SIGNATURE that fills `bytes` exactly.
    ///
    /// # Errors
    /// [`TpmError`] for truncation, over-long fields, trailing bytes, or a scheme other than
    /// RSASSA, RSAPSS or ECDSA ([`TpmError::Unsupported`]).
    pub fn parse(bytes: &'a [u8]) -> Result<Self, TpmError> {
        let mut r = Reader::new(bytes);
        let header: &SignatureHeader = r.view("TPMT_SIGNATURE header")?;
        let scheme = SigScheme::from_id(header.sig_alg.get()).ok_or(TpmError::Unsupported {
            what: "signature scheme",
            value: header.sig_alg.get(),
        })?;
        let hash = HashAlgId::new(header.hash.get()).ok_or(TpmError::Unsupported {
            what: "signature hash",
            value: header.hash.get(),
        })?;
        let signature = match scheme {
            SigScheme::RsaSsa | SigScheme::RsaPss => Self::Rsa {
                scheme,
                hash,
                sig: r.tpm2b("TPMS_SIGNATURE_RSA.sig", MAX_RSA_KEY_BYTES)?,
            },
            SigScheme::Ecdsa => Self::Ecdsa {
                hash,
                r: r.tpm2b("TPMS_SIGNATURE_ECC.signatureR", MAX_ECC_KEY_BYTES)?,
                s: r.tpm2b("TPMS_SIGNATURE_ECC.signatureS", MAX_ECC_KEY_BYTES)?,
            },
        };
        r.finish("TPMT_SIGNATURE")?;
        Ok(signature)
    }

    /// The scheme.
    pub fn scheme(&self) -> SigScheme {
        match self {
            Self::Rsa { scheme, .. } => *scheme,
            Self::Ecdsa { .. } => SigScheme::Ecdsa,
        }
    }

    /// The hash the signed message was hashed with.
    pub fn hash(&self) -> HashAlgId {
        match self {
            Self::Rsa { hash, .. } | Self::Ecdsa { hash, .. } => *hash,
        }
    }
}
