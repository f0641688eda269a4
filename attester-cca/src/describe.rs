//! A decoded token as JSON, for `attester inspect` and the claims of a verdict. Byte claims
//! are lower-case hex; absent optional claims are `null`; unknown claims are listed by key so
//! that skipping them during decoding never hides them.

use crate::claims::{PLATFORM_KNOWN, REALM_KNOWN, unknown_claim_keys};
use crate::token::{CcaToken, EntryForm, Signed};
use serde_json::{Value, json};

fn form(signed: &Signed<'_>) -> Value {
    match signed.form() {
        EntryForm::Bytes => json!("bstr"),
        EntryForm::CmwRecord { content_format } => json!({ "cmw_content_format": content_format }),
    }
}

/// The token's structure and every claim.
pub fn token_json(token: &CcaToken<'_>) -> Value {
    let platform = token.platform().claims();
    let realm = token.realm().claims();
    let rak = realm.public_key();
    let components: Vec<Value> = platform
        .sw_components()
        .iter()
        .map(|c| {
            json!({
                "component_type": c.component_type(),
                "measurement_value": hex::encode(c.measurement_value()),
                "version": c.version(),
                "signer_id": hex::encode(c.signer_id()),
                "hash_algorithm": c.hash_algorithm(),
            })
        })
        .collect();
    json!({
        "collection_tag": token.collection().tag(),
        "unknown_collection_entries": token.unknown_entries(),
        "device_claims_size": token.device_claims().map(<[u8]>::len),
        "platform": {
            "form": form(token.platform().signed()),
            "cose_alg": token.platform().signed().alg(),
            "profile": platform.profile(),
            "challenge": hex::encode(platform.challenge()),
            "implementation_id": hex::encode(platform.implementation_id()),
            "instance_id": hex::encode(platform.instance_id()),
            "config": hex::encode(platform.config()),
            "lifecycle": platform.lifecycle(),
            "lifecycle_state": platform.lifecycle_state().as_str(),
            "sw_components": components,
            "verification_service": platform.verification_service(),
            "hash_algorithm": platform.hash_algorithm(),
            "unknown_claims": unknown_claim_keys(token.platform().signed().message().payload, &PLATFORM_KNOWN),
        },
        "realm": {
            "form": form(token.realm().signed()),
            "cose_alg": token.realm().signed().alg(),
            "challenge": hex::encode(realm.challenge()),
            "profile": realm.profile(),
            "instance_id": realm.instance_id().map(hex::encode),
            "personalization_value": hex::encode(realm.personalization_value()),
            "hash_algorithm": realm.hash_algorithm(),
            "public_key": hex::encode(rak.claim_bytes()),
            "public_key_encoding": rak.encoding().as_str(),
            "initial_measurement": hex::encode(realm.initial_measurement()),
            "extensible_measurements": realm.extensible_measurements().iter().map(hex::encode).collect::<Vec<_>>(),
            "public_key_hash_algorithm": realm.public_key_hash_algorithm(),
            "mec_policy": realm.mec_policy(),
            "lfa_policy": realm.lfa_policy(),
            "devices_token_hash": realm.devices_token_hash().map(hex::encode),
            "unknown_claims": unknown_claim_keys(token.realm().signed().message().payload, &REALM_KNOWN),
        },
    })
}
