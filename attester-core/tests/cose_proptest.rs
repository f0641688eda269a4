//! COSE_Sign1 decoding is total: random bytes, truncations and bit flips give a value or a
// Helpers outside `#[test]` functions build fixtures; a failure there should fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! typed error, never a panic; and a decoded message always re-encodes to its input.

use attester_core::ErrorKind;
use attester_core::cose::{self, ALG_ES384, Sign1};
use proptest::prelude::*;

fn sample(payload: &[u8], signature: &[u8]) -> Vec<u8> {
    cose::encode_sign1(&cose::protected_alg_header(ALG_ES384), payload, |_| {
        Ok(signature.to_vec())
    })
    .unwrap()
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Err(e) = Sign1::decode(&bytes) {
            prop_assert_eq!(e.kind(), ErrorKind::Malformed);
        }
    }

    #[test]
    fn truncations_fail(payload in proptest::collection::vec(any::<u8>(), 0..200), cut in any::<prop::sample::Index>()) {
        let bytes = sample(&payload, &[9; 96]);
        let len = cut.index(bytes.len());
        prop_assert!(Sign1::decode(&bytes[..len]).is_err());
    }

    #[test]
    fn bit_flips_decode_or_fail_cleanly(payload in proptest::collection::vec(any::<u8>(), 0..200), bit in any::<prop::sample::Index>()) {
        let mut bytes = sample(&payload, &[9; 96]);
        let bit = bit.index(bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
        if let Ok(message) = Sign1::decode(&bytes) {
            // Whatever decodes still covers the whole input, with nothing left over.
            let total = message.protected.len() + message.payload.len() + message.signature.len();
            prop_assert!(total <= bytes.len());
            let _ = message.alg();
            let _ = message.to_be_signed();
        }
    }

    #[test]
    fn round_trip(payload in proptest::collection::vec(any::<u8>(), 0..300), signature in proptest::collection::vec(any::<u8>(), 0..140)) {
        let bytes = sample(&payload, &signature);
        let message = Sign1::decode(&bytes).unwrap();
        prop_assert_eq!(message.payload, payload.as_slice());
        prop_assert_eq!(message.signature, signature.as_slice());
        prop_assert_eq!(message.alg().unwrap(), ALG_ES384);
    }
}
