//! What every route gets from the skeleton, checked over HTTP on the real server: JSON 404s,
//! request ids, CORS, body limits.

use crate::support::{ALLOWED_ORIGIN, BODY_LIMIT, Options, TestApp, problem};

#[tokio::test]
async fn unknown_routes_get_a_json_problem() {
    let app = TestApp::skeleton().await;
    let response = app.get("/no/such/route").await;
    let body = problem(response, 404, "not_found").await;
    assert_eq!(
        body,
        serde_json::json!({
            "type": "/problems/not_found",
            "title": "Not found",
            "status": 404,
            "detail": "there is nothing at this address",
            "code": "not_found",
        })
    );
}

#[tokio::test]
async fn a_wrong_method_is_a_problem_too() {
    let app = TestApp::skeleton().await;
    let response = app
        .client
        .delete(app.url("/health/live"))
        .send()
        .await
        .unwrap();
    problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let app = TestApp::skeleton().await;
    let response = app
        .client
        .get(app.url("/health/live"))
        .header("x-request-id", "trace-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-7f3a");

    let first = app.get("/no/such/route").await;
    let second = app.get("/health/live").await;
    let ids: Vec<String> = [first, second]
        .iter()
        .map(|response| {
            response.headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for id in &ids {
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    }
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn cors_preflight_is_honoured_for_the_configured_origin_only() {
    let app = TestApp::skeleton().await;
    let preflight = |origin: &str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/health/ready"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "x-request-id")
            .send()
    };
    let allowed = preflight(ALLOWED_ORIGIN).await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        ALLOWED_ORIGIN
    );
    let methods = allowed.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        methods.contains("GET") && methods.contains("POST"),
        "{methods}"
    );

    let refused = preflight("https://elsewhere.example.com").await.unwrap();
    assert!(
        !refused
            .headers()
            .contains_key("access-control-allow-origin")
    );
    let body = problem(refused, 403, "origin_not_allowed").await;
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("https://elsewhere.example.com") && detail.contains("CORS_ALLOWED_ORIGINS"),
        "{detail}"
    );

    // A simple request from the allowed origin can read the response and its request id.
    let response = app
        .client
        .get(app.url("/health/live"))
        .header("origin", ALLOWED_ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["access-control-allow-origin"],
        ALLOWED_ORIGIN
    );
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in [
        "x-request-id",
        "ratelimit",
        "ratelimit-policy",
        "retry-after",
    ] {
        assert!(
            exposed.split(", ").any(|item| item == name),
            "{name}: {exposed}"
        );
    }
    // Same-origin requests carry Origin too (a POST from a page the API serves): never refused.
    let same = app
        .client
        .get(app.url("/health/live"))
        .header("origin", app.address.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
}

/// `npm run dev` on localhost against a server on 127.0.0.1 works without configuring CORS;
/// an origin that is still refused is told which setting lets it in.
#[tokio::test]
async fn on_loopback_without_the_setting_local_origins_are_allowed() {
    let app = TestApp::spawn_with(Options {
        allowed_origins: None,
        ..Options::skeleton()
    })
    .await;
    let preflight = |origin: &str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/health/ready"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    for origin in [
        "http://localhost:5173",
        "http://127.0.0.1:3000",
        "http://[::1]:8080",
    ] {
        let allowed = preflight(origin).await.unwrap();
        assert_eq!(allowed.status(), 200, "{origin}");
        assert_eq!(allowed.headers()["access-control-allow-origin"], origin);
    }
    for foreign in [
        "https://elsewhere.example.com",
        "http://localhost.example.com:5173",
    ] {
        let refused = preflight(foreign).await.unwrap();
        let body = problem(refused, 403, "origin_not_allowed").await;
        let detail = body["detail"].as_str().unwrap();
        assert!(
            detail.contains(foreign) && detail.contains("CORS_ALLOWED_ORIGINS"),
            "{detail}"
        );
    }
    // A request the browser sends without a preflight is refused the same way.
    let simple = app
        .client
        .get(app.url("/health/live"))
        .header("origin", "https://elsewhere.example.com")
        .send()
        .await
        .unwrap();
    problem(simple, 403, "origin_not_allowed").await;
    app.stop().await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let app = TestApp::skeleton().await;
    let body = format!("{{\"members\": [\"{}\"]}}", "a".repeat(BODY_LIMIT));
    let response = app
        .client
        .post(app.url("/health/live"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let body = problem(response, 413, "payload_too_large").await;
    assert_eq!(
        body["detail"],
        format!("the request body is larger than the limit of {BODY_LIMIT} bytes")
    );
}

#[tokio::test]
async fn oversized_headers_get_a_431_problem_naming_the_request() {
    let app = TestApp::skeleton().await;
    // Over the service's limit (32 KiB) and under actix's own (128 KiB), whose 431 has no body.
    let big = "a".repeat(40 * 1024);
    let response = app
        .client
        .get(app.url("/health/live"))
        .header("x-big", &big)
        .header("x-request-id", "big-headers-1")
        .send()
        .await
        .unwrap();
    let body = problem(response, 431, "headers_too_large").await;
    assert!(
        body["detail"].as_str().unwrap().contains("32768 bytes"),
        "{body}"
    );
    // The same headers in many small fields.
    let mut request = app.client.get(app.url("/health/live"));
    for at in 0..40 {
        request = request.header(format!("x-part-{at}"), "b".repeat(1024));
    }
    problem(request.send().await.unwrap(), 431, "headers_too_large").await;
    // Under the limit, headers are fine.
    let response = app
        .client
        .get(app.url("/health/live"))
        .header("x-big", "a".repeat(16 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
