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
    stdout
        .is_terminal()
        .then(|| width_or_columns(terminal_size::terminal_size_of(&stdout)))
}

/// The width of the terminal standard error goes to, for error messages; `None` when
/// it is redirected, so that logs get each message on one line.
pub fn stderr_width() -> Option<usize> {
    let stderr = io::stderr();
    stderr
        .is_terminal()
        .then(|| width_or_columns(terminal_size::terminal_size_of(&stderr)))
}

/// A terminal's width as it reports it, else `COLUMNS` (for a terminal that reports
/// none), else [`FALLBACK_WIDTH`].
fn width_or_columns(reported: Option<(terminal_size::Width, terminal_size::Height)>) -> usize {
    let columns = || {
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
    };
    reported
        .map(|(width, _)| usize::from(width.0))
        .filter(|&width| width > 0)
        .or_else(columns)
        .filter(|&width| width > 0)
        .unwrap_or(FALLBACK_WIDTH)
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

/// What the keys source gets from the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A key pressed.
    Key(crate::keys::Key),
    /// The terminal is now this many columns wide.
    Resized(usize),
    /// Ctrl-C came as a signal (from `kill -INT`, say) rather than as a key.
    Interrupted,
}

/// Waits for the next key press or resize, in raw mode.
///
/// Polls with a timeout so that a SIGINT sent from outside ends the wait. Several
/// resizes in a row (dragging a window's corner) come back as one, the last.
pub fn next_key() -> io::Result<Event> {
    use crossterm::event::{self, Event as Ev, KeyCode, KeyEventKind, KeyModifiers};
    use std::time::Duration;
    loop {
        if interrupted() {
            return Ok(Event::Interrupted);
        }
        if !event::poll(Duration::from_millis(200))? {
            continue;
        }
        match event::read()? {
            Ev::Key(key) if key.kind != KeyEventKind::Release => {
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                return Ok(Event::Key(match key.code {
                    KeyCode::Char(c) if ctrl => crate::keys::Key::Ctrl(c.to_ascii_lowercase()),
                    KeyCode::Char(c) => crate::keys::Key::Char(c),
                    KeyCode::Enter => crate::keys::Key::Enter,
                    KeyCode::Esc => crate::keys::Key::Esc,
                    _ => crate::keys::Key::Other,
                }));
            }
            Ev::Resize(mut width, _) => {
                while event::poll(Duration::from_millis(50))? {
                    // A key typed while resizing is rare; it is dropped, and the
                    // redrawn prompt asks again.
                    if let Ev::Resize(w, _) = event::read()? {
                        width = w;
                    }
                }
                return Ok(Event::Resized(usize::from(width).max(1)));
            }
            _ => {}
        }
    }
}

/// `message` broken at spaces to the width of the terminal standard error goes to, so
/// that no word or path is cut by the terminal; as it is when standard error is
/// redirected (a log gets one line per message).
pub fn fit_stderr(message: &str) -> std::borrow::Cow<'_, str> {
    match stderr_width() {
        Some(width) => crate::render::text::wrap_hanging(message, width),
        None => std::borrow::Cow::Borrowed(message),
    }
}

/// Stops the process as Ctrl-Z does in a shell (SIGTSTP), until `fg` continues it.
/// Raw mode must be left first: the shell gets its terminal back as it was.
pub fn suspend() {
    #[cfg(unix)]
    // SAFETY: raise only sends a signal to this process; SIGTSTP's default action stops
    // it, and the call returns once SIGCONT resumes it.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
}

/// The terminal in raw mode (keys arrive one by one, unechoed) for as long as this
/// lives. Dropping it, an error or a panic that unwinds through it, a panic anywhere
/// else, SIGTERM and SIGHUP all put the terminal back as it was.
#[derive(Debug)]
pub struct RawMode(());

/// The terminal's settings before raw mode, for the signal handlers and the panic
/// hook, which must not take locks.
#[cfg(unix)]
static SAVED: std::sync::OnceLock<libc::termios> = std::sync::OnceLock::new();
/// True while raw mode is on.
static RAW: AtomicBool = AtomicBool::new(false);

impl RawMode {
    /// Puts standard input's terminal in raw mode, keeping output processing so that
    /// every line printed during the session still starts at the left margin.
    pub fn enter() -> io::Result<RawMode> {
        #[cfg(unix)]
        {
            // SAFETY: tcgetattr fills the zeroed struct it is given; fd 0 is a terminal
            // (only a terminal gets single-key review).
            let mut saved: libc::termios = unsafe { std::mem::zeroed() };
            if unsafe { libc::tcgetattr(0, &mut saved) } != 0 {
                return Err(io::Error::last_os_error());
            }
            let _ = SAVED.set(saved);
            install_restorers();
        }
        crossterm::terminal::enable_raw_mode()?;
        RAW.store(true, Ordering::SeqCst);
        #[cfg(unix)]
        keep_output_processing();
        Ok(RawMode(()))
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if RAW.swap(false, Ordering::SeqCst) {
            let _ = crossterm::terminal::disable_raw_mode();
            restore_saved();
        }
    }
}

/// Raw mode turns off the terminal's newline-to-CR-LF translation; the session prints
/// plain lines, so it is turned back on.
#[cfg(unix)]
fn keep_output_processing() {
    // SAFETY: tcgetattr/tcsetattr on fd 0 with a struct tcgetattr filled.
    unsafe {
        let mut now: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(0, &mut now) == 0 {
            now.c_oflag |= libc::OPOST | libc::ONLCR;
            libc::tcsetattr(0, libc::TCSANOW, &now);
        }
    }
}

/// Puts back the settings saved by [`RawMode::enter`]; async-signal-safe (one
/// tcsetattr, an atomic load).
fn restore_saved() {
    #[cfg(unix)]
    if let Some(saved) = SAVED.get() {
        // SAFETY: `saved` is a termios filled by tcgetattr.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, saved);
        }
    }
}

/// Once per process: a panic hook and SIGTERM/SIGHUP handlers that leave the terminal
/// in the mode it was found in before anything else happens.
#[cfg(unix)]
fn install_restorers() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if RAW.swap(false, Ordering::SeqCst) {
                restore_saved();
            }
            previous(info);
        }));
        // SAFETY: as in `end_review_on_interrupt`; the handler only calls
        // async-signal-safe functions (tcsetattr, signal, raise).
        unsafe {
            for signal in [libc::SIGTERM, libc::SIGHUP] {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction =
                    on_terminate as extern "C" fn(libc::c_int) as libc::sighandler_t;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    });
}

/// Restores the terminal, then dies of the signal as if there were no handler, so the
/// parent sees the usual exit status. Every answer is already on disk.
#[cfg(unix)]
extern "C" fn on_terminate(signal: libc::c_int) {
    if RAW.load(Ordering::SeqCst) {
        restore_saved();
    }
    // SAFETY: signal and raise are async-signal-safe.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}
