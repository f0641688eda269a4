//! The seam to an evidence verifier: this crate checks the authenticator and the binder, and
//! hands the evidence with the expected binding to whatever appraises it (the `attester`
//! facade's `verify`, a remote verification service, a test double).

use attester_core::{Binding, Evidence};

/// Appraises evidence that arrived in an authenticator.
pub trait EvidenceVerifier {
    /// The appraisal's outcome.
    type Verdict;

    /// Verifies `evidence` against the binding this side computed for the connection and the
    /// authenticating key. Failed checks belong in the verdict; `Err` is for evidence that
    /// cannot be appraised at all.
    fn verify(
        &self,
        evidence: &Evidence,
        expected: &Binding,
    ) -> Result<Self::Verdict, attester_core::Error>;

    /// Whether `verdict` accepts the evidence.
    fn accepts(&self, verdict: &Self::Verdict) -> bool;
}
