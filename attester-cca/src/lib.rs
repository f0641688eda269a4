//! Arm CCA attestation for `attester`: the CCA token (RMM specification DEN0137 A7.2), its
//! verification, and the Linux configfs-tsm backend.
//!
//! - [`CcaToken::decode`]: both collection encodings (tag 399 and tag 907), both COSE_Sign1
//!   messages and every claim, borrowed from the input (one allocation: the software
//!   components), strictly checked ([`TokenError`]).
//! - [`verify`] (feature `verify`, default): the platform signature with a supplied platform
//!   key (CPAK/IAK), the realm signature with the RAK, the platform↔realm binding, the realm
//!   challenge against the caller's challenge, and a policy.
//! - `device` (feature `device`): evidence from a realm through configfs-tsm
//!   (`arm_cca_guest`).

mod cbor;
pub mod claims;
mod error;
pub mod token;

#[cfg(feature = "verify")]
pub mod describe;
#[cfg(feature = "verify")]
pub mod trust;
#[cfg(feature = "verify")]
pub mod verify;

#[cfg(feature = "device")]
pub mod device;

pub use claims::{
    Lifecycle, PlatformClaims, Rak, RakEncoding, RealmClaims, SwComponent, SwComponents,
    hash_alg_from_name,
};
pub use error::{Part, TokenError};
pub use token::{CcaToken, Collection, EntryForm, PlatformToken, RealmToken, Signed};

use attester_core::{Capabilities, FillRule};

/// What a CCA realm accepts: 8..=64 byte challenges (the core's range; the kernel takes
/// 32..=64 and we always hand it 64 bytes), zero-padded into the 64-byte realm challenge.
/// No measurement extension: upstream Linux does not expose RSI_MEASUREMENT_EXTEND.
pub fn capabilities() -> Capabilities {
    Capabilities {
        challenge_lengths: 8..=64,
        field: "realm challenge (claim 10)",
        fill: FillRule::ZeroPad { field_len: 64 },
        extend: None,
    }
}
