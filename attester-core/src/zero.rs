//! Must-be-zero checks for the reserved ranges of wire layouts.
//!
//! Parsers check hundreds of reserved bytes on every input. Testing them one byte at a time
//! with an early exit costs a compare and a branch per byte; OR-ing them eight bytes at a time
//! and branching once lets the compiler use vector ORs for the fixed-size ranges. Inputs are
//! accepted far more often than refused, so the early exit buys nothing.

/// The bitwise OR of `bytes`, read as eight-byte words (the tail byte by byte): zero exactly
/// when every byte is zero.
#[inline]
pub fn or_words(bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(8);
    let mut acc = 0u64;
    for word in &mut words {
        // `chunks_exact(8)` yields 8-byte chunks, so the conversion cannot fail; a failure
        // would read as non-zero and refuse the input rather than accept it.
        acc |= <[u8; 8]>::try_from(word).map_or(u64::MAX, u64::from_ne_bytes);
    }
    for byte in words.remainder() {
        acc |= u64::from(*byte);
    }
    acc
}

/// Whether every byte of `bytes` is zero.
#[inline]
pub fn all_zero(bytes: &[u8]) -> bool {
    or_words(bytes) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_set_bit_anywhere_is_seen() {
        for len in 0..40 {
            assert!(all_zero(&vec![0; len]));
            for at in 0..len {
                for bit in 0..8 {
                    let mut bytes = vec![0; len];
                    bytes[at] = 1 << bit;
                    assert!(!all_zero(&bytes), "len {len} at {at} bit {bit}");
                }
            }
        }
    }
}
