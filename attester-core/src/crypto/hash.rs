//! Hashes. Both providers use `sha2`: it is pure Rust, uses SHA-NI where present, and keeps
//! hashing identical whichever signature provider is compiled in.

/// A hash algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl HashAlg {
    /// The digest length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// A digest held inline (at most 64 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Digest {
    bytes: [u8; 64],
    len: usize,
}

impl Digest {
    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl AsRef<[u8]> for Digest {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// The digest of `data`.
pub fn digest(alg: HashAlg, data: &[u8]) -> Digest {
    digest_parts(alg, &[data])
}

/// The digest of the concatenation of `parts`, without concatenating them.
pub fn digest_parts(alg: HashAlg, parts: &[&[u8]]) -> Digest {
    fn run<D: sha2::Digest>(parts: &[&[u8]], out: &mut [u8; 64]) -> usize {
        let mut hasher = D::new();
        for part in parts {
            hasher.update(part);
        }
        let result = hasher.finalize();
        let len = result.len();
        if let Some(head) = out.get_mut(..len) {
            head.copy_from_slice(&result);
        }
        len
    }
    let mut bytes = [0u8; 64];
    let len = match alg {
        HashAlg::Sha256 => run::<sha2::Sha256>(parts, &mut bytes),
        HashAlg::Sha384 => run::<sha2::Sha384>(parts, &mut bytes),
        HashAlg::Sha512 => run::<sha2::Sha512>(parts, &mut bytes),
    };
    Digest { bytes, len }
}
