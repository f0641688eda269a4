//! Parses arbitrary bytes as a quote's TPMS_ATTEST, a TPMT_SIGNATURE, a TPML_PCR_SELECTION and
//! a quote bundle. Whatever parses answers every accessor without panicking and keeps its
//! invariants: the view covers exactly the input, its magic and type are a quote's, every
//! selected PCR index is below 32.

#![no_main]

use attester_tpm::{
    Attest, PcrSelection, QuoteBundle, ST_ATTEST_QUOTE, TPM_GENERATED_VALUE, TpmSignature,
    describe,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(attest) = Attest::parse(data) {
        assert_eq!(attest.as_bytes(), data);
        assert_eq!(attest.magic(), TPM_GENERATED_VALUE);
        assert_eq!(attest.attest_type(), ST_ATTEST_QUOTE);
        assert!(attest.extra_data().len() <= 66);
        assert!(attest.pcr_digest().len() <= 64);
        for (_, index) in attest.pcr_select().pcrs() {
            assert!(index < 32);
        }
        let _ = describe::attest_json(&attest);
    }
    if let Ok(signature) = TpmSignature::parse(data) {
        let _ = describe::signature_json(&signature);
    }
    if let Ok(selection) = PcrSelection::parse(data) {
        assert!(selection.len() <= 16);
        assert_eq!(selection.banks().count(), selection.len());
    }
    if let Ok(bundle) = QuoteBundle::decode(data) {
        assert_eq!(QuoteBundle::decode(&bundle.encode()).ok(), Some(bundle));
    }
});
