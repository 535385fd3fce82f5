//! prepdeck on a real pseudo-terminal: keys typed one by one, the screen read back,
//! and the terminal's mode checked after the process is gone.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a test waits for text or for the process to end.
const PATIENCE: Duration = Duration::from_secs(20);

/// A process whose standard streams are one terminal, and whose controlling terminal it
/// is (so that it gets SIGWINCH and SIGHUP as on a real one).
pub struct Pty {
    master: std::fs::File,
    child: Child,
    screen: Arc<Mutex<Vec<u8>>>,
    /// Bytes of `screen` already matched by [`Pty::wait_for`].
    seen: usize,
}

fn winsize(cols: u16, rows: u16) -> libc::winsize {
    libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

impl Pty {
    /// Starts `cmd` on a new terminal `cols` columns wide.
    pub fn spawn(mut cmd: std::process::Command, cols: u16) -> Pty {
        let (mut master, mut slave) = (0, 0);
        let size = winsize(cols, 24);
        // SAFETY: openpty writes two descriptors into the integers passed; the name and
        // termios pointers may be null, the window size is a valid struct.
        let opened = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(opened, 0, "openpty");
        // SAFETY: both descriptors were just opened and are owned by nothing else.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let stdin = slave.try_clone().unwrap();
        let stdout = slave.try_clone().unwrap();
        cmd.stdin(Stdio::from(stdin))
            .stdout(Stdio::from(stdout))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start prepdeck on a terminal");
        // The test's copies of the terminal's end went to the child, so reads end (EIO)
        // once it is gone and everything was read.
        drop(cmd);
        let master = std::fs::File::from(master);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().unwrap();
        let into = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                into.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master,
            child,
            screen,
            seen: 0,
        }
    }

    /// Types `bytes`.
    pub fn send(&mut self, bytes: &str) {
        self.master.write_all(bytes.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// Everything shown so far, CR LF read as LF.
    pub fn screen(&self) -> String {
        let bytes = self.screen.lock().unwrap().clone();
        String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
    }

    /// Waits until `text` is shown after what earlier waits matched; returns the
    /// screen from the previous match to the end of this one.
    pub fn wait_for(&mut self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let bytes = self.screen.lock().unwrap().clone();
            let tail = String::from_utf8_lossy(&bytes[self.seen.min(bytes.len())..]).into_owned();
            if let Some(at) = tail.find(text) {
                let end = at + text.len();
                self.seen += end;
                return tail[..end].replace("\r\n", "\n");
            }
            assert!(
                start.elapsed() < PATIENCE,
                "{text:?} never shown; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Makes the terminal `cols` columns wide (the process gets SIGWINCH).
    pub fn resize(&mut self, cols: u16) {
        let size = winsize(cols, 24);
        // SAFETY: TIOCSWINSZ reads the valid struct given.
        let done = unsafe { libc::ioctl(self.master.as_raw_fd(), libc::TIOCSWINSZ, &size) };
        assert_eq!(done, 0, "TIOCSWINSZ");
    }

    /// The terminal's local-mode flags as they are now.
    pub fn local_flags(&self) -> libc::tcflag_t {
        // SAFETY: tcgetattr fills the zeroed struct; on Linux the master end reports the
        // terminal's (the slave side's) settings.
        let mut mode: libc::termios = unsafe { std::mem::zeroed() };
        let got = unsafe { libc::tcgetattr(self.master.as_raw_fd(), &mut mode) };
        assert_eq!(got, 0, "tcgetattr");
        mode.c_lflag
    }

    /// True when the terminal is in cooked mode: lines edited and echoed by it.
    pub fn cooked(&self) -> bool {
        let flags = self.local_flags();
        flags & libc::ICANON != 0 && flags & libc::ECHO != 0
    }

    /// Sends `signal` to the process.
    pub fn signal(&mut self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.child.id()).unwrap();
        // SAFETY: kill with the pid of a child this test started and has not reaped.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "kill");
    }

    /// Waits for the process to end.
    pub fn wait(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("prepdeck did not end; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
