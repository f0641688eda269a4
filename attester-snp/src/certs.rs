//! The extended-report certificate table (GHCB spec pub. 56421 §4.1.8.1): what the configfs-tsm
//! `auxblob` and the `SNP_GET_EXT_REPORT` certificate buffer hold.
//!
//! A sequence of 24-byte entries `{GUID, offset, length}` ends at an all-zero entry; the blobs
//! follow, at offsets counted from the start of the table. The view checks every entry against
//! the buffer and returns borrowed slices.

use attester_core::{Error, Result};
use zerocopy::FromBytes;

use crate::raw::{CERT_ENTRY_LEN, CertTableEntry};

const WHAT: &str = "SEV-SNP certificate table";

/// What an entry holds, by its GUID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertKind {
    /// The AMD Root Key certificate.
    Ark,
    /// The AMD SEV Key (or, for a VLEK-signed report, the ASVK) certificate.
    Ask,
    /// The Versioned Chip Endorsement Key certificate.
    Vcek,
    /// The Versioned Loaded Endorsement Key certificate.
    Vlek,
    /// A certificate revocation list.
    Crl,
    /// Any other GUID.
    Other([u8; 16]),
}

impl CertKind {
    /// `c0b406a4-a803-4952-9743-3fb6014cd0ae`
    pub const ARK_GUID: [u8; 16] = guid(0xc0b406a4, 0xa803, 0x4952, 0x9743_3fb6014cd0ae);
    /// `4ab7b379-bbac-4fe4-a02f-05aef327c782`
    pub const ASK_GUID: [u8; 16] = guid(0x4ab7b379, 0xbbac, 0x4fe4, 0xa02f_05aef327c782);
    /// `63da758d-e664-4564-adc5-f4b93be8accd`
    pub const VCEK_GUID: [u8; 16] = guid(0x63da758d, 0xe664, 0x4564, 0xadc5_f4b93be8accd);
    /// `a8074bc2-a25a-483e-aae6-39c045a0b8a1`
    pub const VLEK_GUID: [u8; 16] = guid(0xa8074bc2, 0xa25a, 0x483e, 0xaae6_39c045a0b8a1);
    /// `92f81bc3-5811-4d3d-97ff-d19f88dc67ea`
    pub const CRL_GUID: [u8; 16] = guid(0x92f81bc3, 0x5811, 0x4d3d, 0x97ff_d19f88dc67ea);

    /// The kind of an entry with `guid`.
    pub fn from_guid(guid: [u8; 16]) -> Self {
        match guid {
            Self::ARK_GUID => Self::Ark,
            Self::ASK_GUID => Self::Ask,
            Self::VCEK_GUID => Self::Vcek,
            Self::VLEK_GUID => Self::Vlek,
            Self::CRL_GUID => Self::Crl,
            other => Self::Other(other),
        }
    }

    /// The GUID of this kind.
    pub fn guid(self) -> [u8; 16] {
        match self {
            Self::Ark => Self::ARK_GUID,
            Self::Ask => Self::ASK_GUID,
            Self::Vcek => Self::VCEK_GUID,
            Self::Vlek => Self::VLEK_GUID,
            Self::Crl => Self::CRL_GUID,
            Self::Other(guid) => guid,
        }
    }
}

/// A GUID's bytes in RFC 4122 string order.
const fn guid(a: u32, b: u16, c: u16, d: u64) -> [u8; 16] {
    let a = a.to_be_bytes();
    let b = b.to_be_bytes();
    let c = c.to_be_bytes();
    let d = d.to_be_bytes();
    [
        a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d[0], d[1], d[2], d[3], d[4], d[5], d[6],
        d[7],
    ]
}

/// One entry, its blob borrowed from the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertEntry<'a> {
    /// What the entry holds.
    pub kind: CertKind,
    /// The blob (DER for certificates).
    pub bytes: &'a [u8],
}

/// A parsed certificate table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertTable<'a> {
    entries: Vec<CertEntry<'a>>,
}

impl<'a> CertTable<'a> {
    /// Parses a table. Trailing bytes after the blobs (page padding) are allowed; unknown GUIDs
    /// are kept as [`CertKind::Other`].
    ///
    /// # Errors
    /// [`Error::Malformed`] when the buffer ends before the terminating zero entry, an entry
    /// points outside the buffer or into the entry list, or a known GUID appears twice. An
    /// empty buffer is an empty table (the host supplied no certificates).
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        let mut found: Vec<(CertKind, usize, usize)> = Vec::new();
        if bytes.is_empty() {
            return Ok(Self {
                entries: Vec::new(),
            });
        }
        let mut pos = 0usize;
        loop {
            let chunk = bytes
                .get(pos..pos + CERT_ENTRY_LEN)
                .ok_or_else(|| Error::malformed(WHAT, "no terminating zero entry"))?;
            let entry = CertTableEntry::ref_from_bytes(chunk)
                .map_err(|_| Error::malformed(WHAT, "entry layout"))?;
            pos += CERT_ENTRY_LEN;
            let offset = entry.offset.get() as usize;
            let length = entry.length.get() as usize;
            if entry.guid == [0; 16] && offset == 0 && length == 0 {
                break;
            }
            let kind = CertKind::from_guid(entry.guid);
            let end = offset
                .checked_add(length)
                .filter(|end| *end <= bytes.len())
                .ok_or_else(|| {
                    Error::malformed(
                        WHAT,
                        format!(
                            "entry {kind:?} at {offset}+{length} ends beyond the {}-byte buffer",
                            bytes.len()
                        ),
                    )
                })?;
            if !matches!(kind, CertKind::Other(_)) && found.iter().any(|(k, _, _)| *k == kind) {
                return Err(Error::malformed(WHAT, format!("{kind:?} appears twice")));
            }
            found.push((kind, offset, end));
        }
        let mut entries = Vec::with_capacity(found.len());
        for (kind, offset, end) in found {
            // A blob inside the entry list would let one byte mean two things.
            if offset < pos && end > offset {
                return Err(Error::malformed(
                    WHAT,
                    format!("entry {kind:?} overlaps the entry list"),
                ));
            }
            entries.push(CertEntry {
                kind,
                bytes: bytes.get(offset..end).unwrap_or(&[]),
            });
        }
        Ok(Self { entries })
    }

    /// The entries in table order.
    pub fn entries(&self) -> &[CertEntry<'a>] {
        &self.entries
    }

    /// The blob of the entry of `kind`, if present.
    pub fn get(&self, kind: CertKind) -> Option<&'a [u8]> {
        self.entries
            .iter()
            .find(|e| e.kind == kind)
            .map(|e| e.bytes)
    }

    /// Whether the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Encodes entries as a table (entries, zero terminator, blobs in order), for attesters
    /// that assemble one and for tests.
    pub fn encode(entries: &[(CertKind, &[u8])]) -> Vec<u8> {
        let header = (entries.len() + 1) * CERT_ENTRY_LEN;
        let mut table = Vec::new();
        let mut offset = header;
        for (kind, blob) in entries {
            table.extend_from_slice(&kind.guid());
            table.extend_from_slice(&(offset as u32).to_le_bytes());
            table.extend_from_slice(&(blob.len() as u32).to_le_bytes());
            offset += blob.len();
        }
        table.extend_from_slice(&[0; CERT_ENTRY_LEN]);
        for (_, blob) in entries {
            table.extend_from_slice(blob);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_in_string_order() {
        assert_eq!(
            CertKind::VCEK_GUID,
            [
                0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64, 0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8,
                0xac, 0xcd
            ]
        );
    }

    #[test]
    fn round_trip_and_bounds() {
        let table = CertTable::encode(&[(CertKind::Vcek, b"vcek"), (CertKind::Ark, b"ark")]);
        let parsed = CertTable::parse(&table).unwrap();
        assert_eq!(parsed.get(CertKind::Vcek), Some(&b"vcek"[..]));
        assert_eq!(parsed.get(CertKind::Ark), Some(&b"ark"[..]));
        assert_eq!(parsed.get(CertKind::Ask), None);
        for len in 0..table.len() {
            // Every truncation either loses the terminator or cuts a blob; none is empty but 0.
            let result = CertTable::parse(&table[..len]);
            assert_eq!(result.is_ok(), len == 0, "length {len}");
        }
        let dup = CertTable::encode(&[(CertKind::Vcek, b"a"), (CertKind::Vcek, b"b")]);
        assert!(CertTable::parse(&dup).is_err());
        let mut overlap = table.clone();
        overlap[16..20].copy_from_slice(&0u32.to_le_bytes());
        assert!(CertTable::parse(&overlap).is_err());
    }
}
