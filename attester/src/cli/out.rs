//! Standard output for the commands.
//!
//! `println!` panics when the reader has gone away (`attester inspect … | head -1` closes the
//! pipe; Rust ignores SIGPIPE, so the write fails with EPIPE). Output here drops what nobody
//! reads instead, and the command still ends with the exit status of what it did: a
//! verification that failed still exits 1. Any other write failure is reported once on stderr.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static REPORTED: AtomicBool = AtomicBool::new(false);

/// Writes `args` to stdout, then a newline when `newline`.
pub(crate) fn write_stdout(args: fmt::Arguments<'_>, newline: bool) {
    let mut out = io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| {
            if newline {
                out.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| out.flush());
    if let Err(e) = written {
        report_once(&e);
    }
}

#[allow(clippy::print_stderr)]
fn report_once(error: &io::Error) {
    if error.kind() != io::ErrorKind::BrokenPipe && !REPORTED.swap(true, Ordering::Relaxed) {
        eprintln!("attester: error: cannot write to standard output: {error}");
    }
}

/// `println!` to stdout, without the panic on a closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::out::write_stdout(format_args!($($arg)*), true)
    };
}

/// `print!` to stdout, without the panic on a closed pipe.
macro_rules! say_raw {
    ($($arg:tt)*) => {
        $crate::cli::out::write_stdout(format_args!($($arg)*), false)
    };
}
