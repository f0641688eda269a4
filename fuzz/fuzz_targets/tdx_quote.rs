//! Parses arbitrary bytes as a TDX quote (and as a CC event log). Whatever parses must answer
//! every accessor without panicking and keep its invariants: version 4 or 5, the signed region
//! a prefix of the input, the trailing bytes a suffix, every borrowed slice inside the input.

#![no_main]

use attester_tdx::ccel::EventLog;
use attester_tdx::{BodyType, Quote, SUPPORTED_VERSIONS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(quote) = Quote::parse(data) {
        assert!(SUPPORTED_VERSIONS.contains(&quote.version()));
        let body = quote.body();
        let header = if quote.version() == 4 { 48 } else { 54 };
        assert_eq!(quote.signed_bytes(), &data[..header + body.body_type().size()]);
        assert!(data.ends_with(quote.trailing()));
        assert_eq!(quote.quote_bytes().len() + quote.trailing().len(), data.len());
        assert_eq!(body.tee_tcb_svn2().is_some(), body.body_type() == BodyType::Td15);
        let _ = (body.mr_td(), body.rtmrs(), body.report_data(), body.td_attributes().debug());
        let _ = (quote.signature(), quote.attestation_key(), quote.user_data());
        let range = data.as_ptr_range();
        if let Some(qe) = quote.qe_report_cert() {
            for slice in [qe.qe_report.as_bytes(), qe.qe_auth_data, qe.inner.data] {
                let inside = slice.as_ptr_range();
                assert!(inside.start >= range.start && inside.end <= range.end);
            }
            let _ = (qe.qe_report.isv_svn(), qe.qe_report.report_data(), qe.inner.pck_chain_pem());
        }
    }
    if let Ok(log) = EventLog::parse(data) {
        let _ = log.replay();
    }
});
