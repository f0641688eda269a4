//! Decodes arbitrary bytes as mock EAT claims, alone and inside a COSE_Sign1. Whatever decodes
//! must re-encode to exactly the input: the claim set has one canonical encoding.

#![no_main]

use attester_core::cose::Sign1;
use attester_mock::eat::MockClaims;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(claims) = MockClaims::decode(data) {
        let again = MockClaims::decode(&claims.encode()).expect("re-encoded claims decode");
        assert_eq!(again, claims);
    }
    if let Ok(message) = Sign1::decode(data) {
        let _ = MockClaims::decode(message.payload);
    }
});
