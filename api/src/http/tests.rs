//! The middleware stack on an in-process app with routes made for the purpose (a slow one, one
//! that logs, one that reads JSON); the real routes are tested over HTTP in
//! `tests/integration/http/`.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use actix_web::{HttpResponse, web};

use super::*;
use crate::config::LogConfig;
use crate::config::LogFormat;
use crate::telemetry;

fn settings() -> HttpSettings {
    HttpSettings {
        bind_addr: "127.0.0.1:0".parse().unwrap(),
        allowed_origins: Some(AllowedOrigins::Only(vec![
            "https://app.example.com".to_owned(),
        ])),
        request_timeout: Duration::from_millis(50),
        body_limit: 64,
        workers: Some(1),
    }
}

async fn slow() -> HttpResponse {
    tokio::time::sleep(Duration::from_secs(3600)).await;
    HttpResponse::Ok().finish()
}

async fn chatty() -> HttpResponse {
    tracing::info!("inside the handler");
    HttpResponse::Ok().finish()
}

async fn echo(body: web::Json<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().json(body.into_inner())
}

fn test_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/slow").route(web::get().to(slow)))
        .service(web::resource("/chatty").route(web::get().to(chatty)))
        .service(web::resource("/echo").route(web::post().to(echo)));
}

/// The problem body, checked to carry the request id the response's header gives.
async fn problem(
    response: actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
) -> Problem {
    assert_eq!(
        response.headers().get(header::CONTENT_TYPE).unwrap(),
        error::PROBLEM_CONTENT_TYPE
    );
    let id = response.headers().get(&REQUEST_ID).unwrap().to_owned();
    let body: Problem = test::read_body_json(response).await;
    assert_eq!(body.request_id.as_deref(), Some(id.to_str().unwrap()));
    body
}

#[actix_web::test]
async fn a_request_past_its_deadline_gets_a_504_problem() {
    let app = test::init_service(app(settings(), test_routes)).await;
    let request = TestRequest::get()
        .uri("/slow")
        .insert_header((header::ORIGIN, "https://app.example.com"))
        .to_request();
    // The handler was dropped with its request, so the 504 leaves the app as an error that the
    // server renders: render it the same way.
    let Err(err) = test::try_call_service(&app, request).await else {
        panic!("answered before its deadline");
    };
    let response = err.error_response();
    assert_eq!(response.status(), StatusCode::GATEWAY_TIMEOUT);
    let id = response.headers().get(&REQUEST_ID).unwrap().to_owned();
    assert_eq!(
        response
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap(),
        "https://app.example.com"
    );
    assert_eq!(
        response.headers().get(header::CONTENT_TYPE).unwrap(),
        error::PROBLEM_CONTENT_TYPE
    );
    let body = actix_web::body::to_bytes(response.into_body())
        .await
        .unwrap();
    let body: Problem = serde_json::from_slice(&body).unwrap();
    assert_eq!(body.code, ProblemCode::Timeout);
    assert_eq!(body.request_id.as_deref(), Some(id.to_str().unwrap()));
}

#[actix_web::test]
async fn a_problem_names_the_request_id_the_client_chose() {
    let app = test::init_service(app(settings(), test_routes)).await;
    let request = TestRequest::post()
        .uri("/slow")
        .insert_header((REQUEST_ID, "support-ticket-42"))
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body = problem(response).await;
    assert_eq!(body.request_id.as_deref(), Some("support-ticket-42"));
    // Successful bodies are left alone.
    let response = test::call_service(&app, TestRequest::get().uri("/chatty").to_request()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(test::read_body(response).await.is_empty());
}

#[actix_web::test]
async fn framework_errors_are_problems_too() {
    let app = test::init_service(app(settings(), test_routes)).await;

    let response = test::call_service(&app, TestRequest::post().uri("/slow").to_request()).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(problem(response).await.code, ProblemCode::MethodNotAllowed);

    let request = TestRequest::post()
        .uri("/echo")
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload("{\"members\": [")
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = problem(response).await;
    assert_eq!(body.code, ProblemCode::InvalidBody);
    assert!(body.detail.contains("EOF"), "{}", body.detail);

    let request = TestRequest::post()
        .uri("/echo")
        .insert_header((header::CONTENT_TYPE, "text/plain"))
        .set_payload("{}")
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        problem(response).await.code,
        ProblemCode::UnsupportedMediaType
    );
}

#[actix_web::test]
async fn bodies_over_the_limit_are_refused_whether_declared_or_streamed() {
    let app = test::init_service(app(settings(), test_routes)).await;
    let big = format!("{{\"padding\": \"{}\"}}", "x".repeat(100));

    // Content-Length over the limit: refused before any handler reads it.
    let request = TestRequest::post()
        .uri("/echo")
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload(big.clone())
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = problem(response).await;
    assert_eq!(body.code, ProblemCode::PayloadTooLarge);
    assert!(body.detail.contains("64 bytes"), "{}", body.detail);

    // No Content-Length (chunked): the JSON extractor's limit stops it.
    let mut request = TestRequest::post()
        .uri("/echo")
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload(big)
        .to_request();
    request.headers_mut().remove(header::CONTENT_LENGTH);
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(problem(response).await.code, ProblemCode::PayloadTooLarge);
}

/// Every log line of this test binary. One global subscriber: a per-thread one misses events
/// whose callsites another test thread registered first.
fn captured_logs() -> &'static Mutex<Vec<u8>> {
    static LOGS: OnceLock<&'static Mutex<Vec<u8>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs: &'static Mutex<Vec<u8>> = Box::leak(Box::default());
        let config = LogConfig {
            format: LogFormat::Json,
            filter: "info".to_owned(),
        };
        let subscriber = telemetry::subscriber(&config, move || Captured(logs));
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
}

struct Captured(&'static Mutex<Vec<u8>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[actix_web::test]
async fn every_log_line_of_a_request_carries_its_id() {
    let logs = captured_logs();
    let app = test::init_service(app(settings(), test_routes)).await;

    let chosen = format!("client-chosen-{}", uuid::Uuid::new_v4().simple());
    let request = TestRequest::get()
        .uri("/chatty")
        .insert_header((REQUEST_ID, chosen.as_str()))
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(
        response.headers().get(&REQUEST_ID).unwrap(),
        chosen.as_str()
    );

    // An id that could forge log lines is replaced by a fresh one.
    let request = TestRequest::get()
        .uri("/chatty")
        .insert_header((REQUEST_ID, "evil\" injected=1"))
        .to_request();
    let response = test::call_service(&app, request).await;
    let generated = response
        .headers()
        .get(&REQUEST_ID)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(uuid::Uuid::parse_str(generated).is_ok(), "{generated}");

    let output = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    for id in [chosen.as_str(), generated] {
        // Lines that mention the id anywhere must carry it as the span's request id.
        let lines: Vec<serde_json::Value> = output
            .lines()
            .filter(|line| line.contains(id))
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{output}");
        for line in &lines {
            assert_eq!(line["span"]["request_id"], id, "{line}");
        }
        assert_eq!(lines[0]["message"], "inside the handler");
        assert_eq!(lines[1]["route"], "/chatty");
        assert_eq!(lines[1]["status"], 200);
    }
    assert!(!output.contains("injected"), "{output}");
}

#[actix_web::test]
async fn cors_preflight_is_answered_for_configured_origins_only() {
    let app = test::init_service(app(settings(), test_routes)).await;
    let preflight = |origin: &'static str| {
        TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/echo")
            .insert_header((header::ORIGIN, origin))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "POST"))
            .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
            .to_request()
    };
    let allowed = test::call_service(&app, preflight("https://app.example.com")).await;
    assert!(allowed.status().is_success());
    assert_eq!(
        allowed
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap(),
        "https://app.example.com"
    );
    let refused = test::call_service(&app, preflight("https://evil.example.com")).await;
    assert!(refused.status().is_client_error());
    assert!(
        !refused
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
    );
}
