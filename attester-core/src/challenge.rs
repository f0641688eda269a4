//! The challenge a platform signs.

use crate::error::{Error, Result};
use std::fmt;

/// The fewest bytes a challenge may have: 64 bits, the entropy RFC 9711 asks of `eat_nonce`.
pub const MIN_CHALLENGE_LEN: usize = 8;
/// The most bytes a challenge may have: the largest platform field (REPORT_DATA, REPORTDATA,
/// the CCA realm challenge) is 64 bytes.
pub const MAX_CHALLENGE_LEN: usize = 64;

/// 8..=64 bytes that the platform must sign, held inline (no allocation).
///
/// A challenge is either raw (chosen by a verifier) or a binder derived from a TLS session
/// ([`crate::Binding::tls_exporter`]). It is never truncated or hashed to fit a platform; see
/// [`crate::FillRule`].
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Challenge {
    bytes: [u8; MAX_CHALLENGE_LEN],
    len: u8,
}

impl Challenge {
    /// A challenge of exactly these bytes; an error outside 8..=64 bytes.
    pub fn new(bytes: &[u8]) -> Result<Self> {
        let len = bytes.len();
        if !(MIN_CHALLENGE_LEN..=MAX_CHALLENGE_LEN).contains(&len) {
            return Err(Error::ChallengeLength {
                len,
                min: MIN_CHALLENGE_LEN,
                max: MAX_CHALLENGE_LEN,
                what: "a challenge",
            });
        }
        let mut inline = [0u8; MAX_CHALLENGE_LEN];
        let (head, _) = inline.split_at_mut(len);
        head.copy_from_slice(bytes);
        Ok(Self {
            bytes: inline,
            // The range check above bounds len by 64, so it fits in a u8.
            len: len as u8,
        })
    }

    /// A challenge from hex text (upper or lower case, no separators).
    pub fn from_hex(text: &str) -> Result<Self> {
        let bytes = hex::decode(text.trim())
            .map_err(|e| Error::malformed("challenge hex", e.to_string()))?;
        Self::new(&bytes)
    }

    /// The challenge bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The number of bytes.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always false: a challenge has at least 8 bytes.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Lower-case hex of the bytes.
    pub fn to_hex(&self) -> String {
        hex::encode(self.as_bytes())
    }
}

impl AsRef<[u8]> for Challenge {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Challenge({})", self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn accepts_8_to_64_bytes() {
        for len in 8..=64 {
            let c = Challenge::new(&vec![0xa5; len]).unwrap();
            assert_eq!(c.len(), len);
            assert_eq!(c.as_bytes(), vec![0xa5; len].as_slice());
        }
    }

    #[test]
    fn rejects_short_and_long() {
        assert_eq!(
            Challenge::new(&[0; 7]).unwrap_err().kind(),
            ErrorKind::ChallengeTooShort
        );
        assert_eq!(
            Challenge::new(&[0; 65]).unwrap_err().kind(),
            ErrorKind::ChallengeTooLong
        );
        assert_eq!(
            Challenge::new(&[]).unwrap_err().kind(),
            ErrorKind::ChallengeTooShort
        );
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let c = Challenge::from_hex("00112233445566778899").unwrap();
        assert_eq!(c.to_hex(), "00112233445566778899");
        assert_eq!(
            Challenge::from_hex("0011223").unwrap_err().kind(),
            ErrorKind::Malformed
        );
        assert_eq!(
            Challenge::from_hex("zz11223344556677").unwrap_err().kind(),
            ErrorKind::Malformed
        );
    }

    #[test]
    fn trailing_zeros_are_kept() {
        let c = Challenge::new(&[1, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        assert_eq!(c.as_bytes(), &[1, 0, 0, 0, 0, 0, 0, 0]);
    }
}
