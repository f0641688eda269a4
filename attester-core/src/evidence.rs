//! Evidence as a platform produced it, with what a verifier needs beside it.

use crate::binding::{Binding, BindingMode};
use crate::capabilities::FillRule;
use crate::challenge::Challenge;
use crate::error::{Check, CheckFailed};
use crate::platform::Platform;
use std::borrow::Cow;

/// The platform's evidence bytes exactly as produced, never re-encoded, and the items an
/// attester can staple so that verification needs no network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The platform whose format `body` is in.
    pub platform: Platform,
    /// The challenge the attester was asked to sign.
    pub challenge: Challenge,
    /// How the challenge was derived.
    pub binding: BindingMode,
    /// How the challenge was placed into the platform's field.
    pub fill: FillRule,
    /// The platform's bytes (report, quote, token, TPMS_ATTEST with signature and AK).
    pub body: Item,
    /// Certificates and other endorsements (VCEK table, PCK chain, AK certificate).
    pub endorsements: Vec<Item>,
    /// Measurement logs (TCG event log, CCEL), when the platform has one.
    pub event_logs: Vec<Item>,
}

impl Evidence {
    /// The challenge and how it was derived, as one value.
    pub fn binding(&self) -> Binding {
        Binding::from_parts(self.binding.clone(), self.challenge)
    }

    /// Compares the binding recorded beside the evidence with the verifier's own: the same
    /// challenge and, for a TLS binding, the same hash and exporter label. A quick, precise
    /// refusal; the platform verifier still checks the signed field itself.
    pub fn check_recorded_binding(&self, expected: &Binding) -> Result<(), CheckFailed> {
        if self.challenge != *expected.challenge() {
            return Err(CheckFailed::new(
                Check::Binding,
                "the evidence was made for a different challenge",
            ));
        }
        if matches!(expected.mode(), BindingMode::TlsExporter { .. })
            && self.binding != *expected.mode()
        {
            return Err(CheckFailed::new(
                Check::Binding,
                format!(
                    "the evidence records binding {:?}, expected {:?}",
                    self.binding,
                    expected.mode()
                ),
            ));
        }
        Ok(())
    }
}

/// One typed blob: evidence, an endorsement or a log, with its media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The media type (registered where one exists, else in `application/vnd.attester.*`).
    pub media_type: Cow<'static, str>,
    /// The bytes, exactly as produced.
    pub bytes: Vec<u8>,
}

impl Item {
    /// An item of `media_type` holding `bytes`.
    pub fn new(media_type: impl Into<Cow<'static, str>>, bytes: Vec<u8>) -> Self {
        Self {
            media_type: media_type.into(),
            bytes,
        }
    }
}

/// An endorsement (a certificate, a chain, a certificate table) is an [`Item`].
pub type Endorsement = Item;
