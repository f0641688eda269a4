//! Decodes arbitrary bytes as an exported-authenticator request, an authenticator and a frame.
//! Whatever decodes must be internally consistent: a request re-encodes to the same bytes, and
//! an authenticator's parts lie inside the input.

#![no_main]

use attester_tls::frame::read_frame;
use attester_tls::messages::{AuthenticatorMsg, AuthenticatorRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = AuthenticatorRequest::decode(data) {
        assert_eq!(request.encoded(), data);
        assert!(request.context().len() <= 255);
        assert!(!request.schemes().is_empty());
    }
    if let Ok(AuthenticatorMsg::Full {
        certificate_bytes,
        verify_bytes,
        finished,
        certificate,
        ..
    }) = AuthenticatorMsg::decode(data)
    {
        assert!(certificate_bytes.len() + verify_bytes.len() + finished.len() <= data.len());
        for entry in &certificate.entries {
            assert!(!entry.cert.is_empty());
        }
    }
    let _ = read_frame(&mut &data[..], 1 << 16);
});
