//! The `reel serve` binary end to end: configuration errors stop it with one line; with a valid
//! configuration it migrates, loads the catalog, serves, and stops gracefully on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::TestDatabase;

/// `reel serve` with a clean environment: only what the test sets.
fn reel_serve() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reel"));
    command.arg("serve");
    for variable in [
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
    ] {
        command.env_remove(variable);
    }
    command
}

#[test]
fn a_bad_setting_stops_the_process_with_one_line_naming_it() {
    let output = reel_serve()
        .env("LOG_FORMAT", "xml")
        .env(
            "DATABASE_URL",
            "postgres://postgres@127.0.0.1:1/never-reached",
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "error: invalid LOG_FORMAT `xml`: expected `pretty` or `json`\n"
    );

    // A flag overrides the variable, and is reported under the variable's name.
    let output = reel_serve()
        .env("BIND_ADDR", "127.0.0.1:8080")
        .args(["--bind-addr", "localhost:http"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        "error: invalid BIND_ADDR `localhost:http`: expected IP:PORT such as 127.0.0.1:8080\n"
    );
}

#[tokio::test]
async fn a_tmdb_token_tmdb_rejects_stops_start_up_with_one_line_naming_the_variable() {
    let database = TestDatabase::new().await;
    let world = std::sync::Arc::new(tmdb_sim::World::build(tmdb_sim::synthetic::films(10, 1), 1));
    let (addr, _sim) = tmdb_sim::SimServer::start(
        world,
        Some("the-token-tmdb-knows".into()),
        tmdb_sim::Faults::default(),
    )
    .await
    .unwrap();
    let output = tokio::task::spawn_blocking(move || {
        reel_serve()
            .env("DATABASE_URL", database.database_url())
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("TMDB_API_TOKEN", "a-token-tmdb-never-issued")
            .env("TMDB_BASE_URL", format!("http://{addr}/3"))
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("error: ") && last.contains("TMDB_API_TOKEN: TMDB rejected the token"),
        "{stderr}"
    );
}

#[tokio::test]
async fn serves_until_sigterm_then_stops_cleanly() {
    let database = TestDatabase::new().await;
    let mut child = reel_serve()
        .env("DATABASE_URL", database.database_url())
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // Log lines, parsed, as the process writes them.
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines) = mpsc::channel::<serde_json::Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap();
            let parsed = serde_json::from_str(&line)
                .unwrap_or_else(|_| serde_json::json!({ "unparsed": line }));
            if lines_tx.send(parsed).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let next_line = |seen: &mut Vec<serde_json::Value>| {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("reel serve went quiet; its log so far: {seen:#?}"));
        seen.push(line.clone());
        line
    };

    let address = loop {
        let line = next_line(&mut seen);
        if line["message"] == "listening" {
            break line["address"].as_str().unwrap().to_owned();
        }
    };
    let response = reqwest::Client::new()
        .get(format!("http://{address}/health/ready"))
        .header("x-request-id", "e2e-ready-1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["checks"]["catalog"], "ok");
    // `/docs` without its slash leads to the page; the page's assets load without a warning.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = no_redirects
        .get(format!("http://{address}/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 308);
    assert_eq!(response.headers()["location"], "/docs/");
    for asset in [
        "/docs/",
        "/docs/swagger-ui.css",
        "/docs/swagger-initializer.js",
    ] {
        let response = no_redirects
            .get(format!("http://{address}{asset}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{asset}");
    }

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(5)) {
        seen.push(line);
    }

    let messages: Vec<&str> = seen
        .iter()
        .filter_map(|line| line["message"].as_str())
        .collect();
    for expected in [
        "catalog loaded",
        "listening",
        "SIGTERM: finishing in-flight requests, then stopping",
        "stopped serving",
    ] {
        assert!(
            messages.contains(&expected),
            "no `{expected}` in {messages:?}"
        );
    }
    // Durations are JSON numbers, which log queries can compare.
    let listening = seen
        .iter()
        .find(|line| line["message"] == "listening")
        .unwrap();
    assert!(listening["startup_ms"].is_u64(), "{listening}");
    // Serving the docs warns of nothing (the metrics layer used to, once per Swagger asset).
    let warnings: Vec<&serde_json::Value> = seen
        .iter()
        .filter(|line| line["level"] == "WARN" || line["level"] == "ERROR")
        .filter(|line| {
            line.get("span").is_some()
                || line["target"]
                    .as_str()
                    .is_some_and(|target| target.starts_with("actix"))
        })
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    let request_lines: Vec<&serde_json::Value> = seen
        .iter()
        .filter(|line| line["span"]["request_id"] == "e2e-ready-1")
        .collect();
    assert!(
        request_lines
            .iter()
            .any(|line| line["route"] == "/health/ready"
                && line["status"] == 200
                && line["duration_ms"].is_u64()),
        "{seen:#?}"
    );
}
