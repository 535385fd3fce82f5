//! The `prepdeck` binary: parse arguments, run the command, report the error.

use clap::{CommandFactory, Parser};
use prepdeck::{cli::Cli, cmd, render::text::sanitize, term::fit_stderr};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    ignore_file_size_signal();
    if let Some(warning) = prepdeck::clock::settle_time_zone() {
        let message = format!("prepdeck: warning: {}", sanitize(&warning));
        let _ = writeln!(std::io::stderr(), "{}", fit_stderr(&message));
    }
    if prepdeck::term::stdout_was_closed() {
        // Nothing may be recorded for output nobody can see.
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            fit_stderr("prepdeck: error: standard output is closed; nothing was done. Run prepdeck with its output going to a terminal, a file or a pipe")
        );
        return ExitCode::FAILURE;
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(refused) => return report_command_line(&refused),
    };
    match cmd::run(cli) {
        Ok(code) => code,
        // The reader went away (`prepdeck cards | head`): not worth a message, but the
        // output was not all written, which the exit status says.
        Err(error) if error.is_broken_pipe() => ExitCode::FAILURE,
        Err(error) => {
            let message = format!("prepdeck: error: {}", sanitize(&error.to_string()));
            let _ = writeln!(std::io::stderr(), "{}", fit_stderr(&message));
            ExitCode::FAILURE
        }
    }
}

/// Prints what clap has to say about the command line: `--help` and `--version` on
/// standard output (exit 0), a refused command line on standard error (exit 2).
///
/// clap's errors quote the offending argument as it was given, and clap removes only
/// ANSI sequences, and only when standard error is not a terminal: an OSC title change,
/// a C1 control or a bidi override in an argument would reach the terminal. So the
/// error is rendered to text and neutralised like every other message. Help and
/// version text is ours alone, so clap prints it, with its colours.
fn report_command_line(refused: &clap::Error) -> ExitCode {
    let code = refused.exit_code();
    if refused.use_stderr() {
        let _ = write!(
            std::io::stderr(),
            "{}",
            fit_stderr(&sanitize(&unstyled(refused)))
        );
    } else {
        // Help or version that cannot be written is a failure like any other output's;
        // a closed pipe (`prepdeck --help | head -1`) is not worth a message.
        match refused.print().and_then(|()| std::io::stdout().flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::FAILURE,
            Err(e) => {
                let _ = writeln!(
                    std::io::stderr(),
                    "prepdeck: error: could not write standard output: {e}"
                );
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}

/// clap's message for the refused command line, without clap's styling but with the
/// user's text exactly as typed, for [`sanitize`] to make visible.
///
/// clap writes its styles into the message as ANSI sequences, which escaping would turn
/// into noise, and its plain rendering strips every ANSI-like sequence, including those
/// typed by the user, so the message would quote an argument that was not the one given.
/// Parsed again with plain styles, the same command line gives the same message with no
/// sequences but the user's. Only a refusal that comes after parsing (none is expected)
/// falls back to the stripped text.
fn unstyled(refused: &clap::Error) -> String {
    let plain = Cli::command()
        .styles(clap::builder::Styles::plain())
        .try_get_matches();
    match plain {
        Err(again) if again.kind() == refused.kind() => again.render().ansi().to_string(),
        _ => refused.render().to_string(),
    }
}

/// Registered in the binary, which is always linked whole: see
/// [`prepdeck::term::stdout_was_closed`].
#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
#[used]
#[link_section = ".init_array"]
static CHECK_STDOUT_AT_START: extern "C" fn() = prepdeck::term::check_stdout_at_start;

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
