//! The built `reel` binary as a real process: a clean environment (only what the test sets), and
//! its JSON log lines, parsed, as it writes them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The settings a test must not inherit from the shell that runs it.
const CLEARED: [&str; 25] = [
    "BIND_ADDR",
    "PORT",
    "DATABASE_URL",
    "DATA_DIR",
    "REDIS_URL",
    "LETTERBOXD_BASE_URL",
    "CORS_ALLOWED_ORIGINS",
    "ADMIN_TOKEN",
    "LOG_FORMAT",
    "RUST_LOG",
    "REQUEST_TIMEOUT",
    "BODY_LIMIT",
    "CATALOG_POLL_INTERVAL",
    "TMDB_API_TOKEN",
    "TMDB_BASE_URL",
    "TMDB_FILES_URL",
    "AUTO_SETUP",
    "SETUP_DATASET",
    "RATE_LIMITS",
    "MEMORY_BUDGET",
    "SCORE_CACHE",
    "LETTERBOXD_RATE_LIMIT",
    "LETTERBOXD_CONCURRENCY",
    "LETTERBOXD_BLOCK_COOLDOWN",
    "LETTERBOXD_USER_AGENT",
];

/// `reel <subcommand>` with none of the service's settings from the environment.
pub fn reel(subcommand: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reel"));
    command.arg(subcommand);
    for variable in CLEARED {
        command.env_remove(variable);
    }
    command
}

/// Starts `command` logging JSON at `info`; its log lines arrive on the receiver.
pub fn spawn_logged(mut command: Command) -> (Child, mpsc::Receiver<serde_json::Value>) {
    let mut child = command
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            let parsed = serde_json::from_str(&line)
                .unwrap_or_else(|_| serde_json::json!({ "unparsed": line }));
            if lines_tx.send(parsed).is_err() {
                break;
            }
        }
    });
    (child, lines)
}

/// The first log line whose message is `message` (a minute at most between two lines).
pub fn wait_for_line(
    lines: &mpsc::Receiver<serde_json::Value>,
    message: &str,
) -> serde_json::Value {
    let mut seen = Vec::new();
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no `{message}` in the log: {seen:#?}"));
        if line["message"] == message {
            return line;
        }
        seen.push(line);
    }
}

/// Sends SIGTERM and waits for the process to exit; true when it exited successfully.
pub fn terminate(mut child: Child) -> bool {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait().unwrap().success()
}
