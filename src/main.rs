//! The `prepdeck` binary: parse arguments, run the command, report the error.

use clap::Parser;
use prepdeck::{cli::Cli, cmd, render::text::sanitize};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    ignore_file_size_signal();
    let cli = Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(
                std::io::stderr(),
                "prepdeck: error: {}",
                sanitize(&error.to_string())
            );
            ExitCode::FAILURE
        }
    }
}

/// A write past the file-size limit (`ulimit -f`) would kill the process with SIGXFSZ
/// before it could say the answer was not saved; ignored, the write fails with EFBIG
/// and is reported like a full disk.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN at start-up, before any thread
    // exists, has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
