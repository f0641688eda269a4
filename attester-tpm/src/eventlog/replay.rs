//! Replay: what the PCRs must hold if the TPM saw exactly the log's events.
//!
//! Per bank, `PCR[i] = H(PCR[i] ‖ digest)` for every event of PCR `i` in log order, starting
//! from zeros; `EV_NO_ACTION` events (the Spec ID header, StartupLocality, SP800-155 reference
//! manifests) are never extended; a StartupLocality event with locality L makes PCR0 start at
//! `00…0L` (PFP §10.4.5.3). A PCR no event extends keeps its reset value and is not reported.

use super::algorithm::{AlgorithmId, DigestValue, extend};
use super::log::{EventLog, LogFormat, PCR_COUNT};

/// The replayed PCRs of one bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PcrBank {
    algorithm: AlgorithmId,
    values: [Option<DigestValue>; PCR_COUNT],
}

impl PcrBank {
    /// The bank's hash algorithm.
    pub fn algorithm(&self) -> AlgorithmId {
        self.algorithm
    }

    /// The replayed value of PCR `index`, `None` when no event extends it.
    pub fn get(&self, index: usize) -> Option<&DigestValue> {
        self.values.get(index)?.as_ref()
    }

    /// (index, value) of every PCR the log extends, by index.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &DigestValue)> + '_ {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((i, v.as_ref()?)))
    }
}

/// The replayed PCRs of every bank the crate can compute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pcrs {
    banks: Vec<PcrBank>,
    skipped: Vec<AlgorithmId>,
}

impl Pcrs {
    /// The replayed banks, in the log's algorithm order.
    pub fn banks(&self) -> &[PcrBank] {
        &self.banks
    }

    /// The bank of `algorithm`, if the log has it and the crate can compute it.
    pub fn bank(&self, algorithm: AlgorithmId) -> Option<&PcrBank> {
        self.banks.iter().find(|b| b.algorithm == algorithm)
    }

    /// Banks the log carries but this crate cannot compute (SM3, SHA-3), left out.
    pub fn skipped(&self) -> &[AlgorithmId] {
        &self.skipped
    }
}

/// Replays `log` into every bank it carries.
pub fn replay(log: &EventLog<'_>) -> Pcrs {
    let algorithms: Vec<(AlgorithmId, usize)> = match log.format() {
        LogFormat::CryptoAgile(spec) => spec.algorithms().collect(),
        LogFormat::LegacySha1 => vec![(AlgorithmId::SHA1, 20)],
    };
    let mut banks = Vec::new();
    let mut skipped = Vec::new();
    for (algorithm, size) in algorithms {
        if algorithm.is_replayable() {
            banks.push(replay_bank(log, algorithm, size));
        } else {
            skipped.push(algorithm);
        }
    }
    Pcrs { banks, skipped }
}

fn replay_bank(log: &EventLog<'_>, algorithm: AlgorithmId, size: usize) -> PcrBank {
    let mut values: [Option<DigestValue>; PCR_COUNT] = [None; PCR_COUNT];
    if let (Some(locality), Some(pcr0)) = (log.startup_locality(), values.first_mut()) {
        let mut initial = DigestValue::zero(size);
        initial.set_last(locality);
        *pcr0 = Some(initial);
    }
    for event in log.events().iter().filter(|e| e.is_extended()) {
        // Parsing guarantees the PCR index is below PCR_COUNT and a digest for every bank.
        let (Some(slot), Some(digest)) = (
            usize::try_from(event.pcr())
                .ok()
                .and_then(|i| values.get_mut(i)),
            event.digest(algorithm),
        ) else {
            continue;
        };
        let pcr = slot.get_or_insert_with(|| DigestValue::zero(size));
        extend(algorithm, pcr, digest);
    }
    PcrBank { algorithm, values }
}
