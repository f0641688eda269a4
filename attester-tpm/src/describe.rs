//! The TPM structures as JSON, for `attester inspect` and verification claims.

use serde_json::{Value, json};

use crate::{Attest, KeyParams, PcrValues, Public, QuoteBundle, TpmError, TpmSignature};

/// A quote's TPMS_ATTEST as JSON.
pub fn attest_json(attest: &Attest<'_>) -> Value {
    let clock = attest.clock_info();
    let selection: Vec<Value> = attest
        .pcr_select()
        .banks()
        .map(|bank| {
            json!({
                "bank": bank.hash().name(),
                "pcrs": bank.indices().collect::<Vec<u32>>(),
            })
        })
        .collect();
    json!({
        "magic": format!("{:#010x}", attest.magic()),
        "type": format!("{:#06x}", attest.attest_type()),
        "qualified_signer": hex::encode(attest.qualified_signer()),
        "extra_data": hex::encode(attest.extra_data()),
        "clock_info": {
            "clock": clock.clock,
            "reset_count": clock.reset_count,
            "restart_count": clock.restart_count,
            "safe": clock.safe,
        },
        "firmware_version": format!("{:#018x}", attest.firmware_version()),
        "pcr_select": selection,
        "pcr_digest": hex::encode(attest.pcr_digest()),
    })
}

/// A TPMT_SIGNATURE as JSON (the scheme and hash; the value in hex).
pub fn signature_json(signature: &TpmSignature<'_>) -> Value {
    match signature {
        TpmSignature::Rsa { scheme, hash, sig } => json!({
            "scheme": scheme.name(),
            "hash": hash.name(),
            "sig": hex::encode(sig),
        }),
        TpmSignature::Ecdsa { hash, r, s } => json!({
            "scheme": "ecdsa",
            "hash": hash.name(),
            "r": hex::encode(r),
            "s": hex::encode(s),
        }),
    }
}

/// A TPMT_PUBLIC as JSON.
pub fn public_json(public: &Public<'_>) -> Value {
    let params = match public.params() {
        KeyParams::Rsa {
            scheme,
            scheme_hash,
            key_bits,
            exponent,
            modulus,
            ..
        } => json!({
            "type": "rsa",
            "scheme": format!("{scheme:#06x}"),
            "scheme_hash": scheme_hash.map(|h| format!("{h:#06x}")),
            "key_bits": key_bits,
            "exponent": if exponent == 0 { 65_537 } else { exponent },
            "modulus": hex::encode(modulus),
        }),
        KeyParams::Ecc {
            scheme,
            scheme_hash,
            curve,
            x,
            y,
            ..
        } => json!({
            "type": "ecc",
            "scheme": format!("{scheme:#06x}"),
            "scheme_hash": scheme_hash.map(|h| format!("{h:#06x}")),
            "curve": format!("{:#06x}", curve.0),
            "x": hex::encode(x),
            "y": hex::encode(y),
        }),
    };
    json!({
        "name_alg": format!("{:#06x}", public.name_alg()),
        "object_attributes": format!("{:#010x}", public.attributes().0),
        "attributes": public.attributes().names(),
        "auth_policy": hex::encode(public.auth_policy()),
        "name": public.name().map(hex::encode),
        "parameters": params,
    })
}

/// An evidence body ([`QuoteBundle`]) as JSON: the quote, the signature, the AK and the PCR
/// values, each decoded.
///
/// # Errors
/// [`TpmError`] when any part does not parse.
pub fn bundle_json(body: &[u8]) -> Result<Value, TpmError> {
    let bundle = QuoteBundle::decode(body)?;
    let ak = if bundle.ak_public.first() == Some(&0x30) {
        json!({ "spki": hex::encode(bundle.ak_public) })
    } else {
        public_json(&Public::parse_tpm2b(bundle.ak_public)?)
    };
    Ok(json!({
        "quote": attest_json(&Attest::parse(bundle.attest)?),
        "signature": signature_json(&TpmSignature::parse(bundle.signature)?),
        "ak": ak,
        "pcrs": pcrs_json(&bundle.pcrs),
    }))
}

/// PCR values as JSON (`{"sha256": {"0": "hex"}}`).
pub fn pcrs_json(pcrs: &PcrValues) -> Value {
    pcrs.to_json()
}
