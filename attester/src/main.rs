//! The `attester` command. The CLI is a stable contract (see DESIGN.md and the README):
//! exit 0 on success, 1 when a verification check or the device failed, 2 on usage errors
//! and input that cannot be read or parsed.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
