//! The job subcommands as an operator runs them: the `reel` binary, configured from the
//! environment, against the simulated Letterboxd and a database of its own.

use std::process::Output;

use letterboxd_sim::FaultPlan;
use tokio::process::Command;

use crate::support::jobs::Setup;

async fn reel(setup: &Setup, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reel"))
        .args(args)
        .env("DATABASE_URL", setup.database.database_url())
        .env("LETTERBOXD_BASE_URL", format!("http://{}", setup.addr))
        .env("LETTERBOXD_RATE_LIMIT", "1000")
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .output()
        .await
        .expect("reel runs")
}

#[tokio::test]
async fn catalog_refresh_runs_from_the_environment_and_reports_in_json_lines() {
    let setup = Setup::start(30, 0).await;
    setup.store_stale_catalog().await;
    let output = reel(
        &setup,
        &["catalog", "refresh", "--budget", "1h", "--worker-id", "cli"],
    )
    .await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let summary: serde_json::Value = stderr
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|line| line["message"] == "catalog refresh finished")
        .unwrap_or_else(|| panic!("no summary line in {stderr}"));
    assert_eq!(summary["films_done"], 30);
    assert_eq!(summary["worker"], "cli");
    assert_eq!(summary["catalog_version"], 1);
    let films = setup.store().load_catalog_films().await.unwrap();
    assert!(
        films
            .iter()
            .all(|film| !film.title.starts_with("Old title"))
    );
}

#[tokio::test]
async fn a_blocked_crawl_exits_non_zero_with_one_clear_error() {
    let setup = Setup::start(30, 0).await;
    setup.store_stale_catalog().await;
    setup.sim.faults().set(FaultPlan {
        all: letterboxd_sim::Knobs {
            challenge: true,
            ..Default::default()
        },
        ..FaultPlan::default()
    });
    let output = reel(&setup, &["catalog", "refresh"]).await;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("error: catalog refresh stopped"), "{last}");
    assert!(last.contains("challenge"), "{last}");
    assert!(setup.sim.faults().total_requests() <= 4);
}

#[tokio::test]
async fn usage_snapshot_prints_the_row_it_wrote() {
    let setup = Setup::start(1, 0).await;
    let output = reel(&setup, &["usage", "snapshot", "--date", "2026-01-31"]).await;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let row: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        row,
        serde_json::json!({ "day": "2026-01-31", "members": 0, "uses": 0 })
    );
}
