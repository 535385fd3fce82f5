//! The `prepdeck` binary: parse arguments, run the command, report the error.

use clap::Parser;
use prepdeck::{cli::Cli, cmd, render::text::sanitize};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
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
