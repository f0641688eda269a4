//! TPM_ALG_ID values (TCG Algorithm Registry, rev 1.32) and what the seam makes of them.

use attester_core::crypto::HashAlg;

/// The algorithm identifiers this crate reads.
pub mod alg {
    /// TPM_ALG_RSA.
    pub const RSA: u16 = 0x0001;
    /// TPM_ALG_SHA1.
    pub const SHA1: u16 = 0x0004;
    /// TPM_ALG_HMAC.
    pub const HMAC: u16 = 0x0005;
    /// TPM_ALG_AES.
    pub const AES: u16 = 0x0006;
    /// TPM_ALG_KEYEDHASH.
    pub const KEYEDHASH: u16 = 0x0008;
    /// TPM_ALG_SHA256.
    pub const SHA256: u16 = 0x000b;
    /// TPM_ALG_SHA384.
    pub const SHA384: u16 = 0x000c;
    /// TPM_ALG_SHA512.
    pub const SHA512: u16 = 0x000d;
    /// TPM_ALG_NULL.
    pub const NULL: u16 = 0x0010;
    /// TPM_ALG_SM3_256.
    pub const SM3_256: u16 = 0x0012;
    /// TPM_ALG_RSASSA (PKCS#1 v1.5).
    pub const RSASSA: u16 = 0x0014;
    /// TPM_ALG_RSAPSS.
    pub const RSAPSS: u16 = 0x0016;
    /// TPM_ALG_ECDSA.
    pub const ECDSA: u16 = 0x0018;
    /// TPM_ALG_ECDAA.
    pub const ECDAA: u16 = 0x001a;
    /// TPM_ALG_ECC.
    pub const ECC: u16 = 0x0023;
    /// TPM_ALG_SYMCIPHER.
    pub const SYMCIPHER: u16 = 0x0025;
    /// TPM_ALG_SHA3_256.
    pub const SHA3_256: u16 = 0x0027;
    /// TPM_ALG_SHA3_384.
    pub const SHA3_384: u16 = 0x0028;
    /// TPM_ALG_SHA3_512.
    pub const SHA3_512: u16 = 0x0029;
}

/// A TPM hash algorithm identifier (TPMI_ALG_HASH) that this crate knows the size of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HashAlgId(u16);

impl HashAlgId {
    /// SHA-1.
    pub const SHA1: Self = Self(alg::SHA1);
    /// SHA-256.
    pub const SHA256: Self = Self(alg::SHA256);
    /// SHA-384.
    pub const SHA384: Self = Self(alg::SHA384);
    /// SHA-512.
    pub const SHA512: Self = Self(alg::SHA512);

    /// The identifier, when it names a hash of known size.
    pub fn new(id: u16) -> Option<Self> {
        digest_len(id).map(|_| Self(id))
    }

    /// The TPM_ALG_ID.
    pub fn id(self) -> u16 {
        self.0
    }

    /// The digest length in bytes.
    pub fn digest_len(self) -> usize {
        digest_len(self.0).unwrap_or(0)
    }

    /// The name tpm2-tools uses (`sha256`, `sm3_256`, ...).
    pub fn name(self) -> &'static str {
        match self.0 {
            alg::SHA1 => "sha1",
            alg::SHA256 => "sha256",
            alg::SHA384 => "sha384",
            alg::SHA512 => "sha512",
            alg::SM3_256 => "sm3_256",
            alg::SHA3_256 => "sha3_256",
            alg::SHA3_384 => "sha3_384",
            _ => "sha3_512",
        }
    }

    /// The identifier named `name` (as [`Self::name`] writes it).
    pub fn from_name(name: &str) -> Option<Self> {
        [
            alg::SHA1,
            alg::SHA256,
            alg::SHA384,
            alg::SHA512,
            alg::SM3_256,
            alg::SHA3_256,
            alg::SHA3_384,
            alg::SHA3_512,
        ]
        .into_iter()
        .map(Self)
        .find(|h| h.name().eq_ignore_ascii_case(name))
    }

    /// The hash as the crypto seam computes it; `None` for hashes it does not (SHA-1, SM3,
    /// SHA-3).
    pub fn seam_hash(self) -> Option<HashAlg> {
        match self.0 {
            alg::SHA256 => Some(HashAlg::Sha256),
            alg::SHA384 => Some(HashAlg::Sha384),
            alg::SHA512 => Some(HashAlg::Sha512),
            _ => None,
        }
    }
}

fn digest_len(id: u16) -> Option<usize> {
    match id {
        alg::SHA1 => Some(20),
        alg::SHA256 | alg::SM3_256 | alg::SHA3_256 => Some(32),
        alg::SHA384 | alg::SHA3_384 => Some(48),
        alg::SHA512 | alg::SHA3_512 => Some(64),
        _ => None,
    }
}
