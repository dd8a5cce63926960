//! `letterboxd-sim` as a process: it prints where it listens, and serves there.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn prints_its_address_first_and_serves_there() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_letterboxd-sim"))
        .args([
            "--synthetic",
            "films=500,members=5,seed=2",
            "--bind",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    // Kept open until the end: the simulator must not see its stdout closed under it.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    stdout.read_line(&mut first).unwrap();
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();

    let home = reqwest::get(format!("{base}/")).await.unwrap();
    assert_eq!(home.status(), 200);
    let films = reqwest::get(format!("{base}/member0/films/page/1/"))
        .await
        .unwrap();
    assert_eq!(films.status(), 200);
    assert!(
        films
            .text()
            .await
            .unwrap()
            .contains("li class=\"griditem\"")
    );
    let missing = reqwest::get(format!("{base}/nobody/films/")).await.unwrap();
    assert_eq!(missing.status(), 404);

    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdout);
}

#[test]
fn generate_writes_a_world_and_prints_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("world");
    let output = Command::new(env!("CARGO_BIN_EXE_letterboxd-sim"))
        .args([
            "generate",
            "--films",
            "300",
            "--members",
            "20",
            "--seed",
            "2",
        ])
        .args(["--ratings-per-member", "40", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let line = String::from_utf8(output.stdout).unwrap();
    assert!(line.starts_with("wrote 300 films, 20 members ("), "{line}");
    for name in ["films.csv.gz", "ratings.csv.gz", "world.json"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }

    let refused = Command::new(env!("CARGO_BIN_EXE_letterboxd-sim"))
        .args(["generate", "--films", "300", "--members", "0", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("at least one member"));
}
