//! The terminal, at the edge: how wide it is, and Ctrl-C during a review.
//!
//! Nothing here decides what to print; [`crate::session`] gets a width and a reader
//! and stays testable on plain byte slices.

use std::io::{self, IsTerminal, Read};
use std::sync::atomic::{AtomicBool, Ordering};

/// Used when standard output is a terminal that does not say how wide it is.
const FALLBACK_WIDTH: usize = 80;

/// The width of the terminal standard output goes to; `None` when output is piped or
/// redirected, so that scripts and files get lines exactly as the decks have them.
pub fn stdout_width() -> Option<usize> {
    let stdout = io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    Some(
        terminal_size::terminal_size_of(&stdout)
            .map(|(width, _)| usize::from(width.0))
            .filter(|&width| width > 0)
            .unwrap_or(FALLBACK_WIDTH),
    )
}

/// True when the process was started with standard output closed (`prepdeck review >&-`).
///
/// By the time `main` runs, Rust's runtime has put `/dev/null` in place of a closed
/// standard stream, so every write "succeeds" and a review would record answers to
/// cards nobody saw. The descriptor is therefore checked before the runtime starts, by
/// [`check_stdout_at_start`], which the binary registers as a constructor the loader
/// runs (`.init_array`); where there is none, `false` is returned.
pub fn stdout_was_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::SeqCst)
}

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records whether standard output is open; for the binary's `.init_array` only, before
/// Rust's runtime reopens closed standard streams on `/dev/null`.
#[cfg(unix)]
pub extern "C" fn check_stdout_at_start() {
    // SAFETY: F_GETFD on a descriptor number only reads the descriptor table.
    let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1;
    STDOUT_CLOSED.store(closed, Ordering::SeqCst);
}

/// Set by the SIGINT handler; read by [`Interruptible`].
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Makes the next Ctrl-C (SIGINT) end the review like `q` instead of killing prepdeck
/// without a summary. Every answer is on disk before the next card is shown, so there
/// is nothing to lose; the summary is what Ctrl-C used to throw away.
///
/// The handler only sets a flag. It is installed without `SA_RESTART`, so the read the
/// review is blocked in fails with `EINTR` and [`Interruptible`] turns that into end of
/// input. It is also one-shot (`SA_RESETHAND`): a second Ctrl-C kills as usual, should
/// prepdeck ever be stuck anywhere else.
pub fn end_review_on_interrupt() {
    #[cfg(unix)]
    // SAFETY: `sigaction` is given a zeroed, fully initialised struct whose handler is
    // an `extern "C"` function that only stores to an atomic (async-signal-safe).
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESETHAND;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

#[cfg(unix)]
extern "C" fn on_interrupt(_signal: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// True once Ctrl-C was pressed after [`end_review_on_interrupt`].
fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// A reader that ends (reads 0 bytes) once Ctrl-C was pressed, and otherwise retries
/// reads interrupted by other signals, as `std` would.
#[derive(Debug)]
pub struct Interruptible<R>(pub R);

impl<R: Read> Read for Interruptible<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            // Checked before reading too: a Ctrl-C while an answer was being saved
            // ends the session at the next prompt.
            if interrupted() {
                return Ok(0);
            }
            match self.0.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => return other,
            }
        }
    }
}
