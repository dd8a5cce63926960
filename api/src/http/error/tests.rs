use actix_web::body::to_bytes;
use actix_web::http::header::HeaderMap;

use super::*;
use crate::http::health::{Check, Readiness};

async fn body(err: &ApiError) -> (StatusCode, serde_json::Value, HeaderMap) {
    let response = err.error_response();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = to_bytes(response.into_body()).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap(), headers)
}

#[actix_web::test]
async fn problem_bodies() {
    let cases = [
        (
            "member_not_found",
            ApiError::MemberNotFound("nobody".to_owned()),
        ),
        (
            "not_enough_ratings",
            ApiError::NotEnoughRatings {
                member: "newcomer".to_owned(),
                have: 3,
                need: 5,
            },
        ),
        (
            "upload_invalid",
            ApiError::UploadInvalid {
                file: "ratings.csv".to_owned(),
                line: Some(17),
                reason: "`6` is not a rating".to_owned(),
            },
        ),
        ("upstream_blocked", ApiError::UpstreamBlocked),
        (
            "not_ready",
            ApiError::NotReady(Readiness {
                database: Check::Ok,
                migrations: Check::Ok,
                catalog: Check::Failed,
            }),
        ),
    ];
    for (name, err) in cases {
        let (status, problem, response) = body(&err).await;
        assert_eq!(status, err.status_code());
        assert_eq!(problem["code"], err.code().as_str());
        assert_eq!(
            response.get(header::CONTENT_TYPE).unwrap(),
            PROBLEM_CONTENT_TYPE
        );
        insta::assert_json_snapshot!(name, problem);
    }
}

#[actix_web::test]
async fn every_code_has_its_status() {
    use std::time::Duration;
    let cases: Vec<(ApiError, u16, &str)> = vec![
        (ApiError::InvalidMember("x y".into()), 400, "invalid_member"),
        (
            ApiError::MemberNotFound("x".into()),
            404,
            "member_not_found",
        ),
        (ApiError::ProfilePrivate("x".into()), 403, "profile_private"),
        (
            ApiError::NotEnoughRatings {
                member: "x".into(),
                have: 1,
                need: 5,
            },
            422,
            "not_enough_ratings",
        ),
        (ApiError::NoCandidates, 422, "no_candidates"),
        (ApiError::WatchlistEmpty("x".into()), 422, "watchlist_empty"),
        (ApiError::NoOverlap, 422, "no_overlap"),
        (
            ApiError::UploadInvalid {
                file: "a.zip".into(),
                line: None,
                reason: "not a zip".into(),
            },
            422,
            "upload_invalid",
        ),
        (
            ApiError::PayloadTooLarge { limit: 10 },
            413,
            "payload_too_large",
        ),
        (
            ApiError::RateLimited {
                retry_after: Duration::from_secs(3),
            },
            429,
            "rate_limited",
        ),
        (ApiError::UpstreamBlocked, 503, "upstream_blocked"),
        (ApiError::UpstreamUnavailable, 502, "upstream_unavailable"),
        (
            ApiError::upstream_rate_limited(Duration::from_secs(30)),
            503,
            "upstream_rate_limited",
        ),
        (ApiError::Timeout(Duration::from_secs(120)), 504, "timeout"),
        (ApiError::NotFound, 404, "not_found"),
        (ApiError::Unauthorized, 401, "unauthorized"),
        (ApiError::Internal(anyhow::anyhow!("boom")), 500, "internal"),
        (
            ApiError::ProfileNotFound("x".into()),
            404,
            "profile_not_found",
        ),
        (ApiError::CatalogEmpty, 503, "catalog_empty"),
        (
            ApiError::StoreUnavailable(anyhow::anyhow!("boom")),
            503,
            "not_ready",
        ),
    ];
    for (err, status, code) in cases {
        let (actual, problem, _) = body(&err).await;
        assert_eq!(actual.as_u16(), status, "{code}");
        assert_eq!(problem["status"], status, "{code}");
        assert_eq!(problem["code"], code);
        assert_eq!(problem["type"], format!("/problems/{code}"));
    }
}

#[actix_web::test]
async fn internal_errors_keep_their_cause_out_of_the_body() {
    let cause = anyhow::anyhow!("password authentication failed for user \"reel\"")
        .context("SELECT * FROM members");
    let (_, problem, _) = body(&ApiError::Internal(cause)).await;
    let text = problem.to_string();
    assert!(
        !text.contains("password") && !text.contains("SELECT"),
        "{text}"
    );
    insta::assert_json_snapshot!("internal", problem);
}

#[actix_web::test]
async fn rate_limits_say_when_to_retry_and_unauthorized_names_the_scheme() {
    let (_, _, response) = body(&ApiError::RateLimited {
        retry_after: std::time::Duration::from_millis(1500),
    })
    .await;
    assert_eq!(response.get(header::RETRY_AFTER).unwrap(), "2");
    let (status, problem, response) = body(&ApiError::ScrapeQueueFull {
        retry_after: std::time::Duration::from_millis(7200),
    })
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.get(header::RETRY_AFTER).unwrap(), "8");
    assert!(
        problem["detail"].as_str().unwrap().contains("export"),
        "the detail offers the upload: {problem}"
    );
    let (_, _, response) = body(&ApiError::Unauthorized).await;
    assert_eq!(response.get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
    let (_, _, response) = body(&ApiError::CatalogEmpty).await;
    assert_eq!(response.get(header::RETRY_AFTER).unwrap(), "300");
}

#[actix_web::test]
async fn a_failed_database_is_a_503_to_retry_that_keeps_its_cause_out_of_the_body() {
    let cause = anyhow::anyhow!("connection refused to db.internal:5432");
    let (status, problem, response) = body(&ApiError::StoreUnavailable(cause)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.get(header::RETRY_AFTER).unwrap(), "5");
    assert_eq!(problem["code"], "not_ready");
    assert_eq!(problem["checks"]["database"], "failed");
    assert!(!problem.to_string().contains("db.internal"), "{problem}");
}

#[test]
fn json_extractor_errors_become_client_problems() {
    use actix_web::error::JsonPayloadError;
    let limit = 1024;
    let too_large = ApiError::from_json(JsonPayloadError::Overflow { limit }, limit);
    assert_eq!(too_large.code(), ProblemCode::PayloadTooLarge);
    assert_eq!(
        ApiError::from_json(JsonPayloadError::ContentType, limit).code(),
        ProblemCode::UnsupportedMediaType
    );
    let bad = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
    let bad = ApiError::from_json(JsonPayloadError::Deserialize(bad), limit);
    assert_eq!(bad.code(), ProblemCode::InvalidBody);
    assert!(bad.to_string().contains("EOF"), "{bad}");
}

/// One error of each kind. The match has no catch-all, so a new variant does not compile until
/// it is listed here too, and so reaches the test below.
fn one_of_each() -> Vec<ApiError> {
    use std::time::Duration;
    let all = vec![
        ApiError::InvalidMember("x y".into()),
        ApiError::MemberNotFound("x".into()),
        ApiError::ProfilePrivate("x".into()),
        ApiError::NotEnoughRatings {
            member: "x".into(),
            have: 1,
            need: 5,
        },
        ApiError::NoCandidates,
        ApiError::WatchlistEmpty("x".into()),
        ApiError::NoOverlap,
        ApiError::UploadInvalid {
            file: "a.zip".into(),
            line: None,
            reason: "not a zip".into(),
        },
        ApiError::PayloadTooLarge { limit: 10 },
        ApiError::InvalidBody("x".into()),
        ApiError::InvalidQuery("x".into()),
        ApiError::UnsupportedMediaType,
        ApiError::UploadTooLarge("the export's entries inflate past 64 MiB".into()),
        ApiError::RateLimited {
            retry_after: Duration::from_secs(3),
        },
        ApiError::UpstreamBlocked,
        ApiError::ScrapeQueueFull {
            retry_after: Duration::from_secs(8),
        },
        ApiError::UpstreamUnavailable,
        ApiError::upstream_rate_limited(Duration::from_secs(30)),
        ApiError::HeadersTooLarge { limit: 32 },
        ApiError::Timeout(Duration::from_secs(120)),
        ApiError::NotFound,
        ApiError::Unauthorized,
        ApiError::OriginNotAllowed("https://elsewhere.example.com".into()),
        ApiError::NotReady(Readiness {
            database: Check::Ok,
            migrations: Check::Ok,
            catalog: Check::Failed,
        }),
        ApiError::Internal(anyhow::anyhow!("boom")),
        ApiError::ProfileNotFound("x".into()),
        ApiError::ListNotFound {
            profile: "x".into(),
            name: "y".into(),
            lists: vec!["z".into()],
        },
        ApiError::StoreUnavailable(anyhow::anyhow!("boom")),
        ApiError::CatalogEmpty,
        ApiError::ModelNotLoaded,
    ];
    for err in &all {
        match err {
            ApiError::InvalidMember(_)
            | ApiError::MemberNotFound(_)
            | ApiError::ProfileNotFound(_)
            | ApiError::ListNotFound { .. }
            | ApiError::ProfilePrivate(_)
            | ApiError::NotEnoughRatings { .. }
            | ApiError::NoCandidates
            | ApiError::WatchlistEmpty(_)
            | ApiError::NoOverlap
            | ApiError::UploadInvalid { .. }
            | ApiError::PayloadTooLarge { .. }
            | ApiError::UploadTooLarge(_)
            | ApiError::InvalidBody(_)
            | ApiError::InvalidQuery(_)
            | ApiError::UnsupportedMediaType
            | ApiError::RateLimited { .. }
            | ApiError::UpstreamBlocked
            | ApiError::ScrapeQueueFull { .. }
            | ApiError::UpstreamUnavailable
            | ApiError::UpstreamRateLimited { .. }
            | ApiError::HeadersTooLarge { .. }
            | ApiError::Timeout(_)
            | ApiError::NotFound
            | ApiError::Unauthorized
            | ApiError::OriginNotAllowed(_)
            | ApiError::NotReady(_)
            | ApiError::StoreUnavailable(_)
            | ApiError::CatalogEmpty
            | ApiError::ModelNotLoaded
            | ApiError::Internal(_) => {}
        }
    }
    all
}

#[test]
fn the_spec_lists_exactly_the_codes_the_server_can_send() {
    use std::collections::BTreeSet;
    let mut sent: BTreeSet<&str> = one_of_each().iter().map(|e| e.code().as_str()).collect();
    // What the framework answers on its own (a wrong method, a long URI...) goes through
    // `Problem::from_status`.
    for status in 400..=599 {
        let status = StatusCode::from_u16(status).unwrap();
        sent.insert(Problem::from_status(status, None).code.as_str());
    }
    // The committed spec (another test keeps it equal to what the router generates).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let document: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let spec: BTreeSet<&str> = document["components"]["schemas"]["ProblemCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code.as_str().unwrap())
        .collect();
    assert_eq!(sent, spec);
    let listed: BTreeSet<&str> = ProblemCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, spec);
}

/// The page of each code (`/problems/{code}`) states its status: it is the status every error
/// with that code is sent with.
#[test]
fn every_error_has_its_codes_documented_status() {
    for err in one_of_each() {
        assert_eq!(err.status_code().as_u16(), err.code().status(), "{err:?}");
    }
    for status in 400..=599 {
        let problem = Problem::from_status(StatusCode::from_u16(status).unwrap(), None);
        // The two catch-alls name any status of their class.
        if ![ProblemCode::BadRequest, ProblemCode::Internal].contains(&problem.code) {
            assert_eq!(problem.status, problem.code.status(), "{status}");
        }
    }
}

#[actix_web::test]
async fn letterboxds_wait_is_passed_on_within_bounds() {
    for (asked, expected) in [(0, "1"), (30, "30"), (3_600, "300")] {
        let err = ApiError::upstream_rate_limited(Duration::from_secs(asked));
        let (status, problem, response) = body(&err).await;
        assert_eq!(status.as_u16(), 503);
        assert_eq!(problem["code"], "upstream_rate_limited");
        assert_eq!(
            response.get("retry-after").unwrap(),
            expected,
            "asked {asked} s"
        );
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("{expected} s"))
        );
    }
}
