//! Evidence from inside a realm, through the Linux configfs-tsm report interface with the
//! `arm_cca_guest` provider (Linux 6.13+, `drivers/virt/coco/arm-cca-guest`).
//!
//! The kernel takes a 32..=64-byte inblob and zero-pads it into the 64-byte realm challenge;
//! we always write the full 64-byte field so that the padding is ours and documented
//! (`docs/binding.md`), whatever the caller's challenge length. The outblob is the whole CCA
//! token exactly as RMM produced it (tag 399 or 907).
//!
//! Measurement extension (RSI_MEASUREMENT_EXTEND) is not exposed by upstream Linux, so
//! [`CcaAttester`] reports no [`ExtendSupport`](attester_core::ExtendSupport) and does not
//! implement [`ExtendMeasurement`](attester_core::ExtendMeasurement).

use crate::token::CcaToken;
use attester_core::tsm::{ARM_CCA_GUEST, InblobLen, ReportRequest, TsmFs, TsmReportClient};
use attester_core::{
    Attester, BindingMode, Capabilities, Challenge, Error, ErrorKind, Evidence, Item, Platform,
    Result, media_types,
};

cfg_if::cfg_if! {
    if #[cfg(target_os = "linux")] {
        mod linux;
        pub use linux::open;
    } else {
        mod unsupported;
        pub use unsupported::open;
    }
}

/// A CCA realm attester over a configfs-tsm client.
#[derive(Debug)]
pub struct CcaAttester<F: TsmFs> {
    client: TsmReportClient<F>,
}

impl<F: TsmFs> CcaAttester<F> {
    /// An attester using `client` (the real configfs, or an emulator in tests).
    pub fn with_client(client: TsmReportClient<F>) -> Self {
        Self { client }
    }

    /// The configfs-tsm client.
    pub fn client(&self) -> &TsmReportClient<F> {
        &self.client
    }
}

impl<F: TsmFs> Attester for CcaAttester<F> {
    fn platform(&self) -> Platform {
        Platform::Cca
    }

    fn capabilities(&self) -> Capabilities {
        crate::capabilities()
    }

    fn attest(&mut self, challenge: &Challenge) -> Result<Evidence> {
        let caps = crate::capabilities();
        let field = caps.field_value(challenge)?;
        let request = ReportRequest::new(ARM_CCA_GUEST, field.as_bytes(), InblobLen::ARM_CCA_GUEST);
        let report = self.client.get_report(&request)?;
        // A token that does not decode, or that does not carry our challenge, means the
        // kernel or RMM answered something else: a device error, not evidence to pass on.
        let token = CcaToken::decode(&report.outblob).map_err(|e| {
            Error::device(
                ErrorKind::Device,
                "arm_cca_guest returned an outblob that is not a CCA token",
                e,
            )
        })?;
        if token.realm().claims().challenge() != field.as_bytes() {
            return Err(Error::Device {
                kind: ErrorKind::Device,
                context: "arm_cca_guest returned a token for another challenge".into(),
                source: None,
            });
        }
        Ok(Evidence {
            platform: Platform::Cca,
            challenge: *challenge,
            binding: BindingMode::Raw,
            fill: caps.fill,
            body: Item::new(media_types::CCA_TOKEN, report.outblob),
            endorsements: Vec::new(),
            event_logs: Vec::new(),
        })
    }
}
