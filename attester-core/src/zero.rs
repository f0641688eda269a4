//! Must-be-zero checks for the reserved ranges of wire layouts.
//!
//! Parsers check hundreds of reserved bytes on every input. Testing them one byte at a time
//! with an early exit costs a compare and a branch per byte; OR-ing them eight bytes at a time
//! and branching once lets the compiler use vector ORs for the fixed-size ranges. Inputs are
//! accepted far more often than refused, so the early exit buys nothing.

/// The bitwise OR of `bytes`, folded to 64 bits: zero exactly when every byte is zero.
///
/// The bytes are read as sixteen-byte words into two independent accumulators: the loads are
/// what bounds this (hundreds of reserved bytes per parse), and sixteen-byte words let the
/// compiler use one vector load and OR per word, while two accumulators keep the ORs from
/// forming one long dependency chain.
#[inline]
pub fn or_words(bytes: &[u8]) -> u64 {
    let mut lanes = [0u128; 2];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        let (low, high) = block.split_at(16);
        lanes[0] |= word_of(low);
        lanes[1] |= word_of(high);
    }
    let mut words = blocks.remainder().chunks_exact(16);
    for word in &mut words {
        lanes[0] |= word_of(word);
    }
    let mut tail = 0u64;
    let mut eights = words.remainder().chunks_exact(8);
    for eight in &mut eights {
        tail |= <[u8; 8]>::try_from(eight).map_or(u64::MAX, u64::from_ne_bytes);
    }
    for byte in eights.remainder() {
        tail |= u64::from(*byte);
    }
    let folded = lanes[0] | lanes[1];
    // Folding keeps every bit: a set bit in either half stays set.
    (folded as u64) | ((folded >> 64) as u64) | tail
}

/// One sixteen-byte word. Callers pass sixteen-byte chunks, so the conversion cannot fail; if
/// it did, the word would read as non-zero and refuse the input rather than accept it.
#[inline]
fn word_of(chunk: &[u8]) -> u128 {
    <[u8; 16]>::try_from(chunk).map_or(u128::MAX, u128::from_ne_bytes)
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
        for len in 0..80 {
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
