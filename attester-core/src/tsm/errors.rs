//! The one table that maps configfs-tsm errno values onto [`ErrorKind`]s.

use super::{Attribute, TsmOp};
use crate::error::{Error, ErrorKind};
use std::fmt;
use std::io;

/// The Linux errno values the configfs-tsm ABI produces (`include/uapi/asm-generic/errno-base.h`
/// and `errno.h`; the same on x86-64 and arm64, the architectures with confidential guests).
pub mod errno {
    /// Operation not permitted.
    pub const EPERM: i32 = 1;
    /// No such file or directory: configfs or the attribute is absent.
    pub const ENOENT: i32 = 2;
    /// Interrupted by a signal while waiting for the provider.
    pub const EINTR: i32 = 4;
    /// I/O error: the hypervisor or firmware call failed.
    pub const EIO: i32 = 5;
    /// No such device: no provider registered (mkdir), or a firmware/RSI error (outblob).
    pub const ENXIO: i32 = 6;
    /// Try again.
    pub const EAGAIN: i32 = 11;
    /// Out of memory.
    pub const ENOMEM: i32 = 12;
    /// Permission denied: configfs-tsm needs root.
    pub const EACCES: i32 = 13;
    /// Bad address: configfs answers a zero-length binary write with it.
    pub const EFAULT: i32 = 14;
    /// Device busy: TDX has an earlier quote in flight.
    pub const EBUSY: i32 = 16;
    /// The report entry name is taken.
    pub const EEXIST: i32 = 17;
    /// Is a directory.
    pub const EISDIR: i32 = 21;
    /// Invalid argument: rejected inblob length, privlevel or firmware parameters.
    pub const EINVAL: i32 = 22;
    /// Inappropriate ioctl: SNP answers it when the VMPCK has been disabled.
    pub const ENOTTY: i32 = 25;
    /// Text file busy: configfs refuses to mix reads and writes on one open file.
    pub const ETXTBSY: i32 = 26;
    /// File too large: inblob above 64 bytes, or a blob above the core's maximum.
    pub const EFBIG: i32 = 27;
    /// Timed out: the TDX quoting service did not answer.
    pub const ETIMEDOUT: i32 = 110;
}

/// The errno of an `io::Error`: its OS code, else the code its kind stands for (errors built
/// without an OS code, such as an emulator's or a wrapper's).
fn errno_of(err: &io::Error) -> Option<i32> {
    use errno::*;
    if let Some(code) = err.raw_os_error() {
        return Some(code);
    }
    match err.kind() {
        io::ErrorKind::NotFound => Some(ENOENT),
        io::ErrorKind::PermissionDenied => Some(EACCES),
        io::ErrorKind::ResourceBusy => Some(EBUSY),
        io::ErrorKind::WouldBlock => Some(EAGAIN),
        io::ErrorKind::Interrupted => Some(EINTR),
        io::ErrorKind::InvalidInput => Some(EINVAL),
        io::ErrorKind::FileTooLarge => Some(EFBIG),
        io::ErrorKind::AlreadyExists => Some(EEXIST),
        io::ErrorKind::TimedOut => Some(ETIMEDOUT),
        _ => None,
    }
}

/// THE table: what an errno from `op` means to a caller, and a hint for the message.
///
/// Each errno is interpreted by where it came from, because the kernel reuses them: `ENOENT`
/// from `mkdir` means no configfs-tsm, from an optional attribute that the provider does not
/// offer it; `EINVAL` from `outblob` means the provider rejected the request.
pub(crate) fn classify(op: TsmOp, code: Option<i32>) -> (ErrorKind, &'static str) {
    use Attribute as A;
    use ErrorKind as K;
    use errno::*;
    match (code, op) {
        (Some(EBUSY | EAGAIN | EINTR), _) => (K::Busy, "the provider is busy; retry"),
        (Some(EACCES | EPERM), _) => (
            K::PermissionDenied,
            "permission denied: configfs-tsm reports need root",
        ),
        (Some(ENOENT), TsmOp::CreateEntry) => (
            K::Unsupported,
            "configfs-tsm not available: is configfs mounted and the guest driver loaded?",
        ),
        (
            Some(ENOENT),
            TsmOp::Read(A::Auxblob | A::Manifestblob | A::PrivlevelFloor)
            | TsmOp::Write(
                A::Privlevel | A::ServiceProvider | A::ServiceGuid | A::ServiceManifestVersion,
            ),
        ) => (K::Unsupported, "the provider does not offer this attribute"),
        (Some(ENOENT), _) => (
            K::Device,
            "the report entry vanished (removed by another process?)",
        ),
        (Some(ENXIO), TsmOp::CreateEntry) => (
            K::Unsupported,
            "no TSM provider is registered: is the guest driver loaded?",
        ),
        (Some(EEXIST), TsmOp::CreateEntry) => {
            (K::Busy, "a report entry of that name exists; retry")
        }
        (Some(EFBIG), TsmOp::Write(A::Inblob)) => (
            K::ChallengeTooLong,
            "inblob is longer than the kernel's 64 bytes",
        ),
        (Some(EFBIG), _) => (K::Device, "the report exceeds the configfs-tsm size limit"),
        (Some(EINVAL), TsmOp::Write(A::Privlevel)) => (
            K::Unsupported,
            "privlevel outside privlevel_floor..=3 for this guest",
        ),
        (Some(EINVAL), TsmOp::Write(_)) => (K::Malformed, "the kernel rejected the value"),
        (Some(EINVAL), TsmOp::Read(A::Outblob | A::Auxblob | A::Manifestblob)) => (
            K::Malformed,
            "the provider rejected the request (inblob length, privlevel, service options, \
             or parameters the firmware refused)",
        ),
        (Some(ETIMEDOUT), _) => (
            K::Device,
            "the provider timed out (is the quoting service running?)",
        ),
        (Some(ENOTTY), TsmOp::Read(_)) => (
            K::Device,
            "the provider refused the request (SNP: the VMPCK is disabled)",
        ),
        _ => (K::Device, "the kernel interface failed"),
    }
}

/// The core error for `err` from `op`, classified by [`classify`], with `err` as its source.
pub(crate) fn io_error(op: TsmOp, err: io::Error) -> Error {
    let (kind, hint) = classify(op, errno_of(&err));
    Error::device(kind, format!("configfs-tsm: {op} failed: {hint}"), err)
}

/// The source of a [`Busy`](ErrorKind::Busy) error raised because `generation` did not
/// advance by exactly the number of writes this client made: someone else wrote to the
/// report entry between our writes and our reads, so the blobs may not be ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenerationMismatch {
    /// `generation` before our writes.
    pub before: u64,
    /// How many writes we made.
    pub writes: u64,
    /// `generation` after our reads.
    pub after: u64,
}

impl fmt::Display for GenerationMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "generation went from {} to {} over {} write(s) of ours",
            self.before, self.after, self.writes
        )
    }
}

impl std::error::Error for GenerationMismatch {}

#[cfg(test)]
mod tests {
    use super::errno::*;
    use super::*;
    use std::error::Error as _;

    #[test]
    fn errno_table() {
        use Attribute as A;
        use ErrorKind as K;
        let rows: &[(TsmOp, i32, ErrorKind)] = &[
            (TsmOp::Read(A::Outblob), EBUSY, K::Busy),
            (TsmOp::Read(A::Outblob), EAGAIN, K::Busy),
            (TsmOp::Read(A::Outblob), EINTR, K::Busy),
            (TsmOp::CreateEntry, EEXIST, K::Busy),
            (TsmOp::CreateEntry, EACCES, K::PermissionDenied),
            (TsmOp::CreateEntry, EPERM, K::PermissionDenied),
            (TsmOp::Read(A::Provider), EACCES, K::PermissionDenied),
            (TsmOp::CreateEntry, ENOENT, K::Unsupported),
            (TsmOp::CreateEntry, ENXIO, K::Unsupported),
            (TsmOp::Read(A::Auxblob), ENOENT, K::Unsupported),
            (TsmOp::Read(A::Manifestblob), ENOENT, K::Unsupported),
            (TsmOp::Read(A::PrivlevelFloor), ENOENT, K::Unsupported),
            (TsmOp::Write(A::Privlevel), ENOENT, K::Unsupported),
            (TsmOp::Write(A::ServiceProvider), ENOENT, K::Unsupported),
            (TsmOp::Read(A::Outblob), ENOENT, K::Device),
            (TsmOp::Read(A::Generation), ENOENT, K::Device),
            (TsmOp::Write(A::Inblob), ENOENT, K::Device),
            (TsmOp::Write(A::Inblob), EFBIG, K::ChallengeTooLong),
            (TsmOp::Read(A::Outblob), EFBIG, K::Device),
            (TsmOp::Write(A::Inblob), EINVAL, K::Malformed),
            (TsmOp::Write(A::ServiceProvider), EINVAL, K::Malformed),
            (TsmOp::Write(A::Privlevel), EINVAL, K::Unsupported),
            (TsmOp::Read(A::Outblob), EINVAL, K::Malformed),
            (TsmOp::Read(A::Auxblob), EINVAL, K::Malformed),
            (TsmOp::Read(A::Outblob), ENXIO, K::Device),
            (TsmOp::Read(A::Outblob), EIO, K::Device),
            (TsmOp::Read(A::Outblob), ETIMEDOUT, K::Device),
            (TsmOp::Read(A::Outblob), ENOTTY, K::Device),
            (TsmOp::Read(A::Outblob), ENOMEM, K::Device),
            (TsmOp::RemoveEntry, EIO, K::Device),
        ];
        for &(op, code, kind) in rows {
            let err = io_error(op, io::Error::from_raw_os_error(code));
            assert_eq!(err.kind(), kind, "{op} errno {code}");
            let source = err.source().expect("the io::Error is kept as the source");
            let io = source.downcast_ref::<io::Error>().unwrap();
            assert_eq!(io.raw_os_error(), Some(code));
            assert!(err.to_string().contains(&op.to_string()), "{err}");
        }
        // An error without an errno is a device error.
        assert_eq!(classify(TsmOp::Read(Attribute::Outblob), None).0, K::Device);
    }

    #[test]
    fn the_root_message_names_the_likely_causes() {
        let err = io_error(TsmOp::CreateEntry, io::Error::from_raw_os_error(ENOENT));
        assert_eq!(
            err.to_string(),
            "configfs-tsm: creating a report entry failed: configfs-tsm not available: is \
             configfs mounted and the guest driver loaded?"
        );
    }

    #[test]
    fn errors_without_an_os_code_map_by_kind() {
        let cases = [
            (io::ErrorKind::NotFound, ENOENT),
            (io::ErrorKind::PermissionDenied, EACCES),
            (io::ErrorKind::ResourceBusy, EBUSY),
            (io::ErrorKind::WouldBlock, EAGAIN),
            (io::ErrorKind::Interrupted, EINTR),
            (io::ErrorKind::InvalidInput, EINVAL),
            (io::ErrorKind::FileTooLarge, EFBIG),
            (io::ErrorKind::AlreadyExists, EEXIST),
            (io::ErrorKind::TimedOut, ETIMEDOUT),
        ];
        for (kind, code) in cases {
            assert_eq!(errno_of(&io::Error::from(kind)), Some(code), "{kind:?}");
        }
        assert_eq!(errno_of(&io::Error::other("x")), None);
    }

    #[test]
    fn generation_mismatch_says_what_happened() {
        let m = GenerationMismatch {
            before: 0,
            writes: 1,
            after: 2,
        };
        assert_eq!(
            m.to_string(),
            "generation went from 0 to 2 over 1 write(s) of ours"
        );
    }
}
