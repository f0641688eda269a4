//! Decodes arbitrary bytes as a CCA token (and as bare platform and realm tokens). Whatever
//! decodes must answer every accessor with slices inside the input, describe itself, and fail
//! verification without trusted keys on the trust check, never with a panic.

#![no_main]

use attester_cca::trust::PlatformKeys;
use attester_cca::{CcaToken, PlatformToken, RealmToken, verify};
use libfuzzer_sys::fuzz_target;

fn inside(outer: &[u8], inner: &[u8]) -> bool {
    let (start, end) = (outer.as_ptr() as usize, outer.as_ptr() as usize + outer.len());
    let p = inner.as_ptr() as usize;
    inner.is_empty() || (p >= start && p + inner.len() <= end)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = CcaToken::decode(data) {
        let platform = token.platform().claims();
        let realm = token.realm().claims();
        for part in [
            platform.challenge(),
            platform.implementation_id(),
            platform.instance_id(),
            platform.config(),
            realm.challenge(),
            realm.personalization_value(),
            realm.initial_measurement(),
            realm.public_key().claim_bytes(),
            token.platform().signed().bytes(),
            token.realm().signed().message().payload,
        ] {
            assert!(inside(data, part));
        }
        assert_eq!(realm.challenge().len(), 64);
        assert_eq!(realm.extensible_measurements().len(), 4);
        let count = platform.sw_components().iter().count();
        assert_eq!(count, platform.sw_components().len());
        let rak = realm.public_key();
        assert_eq!(rak.sec1_point().len(), rak.curve().uncompressed_point_len());
        let _ = attester_cca::describe::token_json(&token);
        let err = verify::verify_platform(&token, &PlatformKeys::new()).unwrap_err();
        assert!(err.check_failed().is_some());
        let _ = verify::verify_realm_signature(&token);
        let _ = verify::verify_binding(&token);
    }
    let _ = PlatformToken::decode(data);
    let _ = RealmToken::decode(data);
});
