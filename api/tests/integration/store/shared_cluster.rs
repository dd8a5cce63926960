//! Several real `reel` processes on one DATA_DIR share its embedded PostgreSQL: whichever starts
//! first starts the cluster, the others join it, and only the last to leave stops it. A job that
//! exits while the service runs leaves the service its database, whoever started the cluster.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::mpsc::Receiver;

use crate::support::process::{reel, spawn_logged, terminate, wait_for_line};

/// A data directory the unprivileged `postgres` user can reach (tempdirs are 0700).
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// `reel <subcommand>` on the embedded cluster under `data_dir`.
fn on_data_dir(subcommand: &str, data_dir: &Path) -> Command {
    let mut command = reel(subcommand);
    command.env("DATA_DIR", data_dir).env("AUTO_SETUP", "off");
    command
}

struct Served {
    child: Child,
    lines: Receiver<serde_json::Value>,
    address: String,
}

/// `reel serve` on `data_dir`, once it listens.
async fn serve(data_dir: &Path) -> Served {
    let mut command = on_data_dir("serve", data_dir);
    command.env("BIND_ADDR", "127.0.0.1:0");
    let (child, lines) = spawn_logged(command);
    let (address, lines) = tokio::task::spawn_blocking(move || {
        let address = wait_for_line(&lines, "listening")["address"]
            .as_str()
            .unwrap()
            .to_owned();
        (address, lines)
    })
    .await
    .unwrap();
    Served {
        child,
        lines,
        address,
    }
}

impl Served {
    /// Readiness (the database pinged) and a request answered from the database.
    async fn answers_from_its_database(&self) {
        let client = reqwest::Client::new();
        let ready = client
            .get(format!("http://{}/health/ready", self.address))
            .send()
            .await
            .unwrap();
        let status = ready.status();
        assert_eq!(status, 200, "{}", ready.text().await.unwrap());
        let usage = client
            .get(format!("http://{}/metrics/usage", self.address))
            .send()
            .await
            .unwrap();
        let status = usage.status();
        assert_eq!(status, 200, "{}", usage.text().await.unwrap());
    }

    /// SIGTERM, and its log lines once it exited.
    async fn stop(self) -> Vec<serde_json::Value> {
        let Served { child, lines, .. } = self;
        tokio::task::spawn_blocking(move || {
            assert!(terminate(child), "reel serve exited with a failure");
            lines.try_iter().collect()
        })
        .await
        .unwrap()
    }
}

/// What `pg_ctl status` says of the cluster: true while a server runs on it.
fn cluster_runs(data_dir: &Path) -> bool {
    data_dir.join("postgres/postmaster.pid").exists()
}

fn messages(lines: &[serde_json::Value]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|line| line["message"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_beside_the_service_leaves_it_its_database() {
    let dir = data_dir();
    let served = serve(dir.path()).await;
    served.answers_from_its_database().await;

    // A job on the same DATA_DIR joins the cluster the service started, and leaves it running.
    let path = dir.path().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        on_data_dir("migrate", &path)
            .env("RUST_LOG", "info")
            .env("LOG_FORMAT", "json")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{log}");
    served.answers_from_its_database().await;
    assert!(cluster_runs(dir.path()));
    assert!(log.contains("joined the embedded PostgreSQL"), "{log}");
    assert!(
        log.contains("leaving the embedded PostgreSQL running"),
        "{log}"
    );

    // The service, last to leave, stops it.
    let lines = served.stop().await;
    assert!(
        messages(&lines)
            .iter()
            .any(|message| message.starts_with("stopping the embedded PostgreSQL")),
        "{lines:#?}"
    );
    assert!(!cluster_runs(dir.path()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_process_that_started_the_cluster_leaves_it_to_the_one_that_joined() {
    let dir = data_dir();
    let first = serve(dir.path()).await;
    let second = serve(dir.path()).await;
    second.answers_from_its_database().await;

    // The first process started the cluster; its exit leaves the second its database.
    let lines = first.stop().await;
    assert!(cluster_runs(dir.path()));
    second.answers_from_its_database().await;
    assert!(
        messages(&lines)
            .iter()
            .any(|message| message.starts_with("leaving the embedded PostgreSQL running")),
        "{lines:#?}"
    );

    let lines = second.stop().await;
    assert!(
        messages(&lines)
            .iter()
            .any(|message| message.starts_with("stopping the embedded PostgreSQL")),
        "{lines:#?}"
    );
    assert!(!cluster_runs(dir.path()));
}
