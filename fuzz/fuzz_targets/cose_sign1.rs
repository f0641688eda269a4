//! Decodes arbitrary bytes as a COSE_Sign1. Whatever decodes must borrow parts of the input
//! that fit inside it, and its header and Sig_structure must be computable without panicking.

#![no_main]

use attester_core::cose::{self, Sign1};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = Sign1::decode(data) {
        let parts = message.protected.len()
            + message.unprotected.len()
            + message.payload.len()
            + message.signature.len();
        assert!(parts <= data.len());
        let _ = message.alg();
        let _ = cose::protected_int(message.protected, cose::HEADER_CONTENT_TYPE);
        let tbs = message.to_be_signed();
        assert!(tbs.len() >= message.protected.len() + message.payload.len());
    }
});
