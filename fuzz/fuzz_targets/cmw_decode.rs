//! Decodes arbitrary bytes as a CMW and as an evidence envelope. Whatever decodes must
//! re-encode to bytes that decode to the same value, and that re-encode to themselves.

#![no_main]

use attester_core::Evidence;
use attester_core::cmw::{self, Encoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = cmw::decode(data) {
        let cbor = value.to_cbor();
        let again = cmw::decode_cbor(&cbor).expect("canonical CBOR decodes");
        assert_eq!(again, value);
        assert_eq!(again.to_cbor(), cbor);
        if let Ok(json) = value.to_json() {
            let again = cmw::decode(json.as_bytes()).expect("canonical JSON decodes");
            assert_eq!(again, value);
            assert_eq!(again.to_json().as_deref(), Ok(json.as_str()));
        }
    }
    if let Ok(evidence) = Evidence::from_cmw(data) {
        for encoding in [Encoding::Json, Encoding::Cbor] {
            let bytes = evidence.to_cmw(encoding);
            let again = Evidence::from_cmw(&bytes).expect("re-encoded evidence decodes");
            assert_eq!(again, evidence);
            assert_eq!(again.to_cmw(encoding), bytes);
        }
    }
});
