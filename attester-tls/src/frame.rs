//! Framing over the established TLS stream: one byte of kind, a `uint32` big-endian length,
//! then the body. The length is checked against the limit before anything is allocated.

use crate::error::Error;
use std::io::{ErrorKind as IoErrorKind, Read, Write};

/// The default largest frame body: an authenticator with a 64 KiB CMW and a certificate chain
/// fits comfortably.
pub const DEFAULT_MAX_FRAME: usize = 256 * 1024;

/// What a frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FrameKind {
    /// An authenticator request (CertificateRequest or ClientCertificateRequest).
    Request,
    /// An authenticator or an empty authenticator.
    Authenticator,
    /// Application data.
    Data,
}

impl FrameKind {
    fn to_byte(self) -> u8 {
        match self {
            Self::Request => 1,
            Self::Authenticator => 2,
            Self::Data => 3,
        }
    }

    fn from_byte(byte: u8) -> Result<Self, Error> {
        match byte {
            1 => Ok(Self::Request),
            2 => Ok(Self::Authenticator),
            3 => Ok(Self::Data),
            other => Err(Error::UnexpectedFrame(format!(
                "unknown frame kind {other}"
            ))),
        }
    }
}

/// Writes one frame and flushes it.
pub fn write_frame(
    w: &mut impl Write,
    kind: FrameKind,
    body: &[u8],
    max: usize,
) -> Result<(), Error> {
    let len = u32::try_from(body.len())
        .ok()
        .filter(|_| body.len() <= max)
        .ok_or(Error::TooLarge {
            what: "frame",
            len: body.len(),
            max,
        })?;
    // One write for header and body: over a TLS stream each write becomes its own record and
    // segment, and a header sent alone wakes the peer only to wait again for the body.
    let mut frame = Vec::with_capacity(5 + body.len());
    frame.push(kind.to_byte());
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(body);
    w.write_all(&frame)?;
    w.flush()?;
    Ok(())
}

/// Reads one frame; `Ok(None)` when the peer closed cleanly before a new frame began.
pub fn read_frame(r: &mut impl Read, max: usize) -> Result<Option<(FrameKind, Vec<u8>)>, Error> {
    let mut header = [0u8; 5];
    match read_exact_or_eof(r, &mut header)? {
        0 => return Ok(None),
        5 => {}
        _ => return Err(Error::Closed),
    }
    let [kind, l0, l1, l2, l3] = header;
    let kind = FrameKind::from_byte(kind)?;
    let len = usize::try_from(u32::from_be_bytes([l0, l1, l2, l3])).unwrap_or(usize::MAX);
    if len > max {
        return Err(Error::TooLarge {
            what: "frame",
            len,
            max,
        });
    }
    let mut body = vec![0u8; len];
    if read_exact_or_eof(r, &mut body)? != len {
        return Err(Error::Closed);
    }
    Ok(Some((kind, body)))
}

/// Fills `buf`, returning how many bytes arrived before end of stream.
fn read_exact_or_eof(r: &mut impl Read, buf: &mut [u8]) -> Result<usize, Error> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|b| !b.is_empty()) {
        match r.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == IoErrorKind::Interrupted => {}
            // rustls reports a peer that vanished without close_notify this way.
            Err(e) if e.kind() == IoErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(filled)
}
