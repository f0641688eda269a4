//! Parses arbitrary bytes as an IMA measurement list (ASCII or binary). Whatever parses must
//! replay every bank without panicking, and every entry whose template data is known has a
//! template hash equal to its SHA-1 (or is a violation).

#![no_main]

use attester_tpm::eventlog::{AlgorithmId, hash_parts};
use attester_tpm::ima::{BankDigest, ImaLog};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(log) = ImaLog::parse(data) else {
        return;
    };
    for entry in log.entries() {
        if let Some(template) = entry.template_data.as_deref() {
            let hash = hash_parts(AlgorithmId::SHA1, &[template]).unwrap();
            assert!(entry.is_violation() || hash.as_bytes() == entry.template_hash);
        }
    }
    for alg in [AlgorithmId::SHA1, AlgorithmId::SHA256, AlgorithmId::SHA384] {
        for rule in [BankDigest::PerBankHash, BankDigest::PaddedSha1] {
            let _ = log.replay(10, alg, rule);
        }
    }
});
