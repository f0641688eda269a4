//! The TCG PC Client firmware event log (`/sys/kernel/security/tpm0/binary_bios_measurements`):
//! strict zero-copy parsing, replay into PCR banks, and the boot facts users ask for.
//!
//! - [`EventLog::parse`]: the crypto-agile format (a SHA-1-format `EV_NO_ACTION` record holding
//!   the `Spec ID Event03` [`SpecIdEvent`], then `TCG_PCR_EVENT2` records with one digest per
//!   listed algorithm) and the legacy SHA-1 format; every length bounds-checked, nothing after
//!   the last record, the StartupLocality event validated.
//! - [`replay`]: the PCR values of every SHA-1/SHA-256/SHA-384/SHA-512 bank, honouring
//!   StartupLocality and skipping `EV_NO_ACTION`.
//! - [`BootFacts`]: Secure Boot state, PK/KEK/db/dbx presence, the EFI applications loaded
//!   (boot loader, kernel), separators, and the kernel command line where measured.
//!
//! The log is unauthenticated: trust a replay only when it equals PCRs from a verified quote.

mod algorithm;
pub mod error;
mod event;
mod event_type;
mod facts;
mod log;
mod raw;
mod replay;
mod spec_id;

pub use algorithm::{AlgorithmId, DigestValue, MAX_DIGEST_LEN, extend, hash_parts};
pub use error::{EventLogError, ImaError};
pub use event::{DigestIter, Digests, Event};
pub use event_type::EventType;
pub use facts::{
    BootApplication, BootFacts, KernelImage, KernelSource, SecureBootVariable, Separator,
};
pub use log::{EventLog, LogFormat, PCR_COUNT, STARTUP_LOCALITY_SIGNATURE};
pub use replay::{PcrBank, Pcrs, replay};
pub use spec_id::{MAX_ALGORITHMS, SPEC_ID_SIGNATURE, SpecIdEvent};
