//! The IMA measurement list: the corpus's ASCII `ima-ng` sample (template hashes verified, PCR
//! 10 replayed), the same entries as binary records, the `ima`, `ima-sig` and violation cases,
//! and mutations (every truncation of a binary list, bit flips, arbitrary text).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod support;

use attester_tpm::eventlog::{AlgorithmId, ImaError};
use attester_tpm::ima::{BankDigest, IMA_PCR, ImaEntry, ImaLog};
use proptest::prelude::*;
use sha1::Digest as _;

fn sha1(parts: &[&[u8]]) -> [u8; 20] {
    let mut h = sha1::Sha1::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// The binary record of an entry whose template data is known.
fn binary_record(entry: &ImaEntry<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&entry.pcr.to_le_bytes());
    out.extend_from_slice(&entry.template_hash);
    out.extend_from_slice(&(entry.template_name.len() as u32).to_le_bytes());
    out.extend_from_slice(entry.template_name.as_bytes());
    let data = entry.template_data.as_deref().unwrap();
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
fn corpus_ascii_sample_parses_verifies_and_replays() {
    let test = "corpus_ascii_sample_parses_verifies_and_replays";
    let Some(bytes) = support::corpus_file(test, "tpm/ima/ima-log-sha256.txt") else {
        return;
    };
    let log = ImaLog::parse(&bytes).unwrap();
    let entries = log.entries();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].name.as_deref(), Some("boot_aggregate"));
    assert_eq!(entries[1].name.as_deref(), Some("/data"));
    for entry in entries {
        assert_eq!(entry.pcr, IMA_PCR);
        assert_eq!(entry.template_name, "ima-ng");
        assert_eq!(entry.digest_algorithm, Some("sha256"));
        assert_eq!(entry.file_digest.as_ref().unwrap().len(), 32);
    }
    // SHA-1 bank: the logged template hashes, chained.
    let mut pcr = [0u8; 20];
    for entry in entries {
        pcr = sha1(&[&pcr, &entry.template_hash]);
    }
    let replayed = log
        .replay(IMA_PCR, AlgorithmId::SHA1, BankDigest::PerBankHash)
        .unwrap();
    assert_eq!(replayed.as_bytes(), pcr);
    // SHA-256 bank, current kernels: SHA-256 of each entry's template data, chained.
    let mut pcr = [0u8; 32];
    for entry in entries {
        pcr = sha256(&[&pcr, &sha256(&[entry.template_data.as_deref().unwrap()])]);
    }
    let replayed = log
        .replay(IMA_PCR, AlgorithmId::SHA256, BankDigest::PerBankHash)
        .unwrap();
    assert_eq!(replayed.as_bytes(), pcr);
    // Older kernels: the SHA-1 template hash zero-padded.
    let mut pcr = [0u8; 32];
    for entry in entries {
        let mut padded = [0u8; 32];
        padded[..20].copy_from_slice(&entry.template_hash);
        pcr = sha256(&[&pcr, &padded]);
    }
    let replayed = log
        .replay(IMA_PCR, AlgorithmId::SHA256, BankDigest::PaddedSha1)
        .unwrap();
    assert_eq!(replayed.as_bytes(), pcr);

    // The same entries as binary records parse to the same entries and the same replay.
    let binary: Vec<u8> = entries.iter().flat_map(binary_record).collect();
    let from_binary = ImaLog::parse(&binary).unwrap();
    assert_eq!(from_binary.entries().len(), 2);
    for (a, b) in entries.iter().zip(from_binary.entries()) {
        assert_eq!(a.template_hash, b.template_hash);
        assert_eq!(a.name, b.name);
        assert_eq!(a.file_digest, b.file_digest);
        assert_eq!(a.digest_algorithm, b.digest_algorithm);
    }
    for alg in [AlgorithmId::SHA1, AlgorithmId::SHA256, AlgorithmId::SHA384] {
        assert_eq!(
            log.replay(IMA_PCR, alg, BankDigest::PerBankHash),
            from_binary.replay(IMA_PCR, alg, BankDigest::PerBankHash)
        );
    }
    // A changed template hash is refused.
    let text = String::from_utf8(bytes)
        .unwrap()
        .replacen("6309e2c8", "6309e2c9", 1);
    assert_eq!(
        ImaLog::parse(text.as_bytes()).unwrap_err(),
        ImaError::TemplateHash { entry: 0 }
    );
}

fn ima_ng_line(path: &str, digest: &[u8; 32]) -> String {
    let mut data = Vec::new();
    let mut d = b"sha256:\0".to_vec();
    d.extend_from_slice(digest);
    data.extend_from_slice(&(d.len() as u32).to_le_bytes());
    data.extend_from_slice(&d);
    let mut n = path.as_bytes().to_vec();
    n.push(0);
    data.extend_from_slice(&(n.len() as u32).to_le_bytes());
    data.extend_from_slice(&n);
    format!(
        "10 {} ima-ng sha256:{} {path}\n",
        hex::encode(sha1(&[&data])),
        hex::encode(digest)
    )
}

#[test]
fn ima_template_hashes_the_path_padded_to_256_bytes() {
    let digest = [0x11u8; 20];
    let mut padded = [0u8; 256];
    padded[..8].copy_from_slice(b"/bin/foo");
    let hash = sha1(&[&digest, &padded]);
    let line = format!(
        "10 {} ima {} /bin/foo\n",
        hex::encode(hash),
        hex::encode(digest)
    );
    let log = ImaLog::parse(line.as_bytes()).unwrap();
    assert_eq!(log.entries()[0].name.as_deref(), Some("/bin/foo"));
    // The binary `ima` record: no data length, digest then u32 len ‖ path.
    let mut binary = Vec::new();
    binary.extend_from_slice(&10u32.to_le_bytes());
    binary.extend_from_slice(&hash);
    binary.extend_from_slice(&3u32.to_le_bytes());
    binary.extend_from_slice(b"ima");
    binary.extend_from_slice(&digest);
    binary.extend_from_slice(&8u32.to_le_bytes());
    binary.extend_from_slice(b"/bin/foo");
    let from_binary = ImaLog::parse(&binary).unwrap();
    assert_eq!(from_binary.entries()[0].name.as_deref(), Some("/bin/foo"));
    assert_eq!(
        from_binary.entries()[0].file_digest.as_deref(),
        Some(&digest[..])
    );
}

#[test]
fn ima_sig_with_and_without_a_signature() {
    let digest = [0x22u8; 32];
    let sig = [0x03u8, 0x02, 0x04, 0xaa, 0xbb];
    for signature in [&sig[..], &[][..]] {
        let mut data = Vec::new();
        for field in [
            [b"sha256:\0".as_slice(), &digest].concat(),
            b"/usr/bin/x\0".to_vec(),
            signature.to_vec(),
        ] {
            data.extend_from_slice(&(field.len() as u32).to_le_bytes());
            data.extend_from_slice(&field);
        }
        let mut line = format!(
            "10 {} ima-sig sha256:{} /usr/bin/x",
            hex::encode(sha1(&[&data])),
            hex::encode(digest)
        );
        if !signature.is_empty() {
            line.push(' ');
            line.push_str(&hex::encode(signature));
        }
        let log = ImaLog::parse(line.as_bytes()).unwrap();
        let entry = &log.entries()[0];
        assert_eq!(entry.name.as_deref(), Some("/usr/bin/x"));
        assert_eq!(
            entry.signature.as_deref(),
            (!signature.is_empty()).then_some(signature)
        );
        let record = binary_record(entry);
        let binary = ImaLog::parse_binary(&record).unwrap();
        assert_eq!(binary.entries()[0].signature, entry.signature);
    }
}

#[test]
fn violations_extend_all_ones() {
    let good = ima_ng_line("/etc/a", &[1; 32]);
    let violation = format!(
        "10 {} ima-ng sha256:{} /etc/b\n",
        "00".repeat(20),
        "00".repeat(32)
    );
    let text = format!("{good}{violation}");
    let log = ImaLog::parse(text.as_bytes()).unwrap();
    assert!(log.entries()[1].is_violation());
    let mut pcr = sha1(&[&[0u8; 20], &log.entries()[0].template_hash]);
    pcr = sha1(&[&pcr, &[0xff; 20]]);
    let replayed = log
        .replay(10, AlgorithmId::SHA1, BankDigest::PerBankHash)
        .unwrap();
    assert_eq!(replayed.as_bytes(), pcr);
}

#[test]
fn malformed_ascii_lines_are_refused_by_line() {
    let good = ima_ng_line("/etc/a", &[1; 32]);
    for bad in [
        "x 00 ima-ng sha256:00 /a",
        "10 0011 ima-ng sha256:00 /a",
        "10 6309e2c83b7814367bb3912a55e5473454623535",
        "10 6309e2c83b7814367bb3912a55e5473454623535 ima-ng sha256:zz /a",
        "10 6309e2c83b7814367bb3912a55e5473454623535 ima-ng nocolon /a",
    ] {
        let text = format!("{good}{bad}\n");
        let err = ImaLog::parse(text.as_bytes()).unwrap_err();
        assert!(
            matches!(err, ImaError::Line { line: 2, .. }),
            "{bad}: {err}"
        );
    }
}

fn sample_binary() -> (Vec<u8>, Vec<usize>) {
    let text: String = (0..3)
        .map(|i| ima_ng_line(&format!("/f{i}"), &[i as u8; 32]))
        .collect();
    let log = ImaLog::parse(text.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let mut ends = Vec::new();
    for entry in log.entries() {
        bytes.extend_from_slice(&binary_record(entry));
        ends.push(bytes.len());
    }
    (bytes, ends)
}

#[test]
fn every_truncation_of_a_binary_list_off_a_record_boundary_fails() {
    let (bytes, ends) = sample_binary();
    for len in 1..bytes.len() {
        let result = ImaLog::parse_binary(&bytes[..len]);
        assert_eq!(result.is_ok(), ends.contains(&len), "{len}");
    }
    assert!(ImaLog::parse_binary(&[]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn binary_bit_flips_never_panic(bit in 0usize..(sample_binary().0.len() * 8)) {
        let (mut bytes, _) = sample_binary();
        bytes[bit / 8] ^= 1 << (bit % 8);
        if let Ok(log) = ImaLog::parse_binary(&bytes) {
            let _ = log.replay(10, AlgorithmId::SHA256, BankDigest::PerBankHash);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = ImaLog::parse(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "[0-9a-f :/\\n]{0,300}") {
        let _ = ImaLog::parse(text.as_bytes());
    }
}
