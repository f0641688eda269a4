//! Argument parsing, dispatch and exit codes.

mod args;
#[macro_use]
mod out;
mod commands;
mod files;
mod tls;

use args::{Cli, Command};
use attester_core::ErrorKind;
use clap::Parser;
use std::process::ExitCode;

/// Exit code: every check passed.
pub const EXIT_OK: u8 = 0;
/// Exit code: a verification check failed, or the device refused.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: usage error, or input that cannot be read or parsed.
pub const EXIT_USAGE: u8 = 2;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let outcome = match cli.command {
        Command::Detect(a) => commands::detect(&a),
        Command::Evidence(a) => commands::evidence(&a),
        Command::Inspect(a) => commands::inspect(&a),
        Command::Verify(a) => commands::verify(&a),
        Command::Demo(a) => commands::demo(&a),
        Command::TlsServer(a) => tls::server(&a),
        Command::TlsClient(a) => tls::client(&a),
        Command::Eventlog(a) => commands::eventlog(&a),
        Command::Tpm(a) => commands::tpm(&a),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            report(&error);
            ExitCode::from(exit_code(&error))
        }
    }
}

/// One line on stderr: the error and its causes, joined.
#[allow(clippy::print_stderr)]
fn report(error: &anyhow::Error) {
    let line = format!("{error:#}").replace('\n', " ");
    eprintln!("attester: error: {line}");
}

fn exit_code(error: &anyhow::Error) -> u8 {
    let kind = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<attester_core::Error>())
        .map(attester_core::Error::kind);
    match kind {
        Some(
            ErrorKind::Verification
            | ErrorKind::Busy
            | ErrorKind::Device
            | ErrorKind::PermissionDenied,
        ) => EXIT_FAILED,
        _ => EXIT_USAGE,
    }
}
