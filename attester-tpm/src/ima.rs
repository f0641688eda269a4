//! The Linux IMA runtime measurement list (`/sys/kernel/security/ima/ascii_runtime_measurements`
//! and `binary_runtime_measurements`), parsed strictly and replayed into its PCR (10 by
//! default).
//!
//! Formats (Linux `security/integrity/ima/ima_fs.c`, `ima_template_lib.c`; kernel docs
//! "IMA Template Management Mechanism"):
//! - ASCII line: `<pcr> <sha1 template hash hex> <template name> <fields…>`; `ima-ng`:
//!   `<alg>:<digest hex> <path>`, `ima-sig`: the same and an optional signature hex, `ima-buf`:
//!   `<alg>:<digest hex> <name> <buffer hex>`, `ima`: `<sha1 hex> <path>`.
//! - Binary record: `u32 pcr, u8 template_hash[20], u32 name_len, name, u32 data_len, data`
//!   where data is the fields, each `u32 len ‖ bytes`; for the `ima` template there is no
//!   `data_len` and the data is `digest[20] ‖ u32 len ‖ path`. Integers are read
//!   little-endian: the kernel writes them in host order (little-endian on x86 and Arm) or,
//!   with `ima_canonical_fmt`, little-endian everywhere.
//!
//! The template hash is SHA-1 over the template data as the kernel hashes it: each field as
//! `u32 len ‖ bytes`, except the `ima` template (`digest[20] ‖ path padded with zeros to 256
//! bytes`). Every entry's hash is checked against its data when the data is known (binary
//! records, and the ASCII templates above). A violation (ToMToU, open-writers) is logged with
//! an all-zero template hash and extended as all 0xFF.

use crate::eventlog::{AlgorithmId, DigestValue, ImaError, extend, hash_parts};
use std::borrow::Cow;

/// The PCR IMA extends unless its policy says otherwise.
pub const IMA_PCR: u32 = 10;

/// IMA_EVENT_NAME_LEN_MAX + 1: the `ima` template hashes its path padded to this length.
const IMA_NAME_FIELD_LEN: usize = 256;

/// IMA_TEMPLATE_NAME_LEN_MAX (15) bounds the template name of a binary record.
const MAX_TEMPLATE_NAME_LEN: usize = 15;

/// One measurement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImaEntry<'a> {
    /// The PCR it extends.
    pub pcr: u32,
    /// The SHA-1 template hash as logged (all zeros for a violation).
    pub template_hash: [u8; 20],
    /// The template name (`ima-ng`, `ima-sig`, `ima-buf`, `ima`, …).
    pub template_name: &'a str,
    /// The file digest's algorithm (`sha256`), when the template has a `d-ng` field.
    pub digest_algorithm: Option<&'a str>,
    /// The file (or buffer) digest, when the template has one.
    pub file_digest: Option<Cow<'a, [u8]>>,
    /// The path or event name, when the template has one.
    pub name: Option<Cow<'a, str>>,
    /// The file signature (`ima-sig`), when present.
    pub signature: Option<Cow<'a, [u8]>>,
    /// The template data exactly as the kernel hashed it; `None` for an ASCII entry of a
    /// template whose data cannot be rebuilt from its text (then only the SHA-1 bank replays).
    pub template_data: Option<Cow<'a, [u8]>>,
}

impl ImaEntry<'_> {
    /// Whether the entry records a violation (all-zero template hash, extended as all 0xFF).
    pub fn is_violation(&self) -> bool {
        self.template_hash == [0; 20]
    }

    /// What this entry extends into bank `algorithm`, by `rule`; `None` when the crate cannot
    /// compute it (unknown data for a non-SHA-1 bank, or an algorithm it does not implement).
    pub fn bank_digest(&self, algorithm: AlgorithmId, rule: BankDigest) -> Option<DigestValue> {
        let len = algorithm.digest_len()?;
        if self.is_violation() {
            return DigestValue::from_slice([0xff; 64].get(..len)?);
        }
        if algorithm == AlgorithmId::SHA1 {
            return DigestValue::from_slice(&self.template_hash);
        }
        match rule {
            BankDigest::PerBankHash => hash_parts(algorithm, &[self.template_data.as_deref()?]),
            BankDigest::PaddedSha1 => {
                let mut padded = [0u8; 64];
                padded.get_mut(..20)?.copy_from_slice(&self.template_hash);
                DigestValue::from_slice(padded.get(..len)?)
            }
        }
    }
}

/// How a non-SHA-1 bank's template digest is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BankDigest {
    /// The template data hashed with the bank's algorithm (current kernels).
    PerBankHash,
    /// The SHA-1 template hash zero-padded to the bank's size (older kernels).
    PaddedSha1,
}

/// A parsed measurement list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImaLog<'a> {
    entries: Vec<ImaEntry<'a>>,
}

impl<'a> ImaLog<'a> {
    /// Parses either format: ASCII when the list starts with a digit, binary otherwise.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ImaError> {
        match bytes.first() {
            Some(b'0'..=b'9') => {
                let text = std::str::from_utf8(bytes).map_err(|_| ImaError::Line {
                    line: 1,
                    reason: "not UTF-8",
                })?;
                Self::parse_ascii(text)
            }
            _ => Self::parse_binary(bytes),
        }
    }

    /// Parses `ascii_runtime_measurements`.
    pub fn parse_ascii(text: &'a str) -> Result<Self, ImaError> {
        let mut entries = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let entry = ascii_entry(line).map_err(|reason| ImaError::Line {
                line: index + 1,
                reason,
            })?;
            check_template_hash(&entry, entries.len())?;
            entries.push(entry);
        }
        if entries.is_empty() {
            return Err(ImaError::Line {
                line: 1,
                reason: "no entries",
            });
        }
        Ok(Self { entries })
    }

    /// Parses `binary_runtime_measurements`.
    pub fn parse_binary(bytes: &'a [u8]) -> Result<Self, ImaError> {
        let mut entries = Vec::new();
        let mut reader = Reader { bytes, at: 0 };
        while reader.at < bytes.len() {
            let offset = reader.at;
            let entry =
                binary_entry(&mut reader).map_err(|reason| ImaError::Record { offset, reason })?;
            check_template_hash(&entry, entries.len())?;
            entries.push(entry);
        }
        if entries.is_empty() {
            return Err(ImaError::Record {
                offset: 0,
                reason: "no entries",
            });
        }
        Ok(Self { entries })
    }

    /// The entries in order.
    pub fn entries(&self) -> &[ImaEntry<'a>] {
        &self.entries
    }

    /// The value PCR `pcr` of bank `algorithm` must hold after these entries, starting from
    /// zeros; `None` when an entry of that PCR cannot be computed for the bank.
    pub fn replay(
        &self,
        pcr: u32,
        algorithm: AlgorithmId,
        rule: BankDigest,
    ) -> Option<DigestValue> {
        let mut value = DigestValue::zero(algorithm.digest_len()?);
        for entry in self.entries.iter().filter(|e| e.pcr == pcr) {
            let digest = entry.bank_digest(algorithm, rule)?;
            if !extend(algorithm, &mut value, digest.as_bytes()) {
                return None;
            }
        }
        Some(value)
    }
}

/// The SHA-1 of the template data must be the logged template hash (violations excepted).
fn check_template_hash(entry: &ImaEntry<'_>, index: usize) -> Result<(), ImaError> {
    let Some(data) = &entry.template_data else {
        return Ok(());
    };
    if entry.is_violation() {
        return Ok(());
    }
    match hash_parts(AlgorithmId::SHA1, &[data]) {
        Some(hash) if hash.as_bytes() == entry.template_hash => Ok(()),
        _ => Err(ImaError::TemplateHash { entry: index }),
    }
}

// ---- ASCII ----

fn ascii_entry(line: &str) -> Result<ImaEntry<'_>, &'static str> {
    let mut head = line.splitn(4, ' ');
    let pcr = head
        .next()
        .and_then(|p| p.parse::<u32>().ok())
        .ok_or("PCR is not a number")?;
    let hash = head.next().ok_or("no template hash")?;
    let template_hash = hex_array(hash).ok_or("template hash is not 40 hex digits")?;
    let template_name = head
        .next()
        .filter(|n| !n.is_empty())
        .ok_or("no template name")?;
    let rest = head.next().ok_or("no template fields")?;
    let mut entry = ImaEntry {
        pcr,
        template_hash,
        template_name,
        digest_algorithm: None,
        file_digest: None,
        name: None,
        signature: None,
        template_data: None,
    };
    match template_name {
        "ima" => ascii_ima(&mut entry, rest)?,
        "ima-ng" | "ima-sig" | "ima-buf" => ascii_ng(&mut entry, rest)?,
        _ => {}
    }
    Ok(entry)
}

/// `ima`: `<sha1 hex> <path>`.
fn ascii_ima<'a>(entry: &mut ImaEntry<'a>, rest: &'a str) -> Result<(), &'static str> {
    let (digest, path) = rest.split_once(' ').ok_or("no path")?;
    let digest = hex_array::<20>(digest).ok_or("digest is not 40 hex digits")?;
    entry.template_data = Some(Cow::Owned(ima_template_data(&digest, path.as_bytes())?));
    entry.file_digest = Some(Cow::Owned(digest.to_vec()));
    entry.name = Some(Cow::Borrowed(path));
    Ok(())
}

/// `ima-ng`, `ima-sig`, `ima-buf`: `<alg>:<hex> <name>[ <sig or buffer hex>]`.
fn ascii_ng<'a>(entry: &mut ImaEntry<'a>, rest: &'a str) -> Result<(), &'static str> {
    let (digest_field, rest) = rest.split_once(' ').ok_or("no name")?;
    let (algorithm, digest) = digest_field
        .split_once(':')
        .ok_or("digest has no algorithm")?;
    let digest = hex::decode(digest).map_err(|_| "digest is not hex")?;
    let (name, last) = match entry.template_name {
        // The buffer is always the last field; names with spaces cannot be told apart.
        "ima-buf" => rest.rsplit_once(' ').ok_or("no buffer")?,
        // A signature is hex starting with 03 (EVM_IMA_XATTR_DIGSIG) after the last space.
        "ima-sig" => match rest.rsplit_once(' ') {
            Some((name, sig)) if sig.starts_with("03") && hex::decode(sig).is_ok() => (name, sig),
            _ => (rest, ""),
        },
        _ => (rest, ""),
    };
    let last = hex::decode(last).map_err(|_| "last field is not hex")?;
    let mut data = Vec::new();
    let mut d_ng = Vec::with_capacity(algorithm.len() + 2 + digest.len());
    d_ng.extend_from_slice(algorithm.as_bytes());
    d_ng.extend_from_slice(b":\0");
    d_ng.extend_from_slice(&digest);
    push_field(&mut data, &d_ng)?;
    let mut n_ng = name.as_bytes().to_vec();
    n_ng.push(0);
    push_field(&mut data, &n_ng)?;
    if entry.template_name != "ima-ng" {
        push_field(&mut data, &last)?;
    }
    if entry.template_name == "ima-sig" && !last.is_empty() {
        entry.signature = Some(Cow::Owned(last));
    }
    entry.digest_algorithm = Some(algorithm);
    entry.file_digest = Some(Cow::Owned(digest));
    entry.name = Some(Cow::Borrowed(name));
    entry.template_data = Some(Cow::Owned(data));
    Ok(())
}

fn push_field(data: &mut Vec<u8>, field: &[u8]) -> Result<(), &'static str> {
    let len = u32::try_from(field.len()).map_err(|_| "field too long")?;
    data.extend_from_slice(&len.to_le_bytes());
    data.extend_from_slice(field);
    Ok(())
}

/// The `ima` template's hashed data: the SHA-1 digest and the path padded to 256 bytes.
fn ima_template_data(digest: &[u8; 20], path: &[u8]) -> Result<Vec<u8>, &'static str> {
    if path.len() >= IMA_NAME_FIELD_LEN {
        return Err("path longer than 255 bytes");
    }
    let mut data = Vec::with_capacity(20 + IMA_NAME_FIELD_LEN);
    data.extend_from_slice(digest);
    data.extend_from_slice(path);
    data.resize(20 + IMA_NAME_FIELD_LEN, 0);
    Ok(data)
}

fn hex_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

// ---- binary ----

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], &'static str> {
        let end = self.at.checked_add(len).ok_or("length overflows")?;
        let slice = self.bytes.get(self.at..end).ok_or("runs past the end")?;
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, &'static str> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes(
            bytes.try_into().map_err(|_| "runs past the end")?,
        ))
    }

    fn len_prefixed(&mut self) -> Result<&'a [u8], &'static str> {
        let len = usize::try_from(self.u32()?).map_err(|_| "length overflows")?;
        self.take(len)
    }
}

fn binary_entry<'a>(reader: &mut Reader<'a>) -> Result<ImaEntry<'a>, &'static str> {
    let pcr = reader.u32()?;
    let template_hash: [u8; 20] = reader
        .take(20)?
        .try_into()
        .map_err(|_| "runs past the end")?;
    let name = reader.len_prefixed()?;
    if name.is_empty() || name.len() > MAX_TEMPLATE_NAME_LEN {
        return Err("template name is not 1..=15 bytes");
    }
    let template_name = std::str::from_utf8(name).map_err(|_| "template name is not UTF-8")?;
    let mut entry = ImaEntry {
        pcr,
        template_hash,
        template_name,
        digest_algorithm: None,
        file_digest: None,
        name: None,
        signature: None,
        template_data: None,
    };
    if template_name == "ima" {
        let digest_bytes = reader.take(20)?;
        let digest: [u8; 20] = digest_bytes.try_into().map_err(|_| "runs past the end")?;
        let path = reader.len_prefixed()?;
        entry.template_data = Some(Cow::Owned(ima_template_data(&digest, path)?));
        entry.file_digest = Some(Cow::Borrowed(digest_bytes));
        entry.name = Some(String::from_utf8_lossy(path));
        return Ok(entry);
    }
    let data = reader.len_prefixed()?;
    let fields = split_fields(data)?;
    interpret_ng_fields(&mut entry, &fields)?;
    entry.template_data = Some(Cow::Borrowed(data));
    Ok(entry)
}

/// The `u32 len ‖ bytes` fields of template data, which they must fill exactly.
fn split_fields(data: &[u8]) -> Result<Vec<&[u8]>, &'static str> {
    let mut reader = Reader { bytes: data, at: 0 };
    let mut fields = Vec::new();
    while reader.at < data.len() {
        fields.push(
            reader
                .len_prefixed()
                .map_err(|_| "a field runs past the template data")?,
        );
    }
    Ok(fields)
}

/// The `d-ng` (`alg:\0digest`), `n-ng` (`name\0`) and `sig` fields of the ng templates; other
/// templates keep their data uninterpreted.
fn interpret_ng_fields<'a>(
    entry: &mut ImaEntry<'a>,
    fields: &[&'a [u8]],
) -> Result<(), &'static str> {
    if !matches!(
        entry.template_name,
        "ima-ng" | "ima-sig" | "ima-buf" | "ima-modsig"
    ) {
        return Ok(());
    }
    let (Some(digest), Some(name)) = (fields.first(), fields.get(1)) else {
        return Err("template data lacks its digest and name fields");
    };
    let split = digest
        .windows(2)
        .position(|w| w == b":\0")
        .ok_or("digest field has no algorithm")?;
    let algorithm = digest.get(..split).ok_or("digest field has no algorithm")?;
    entry.digest_algorithm =
        Some(std::str::from_utf8(algorithm).map_err(|_| "digest algorithm is not UTF-8")?);
    entry.file_digest = Some(Cow::Borrowed(digest.get(split + 2..).unwrap_or(&[])));
    let name = name
        .strip_suffix(&[0])
        .ok_or("name field is not NUL-terminated")?;
    entry.name = Some(String::from_utf8_lossy(name));
    if entry.template_name == "ima-sig" {
        entry.signature = fields
            .get(2)
            .filter(|sig| !sig.is_empty())
            .map(|sig| Cow::Borrowed(*sig));
    }
    Ok(())
}
