//! Parses arbitrary bytes as a DER certificate and as PEM. Whatever parses must expose its
//! original TBS bytes inside the input and answer every accessor without panicking.

#![no_main]

use attester_core::x509::{Certificate, parse_pem_chain, pem_blocks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = Certificate::from_der(data) {
        assert!(cert.tbs_der().len() < data.len());
        assert_eq!(cert.der(), data);
        let _ = (cert.subject(), cert.issuer(), cert.serial());
        let _ = (cert.not_before(), cert.not_after(), cert.signature_alg());
        let _ = (cert.basic_constraints(), cert.key_usage_cert_sign(), cert.public_key());
        let _ = cert.fingerprint_sha256();
    }
    let _ = pem_blocks(data);
    let _ = parse_pem_chain(data);
});
