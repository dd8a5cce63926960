//! Rate limits shared by replicas through Redis, the process limiter when Redis is away, and the
//! `RateLimit` / `RateLimit-Policy` headers that tell a client where it stands.

use reel::limits::Limit;

use crate::support::redis::free_port;
use crate::support::{Options, TestApp, json, problem};

const CHARGED: &str = "/statistics?member=alice";

/// Both replicas of one deployment: the same Redis, the same key prefix.
async fn replicas(limits: Vec<Limit>) -> (TestApp, TestApp) {
    let prefix = format!("reel-test:{}:", uuid::Uuid::new_v4());
    let options = || Options {
        rate_limits: limits.clone(),
        redis_prefix: Some(prefix.clone()),
        ..Options::default()
    };
    (
        TestApp::spawn_with(options()).await,
        TestApp::spawn_with(options()).await,
    )
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_owned()
}

/// A parameter of the one item of a `RateLimit` field: `"min";r=7;t=42` -> `r` is 7.
fn param(field: &str, name: &str) -> u64 {
    field
        .split(';')
        .find_map(|part| part.trim().strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {field}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn replicas_sharing_redis_share_one_budget() {
    let (one, two) = replicas(vec![Limit::per_minute(10)]).await;
    let mut remaining = Vec::new();
    for i in 0..10 {
        let app = if i % 2 == 0 { &one } else { &two };
        let response = app.get(CHARGED).await;
        assert_eq!(header(&response, "ratelimit-policy"), r#""min";q=10;w=60"#);
        let current = header(&response, "ratelimit");
        assert!(current.starts_with(r#""min";"#), "{current}");
        remaining.push(param(&current, "r"));
        json(response, 200).await;
    }
    // Each replica saw the other's requests: one budget of ten, counted down to zero.
    assert_eq!(remaining, (0..10).rev().collect::<Vec<u64>>());
    for app in [&one, &two] {
        let limited = app.get(CHARGED).await;
        let current = header(&limited, "ratelimit");
        assert_eq!(param(&current, "r"), 0, "{current}");
        let retry_after: u64 = header(&limited, "retry-after").parse().unwrap();
        // The whole minute comes back at `t`; one more request fits 54 s (nine intervals of
        // 6 s) before that.
        assert_eq!(retry_after, param(&current, "t") - 54, "{current}");
        assert!((1..=6).contains(&retry_after), "{retry_after}");
        assert_eq!(header(&limited, "ratelimit-policy"), r#""min";q=10;w=60"#);
        problem(limited, 429, "rate_limited").await;
    }
    one.stop().await;
    two.stop().await;
}

#[tokio::test]
async fn the_binding_policy_is_the_one_closest_to_exhaustion() {
    let (one, two) = replicas(vec![Limit::per_minute(3), Limit::per_hour(4)]).await;
    let policy = r#""min";q=3;w=60, "h";q=4;w=3600"#;
    let first = one.get(CHARGED).await;
    assert_eq!(header(&first, "ratelimit-policy"), policy);
    // 2 left this minute, 3 this hour: the minute binds.
    assert_eq!(param(&header(&first, "ratelimit"), "r"), 2);
    assert!(header(&first, "ratelimit").starts_with(r#""min";"#));
    json(first, 200).await;
    json(two.get(CHARGED).await, 200).await;
    let third = one.get(CHARGED).await;
    let current = header(&third, "ratelimit");
    assert!(current.starts_with(r#""min";r=0;"#), "{current}");
    json(third, 200).await;
    one.stop().await;
    two.stop().await;
}

#[tokio::test]
async fn without_redis_each_process_still_limits_and_counts_the_fallback() {
    // Nothing listens there: every charge is refused at once.
    limits_without_redis(format!("redis://127.0.0.1:{}", free_port())).await;
}

#[tokio::test]
async fn a_redis_that_never_answers_is_waited_on_briefly_then_done_without() {
    // Connections are accepted (by the kernel, into the backlog) but nothing ever answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    limits_without_redis(format!("redis://127.0.0.1:{port}")).await;
    drop(silent);
}

/// Two requests of a 2/min limit pass, the third is 429, with the headers, and every charge was
/// counted as a fallback.
async fn limits_without_redis(redis_url: String) {
    let app = TestApp::spawn_with(Options {
        rate_limits: vec![Limit::per_minute(2)],
        redis_url,
        ..Options::default()
    })
    .await;
    let before = fallbacks(&app).await;
    for left in [1, 0] {
        let response = app.get(CHARGED).await;
        assert_eq!(param(&header(&response, "ratelimit"), "r"), left);
        json(response, 200).await;
    }
    let limited = app.get(CHARGED).await;
    assert!(limited.headers().contains_key("retry-after"));
    problem(limited, 429, "rate_limited").await;
    // Other tests may fall back at the same time (the counter is the process's): at least ours.
    assert!(fallbacks(&app).await >= before + 3.0);
    app.stop().await;
}

async fn fallbacks(app: &TestApp) -> f64 {
    let metrics = app.get("/metrics").await.text().await.unwrap();
    metrics
        .lines()
        .find_map(|line| line.strip_prefix("reel_rate_limit_fallbacks_total "))
        .unwrap_or_else(|| panic!("no fallback counter in {metrics}"))
        .parse()
        .unwrap()
}
