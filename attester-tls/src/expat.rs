//! draft-fossati-seat-expat: evidence in exported authenticators, bound to the connection.
//!
//! The constants name the draft revision they follow; the binder itself is computed by
//! `attester-core` (`docs/binding.md`), from the exporter value this crate derives.

use crate::error::Error;
use crate::keys::{AuthenticatorHash, Exporter};
use attester_core::{Binding, EXPAT_EXPORTER_LEN};

/// The expat revision this crate follows (the editor's copy the binding section is taken
/// from).
pub const EXPAT_REVISION: &str = attester_core::EXPAT_DRAFT_REVISION;

/// The ExtensionType of `cmw_attestation`. The draft leaves it "TBD"; until IANA assigns one
/// this is a value from the private-use range 65280..=65535 (RFC 8446 §4.2), so it cannot
/// collide with a registered extension. Both peers must agree on it.
pub const CMW_ATTESTATION: u16 = 0xffca;

/// The exporter label of the binder (the draft's binding section; see `docs/binding.md` for
/// the `"Attestation Binding"` variant of its architecture section).
pub const EXPORTER_LABEL: &str = attester_core::EXPAT_EXPORTER_LABEL;

/// The largest `cmw_data` the extension can carry (`opaque cmw_data<1..2^16-1>`).
pub const MAX_CMW_LEN: usize = 0xffff;

/// `Hash(SPKI || TLS-Exporter(label, certificate_request_context, 32))` as a [`Binding`]:
/// the challenge the evidence must sign.
pub fn binding(
    exporter: &dyn Exporter,
    hash: &AuthenticatorHash,
    label: &str,
    context: &[u8],
    spki_der: &[u8],
) -> Result<Binding, Error> {
    let mut value = [0u8; EXPAT_EXPORTER_LEN];
    exporter.export(label.as_bytes(), context, &mut value)?;
    Ok(Binding::tls_exporter_with_label(
        &value,
        spki_der,
        hash.binder_hash()?,
        label,
    )?)
}
