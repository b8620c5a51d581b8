//! kill -9 at random moments: the tests that check a command leaves the
//! database before or after, never between (a first import, an undo, an
//! erasure, a restore), draw their moments here and kill the same way.

use std::process::{Command, Stdio};
use std::time::Duration;

/// Moments to kill at, from a fixed seed (xorshift64): the same runs each
/// time unless the seed mixes in something that changes.
pub struct Moments(u64);

impl Moments {
    pub fn new(seed: u64) -> Moments {
        Moments(seed.max(1))
    }

    /// The next moment, in microseconds below `span_us` (0 when it is 0).
    pub fn below(&mut self, span_us: u64) -> Duration {
        let x = &mut self.0;
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        Duration::from_micros(if span_us == 0 { 0 } else { *x % span_us })
    }
}

/// Start `cmd` (its output dropped), kill it with SIGKILL after `delay`,
/// and reap it; whether it had finished by then is for the caller to read
/// in what it left.
pub fn run_and_kill(cmd: &mut Command, delay: Duration) {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}
