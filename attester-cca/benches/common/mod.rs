//! What the CCA benches share (`benches/decode.rs`, `benches/token.rs`, and the peer
//! comparison in `bench/benches/cca.rs`): the corpus folder and the read of every claim.

use attester_cca::CcaToken;
use std::path::PathBuf;

/// The corpus's `cca` folder (`ATTESTER_VECTORS`, default `../../shared/vectors` beside the
/// workspace), if present.
pub fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("ATTESTER_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
    };
    dir.is_dir().then(|| dir.join("cca"))
}

/// Reads every claim (every software component's too) and folds their lengths, so that no
/// read is optimised away.
pub fn read_every_claim(token: &CcaToken<'_>) -> usize {
    let p = token.platform().claims();
    let r = token.realm().claims();
    let mut sum = p.profile().len() + p.challenge().len() + p.implementation_id().len();
    sum += p.instance_id().len() + p.config().len() + usize::from(p.lifecycle());
    sum += p.verification_service().map_or(0, str::len) + p.hash_algorithm().len();
    for c in p.sw_components() {
        sum += c.component_type().map_or(0, str::len) + c.measurement_value().len();
        sum += c.version().map_or(0, str::len) + c.signer_id().len();
        sum += c.hash_algorithm().map_or(0, str::len);
    }
    sum += r.challenge().len() + r.profile().map_or(0, str::len);
    sum += r.instance_id().map_or(0, <[u8]>::len) + r.personalization_value().len();
    sum += r.hash_algorithm().len() + r.public_key().sec1_point().len();
    sum += r.initial_measurement().len() + r.public_key_hash_algorithm().len();
    sum += r
        .extensible_measurements()
        .iter()
        .map(|m| m.len())
        .sum::<usize>();
    sum + usize::try_from(r.mec_policy().unwrap_or(0)).unwrap_or(0)
}
