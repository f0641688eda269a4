//! The appraisal policy of a TD quote's body. The default rejects exactly a debug TD.

use attester_core::{Check, Error, Result};

use crate::quote::TdBody;

/// A value that must match under a mask: `(field & mask) == value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Masked {
    /// The expected bits.
    pub value: u64,
    /// The bits compared.
    pub mask: u64,
}

impl Masked {
    /// Whether `field` matches.
    pub fn matches(self, field: u64) -> bool {
        field & self.mask == self.value & self.mask
    }
}

/// The appraisal policy for a TD quote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Accept a TD whose TD_ATTRIBUTES.DEBUG is set.
    pub allow_debug: bool,
    /// The lowest TEE_TCB_SVN accepted, compared byte by byte.
    pub min_tee_tcb_svn: Option<[u8; 16]>,
    /// The accepted MRSEAM values (TDX modules).
    pub mr_seams: Option<Vec<[u8; 48]>>,
    /// The exact MRTD.
    pub mr_td: Option<[u8; 48]>,
    /// The exact RTMR0..RTMR3 (each only when given).
    pub rtmrs: [Option<[u8; 48]>; 4],
    /// The exact MRCONFIGID.
    pub mr_config_id: Option<[u8; 48]>,
    /// The exact MROWNER.
    pub mr_owner: Option<[u8; 48]>,
    /// The exact MROWNERCONFIG.
    pub mr_owner_config: Option<[u8; 48]>,
    /// TD_ATTRIBUTES under a mask.
    pub td_attributes: Option<Masked>,
    /// XFAM under a mask.
    pub xfam: Option<Masked>,
    /// Refuse non-zero bytes after the signature data (zero padding is always accepted).
    pub reject_trailing_bytes: bool,
    /// The TCB statuses accepted from collateral (`UpToDate`, `SWHardeningNeeded`, …); checked
    /// only when collateral is given.
    pub tcb_statuses: Option<Vec<String>>,
}

/// A rule's name, its expected value when set, and the quote's value.
type ExactRule<'a> = (&'static str, Option<&'a [u8; 48]>, &'a [u8; 48]);

fn failure(name: &'static str, reason: String) -> Error {
    Error::check(Check::Policy(name.into()), reason)
}

/// Applies `policy` to the body of a verified quote and its trailing bytes.
///
/// # Errors
/// [`Check::Policy`] named `debug`, `min-tee-tcb-svn`, `mr-seam`, `mr-td`, `rtmr0`..`rtmr3`,
/// `mr-config-id`, `mr-owner`, `mr-owner-config`, `td-attributes`, `xfam` or
/// `trailing-bytes`.
pub fn check_policy(
    body: &TdBody<'_>,
    trailing: &[u8],
    policy: &Policy,
    passed: &mut Vec<Check>,
) -> Result<()> {
    let mut pass = |name: &'static str| passed.push(Check::Policy(name.into()));
    if body.td_attributes().debug() && !policy.allow_debug {
        return Err(failure(
            "debug",
            "TD_ATTRIBUTES.DEBUG is set: the host can read the TD (allow with --allow-debug)"
                .into(),
        ));
    }
    pass("debug");
    if let Some(min) = &policy.min_tee_tcb_svn {
        let svn = body.tee_tcb_svn();
        if let Some(i) = svn.iter().zip(min).position(|(have, want)| have < want) {
            return Err(failure(
                "min-tee-tcb-svn",
                format!(
                    "TEE_TCB_SVN {} is below {} at byte {i}",
                    hex_str(svn),
                    hex_str(min)
                ),
            ));
        }
        pass("min-tee-tcb-svn");
    }
    if let Some(seams) = &policy.mr_seams {
        if !seams.iter().any(|s| s == body.mr_seam()) {
            return Err(failure(
                "mr-seam",
                "MRSEAM is not one of the accepted TDX modules".into(),
            ));
        }
        pass("mr-seam");
    }
    let rtmrs = body.rtmrs();
    let exact: [ExactRule<'_>; 8] = [
        ("mr-td", policy.mr_td.as_ref(), body.mr_td()),
        ("rtmr0", policy.rtmrs[0].as_ref(), &rtmrs[0]),
        ("rtmr1", policy.rtmrs[1].as_ref(), &rtmrs[1]),
        ("rtmr2", policy.rtmrs[2].as_ref(), &rtmrs[2]),
        ("rtmr3", policy.rtmrs[3].as_ref(), &rtmrs[3]),
        (
            "mr-config-id",
            policy.mr_config_id.as_ref(),
            body.mr_config_id(),
        ),
        ("mr-owner", policy.mr_owner.as_ref(), body.mr_owner()),
        (
            "mr-owner-config",
            policy.mr_owner_config.as_ref(),
            body.mr_owner_config(),
        ),
    ];
    for (name, want, have) in exact {
        if let Some(want) = want {
            if want != have {
                return Err(failure(
                    name,
                    format!("the quote's {name} is not the expected value"),
                ));
            }
            pass(name);
        }
    }
    let masked: [(&'static str, Option<Masked>, u64); 2] = [
        (
            "td-attributes",
            policy.td_attributes,
            body.td_attributes().0,
        ),
        ("xfam", policy.xfam, body.xfam()),
    ];
    for (name, want, have) in masked {
        if let Some(want) = want {
            if !want.matches(have) {
                return Err(failure(
                    name,
                    format!(
                        "{name} {have:#018x} does not match {:#018x} under mask {:#018x}",
                        want.value, want.mask
                    ),
                ));
            }
            pass(name);
        }
    }
    if policy.reject_trailing_bytes {
        if trailing.iter().any(|b| *b != 0) {
            return Err(failure(
                "trailing-bytes",
                format!(
                    "{} bytes after the signature data are not zero padding",
                    trailing.len()
                ),
            ));
        }
        pass("trailing-bytes");
    }
    Ok(())
}

fn hex_str(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
