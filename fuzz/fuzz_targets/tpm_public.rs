//! Parses arbitrary bytes as a TPMT_PUBLIC and a TPM2B_PUBLIC. Whatever parses answers every
//! accessor without panicking: no reserved attribute bit set, an RSA modulus of `keyBits`,
//! and a key the crypto seam can take (or a typed error for an unsupported curve).

#![no_main]

use attester_tpm::{KeyParams, ObjectAttributes, Public, describe};
use libfuzzer_sys::fuzz_target;

fn check(public: &Public<'_>) {
    assert_eq!(public.attributes().0 & ObjectAttributes::RESERVED, 0);
    if let KeyParams::Rsa { key_bits, modulus, .. } = public.params() {
        assert_eq!(modulus.len() * 8, usize::from(key_bits));
    }
    if let Ok(key) = public.key() {
        let _ = key.public_key().to_spki_der();
    }
    let _ = (public.name(), describe::public_json(public));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(public) = Public::parse(data) {
        assert_eq!(public.as_bytes(), data);
        check(&public);
    }
    if let Ok(public) = Public::parse_tpm2b(data) {
        assert_eq!(public.as_bytes().len() + 2, data.len());
        check(&public);
    }
});
