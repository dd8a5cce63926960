//! The `reel serve` binary end to end: configuration errors stop it with one line; with a valid
//! configuration it migrates, loads the catalog, serves, and stops gracefully on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufStream};
use tokio::net::TcpStream;

use crate::support::TestDatabase;
use crate::support::process::{reel, spawn_logged, wait_for_line};

/// `reel serve` with a clean environment: only what the test sets.
fn reel_serve() -> Command {
    reel("serve")
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

/// One HTTP/1.1 response read off a kept-alive connection: status, headers (lower-cased names)
/// and body, read to its `Content-Length`.
async fn read_response(
    connection: &mut BufStream<TcpStream>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut status_line = String::new();
    connection.read_line(&mut status_line).await.unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        connection.read_line(&mut line).await.unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map(|(_, value)| value.parse().unwrap())
        .expect("a Content-Length");
    let mut body = vec![0; length];
    connection.read_exact(&mut body).await.unwrap();
    (status, headers, body)
}

async fn send_get(connection: &mut BufStream<TcpStream>, path: &str) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: reel\r\n\r\n");
    connection.write_all(request.as_bytes()).await.unwrap();
    connection.flush().await.unwrap();
}

fn closes(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .any(|(name, value)| name == "connection" && value.eq_ignore_ascii_case("close"))
}

/// The connection is closed: nothing more arrives on it.
async fn at_eof(connection: &mut BufStream<TcpStream>) -> bool {
    let mut rest = Vec::new();
    connection.read_to_end(&mut rest).await.unwrap() == 0
}

#[tokio::test]
async fn draining_finishes_requests_in_flight_and_closes_kept_alive_connections() {
    use letterboxd_sim::{FaultPlan, Faults, Knobs, SimServer, SyntheticSpec, World};
    use std::sync::Arc;

    // A slow Letterboxd: a member's statistics take a few of its pages, seconds each.
    let world = Arc::new(World::synthetic(SyntheticSpec {
        films: 60,
        members: 2,
        seed: 19,
    }));
    let faults = Faults::new(FaultPlan {
        all: Knobs {
            latency_ms: 1_500,
            ..Knobs::default()
        },
        ..FaultPlan::default()
    });
    let (sim_addr, sim) = SimServer::start(Arc::clone(&world), faults.clone())
        .await
        .unwrap();
    let database = TestDatabase::new().await;
    let films: Vec<model::Film> = world.films().map(|film| film.into_owned()).collect();
    let store = database.store();
    store
        .upsert_films(&films, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    store.bump_catalog_version().await.unwrap();

    let mut command = reel_serve();
    command
        .env("DATABASE_URL", database.database_url())
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("LETTERBOXD_BASE_URL", format!("http://{sim_addr}"));
    let (mut child, lines) = spawn_logged(command);
    let address = wait_for_line(&lines, "listening")["address"]
        .as_str()
        .unwrap()
        .to_owned();
    let connect = || async { BufStream::new(TcpStream::connect(&address).await.unwrap()) };
    let (mut slow, mut idle) = (connect().await, connect().await);
    for connection in [&mut slow, &mut idle] {
        send_get(connection, "/health/live").await;
        let (status, headers, _) = read_response(connection).await;
        assert_eq!(status, 200);
        assert!(!closes(&headers), "kept alive before draining: {headers:?}");
    }

    let member = world.member_at(0).unwrap();
    send_get(&mut slow, &format!("/statistics?member={member}")).await;
    // In flight once the service has asked Letterboxd for the member's first page.
    while faults.total_requests() == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let lines = tokio::task::spawn_blocking(move || {
        wait_for_line(
            &lines,
            "SIGTERM: finishing in-flight requests, then stopping",
        );
        lines
    })
    .await
    .unwrap();

    // A request sent on a kept-alive connection after draining began is answered, and told the
    // connection ends.
    send_get(&mut idle, "/health/live").await;
    let (status, headers, _) = read_response(&mut idle).await;
    assert_eq!(status, 200);
    assert!(closes(&headers), "{headers:?}");
    assert!(at_eof(&mut idle).await);

    // The request in flight at SIGTERM completes, whole, and closes its connection.
    let (status, headers, body) = read_response(&mut slow).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(closes(&headers), "{headers:?}");
    let statistics: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(statistics["member"]["member"], member.as_str());
    assert!(at_eof(&mut slow).await);

    let exit = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    drop(lines);
    sim.stop().await;
}
