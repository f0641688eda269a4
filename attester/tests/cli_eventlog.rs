//! The CLI contract of `attester eventlog FILE [--json]`: the replayed PCRs per bank and the
//! boot facts, as text and JSON; exit 2 for a file that is not an event log.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::*;
use std::path::PathBuf;

fn eventlog_dir(test: &str) -> Option<PathBuf> {
    let dir = corpus_dir().map(|dir| dir.join("tpm/eventlogs"));
    if dir.is_none() {
        skipped(test);
    }
    dir
}

#[test]
fn json_has_the_expected_pcrs_and_facts() {
    let Some(dir) = eventlog_dir("json_has_the_expected_pcrs_and_facts") else {
        return;
    };
    let log = dir.join("rhel8-uefi.bin");
    let out = attester(&["eventlog", s(&log), "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["format"]["kind"], "crypto-agile");
    assert_eq!(value["events"], 83);
    assert_eq!(
        value["pcrs"]["sha256"]["0"],
        "24af52a4f429b71a3184a6d64cddad17e54ea030e2aa6576bf3a5a3d8bd3328f"
    );
    assert_eq!(
        value["pcrs"]["sha256"]["7"],
        "5fd54361d580eb7592adb8deb236ff35444ceeac7148f24b3de63c041f12b3da"
    );
    assert_eq!(
        value["pcrs"]["sha256"]["14"],
        "d8f57ebcc1a23cc46832696e1a657f720e1be8f5b405bb7204682114e363b455"
    );
    assert!(value["pcrs"]["sha1"].is_object());
    assert!(value["pcrs"]["sha384"].is_object());
    let boot = &value["boot"];
    assert_eq!(boot["secure_boot"], true);
    assert_eq!(boot["secure_boot_variables"]["dbx"]["present"], true);
    assert_eq!(boot["boot_loader"]["path"], "\\EFI\\redhat\\shimx64.efi");
    assert_eq!(boot["kernel"]["source"], "grub-ipl");
    assert_eq!(boot["kernel"]["pcr"], 9);
    assert!(
        boot["kernel_cmdline"]
            .as_str()
            .unwrap()
            .contains("vmlinuz-4.18.0")
    );
    assert_eq!(boot["separators"].as_array().unwrap().len(), 8);
}

#[test]
fn text_lists_pcrs_by_number_and_the_boot_facts() {
    let Some(dir) = eventlog_dir("text_lists_pcrs_by_number_and_the_boot_facts") else {
        return;
    };
    let out = attester(&["eventlog", s(&dir.join("glinux-alex.bin"))]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("startup locality: 3"), "{text}");
    assert!(text.contains("secure boot: disabled"), "{text}");
    assert!(
        text.contains("boot loader: \\EFI\\DEBIAN\\GRUBX64.EFI"),
        "{text}"
    );
    let sha256 = text.split("sha256:\n").nth(1).unwrap();
    let first: Vec<&str> = sha256.lines().take(3).collect();
    assert!(first[0].starts_with("  PCR0 "), "{first:?}");
    assert!(first[1].starts_with("  PCR1 "), "{first:?}");
    assert!(first[2].starts_with("  PCR2 "), "{first:?}");
}

#[test]
fn every_corpus_log_is_accepted() {
    let Some(dir) = eventlog_dir("every_corpus_log_is_accepted") else {
        return;
    };
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let out = attester(&["eventlog", s(&path), "--json"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}: {}",
            path.display(),
            stderr(&out)
        );
    }
}

#[test]
fn not_an_event_log_exits_2_with_one_line() {
    let scratch = Scratch::new("eventlog-garbage");
    let text = scratch.write(
        "notes.txt",
        b"10 6309e2c8 ima-ng sha256:00 boot_aggregate\n",
    );
    let out = attester(&["eventlog", s(&text)]);
    assert_one_line_error(&out, 2);
    assert!(stderr(&out).contains("event log"), "{}", stderr(&out));
}

#[test]
fn a_truncated_log_exits_2() {
    let Some(dir) = eventlog_dir("a_truncated_log_exits_2") else {
        return;
    };
    let bytes = std::fs::read(dir.join("rhel8-uefi.bin")).unwrap();
    let scratch = Scratch::new("eventlog-truncated");
    let cut = scratch.write("cut.bin", &bytes[..bytes.len() - 7]);
    let out = attester(&["eventlog", s(&cut), "--json"]);
    assert_one_line_error(&out, 2);
    assert!(stderr(&out).contains("needs"), "{}", stderr(&out));
}

#[test]
fn a_missing_file_exits_2() {
    let out = attester(&["eventlog", "/nonexistent/attester-eventlog.bin"]);
    assert_one_line_error(&out, 2);
}
