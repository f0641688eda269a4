//! The traits a backend implements.

use crate::binding::Binding;
use crate::capabilities::{Capabilities, ExtendSupport};
use crate::challenge::Challenge;
use crate::error::Result;
use crate::evidence::Evidence;
use crate::platform::Platform;

/// A source of evidence: a TEE's kernel interface, or a mock.
///
/// Blocking and object-safe (`Box<dyn Attester + Send>`); async callers use `spawn_blocking`.
pub trait Attester {
    /// The platform whose evidence this attester produces.
    fn platform(&self) -> Platform;

    /// What this attester accepts and how it fills the challenge field.
    fn capabilities(&self) -> Capabilities;

    /// Evidence over `challenge`, recorded as a raw binding.
    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence>;

    /// Evidence over the binding's challenge, recording how the challenge was derived.
    fn attest_binding(&mut self, binding: &Binding) -> Result<Evidence> {
        let mut evidence = self.attest(binding.challenge())?;
        evidence.binding = binding.mode().clone();
        Ok(evidence)
    }

    /// The measurement-extension side of this attester, when it has one.
    fn extender(&mut self) -> Option<&mut dyn ExtendMeasurement> {
        None
    }
}

/// Run-time measurement extension (TPM PCRs, TDX RTMRs). Separate from [`Attester`] so that
/// backends without it simply do not implement it.
pub trait ExtendMeasurement {
    /// Which registers can be extended, and with what digest length.
    fn extend_support(&self) -> ExtendSupport;

    /// Extends `register` with `digest` (exactly the supported digest length).
    fn extend(&mut self, register: u32, digest: &[u8]) -> Result<()>;
}
