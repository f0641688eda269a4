//! **NOT SECURE.** Test keys only: everything this crate signs is signed with keys derived
//! from a public seed, so its evidence proves nothing about any machine.
//!
//! It exists so that the whole attestation path (evidence over a TLS-derived challenge, the
//! CMW envelope, the production verifiers) runs in CI without TEE hardware:
//! - [`MockPki`]: a root CA and an attestation key derived deterministically from a 32-byte seed;
//! - [`MockAttester`]: the `mock` platform, an EAT (RFC 9711) CWT in COSE_Sign1 signed ES384
//!   with `eat_nonce` = the challenge, and [`verify()`](verify::verify) for it;
//! - [`cca`]: the `mock-cca` platform, real-format Arm CCA tokens from a seeded CPAK and RAK;
//! - [`snp`]: `mock-snp`, real-format SEV-SNP reports signed by a seeded ARK → ASK → VCEK;
//! - [`tdx`]: `mock-tdx`, real-format TDX quotes (v4 and v5) from a seeded root → PCK CA →
//!   PCK leaf → QE report → attestation key;
//! - [`tpm`]: `mock-tpm`, real-format TPM 2.0 quotes over mock PCRs from a seeded AK;
//! - [`tsm_emulator`]: an in-memory emulator of the Linux configfs-tsm report interface.
//!
//! The mock is never chosen automatically, and its evidence verifies only against the mock
//! roots, which a verifier must be told to trust (`--allow-mock`).

mod attester;
pub mod cca;
pub mod eat;
pub mod pki;
pub mod snp;
pub mod tdx;
pub mod tpm;
pub mod tsm_emulator;
pub mod verify;

pub use attester::{DEFAULT_IMAGE, MockAttester, capabilities};
pub use pki::{DEFAULT_SEED, MockPki};
pub use tsm_emulator::TsmEmulator;
