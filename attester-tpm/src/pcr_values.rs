//! PCR values supplied beside a quote, in the forms tools write them: JSON (`{"sha256": {"0":
//! "hex", ...}}`), the YAML-like text of `tpm2_pcrread` / `tpm2_quote`, and the binary file of
//! `tpm2_quote -o` (tpm2-tools 5.x, host byte order).

use std::collections::BTreeMap;

use attester_core::crypto::{Digest, HashAlg, digest_parts};
use serde_json::{Map, Value};

use crate::{HashAlgId, PcrSelection, TpmError};

const WHAT: &str = "PCR values";

/// PCR values by bank and index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PcrValues {
    banks: BTreeMap<HashAlgId, BTreeMap<u32, Vec<u8>>>,
}

fn invalid(reason: &'static str) -> TpmError {
    TpmError::Invalid { what: WHAT, reason }
}

impl PcrValues {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets PCR `index` of `bank`.
    ///
    /// # Errors
    /// [`TpmError::Invalid`] when `value` is not the bank's digest length or `index` > 31.
    pub fn insert(&mut self, bank: HashAlgId, index: u32, value: &[u8]) -> Result<(), TpmError> {
        if value.len() != bank.digest_len() {
            return Err(invalid("a value's length is not its bank's digest length"));
        }
        if index >= 32 {
            return Err(invalid("a PCR index is above 31"));
        }
        self.banks
            .entry(bank)
            .or_default()
            .insert(index, value.to_vec());
        Ok(())
    }

    /// PCR `index` of `bank`.
    pub fn get(&self, bank: HashAlgId, index: u32) -> Option<&[u8]> {
        self.banks.get(&bank)?.get(&index).map(Vec::as_slice)
    }

    /// Whether no value is held.
    pub fn is_empty(&self) -> bool {
        self.banks.values().all(BTreeMap::is_empty)
    }

    /// Every value as `(bank, index, value)`, banks by identifier, indices ascending.
    pub fn iter(&self) -> impl Iterator<Item = (HashAlgId, u32, &[u8])> + '_ {
        self.banks.iter().flat_map(|(bank, values)| {
            values
                .iter()
                .map(move |(index, value)| (*bank, *index, value.as_slice()))
        })
    }

    /// The digest a quote over `selection` carries: `hash` of the selected values
    /// concatenated in selection order (TPM 2.0 Part 3, TPM2_Quote).
    ///
    /// # Errors
    /// `Err((bank, index))` naming the first selected PCR that has no value.
    pub fn selection_digest(
        &self,
        selection: &PcrSelection<'_>,
        hash: HashAlg,
    ) -> Result<Digest, (HashAlgId, u32)> {
        let mut parts: Vec<&[u8]> = Vec::with_capacity(32);
        for (bank, index) in selection.pcrs() {
            parts.push(self.get(bank, index).ok_or((bank, index))?);
        }
        Ok(digest_parts(hash, &parts))
    }

    /// JSON: `{"sha256": {"0": "hex", ...}, ...}`.
    pub fn to_json(&self) -> Value {
        let mut banks = Map::new();
        for (bank, values) in &self.banks {
            let values: Map<String, Value> = values
                .iter()
                .map(|(index, value)| (index.to_string(), Value::String(hex::encode(value))))
                .collect();
            banks.insert(bank.name().to_owned(), Value::Object(values));
        }
        Value::Object(banks)
    }

    /// Reads any of the three forms, told apart by their first bytes.
    ///
    /// # Errors
    /// [`TpmError`] when the bytes are none of the forms or a value is malformed.
    pub fn parse(bytes: &[u8]) -> Result<Self, TpmError> {
        let text = std::str::from_utf8(bytes).ok().map(str::trim_start);
        match text {
            Some(text) if text.starts_with('{') => {
                let value: Value =
                    serde_json::from_str(text).map_err(|_| invalid("JSON that does not parse"))?;
                Self::from_json(&value)
            }
            Some(text) if !text.is_empty() && !text.contains('\0') => Self::from_tpm2_text(text),
            _ => Self::from_tpm2_binary(bytes),
        }
    }

    /// Reads `{"sha256": {"0": "hex", ...}}` (hex with or without `0x`).
    ///
    /// # Errors
    /// [`TpmError::Invalid`] for any other shape.
    pub fn from_json(value: &Value) -> Result<Self, TpmError> {
        let banks = value.as_object().ok_or(invalid("JSON is not an object"))?;
        let mut out = Self::new();
        for (name, values) in banks {
            let bank = HashAlgId::from_name(name).ok_or(invalid("unknown bank name"))?;
            let values = values
                .as_object()
                .ok_or(invalid("a bank is not an object"))?;
            for (index, value) in values {
                let index = index
                    .parse()
                    .map_err(|_| invalid("an index is not a number"))?;
                let value = value.as_str().ok_or(invalid("a value is not a string"))?;
                out.insert(bank, index, &decode_hex(value)?)?;
            }
        }
        Ok(out)
    }

    /// Reads the text `tpm2_pcrread` prints (`  sha256:` then `    0 : 0x...` lines); other
    /// `key: value` lines (as in `tpm2_quote` output) are skipped.
    ///
    /// # Errors
    /// [`TpmError::Invalid`] for a value outside a bank or a malformed value.
    pub fn from_tpm2_text(text: &str) -> Result<Self, TpmError> {
        let mut out = Self::new();
        let mut bank = None;
        for line in text.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim(), value.trim());
            if value.is_empty() {
                bank = HashAlgId::from_name(key);
                continue;
            }
            let Ok(index) = key.parse::<u32>() else {
                continue;
            };
            let bank = bank.ok_or(invalid("a PCR value outside a bank"))?;
            out.insert(bank, index, &decode_hex(value)?)?;
        }
        if out.is_empty() {
            return Err(invalid("no PCR value in the text"));
        }
        Ok(out)
    }

    /// Reads the binary file `tpm2_quote -o` writes: the C structs TPML_PCR_SELECTION
    /// (132 bytes), a `u32` count, then that many TPML_DIGEST (532 bytes each), in the host's
    /// byte order (little-endian on every platform tpm2-tools ships for).
    ///
    /// # Errors
    /// [`TpmError`] for a file of another length or inconsistent contents.
    pub fn from_tpm2_binary(bytes: &[u8]) -> Result<Self, TpmError> {
        const SELECTION: usize = 4 + 16 * 8;
        const DIGEST_LIST: usize = 4 + 8 * 66;
        let le32 = |at: usize| -> Result<usize, TpmError> {
            let b = bytes
                .get(at..at + 4)
                .ok_or(invalid("binary file truncated"))?;
            let mut a = [0u8; 4];
            a.copy_from_slice(b);
            usize::try_from(u32::from_le_bytes(a)).map_err(|_| invalid("count overflows"))
        };
        let banks = le32(0)?;
        if banks > 16 {
            return Err(invalid("more than 16 banks"));
        }
        let mut wanted = Vec::new();
        for i in 0..banks {
            let at = 4 + 8 * i;
            let entry = bytes
                .get(at..at + 7)
                .ok_or(invalid("binary file truncated"))?;
            let (&[h0, h1, size], select) = entry
                .split_first_chunk::<3>()
                .ok_or(invalid("binary file truncated"))?;
            let bank =
                HashAlgId::new(u16::from_le_bytes([h0, h1])).ok_or(invalid("unknown bank hash"))?;
            let select = select
                .get(..usize::from(size))
                .ok_or(invalid("sizeofSelect above 4"))?;
            for (k, byte) in (0u32..).zip(select) {
                for bit in 0..8 {
                    if byte & (1 << bit) != 0 {
                        wanted.push((bank, 8 * k + bit));
                    }
                }
            }
        }
        let lists = le32(SELECTION)?;
        if bytes.len() != SELECTION + 4 + lists.saturating_mul(DIGEST_LIST) {
            return Err(invalid("binary file length does not match its counts"));
        }
        let mut out = Self::new();
        let mut wanted = wanted.into_iter();
        for list in 0..lists {
            let at = SELECTION + 4 + list * DIGEST_LIST;
            let count = le32(at)?;
            if count > 8 {
                return Err(invalid("a digest list holds more than 8"));
            }
            for d in 0..count {
                let entry = at + 4 + d * 66;
                let size = bytes
                    .get(entry..)
                    .and_then(<[u8]>::first_chunk::<2>)
                    .map(|b| usize::from(u16::from_le_bytes(*b)))
                    .ok_or(invalid("binary file truncated"))?;
                let value = bytes
                    .get(entry + 2..entry + 2 + size.min(64))
                    .ok_or(invalid("binary file truncated"))?;
                let (bank, index) = wanted
                    .next()
                    .ok_or(invalid("more digests than selected PCRs"))?;
                out.insert(bank, index, value)?;
            }
        }
        if wanted.next().is_some() {
            return Err(invalid("fewer digests than selected PCRs"));
        }
        Ok(out)
    }
}

fn decode_hex(text: &str) -> Result<Vec<u8>, TpmError> {
    let text = text.trim();
    let text = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    hex::decode(text).map_err(|_| invalid("a value is not hex"))
}
