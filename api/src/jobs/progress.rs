//! Progress of a job: a bar when stderr is a terminal (someone is watching), and otherwise a
//! structured log line every [`LOG_EVERY`] (a scheduler's log collector is watching).

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often a job without a terminal logs its progress.
pub const LOG_EVERY: Duration = Duration::from_secs(30);

/// A job's progress counter; clones share it.
#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

struct Inner {
    job: &'static str,
    bar: Option<ProgressBar>,
    total: AtomicU64,
    done: AtomicU64,
    started: Instant,
    last_log: Mutex<Instant>,
}

impl Progress {
    /// A bar on a terminal, periodic logs otherwise. `total` is the work expected, if known.
    pub fn new(job: &'static str, total: Option<u64>) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| bar(job, total));
        Self::build(job, total, bar)
    }

    /// Periodic logs only, never a bar (tests, and runs whose output is captured).
    pub fn logs_only(job: &'static str, total: Option<u64>) -> Self {
        Self::build(job, total, None)
    }

    fn build(job: &'static str, total: Option<u64>, bar: Option<ProgressBar>) -> Self {
        let now = Instant::now();
        Self {
            inner: Arc::new(Inner {
                job,
                bar,
                total: AtomicU64::new(total.unwrap_or(0)),
                done: AtomicU64::new(0),
                started: now,
                last_log: Mutex::new(now),
            }),
        }
    }

    /// Sets the work expected, once it is known.
    pub fn set_total(&self, total: u64) {
        self.inner.total.store(total, Ordering::Relaxed);
        if let Some(bar) = &self.inner.bar {
            bar.set_length(total);
            set_style(bar, Some(total));
        }
    }

    /// Counts `n` more items done.
    pub fn inc(&self, n: u64) {
        let inner = &self.inner;
        let done = inner.done.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(bar) = &inner.bar {
            bar.inc(n);
            return;
        }
        let due = inner.last_log.lock().is_ok_and(|mut last| {
            let due = last.elapsed() >= LOG_EVERY;
            if due {
                *last = Instant::now();
            }
            due
        });
        if due {
            self.log(done, "progress");
        }
    }

    /// Items counted so far.
    pub fn done(&self) -> u64 {
        self.inner.done.load(Ordering::Relaxed)
    }

    /// Time since the job started.
    pub fn elapsed(&self) -> Duration {
        self.inner.started.elapsed()
    }

    /// Items per second since the start.
    pub fn rate(&self) -> f64 {
        let seconds = self.elapsed().as_secs_f64();
        if seconds > 0.0 {
            self.done() as f64 / seconds
        } else {
            0.0
        }
    }

    /// Clears the bar (or logs the final count).
    pub fn finish(&self) {
        match &self.inner.bar {
            Some(bar) => bar.finish_and_clear(),
            None => self.log(self.done(), "finished"),
        }
    }

    fn log(&self, done: u64, message: &'static str) {
        let total = self.inner.total.load(Ordering::Relaxed);
        tracing::info!(
            job = self.inner.job,
            items.done = done,
            items.total = total,
            items_per_second = format!("{:.1}", self.rate()),
            elapsed_s = self.elapsed().as_secs(),
            "{message}"
        );
    }
}

fn bar(job: &'static str, total: Option<u64>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    set_style(&bar, total);
    bar.set_prefix(job);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// A bar with an ETA when the total is known, a spinner with a count otherwise.
fn set_style(bar: &ProgressBar, total: Option<u64>) {
    let template = match total {
        Some(_) => "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, {eta} left)",
        None => "{prefix} [{elapsed_precise}] {spinner} {pos} ({per_sec})",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_it_is_told() {
        let progress = Progress::logs_only("test", Some(10));
        let clone = progress.clone();
        progress.inc(3);
        clone.inc(4);
        assert_eq!(progress.done(), 7);
        progress.finish();
    }
}
