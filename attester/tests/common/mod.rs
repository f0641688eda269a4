//! Helpers shared by the CLI contract tests: running the binary, scratch files, and the
//! corpus helpers of attester-core's tests.

#![allow(dead_code, unused_imports)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../../../attester-core/tests/support/mod.rs"]
mod corpus;

pub use corpus::{corpus_dir, skipped};

/// A 32-byte challenge, as hex.
pub const CHALLENGE: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

pub fn attester(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attester"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run attester")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A scratch directory per test, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("attester-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }

    pub fn write(&self, file: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(file);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A failure is one line on stderr, never a panic or a backtrace.
pub fn assert_one_line_error(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stderr: {}", stderr(out));
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.contains("stack backtrace"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
}

/// Standard output parsed as JSON; a panic that shows stderr otherwise.
pub fn stdout_json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stderr(out)))
}

/// The corpus folder `sub` (e.g. `tdx`), or `None` after announcing that `test` was skipped.
pub fn corpus_sub(test: &str, sub: &str) -> Option<PathBuf> {
    let dir = corpus_dir().map(|dir| dir.join(sub));
    if dir.is_none() {
        skipped(test);
    }
    dir
}
