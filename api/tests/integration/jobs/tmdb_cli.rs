//! The TMDB commands as an operator runs them: `reel catalog sync --source tmdb` and
//! `reel letterboxd export` with a token, against the simulated TMDB.

use std::sync::Arc;

use tmdb_sim::{Faults, Kind, SimServer, SourceFilm, World};
use tokio::process::Command;

use crate::support::TestDatabase;

const TOKEN: &str = "sim-token-for-the-cli";

async fn sim(films: Vec<SourceFilm>) -> (std::net::SocketAddr, tmdb_sim::SimHandle, Arc<World>) {
    let world = Arc::new(World::build(films, 5));
    let (addr, handle) = SimServer::start(world.clone(), Some(TOKEN.into()), Faults::default())
        .await
        .unwrap();
    (addr, handle, world)
}

fn reel(addr: std::net::SocketAddr) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reel"));
    command
        .env("TMDB_API_TOKEN", TOKEN)
        .env("TMDB_BASE_URL", format!("http://{addr}/3"))
        .env("TMDB_FILES_URL", format!("http://{addr}/p/exports"))
        .env("TMDB_RATE_LIMIT", "1000")
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info");
    command
}

#[tokio::test]
async fn catalog_sync_fills_the_catalog_from_tmdb_and_reports_in_json_lines() {
    let (addr, _sim, world) = sim(tmdb_sim::synthetic::films(120, 2)).await;
    let database = TestDatabase::new().await;
    let today = chrono::Utc::now().date_naive().to_string();
    let output = reel(addr)
        .args([
            "catalog",
            "sync",
            "--source",
            "tmdb",
            "--id-file-date",
            &today,
        ])
        .args(["--max-films", "50", "--worker-id", "cli"])
        .env("DATABASE_URL", database.database_url())
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let summary: serde_json::Value = stderr
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|line| line["message"] == "catalog sync finished")
        .unwrap_or_else(|| panic!("no summary line in {stderr}"));
    assert_eq!(summary["films_done"], 50, "{summary}");
    assert_eq!(summary["run_complete"], true);
    assert_eq!(database.store().count_films(true).await.unwrap(), 50);
    // The 50 kept are the most popular movies of the id file.
    let mut popularity: Vec<f64> = world
        .films()
        .iter()
        .filter(|film| film.kind == Kind::Movie)
        .map(|film| film.popularity)
        .collect();
    popularity.sort_by(|a, b| b.total_cmp(a));
    let films = database.store().load_catalog_films().await.unwrap();
    let least = films
        .iter()
        .filter_map(|film| film.tmdb_popularity)
        .fold(f32::INFINITY, f32::min);
    assert!(
        f64::from(least) >= popularity[49] - 0.01,
        "{least} < {}",
        popularity[49]
    );
}

#[tokio::test]
async fn letterboxd_export_resolves_unknown_rows_on_tmdb_and_prints_the_counts() {
    let only_on_tmdb = SourceFilm {
        slug: "a-quiet-harbour".into(),
        title: "A Quiet Harbour".into(),
        year: Some(1994),
        genres: vec!["Drama".into()],
        popularity: Some(3.0),
        ..SourceFilm::default()
    };
    let (addr, _sim, _world) = sim(vec![only_on_tmdb]).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("ratings.csv");
    std::fs::write(
        &csv,
        "Date,Name,Year,Letterboxd URI,Rating\n\
         2025-01-01,A Quiet Harbour,1995,https://boxd.it/aq1,4\n\
         2025-01-01,Nothing Anywhere,1901,https://boxd.it/zz,3\n",
    )
    .unwrap();
    let output = reel(addr)
        .args(["letterboxd", "export"])
        .arg(&csv)
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = &printed["rows"];
    assert_eq!(
        (
            rows["matched"].as_u64(),
            rows["resolved_through_tmdb"].as_u64()
        ),
        (Some(1), Some(1)),
        "{printed}"
    );
    assert_eq!(rows["unmatched"], 1);
    assert_eq!(rows["tmdb_titles_not_found"], 1);
    let rated = printed["profile"]["ratings"][0][0].as_str().unwrap();
    assert!(rated.starts_with("tmdb:movie:"), "{rated}");
}
