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
