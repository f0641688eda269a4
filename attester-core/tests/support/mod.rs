//! Finding the real-evidence corpus (`ATTESTER_VECTORS`, default `../shared/vectors` beside the
//! checkout). Where it is absent, each corpus test says so on the terminal and passes, so a fresh
//! clone elsewhere still runs every other test; where it is present, a missing file fails.
//!
//! The one copy: the other crates' corpus tests include this file by path.

#![allow(dead_code)]

use std::io::Write as _;
use std::path::PathBuf;

/// The corpus folder, if there is one.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("ATTESTER_VECTORS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
    };
    dir.is_dir().then_some(dir)
}

/// Says loudly that `test` did not run.
pub fn skipped(test: &str) {
    // Written to the stream itself: the test harness captures print macros, not this.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED corpus test {test}: no corpus (set ATTESTER_VECTORS); 1 test skipped"
    );
}

/// The bytes of corpus file `relative`, or `None` (announced loudly) when there is no corpus.
pub fn corpus_file(test: &str, relative: &str) -> Option<Vec<u8>> {
    let Some(dir) = corpus_dir() else {
        skipped(test);
        return None;
    };
    let path = dir.join(relative);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("corpus file {}: {e}", path.display())))
}
