//! A private swtpm for one test: `swtpm socket --tpm2` on a free loopback port, with its
//! state in a fresh directory, stopped and removed on drop.
//!
//! Where swtpm is not installed the tests say so loudly on stderr and return; with
//! `ATTESTER_REQUIRE_SWTPM=1` (as `ci/test` sets) they fail instead.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write as _;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub struct Swtpm {
    child: Child,
    state: PathBuf,
    pub port: u16,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn swtpm_installed() -> bool {
    Command::new("swtpm")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The swtpm version line (`TPM emulator version 0.7.1, ...`).
pub fn version() -> Option<String> {
    let out = Command::new("swtpm").arg("--version").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Two consecutive free loopback ports (server and control).
fn free_ports() -> u16 {
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

impl Swtpm {
    /// A running swtpm, or `None` (announced) when swtpm is not installed.
    pub fn start(test: &str) -> Option<Self> {
        if !swtpm_installed() {
            if std::env::var_os("ATTESTER_REQUIRE_SWTPM").is_some() {
                panic!("{test}: swtpm is not installed and ATTESTER_REQUIRE_SWTPM is set");
            }
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED device test {test}: swtpm is not installed (apt-get install swtpm); 1 test skipped"
            );
            return None;
        }
        let state = std::env::temp_dir().join(format!(
            "attester-swtpm-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&state).unwrap();
        for _ in 0..5 {
            let port = free_ports();
            let child = Command::new("swtpm")
                .args(["socket", "--tpm2", "--tpmstate"])
                .arg(format!("dir={}", state.display()))
                .arg("--server")
                .arg(format!("type=tcp,port={port},bindaddr=127.0.0.1"))
                .arg("--ctrl")
                .arg(format!("type=tcp,port={},bindaddr=127.0.0.1", port + 1))
                .args(["--flags", "not-need-init,startup-clear"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut swtpm = Swtpm {
                child,
                state: state.clone(),
                port,
            };
            if swtpm.wait_ready() {
                return Some(swtpm);
            }
            let _ = swtpm.child.kill();
            let _ = swtpm.child.wait();
        }
        panic!("{test}: swtpm did not start");
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            // The control port answers once the TPM is up; probing it leaves the command
            // port's single connection to the test.
            if TcpStream::connect(("127.0.0.1", self.port + 1)).is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// The TCTI string for this swtpm.
    pub fn tcti(&self) -> String {
        format!("swtpm:host=127.0.0.1,port={}", self.port)
    }
}

impl Drop for Swtpm {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.state);
    }
}
