//! Just enough protobuf to read go-tpm-tools' `attest.Attestation` in the GCE vector:
//! field 1 `ak_pub` (TPMT_PUBLIC), 2 `quotes` (repeated `tpm.Quote{1 quote, 2 raw_sig,
//! 3 pcrs{1 hash, 2 map<uint32, bytes>}}`), 6 `ak_cert` (DER).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

pub struct Quote {
    pub attest: Vec<u8>,
    pub signature: Vec<u8>,
    pub hash: u16,
    pub pcrs: Vec<(u32, Vec<u8>)>,
}

pub struct Attestation {
    pub ak_pub: Vec<u8>,
    pub quotes: Vec<Quote>,
    pub ak_cert: Vec<u8>,
}

fn varint(bytes: &[u8], pos: &mut usize) -> u64 {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let b = bytes[*pos];
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
    }
    value
}

/// `(field, wire type, varint value or bytes)` for every field of a message.
fn fields(bytes: &[u8]) -> Vec<(u64, u64, Vec<u8>)> {
    let mut pos = 0;
    let mut out = Vec::new();
    while pos < bytes.len() {
        let key = varint(bytes, &mut pos);
        let (field, wire) = (key >> 3, key & 7);
        match wire {
            0 => out.push((field, 0, varint(bytes, &mut pos).to_le_bytes().to_vec())),
            2 => {
                let len = varint(bytes, &mut pos) as usize;
                out.push((field, 2, bytes[pos..pos + len].to_vec()));
                pos += len;
            }
            other => panic!("wire type {other}"),
        }
    }
    out
}

fn as_u64(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes.try_into().unwrap())
}

pub fn parse(bytes: &[u8]) -> Attestation {
    let mut att = Attestation {
        ak_pub: Vec::new(),
        quotes: Vec::new(),
        ak_cert: Vec::new(),
    };
    for (field, _, value) in fields(bytes) {
        match field {
            1 => att.ak_pub = value,
            2 => att.quotes.push(parse_quote(&value)),
            6 => att.ak_cert = value,
            _ => {}
        }
    }
    att
}

fn parse_quote(bytes: &[u8]) -> Quote {
    let mut quote = Quote {
        attest: Vec::new(),
        signature: Vec::new(),
        hash: 0,
        pcrs: Vec::new(),
    };
    for (field, _, value) in fields(bytes) {
        match field {
            1 => quote.attest = value,
            2 => quote.signature = value,
            3 => {
                for (f, _, v) in fields(&value) {
                    match f {
                        1 => quote.hash = as_u64(&v) as u16,
                        2 => {
                            let (mut index, mut digest) = (0, Vec::new());
                            for (ef, _, ev) in fields(&v) {
                                match ef {
                                    1 => index = as_u64(&ev) as u32,
                                    2 => digest = ev,
                                    _ => {}
                                }
                            }
                            quote.pcrs.push((index, digest));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    quote.pcrs.sort();
    quote
}
