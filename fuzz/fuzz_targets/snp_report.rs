//! Parses arbitrary bytes as an SEV-SNP attestation report and as an extended-report
//! certificate table. Whatever parses must answer every accessor without panicking and keep
//! its invariants: a report is exactly 1184 bytes of a supported version whose reserved bytes
//! are zero; every table entry lies inside the input.

#![no_main]

use attester_snp::{CertTable, REPORT_LEN, Report, SUPPORTED_VERSIONS, TcbLayout};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = Report::parse(data) {
        assert_eq!(data.len(), REPORT_LEN);
        assert!(SUPPORTED_VERSIONS.contains(&report.version()));
        assert_eq!(report.as_bytes(), data);
        assert_eq!(report.signed_bytes(), &data[..0x2A0]);
        assert!(report.policy().reserved_valid());
        let layout = report.tcb_layout().unwrap_or(TcbLayout::MilanGenoa);
        for tcb in [
            report.current_tcb(),
            report.reported_tcb(),
            report.committed_tcb(),
            report.launch_tcb(),
        ] {
            let _ = tcb.decode(layout).to_string();
        }
        assert_eq!(report.cpuid().is_some(), report.version() >= 3);
        assert_eq!(report.launch_mit_vector().is_some(), report.version() >= 5);
        let _ = (report.platform_info(), report.key_info().signing_key(), report.generation());
        let _ = (report.current_version(), report.committed_version(), report.signature_fixed());
    }
    if let Ok(table) = CertTable::parse(data) {
        let range = data.as_ptr_range();
        for entry in table.entries() {
            let inside = entry.bytes.as_ptr_range();
            assert!(inside.start >= range.start && inside.end <= range.end);
            assert!(table.get(entry.kind).is_some());
        }
    }
});
