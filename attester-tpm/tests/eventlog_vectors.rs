//! Every firmware event log of the corpus: parsed in its format with its event count, replayed
//! to exactly the PCR values upstream asserts (`tpm/expected.json`), and its boot facts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_tpm::eventlog::{AlgorithmId, BootFacts, EventLog, LogFormat, replay};
use serde_json::Value;

fn expected(test: &str) -> Option<Value> {
    let bytes = support::corpus_file(test, "tpm/expected.json")?;
    Some(serde_json::from_slice(&bytes).unwrap())
}

fn log_bytes(test: &str, name: &str) -> Option<Vec<u8>> {
    support::corpus_file(test, &format!("tpm/eventlogs/{name}"))
}

#[test]
fn every_log_replays_to_its_expected_pcrs() {
    let test = "every_log_replays_to_its_expected_pcrs";
    let Some(expected) = expected(test) else {
        return;
    };
    let logs = expected["eventlogs"].as_object().unwrap();
    assert_eq!(logs.len(), 7, "the corpus has seven event logs");
    for (name, want) in logs {
        let bytes = log_bytes(test, name).unwrap();
        let log = EventLog::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            log.events().len() as u64,
            want["events_including_header"].as_u64().unwrap(),
            "{name}: event count"
        );
        match (log.format(), want["format"]["kind"].as_str().unwrap()) {
            (LogFormat::CryptoAgile(spec), "crypto-agile") => {
                let algs: Vec<String> = spec.algorithms().map(|(a, _)| a.to_string()).collect();
                let want_algs: Vec<&str> = want["format"]["algs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap())
                    .collect();
                assert_eq!(algs, want_algs, "{name}: algorithms");
                assert_eq!(
                    u64::from(spec.uintn_size()),
                    want["format"]["uintn"].as_u64().unwrap()
                );
            }
            (LogFormat::LegacySha1, "legacy-sha1") => {}
            (format, kind) => panic!("{name}: parsed as {format:?}, expected {kind}"),
        }
        assert_eq!(
            log.startup_locality().map(u64::from),
            want["startup_locality"].as_u64(),
            "{name}: StartupLocality"
        );
        let pcrs = replay(&log);
        let mut compared = 0;
        for (bank, values) in want["expected_pcrs"].as_object().unwrap() {
            let alg = AlgorithmId::from_name(bank).unwrap();
            let replayed = pcrs
                .bank(alg)
                .unwrap_or_else(|| panic!("{name}: no {bank} bank"));
            for (index, value) in values.as_object().unwrap() {
                let index: usize = index.parse().unwrap();
                let got = replayed
                    .get(index)
                    .unwrap_or_else(|| panic!("{name}: {bank} PCR{index} not extended"));
                assert_eq!(
                    got.to_hex(),
                    value.as_str().unwrap(),
                    "{name}: {bank} PCR{index}"
                );
                compared += 1;
            }
        }
        assert!(compared >= 8, "{name}: compared {compared} PCRs");
    }
}

/// Replaying without the StartupLocality event gets PCR0 wrong (what tpm2_eventlog 5.4 does).
#[test]
fn startup_locality_decides_pcr0() {
    let test = "startup_locality_decides_pcr0";
    let Some(expected) = expected(test) else {
        return;
    };
    let name = "glinux-alex.bin";
    let bytes = log_bytes(test, name).unwrap();
    let log = EventLog::parse(&bytes).unwrap();
    assert_eq!(log.startup_locality(), Some(3));
    let want = expected["eventlogs"][name]["expected_pcrs"]["sha256"]["0"]
        .as_str()
        .unwrap();
    // The same replay from an all-zero PCR0.
    let mut pcr0 = attester_tpm::eventlog::DigestValue::zero(32);
    for event in log
        .events()
        .iter()
        .filter(|e| e.pcr() == 0 && e.is_extended())
    {
        attester_tpm::eventlog::extend(
            AlgorithmId::SHA256,
            &mut pcr0,
            event.digest(AlgorithmId::SHA256).unwrap(),
        );
    }
    assert_ne!(pcr0.to_hex(), want);
    let replayed = replay(&log);
    let got = replayed.bank(AlgorithmId::SHA256).unwrap().get(0).unwrap();
    assert_eq!(got.to_hex(), want);
}

/// Extending the SP800-155 EV_NO_ACTION events of the confidential GKE log would change PCR0.
#[test]
fn no_action_events_are_not_extended() {
    let test = "no_action_events_are_not_extended";
    let Some(expected) = expected(test) else {
        return;
    };
    let name = "confidential-gke-debug-251000_eventlog.bin";
    let bytes = log_bytes(test, name).unwrap();
    let log = EventLog::parse(&bytes).unwrap();
    let no_action_pcr0 = log
        .events()
        .iter()
        .skip(1)
        .filter(|e| e.pcr() == 0 && !e.is_extended())
        .count();
    assert_eq!(no_action_pcr0, 2, "two SP800-155 events");
    let want = expected["eventlogs"][name]["expected_pcrs"]["sha256"]["0"]
        .as_str()
        .unwrap();
    let mut pcr0 = attester_tpm::eventlog::DigestValue::zero(32);
    for event in log.events().iter().skip(1).filter(|e| e.pcr() == 0) {
        attester_tpm::eventlog::extend(
            AlgorithmId::SHA256,
            &mut pcr0,
            event.digest(AlgorithmId::SHA256).unwrap(),
        );
    }
    assert_ne!(pcr0.to_hex(), want);
}

/// Secure Boot state (as the notes of `expected.json` give it), the boot loader, the kernel
/// and the kernel command line of each log.
#[test]
fn boot_facts_of_every_log() {
    let test = "boot_facts_of_every_log";
    use attester_tpm::eventlog::KernelSource::{self, EfiApplication, GrubIpl};
    type Case<'a> = (
        &'a str,
        Option<bool>,
        &'a str,
        Option<KernelSource>,
        Option<&'a str>,
    );
    let cases: [Case<'_>; 7] = [
        (
            "arch-linux-workstation.bin",
            None, // the SecureBoot variable is measured with no data
            "\\EFI\\SYSTEMD\\SYSTEMD-BOOTX64.EFI",
            Some(EfiApplication),
            Some("initrd=\\intel-ucode.img"),
        ),
        (
            "confidential-gke-debug-251000_eventlog.bin",
            Some(true),
            "\\EFI\\BOOT\\BOOTX64.EFI",
            Some(GrubIpl),
            Some("/syslinux/vmlinuz.B init=/usr/lib/systemd/systemd"),
        ),
        (
            "debian-10.bin",
            Some(true),
            "\\EFI\\BOOT\\BOOTX64.EFI",
            Some(EfiApplication),
            None,
        ),
        (
            "gdc-host.bin",
            Some(false),
            "\\EFI\\ubuntu\\shimx64.efi",
            Some(GrubIpl),
            Some("/vmlinuz-6.9.0-rc7+ root="),
        ),
        (
            "glinux-alex.bin",
            Some(false),
            "\\EFI\\DEBIAN\\GRUBX64.EFI",
            None,
            None,
        ),
        (
            "rhel8-uefi.bin",
            Some(true),
            "\\EFI\\redhat\\shimx64.efi",
            Some(GrubIpl),
            Some("(hd0,gpt2)/boot/vmlinuz-4.18.0-240.22.1.el8_3.x86_64 root="),
        ),
        (
            "ubuntu-2404-amd-sevsnp.bin",
            Some(false),
            "\\EFI\\ubuntu\\shimx64.efi",
            Some(GrubIpl),
            Some("/vmlinuz-6.8.0-1010-gcp root=PARTUUID="),
        ),
    ];
    for (name, secure_boot, loader, kernel, cmdline) in cases {
        let Some(bytes) = log_bytes(test, name) else {
            return;
        };
        let log = EventLog::parse(&bytes).unwrap();
        let facts = BootFacts::extract(&log);
        assert_eq!(facts.secure_boot, secure_boot, "{name}: Secure Boot");
        for variable in ["PK", "KEK", "db", "dbx"] {
            assert!(facts.has_policy_variable(variable), "{name}: {variable}");
        }
        assert_eq!(
            facts.boot_loader().and_then(|a| a.path.as_deref()),
            Some(loader),
            "{name}: boot loader"
        );
        assert_eq!(
            facts.kernel.as_ref().map(|k| k.source),
            kernel,
            "{name}: kernel"
        );
        if let Some(kernel) = &facts.kernel {
            assert!(kernel.event.digest(AlgorithmId::SHA256).is_some() || name == "debian-10.bin");
        }
        match cmdline {
            Some(start) => assert!(
                facts
                    .kernel_cmdline
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with(start),
                "{name}: {:?}",
                facts.kernel_cmdline
            ),
            None => assert_eq!(facts.kernel_cmdline, None, "{name}"),
        }
        // Every PC Client log separates PCRs 0-7.
        let separated: Vec<u32> = facts.separators.iter().map(|s| s.pcr).collect();
        for pcr in 0..=7 {
            assert!(separated.contains(&pcr), "{name}: separator of PCR{pcr}");
        }
        assert!(facts.separators.iter().all(|s| !s.error), "{name}");
    }
}

fn varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = bytes[*at];
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            break;
        }
    }
    value
}

/// Field 3 (`event_log`) of the go-tpm-tools `Attestation` protobuf.
fn attestation_event_log(pb: &[u8]) -> &[u8] {
    let mut at = 0;
    while at < pb.len() {
        let key = varint(pb, &mut at);
        assert_eq!(key & 7, 2, "every top-level field is length-delimited");
        let len = varint(pb, &mut at) as usize;
        if key >> 3 == 3 {
            return &pb[at..at + len];
        }
        at += len;
    }
    panic!("no event_log field");
}

/// The log stapled to the GCE attestation replays to the quoted PCR 0-9 of all three banks.
#[test]
fn gce_attestation_log_replays_to_its_quoted_pcrs() {
    let test = "gce_attestation_log_replays_to_its_quoted_pcrs";
    let Some(expected) = expected(test) else {
        return;
    };
    let pb = support::corpus_file(test, "tpm/gce-attestation/gce-cos-85-nonce9009.pb").unwrap();
    let want = &expected["gce-attestation"]["gce-cos-85-nonce9009.pb"];
    let log = EventLog::parse(attestation_event_log(&pb)).unwrap();
    assert_eq!(
        log.events().len() as u64,
        want["eventlog_events_including_header"].as_u64().unwrap()
    );
    let pcrs = replay(&log);
    for quote in want["quotes"].as_array().unwrap() {
        let bank = quote["pcr_bank"].as_str().unwrap();
        let replayed = pcrs.bank(AlgorithmId::from_name(bank).unwrap()).unwrap();
        for (index, value) in quote["pcrs_0_9"].as_object().unwrap() {
            let got = replayed.get(index.parse().unwrap()).unwrap();
            assert_eq!(got.to_hex(), value.as_str().unwrap(), "{bank} PCR{index}");
        }
    }
}

/// The legacy SHA-1 log of the Windows GCE dump replays to its SHA-1 PCRs 0, 4, 5, 7, 11-14.
#[test]
fn windows_legacy_log_replays_to_its_pcrs() {
    use base64::Engine as _;
    let test = "windows_legacy_log_replays_to_its_pcrs";
    let Some(json) = support::corpus_file(test, "tpm/go-attestation/windows_gcp_shielded_vm.json")
    else {
        return;
    };
    let dump: Value = serde_json::from_slice(&json).unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let raw = b64.decode(dump["Log"]["Raw"].as_str().unwrap()).unwrap();
    let log = EventLog::parse(&raw).unwrap();
    assert!(matches!(log.format(), LogFormat::LegacySha1));
    assert_eq!(log.events().len(), 21);
    let pcrs = replay(&log);
    let sha1 = pcrs.bank(AlgorithmId::SHA1).unwrap();
    let want: std::collections::HashMap<u64, Vec<u8>> = dump["Log"]["PCRs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let digest = b64.decode(p["Digest"].as_str().unwrap()).unwrap();
            (p["Index"].as_u64().unwrap(), digest)
        })
        .collect();
    for index in [0u64, 4, 5, 7, 11, 12, 13, 14] {
        let got = sha1.get(index as usize).unwrap();
        assert_eq!(got.as_bytes(), want[&index].as_slice(), "PCR{index}");
    }
}

/// A changed digest byte changes exactly its PCR; a log cut short anywhere inside its last
/// record is refused.
#[test]
fn a_changed_digest_changes_its_pcr_and_truncation_fails() {
    let test = "a_changed_digest_changes_its_pcr_and_truncation_fails";
    let Some(mut bytes) = log_bytes(test, "rhel8-uefi.bin") else {
        return;
    };
    let log = EventLog::parse(&bytes).unwrap();
    let before = replay(&log);
    let last = *log.events().last().unwrap();
    let sha256 = last.digest(AlgorithmId::SHA256).unwrap();
    let at = sha256.as_ptr() as usize - bytes.as_ptr() as usize;
    let (pcr, last_offset) = (last.pcr() as usize, last.offset());
    for cut in last_offset + 1..bytes.len() {
        assert!(EventLog::parse(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    bytes[at] ^= 1;
    let after = replay(&EventLog::parse(&bytes).unwrap());
    let (b, a) = (
        before.bank(AlgorithmId::SHA256).unwrap(),
        after.bank(AlgorithmId::SHA256).unwrap(),
    );
    for index in 0..24 {
        assert_eq!(b.get(index) == a.get(index), index != pcr, "PCR{index}");
    }
    assert_eq!(
        before.bank(AlgorithmId::SHA1),
        after.bank(AlgorithmId::SHA1)
    );
}
