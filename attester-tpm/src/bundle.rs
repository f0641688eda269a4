//! The evidence body of a TPM quote (`application/vnd.attester.tpm-quote`): a CBOR map with
//! the TPM's own bytes and the PCR values the quote covers.
//!
//! ```text
//! {
//!   1: bstr,   ; TPMS_ATTEST, exactly as the TPM returned it (the signed bytes)
//!   2: bstr,   ; TPMT_SIGNATURE
//!   3: bstr,   ; the AK's TPM2B_PUBLIC
//!   4: { * uint => { * uint => bstr } }   ; PCR values: TPM_ALG_ID => PCR index => value
//! }
//! ```
//! Keys in this order, definite lengths; decoding rejects anything else.

use minicbor::{Decoder, Encoder};

use crate::{HashAlgId, PcrValues, TpmError};

const WHAT: &str = "TPM quote bundle";

/// One bank's values, in index order, while encoding.
type BankValues<'v> = (HashAlgId, Vec<(u32, &'v [u8])>);

/// A quote with what verifying it needs, borrowed from the evidence body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteBundle<'a> {
    /// TPMS_ATTEST.
    pub attest: &'a [u8],
    /// TPMT_SIGNATURE.
    pub signature: &'a [u8],
    /// The AK's TPM2B_PUBLIC.
    pub ak_public: &'a [u8],
    /// The PCR values of the quoted selection.
    pub pcrs: PcrValues,
}

fn invalid(reason: &'static str) -> TpmError {
    TpmError::Invalid { what: WHAT, reason }
}

impl<'a> QuoteBundle<'a> {
    /// The CBOR encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut e = Encoder::new(Vec::with_capacity(
            self.attest.len() + self.signature.len() + self.ak_public.len() + 1024,
        ));
        // Writing to a Vec cannot fail.
        let _ = e
            .map(4)
            .and_then(|e| e.u8(1)?.bytes(self.attest))
            .and_then(|e| e.u8(2)?.bytes(self.signature))
            .and_then(|e| e.u8(3)?.bytes(self.ak_public));
        let mut banks: Vec<BankValues<'_>> = Vec::new();
        for (bank, index, value) in self.pcrs.iter() {
            match banks.last_mut() {
                Some((last, values)) if *last == bank => values.push((index, value)),
                _ => banks.push((bank, vec![(index, value)])),
            }
        }
        let _ = e.u8(4).and_then(|e| e.map(banks.len() as u64));
        for (bank, values) in banks {
            let _ = e.u16(bank.id()).and_then(|e| e.map(values.len() as u64));
            for (index, value) in values {
                let _ = e.u32(index).and_then(|e| e.bytes(value));
            }
        }
        e.into_writer()
    }

    /// Decodes the CBOR encoding strictly.
    ///
    /// # Errors
    /// [`TpmError::Invalid`] for any other CBOR shape, or PCR values of the wrong length.
    pub fn decode(bytes: &'a [u8]) -> Result<Self, TpmError> {
        let mut d = Decoder::new(bytes);
        let cbor = |_| invalid("not the expected CBOR map");
        if d.map().map_err(cbor)? != Some(4) {
            return Err(invalid("not a map of 4 entries"));
        }
        let mut field = |key: u8| -> Result<&'a [u8], TpmError> {
            if d.u8().map_err(cbor)? != key {
                return Err(invalid("keys are not 1, 2, 3, 4 in order"));
            }
            d.bytes().map_err(cbor)
        };
        let attest = field(1)?;
        let signature = field(2)?;
        let ak_public = field(3)?;
        if d.u8().map_err(cbor)? != 4 {
            return Err(invalid("keys are not 1, 2, 3, 4 in order"));
        }
        let mut pcrs = PcrValues::new();
        let banks = d.map().map_err(cbor)?.ok_or(invalid("indefinite map"))?;
        for _ in 0..banks.min(16) {
            let bank = HashAlgId::new(d.u16().map_err(cbor)?).ok_or(invalid("unknown bank"))?;
            let values = d.map().map_err(cbor)?.ok_or(invalid("indefinite map"))?;
            for _ in 0..values.min(32) {
                let index = d.u32().map_err(cbor)?;
                pcrs.insert(bank, index, d.bytes().map_err(cbor)?)?;
            }
            if values > 32 {
                return Err(invalid("more than 32 PCRs in a bank"));
            }
        }
        if banks > 16 {
            return Err(invalid("more than 16 banks"));
        }
        if d.position() != bytes.len() {
            return Err(invalid("bytes after the map"));
        }
        Ok(Self {
            attest,
            signature,
            ak_public,
            pcrs,
        })
    }
}
