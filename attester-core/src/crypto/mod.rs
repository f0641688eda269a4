//! The crypto seam: every hash, signature check and mock signature in the workspace goes
//! through here, so one feature switches the whole workspace between aws-lc-rs and RustCrypto.

mod hash;

pub use hash::{Digest, HashAlg, digest, digest_parts};
