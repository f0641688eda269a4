//! Parses arbitrary bytes as a TDREPORT. Whatever parses is exactly 1024 bytes of type 0x81
//! and answers every accessor and the hash check without panicking.

#![no_main]

use attester_tdx::{TDREPORT_SIZE, TdReport};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = TdReport::parse(data) {
        assert_eq!(data.len(), TDREPORT_SIZE);
        assert_eq!(data[0], 0x81);
        let _ = report.check_hashes();
        let _ = (report.report_data(), report.rtmrs(), report.mr_td(), report.tee_tcb_svn2());
        let _ = (report.td_attributes().debug(), report.tee_tcb_valid(), report.mac());
    }
});
