//! Issue 19 over HTTP: uploads that amplify, part floods, rate-limit evasions, metric label
//! cardinality, and the small protocol points (a lower-case `bearer`, a long member echoed).

use std::io::Write;

use crate::support::{ADMIN_TOKEN, Options, TestApp, json, problem};
use reel::limits::Limit;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::multipart::{Form, Part};
use serde_json::json;

const RATINGS_HEADER: &str = "Date,Name,Year,Letterboxd URI,Rating\n";

fn unknown_films(rows: usize) -> String {
    let mut csv = String::from(RATINGS_HEADER);
    for at in 0..rows {
        csv.push_str(&format!(
            "2025-01-01,Unheard Of {at},1901,https://boxd.it/q{at},3\n"
        ));
    }
    csv
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in files {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(body).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

async fn upload(app: &TestApp, form: Form) -> reqwest::Response {
    app.client
        .post(app.url("/profiles"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn file(name: &str, bytes: Vec<u8>) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()))
}

#[tokio::test]
async fn an_archive_of_one_file_many_times_over_is_refused() {
    let app = TestApp::spawn().await;
    // The shape of the 765 KB archive of issue 19, scaled down: the same `ratings.csv` in many
    // folders, each read and concatenated before.
    let ratings = unknown_films(50).into_bytes();
    let files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|at| (format!("copy{at}/ratings.csv"), ratings.clone()))
        .collect();
    let refused = problem(
        upload(&app, file("export.zip", zip_of(&files))).await,
        422,
        "upload_invalid",
    )
    .await;
    let detail = refused["detail"].as_str().unwrap();
    assert!(
        detail.contains("`ratings.csv` twice") && detail.contains("copy1/ratings.csv"),
        "{detail}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_ratings_csv_with_no_rows_is_refused_not_an_empty_profile() {
    let app = TestApp::spawn().await;
    let refused = problem(
        upload(
            &app,
            file("ratings.csv", RATINGS_HEADER.as_bytes().to_vec()),
        )
        .await,
        422,
        "upload_invalid",
    )
    .await;
    let detail = refused["detail"].as_str().unwrap();
    assert!(
        detail.contains("ratings.csv") && detail.contains("no rows"),
        "{detail}"
    );
    app.stop().await;
}

#[tokio::test]
async fn unmatched_rows_are_listed_up_to_a_cap_and_counted_in_full() {
    let app = TestApp::spawn().await;
    let created = json(
        upload(&app, file("ratings.csv", unknown_films(620).into_bytes())).await,
        201,
    )
    .await;
    assert_eq!(created["counts"]["unmatched_rows"], 620);
    assert_eq!(created["unmatched"].as_array().unwrap().len(), 500);
    assert_eq!(created["unmatched_omitted"], 120);
    assert_eq!(created["unmatched"][0]["name"], "Unheard Of 0");
    app.stop().await;
}

/// A multipart body of `parts` empty `file` parts, written by hand.
fn empty_parts(parts: usize) -> String {
    let mut body = String::new();
    for at in 0..parts {
        body.push_str(&format!(
            "--B0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{at}.csv\"\r\n\r\n\r\n"
        ));
    }
    body.push_str("--B0undary--\r\n");
    body
}

#[tokio::test]
async fn a_flood_of_empty_parts_is_refused_naming_the_part_limit() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/profiles"))
        .header("content-type", "multipart/form-data; boundary=B0undary")
        .body(empty_parts(300))
        .send()
        .await
        .unwrap();
    let refused = problem(response, 413, "payload_too_large").await;
    let detail = refused["detail"].as_str().unwrap();
    assert!(detail.contains("256 parts"), "{detail}");
    app.stop().await;
}

#[tokio::test]
async fn a_field_other_than_file_is_refused() {
    let app = TestApp::spawn().await;
    let form = file("ratings.csv", unknown_films(3).into_bytes()).text("comment", "hello");
    let refused = problem(upload(&app, form).await, 422, "upload_invalid").await;
    let detail = refused["detail"].as_str().unwrap();
    assert!(detail.contains("`comment`"), "{detail}");
    app.stop().await;
}

/// `POST /profiles` with these `X-Forwarded-For` lines, from 127.0.0.1 (a trusted proxy in
/// tests): the limit is charged before the body is read, so an empty body is enough.
async fn charged(app: &TestApp, forwarded: &[&str]) -> u16 {
    let mut headers = HeaderMap::new();
    for line in forwarded {
        headers.append(
            HeaderName::from_static("x-forwarded-for"),
            HeaderValue::from_str(line).unwrap(),
        );
    }
    app.client
        .post(app.url("/profiles"))
        .headers(headers)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn limited_app() -> TestApp {
    TestApp::spawn_with(Options {
        rate_limits: vec![Limit::per_minute(2)],
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn a_client_line_above_the_proxy_line_does_not_pick_its_bucket() {
    let app = limited_app().await;
    // The client writes a new first line each time; the proxy appends the address it saw.
    let mut statuses = Vec::new();
    for at in 0..3 {
        let forged = format!("198.51.100.{at}");
        statuses.push(charged(&app, &[&forged, "203.0.113.9"]).await);
    }
    assert_eq!(statuses[2], 429, "{statuses:?}");
    app.stop().await;
}

#[tokio::test]
async fn rotating_addresses_inside_one_ipv6_64_shares_one_bucket() {
    let app = limited_app().await;
    let mut statuses = Vec::new();
    for at in 1..=3 {
        let address = format!("2001:db8:7:7::{at:x}");
        statuses.push(charged(&app, &[&address]).await);
    }
    assert_eq!(statuses[2], 429, "{statuses:?}");
    // Another /64 is another client.
    assert_ne!(charged(&app, &["2001:db8:7:8::1"]).await, 429);
    app.stop().await;
}

#[tokio::test]
async fn an_entry_with_a_port_is_its_client_not_the_proxy() {
    let app = limited_app().await;
    for _ in 0..2 {
        assert_ne!(charged(&app, &["203.0.113.20:41000"]).await, 429);
    }
    assert_eq!(charged(&app, &["203.0.113.20:41001"]).await, 429);
    // Before, both were charged to the proxy and the second client was refused for the first.
    assert_ne!(charged(&app, &["[2001:db8::21]:443"]).await, 429);
    app.stop().await;
}

#[tokio::test]
async fn unknown_methods_share_one_metrics_label() {
    let app = TestApp::spawn().await;
    let method = reqwest::Method::from_bytes(b"FOO19").unwrap();
    let response = app
        .client
        .request(method, app.url("/health/live"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error(), "{}", response.status());
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(!metrics.contains("FOO19"), "the raw method became a label");
    assert!(metrics.contains("method=\"OTHER\""), "{metrics}");
    app.stop().await;
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/admin/catalog/reload"))
        .header("authorization", format!("bearer {ADMIN_TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    app.stop().await;
}

/// `POST /admin/catalog/reload` with `token`, from the client `client` behind the trusted proxy.
async fn admin_attempt(app: &TestApp, client: &str, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/admin/catalog/reload"))
        .header("x-forwarded-for", client)
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_client_that_keeps_failing_the_admin_token_is_locked_out_right_token_or_not() {
    let app = TestApp::spawn().await;
    let guesser = "198.51.100.7";
    for _ in 0..reel::limits::ADMIN_FAILURES_PER_MINUTE {
        problem(
            admin_attempt(&app, guesser, "a-wrong-guess").await,
            401,
            "unauthorized",
        )
        .await;
    }
    for token in ["a-wrong-guess", ADMIN_TOKEN] {
        let locked = admin_attempt(&app, guesser, token).await;
        let wait: u64 = locked.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "Retry-After: {wait}");
        problem(locked, 429, "rate_limited").await;
    }
    // Another client is not locked out by the guesser.
    json(admin_attempt(&app, "198.51.100.8", ADMIN_TOKEN).await, 200).await;
    app.stop().await;
}

#[tokio::test]
async fn a_long_invalid_member_is_not_echoed_whole() {
    let app = TestApp::spawn().await;
    let member = format!("not a name {}", "x".repeat(100_000));
    let refused = problem(
        app.recommend(json!({ "members": [member] })).await,
        400,
        "invalid_member",
    )
    .await;
    let detail = refused["detail"].as_str().unwrap();
    assert!(detail.len() < 300, "{} bytes", detail.len());
    assert!(detail.contains("not a name xxx"), "{detail}");
    app.stop().await;
}
