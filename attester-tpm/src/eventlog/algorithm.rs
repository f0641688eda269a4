//! Hash algorithm identifiers (TPM_ALG_ID, TCG Algorithm Registry) as they appear in event
//! logs, and the PCR extend operation of the banks this crate can replay.

use sha1::Sha1;
use sha2::{Sha256, Sha384, Sha512};
use std::fmt;

/// The largest digest of any algorithm a log may list (SHA-512, SHA3-512).
pub const MAX_DIGEST_LEN: usize = 64;

/// A TPM_ALG_ID of a hash algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AlgorithmId(pub u16);

impl AlgorithmId {
    /// TPM_ALG_SHA1.
    pub const SHA1: Self = Self(0x0004);
    /// TPM_ALG_SHA256.
    pub const SHA256: Self = Self(0x000B);
    /// TPM_ALG_SHA384.
    pub const SHA384: Self = Self(0x000C);
    /// TPM_ALG_SHA512.
    pub const SHA512: Self = Self(0x000D);
    /// TPM_ALG_SM3_256.
    pub const SM3_256: Self = Self(0x0012);
    /// TPM_ALG_SHA3_256.
    pub const SHA3_256: Self = Self(0x0027);
    /// TPM_ALG_SHA3_384.
    pub const SHA3_384: Self = Self(0x0028);
    /// TPM_ALG_SHA3_512.
    pub const SHA3_512: Self = Self(0x0029);

    /// The digest size of a registered hash algorithm, `None` for any other identifier.
    pub fn digest_len(self) -> Option<usize> {
        match self {
            Self::SHA1 => Some(20),
            Self::SHA256 | Self::SM3_256 | Self::SHA3_256 => Some(32),
            Self::SHA384 | Self::SHA3_384 => Some(48),
            Self::SHA512 | Self::SHA3_512 => Some(64),
            _ => None,
        }
    }

    /// A lower-case name (`sha256`), or `None` for an unregistered identifier.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Self::SHA1 => Some("sha1"),
            Self::SHA256 => Some("sha256"),
            Self::SHA384 => Some("sha384"),
            Self::SHA512 => Some("sha512"),
            Self::SM3_256 => Some("sm3_256"),
            Self::SHA3_256 => Some("sha3_256"),
            Self::SHA3_384 => Some("sha3_384"),
            Self::SHA3_512 => Some("sha3_512"),
            _ => None,
        }
    }

    /// The algorithm of a lower-case name (`sha256`), as written by IMA and in JSON.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::SHA1,
            Self::SHA256,
            Self::SHA384,
            Self::SHA512,
            Self::SM3_256,
            Self::SHA3_256,
            Self::SHA3_384,
            Self::SHA3_512,
        ]
        .into_iter()
        .find(|alg| alg.name() == Some(name))
    }

    /// Whether this crate can compute the algorithm (and so replay its bank).
    pub fn is_replayable(self) -> bool {
        matches!(
            self,
            Self::SHA1 | Self::SHA256 | Self::SHA384 | Self::SHA512
        )
    }
}

impl fmt::Display for AlgorithmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "0x{:04x}", self.0),
        }
    }
}

/// A digest or PCR value held inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DigestValue {
    bytes: [u8; MAX_DIGEST_LEN],
    len: u8,
}

impl DigestValue {
    /// All zeros, `len` bytes long (`len` is capped at [`MAX_DIGEST_LEN`]).
    pub fn zero(len: usize) -> Self {
        Self {
            bytes: [0; MAX_DIGEST_LEN],
            len: u8::try_from(len.min(MAX_DIGEST_LEN)).unwrap_or(0),
        }
    }

    /// A copy of `bytes`, or `None` when longer than [`MAX_DIGEST_LEN`].
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let mut value = Self::zero(bytes.len());
        value.bytes.get_mut(..bytes.len())?.copy_from_slice(bytes);
        (bytes.len() <= MAX_DIGEST_LEN).then_some(value)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// Sets the last byte (the StartupLocality initial value of PCR0).
    pub(crate) fn set_last(&mut self, value: u8) {
        if let Some(last) = usize::from(self.len)
            .checked_sub(1)
            .and_then(|i| self.bytes.get_mut(i))
        {
            *last = value;
        }
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        use fmt::Write as _;
        let mut out = String::with_capacity(self.as_bytes().len() * 2);
        for byte in self.as_bytes() {
            let _ = write!(out, "{byte:02x}");
        }
        out
    }
}

impl fmt::Debug for DigestValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Display for DigestValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// `H(parts[0] ‖ parts[1] ‖ …)` with `alg`, or `None` when the crate cannot compute `alg`.
pub fn hash_parts(alg: AlgorithmId, parts: &[&[u8]]) -> Option<DigestValue> {
    fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Option<DigestValue> {
        let mut hasher = D::new();
        for part in parts {
            hasher.update(part);
        }
        DigestValue::from_slice(&hasher.finalize())
    }
    match alg {
        AlgorithmId::SHA1 => run::<Sha1>(parts),
        AlgorithmId::SHA256 => run::<Sha256>(parts),
        AlgorithmId::SHA384 => run::<Sha384>(parts),
        AlgorithmId::SHA512 => run::<Sha512>(parts),
        _ => None,
    }
}

/// TPM2_PCR_Extend: `pcr = H(pcr ‖ digest)`. Leaves `pcr` unchanged and returns false when the
/// crate cannot compute `alg`.
pub fn extend(alg: AlgorithmId, pcr: &mut DigestValue, digest: &[u8]) -> bool {
    match hash_parts(alg, &[pcr.as_bytes(), digest]) {
        Some(value) => {
            *pcr = value;
            true
        }
        None => false,
    }
}
