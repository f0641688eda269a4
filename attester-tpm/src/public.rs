//! TPMT_PUBLIC and TPM2B_PUBLIC (Part 2, Tables 191-192) of RSA and ECC keys: the AK's
//! public area, with its attributes and parameters.

use attester_core::crypto::{Curve, PublicKey, digest};

use crate::raw::{MAX_DIGEST, MAX_ECC_KEY_BYTES, MAX_RSA_KEY_BYTES, PublicHeader};
use crate::reader::Reader;
use crate::{HashAlgId, TpmError, alg};

/// TPMA_OBJECT (Part 2, Table 31).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ObjectAttributes(pub u32);

impl ObjectAttributes {
    /// Bit 1: the key cannot leave this TPM.
    pub const FIXED_TPM: u32 = 1 << 1;
    /// Bit 2: flushed on TPM2_Startup(CLEAR).
    pub const ST_CLEAR: u32 = 1 << 2;
    /// Bit 4: the key cannot move to another parent.
    pub const FIXED_PARENT: u32 = 1 << 4;
    /// Bit 5: the TPM generated the private part.
    pub const SENSITIVE_DATA_ORIGIN: u32 = 1 << 5;
    /// Bit 6: the auth value authorizes user actions.
    pub const USER_WITH_AUTH: u32 = 1 << 6;
    /// Bit 7: only a policy authorizes admin actions.
    pub const ADMIN_WITH_POLICY: u32 = 1 << 7;
    /// Bit 10: not subject to dictionary-attack protection.
    pub const NO_DA: u32 = 1 << 10;
    /// Bit 11: duplication needs an inner wrapper.
    pub const ENCRYPTED_DUPLICATION: u32 = 1 << 11;
    /// Bit 16: the key signs or decrypts only TPM-structured data.
    pub const RESTRICTED: u32 = 1 << 16;
    /// Bit 17: a decryption key.
    pub const DECRYPT: u32 = 1 << 17;
    /// Bit 18: a signing key.
    pub const SIGN: u32 = 1 << 18;
    /// What an attestation key must have: restricted, sign, fixedTPM and fixedParent. A
    /// restricted signing key refuses to sign external data that starts with
    /// TPM_GENERATED_VALUE, so what it signs with that magic came from the TPM.
    pub const AK_REQUIRED: u32 =
        Self::RESTRICTED | Self::SIGN | Self::FIXED_TPM | Self::FIXED_PARENT;

    /// The bits Part 2 (Table 31, rev 1.59) reserves: 0, 3, 8, 9, 12-15 and 20-31 (bit 19 is
    /// x509sign). They must be zero.
    pub const RESERVED: u32 = 1 | 1 << 3 | 0x0300 | 0xf000 | 0xfff0_0000;

    const NAMES: [(u32, &'static str); 11] = [
        (Self::FIXED_TPM, "fixedTPM"),
        (Self::ST_CLEAR, "stClear"),
        (Self::FIXED_PARENT, "fixedParent"),
        (Self::SENSITIVE_DATA_ORIGIN, "sensitiveDataOrigin"),
        (Self::USER_WITH_AUTH, "userWithAuth"),
        (Self::ADMIN_WITH_POLICY, "adminWithPolicy"),
        (Self::NO_DA, "noDA"),
        (Self::ENCRYPTED_DUPLICATION, "encryptedDuplication"),
        (Self::RESTRICTED, "restricted"),
        (Self::DECRYPT, "decrypt"),
        (Self::SIGN, "sign"),
    ];

    /// Whether every bit of `mask` is set.
    pub fn has(self, mask: u32) -> bool {
        self.0 & mask == mask
    }

    /// The names of the set attributes, in bit order.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(bit, _)| self.0 & bit != 0)
            .map(|(_, name)| *name)
            .collect()
    }

    /// The names of the AK attributes in [`Self::AK_REQUIRED`] that are missing.
    pub fn missing_for_ak(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(bit, _)| Self::AK_REQUIRED & bit != 0 && self.0 & bit == 0)
            .map(|(_, name)| *name)
            .collect()
    }
}

/// TPM_ECC_CURVE (Part 2, Table 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EccCurveId(pub u16);

impl EccCurveId {
    /// TPM_ECC_NIST_P256.
    pub const NIST_P256: Self = Self(0x0003);
    /// TPM_ECC_NIST_P384.
    pub const NIST_P384: Self = Self(0x0004);

    /// The curve as the crypto seam knows it (P-256, P-384).
    pub fn curve(self) -> Option<Curve> {
        match self {
            Self::NIST_P256 => Some(Curve::P256),
            Self::NIST_P384 => Some(Curve::P384),
            _ => None,
        }
    }
}

/// The algorithm-specific part of a public area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyParams<'a> {
    /// TPMS_RSA_PARMS and the modulus.
    Rsa {
        /// `symmetric.algorithm` (TPM_ALG_NULL for a signing key).
        symmetric: u16,
        /// `scheme.scheme` (TPM_ALG_NULL when any scheme may be used).
        scheme: u16,
        /// The scheme's hash, when the scheme has one.
        scheme_hash: Option<u16>,
        /// `keyBits`.
        key_bits: u16,
        /// `exponent` (0 means 65537).
        exponent: u32,
        /// `unique.rsa`: the modulus, big-endian.
        modulus: &'a [u8],
    },
    /// TPMS_ECC_PARMS and the point.
    Ecc {
        /// `symmetric.algorithm`.
        symmetric: u16,
        /// `scheme.scheme`.
        scheme: u16,
        /// The scheme's hash, when the scheme has one.
        scheme_hash: Option<u16>,
        /// `curveID`.
        curve: EccCurveId,
        /// `kdf.scheme`.
        kdf: u16,
        /// `unique.ecc.x`, big-endian, possibly shorter than the field.
        x: &'a [u8],
        /// `unique.ecc.y`.
        y: &'a [u8],
    },
}

/// A parsed TPMT_PUBLIC of an RSA or ECC key.
#[derive(Clone, Copy, Debug)]
pub struct Public<'a> {
    bytes: &'a [u8],
    name_alg: u16,
    attributes: ObjectAttributes,
    auth_policy: &'a [u8],
    params: KeyParams<'a>,
}

impl std::fmt::Debug for PublicHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "type={:#x}", self.kind.get())
    }
}

impl<'a> Public<'a> {
    /// Parses a TPMT_PUBLIC that fills `bytes` exactly.
    ///
    /// # Errors
    /// [`TpmError`] for truncation, over-long fields, trailing bytes, an RSA modulus whose
    /// length is not `keyBits`, or a type, scheme or KDF this crate does not read.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, TpmError> {
        let mut r = Reader::new(bytes);
        let header: &PublicHeader = r.view("TPMT_PUBLIC header")?;
        let name_alg = header.name_alg.get();
        if name_alg != alg::NULL && HashAlgId::new(name_alg).is_none() {
            return Err(TpmError::Unsupported {
                what: "TPMT_PUBLIC.nameAlg",
                value: name_alg,
            });
        }
        if header.object_attributes.get() & ObjectAttributes::RESERVED != 0 {
            return Err(TpmError::Invalid {
                what: "TPMT_PUBLIC.objectAttributes",
                reason: "a reserved bit is set",
            });
        }
        let auth_policy = r.tpm2b("TPMT_PUBLIC.authPolicy", MAX_DIGEST)?;
        let params = match header.kind.get() {
            alg::RSA => read_rsa(&mut r)?,
            alg::ECC => read_ecc(&mut r)?,
            other => {
                return Err(TpmError::Unsupported {
                    what: "TPMT_PUBLIC.type",
                    value: other,
                });
            }
        };
        r.finish("TPMT_PUBLIC")?;
        Ok(Self {
            bytes,
            name_alg,
            attributes: ObjectAttributes(header.object_attributes.get()),
            auth_policy,
            params,
        })
    }

    /// Parses a TPM2B_PUBLIC (`u16 size ‖ TPMT_PUBLIC`) that fills `bytes` exactly.
    ///
    /// # Errors
    /// As [`Self::parse`], and when `size` disagrees with the bytes present.
    pub fn parse_tpm2b(bytes: &'a [u8]) -> Result<Self, TpmError> {
        let mut r = Reader::new(bytes);
        let inner = r.tpm2b("TPM2B_PUBLIC", usize::from(u16::MAX))?;
        r.finish("TPM2B_PUBLIC")?;
        Self::parse(inner)
    }

    /// The TPMT_PUBLIC bytes (what the Name hashes).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// `type`: TPM_ALG_RSA or TPM_ALG_ECC.
    pub fn key_type(&self) -> u16 {
        match self.params {
            KeyParams::Rsa { .. } => alg::RSA,
            KeyParams::Ecc { .. } => alg::ECC,
        }
    }

    /// `nameAlg`.
    pub fn name_alg(&self) -> u16 {
        self.name_alg
    }

    /// `objectAttributes`.
    pub fn attributes(&self) -> ObjectAttributes {
        self.attributes
    }

    /// `authPolicy`.
    pub fn auth_policy(&self) -> &'a [u8] {
        self.auth_policy
    }

    /// `parameters` and `unique`.
    pub fn params(&self) -> KeyParams<'a> {
        self.params
    }

    /// The key's Name: `nameAlg ‖ H_nameAlg(TPMT_PUBLIC)`; `None` when the seam does not
    /// compute `nameAlg` (SHA-1, SM3, SHA-3) or it is TPM_ALG_NULL.
    pub fn name(&self) -> Option<Vec<u8>> {
        let hash = HashAlgId::new(self.name_alg)?.seam_hash()?;
        let mut name = self.name_alg.to_be_bytes().to_vec();
        name.extend_from_slice(digest(hash, self.bytes).as_bytes());
        Some(name)
    }

    /// The public key in a form the crypto seam takes.
    ///
    /// # Errors
    /// [`TpmError::Unsupported`] for a curve other than P-256 or P-384, [`TpmError::Invalid`]
    /// for a coordinate longer than the curve's field.
    pub fn key(&self) -> Result<AkKey<'a>, TpmError> {
        match self.params {
            KeyParams::Rsa {
                exponent, modulus, ..
            } => {
                // TPM 2.0 Part 2, 12.2.3.5: an exponent of zero means 2^16 + 1.
                let e = if exponent == 0 { 65_537 } else { exponent };
                Ok(AkKey::Rsa {
                    n: modulus,
                    e: e.to_be_bytes(),
                })
            }
            KeyParams::Ecc { curve, x, y, .. } => {
                let seam_curve = curve.curve().ok_or(TpmError::Unsupported {
                    what: "ECC curve",
                    value: curve.0,
                })?;
                let len = seam_curve.scalar_len();
                let mut point = vec![0u8; 1 + 2 * len];
                if let Some(first) = point.first_mut() {
                    *first = 0x04;
                }
                for (coordinate, start) in [(x, 1), (y, 1 + len)] {
                    let target = point
                        .get_mut(start..start + len)
                        .and_then(|field| field.get_mut(len.checked_sub(coordinate.len())?..))
                        .ok_or(TpmError::Invalid {
                            what: "TPMS_ECC_POINT",
                            reason: "coordinate longer than the curve's field",
                        })?;
                    target.copy_from_slice(coordinate);
                }
                Ok(AkKey::Ec {
                    curve: seam_curve,
                    sec1: point,
                })
            }
        }
    }
}

/// A TPM public key as the crypto seam takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AkKey<'a> {
    /// An uncompressed SEC1 point.
    Ec {
        /// The curve.
        curve: Curve,
        /// `0x04 ‖ X ‖ Y`, each left-padded to the field.
        sec1: Vec<u8>,
    },
    /// RSA modulus and exponent.
    Rsa {
        /// The modulus.
        n: &'a [u8],
        /// The exponent, big-endian.
        e: [u8; 4],
    },
}

impl AkKey<'_> {
    /// The key as the seam's [`PublicKey`].
    pub fn public_key(&self) -> PublicKey<'_> {
        match self {
            Self::Ec { curve, sec1 } => PublicKey::EcPoint {
                curve: *curve,
                sec1,
            },
            Self::Rsa { n, e } => PublicKey::Rsa { n, e },
        }
    }
}

/// TPMT_SYM_DEF_OBJECT: `algorithm`, then `keyBits ‖ mode` unless NULL.
fn read_symmetric(r: &mut Reader<'_>) -> Result<u16, TpmError> {
    let algorithm = r.u16("TPMT_SYM_DEF_OBJECT.algorithm")?;
    if algorithm != alg::NULL {
        r.u16("TPMT_SYM_DEF_OBJECT.keyBits")?;
        r.u16("TPMT_SYM_DEF_OBJECT.mode")?;
    }
    Ok(algorithm)
}

/// An asymmetric scheme: `scheme`, then its details (Part 2, Tables 157-162).
fn read_scheme(r: &mut Reader<'_>) -> Result<(u16, Option<u16>), TpmError> {
    const RSAES: u16 = 0x0015;
    const OAEP: u16 = 0x0017;
    const ECDH: u16 = 0x0019;
    const SM2: u16 = 0x001b;
    const ECSCHNORR: u16 = 0x001c;
    const ECMQV: u16 = 0x001d;
    let scheme = r.u16("scheme")?;
    match scheme {
        alg::NULL | RSAES => Ok((scheme, None)),
        alg::RSASSA | alg::RSAPSS | OAEP | alg::ECDSA | ECDH | SM2 | ECSCHNORR | ECMQV => {
            Ok((scheme, Some(r.u16("scheme.hashAlg")?)))
        }
        alg::ECDAA => {
            let hash = r.u16("scheme.hashAlg")?;
            r.u16("scheme.count")?;
            Ok((scheme, Some(hash)))
        }
        other => Err(TpmError::Unsupported {
            what: "key scheme",
            value: other,
        }),
    }
}

fn read_rsa<'a>(r: &mut Reader<'a>) -> Result<KeyParams<'a>, TpmError> {
    let symmetric = read_symmetric(r)?;
    let (scheme, scheme_hash) = read_scheme(r)?;
    let key_bits = r.u16("TPMS_RSA_PARMS.keyBits")?;
    let exponent = r.u32("TPMS_RSA_PARMS.exponent")?;
    let modulus = r.tpm2b("TPM2B_PUBLIC_KEY_RSA", MAX_RSA_KEY_BYTES)?;
    if modulus.len() * 8 != usize::from(key_bits) {
        return Err(TpmError::Invalid {
            what: "TPM2B_PUBLIC_KEY_RSA",
            reason: "modulus length differs from keyBits",
        });
    }
    Ok(KeyParams::Rsa {
        symmetric,
        scheme,
        scheme_hash,
        key_bits,
        exponent,
        modulus,
    })
}

fn read_ecc<'a>(r: &mut Reader<'a>) -> Result<KeyParams<'a>, TpmError> {
    let symmetric = read_symmetric(r)?;
    let (scheme, scheme_hash) = read_scheme(r)?;
    let curve = EccCurveId(r.u16("TPMS_ECC_PARMS.curveID")?);
    let kdf = r.u16("TPMT_KDF_SCHEME.scheme")?;
    if kdf != alg::NULL {
        const KDFS: [u16; 4] = [0x0007, 0x0020, 0x0021, 0x0022];
        if !KDFS.contains(&kdf) {
            return Err(TpmError::Unsupported {
                what: "KDF scheme",
                value: kdf,
            });
        }
        r.u16("TPMT_KDF_SCHEME.hashAlg")?;
    }
    let x = r.tpm2b("TPMS_ECC_POINT.x", MAX_ECC_KEY_BYTES)?;
    let y = r.tpm2b("TPMS_ECC_POINT.y", MAX_ECC_KEY_BYTES)?;
    Ok(KeyParams::Ecc {
        symmetric,
        scheme,
        scheme_hash,
        curve,
        kdf,
        x,
        y,
    })
}
