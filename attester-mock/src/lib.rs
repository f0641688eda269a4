//! NOT SECURE: test keys only.
//!
//! - [`tsm_emulator`]: an in-memory emulator of the Linux configfs-tsm report interface.

pub mod tsm_emulator;

pub use tsm_emulator::TsmEmulator;
