//! An example for every operation's request body and success response, attached to the document
//! by operation id. Each is a real answer of the server (the simulated Letterboxd over the shared
//! dataset: its members and films), its lists cut to two items, kept as a file beside this one so
//! the handlers' attributes stay readable. `tests::every_operation_has_its_examples` fails when
//! an operation lacks one; Schemathesis sends the request examples in CI, and
//! `frontend-contract/schemathesis/check_examples.py` validates every example against its schema.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{Content, RefOr};

/// Where an example goes: the request body, or the response with this status.
#[derive(Clone, Copy)]
enum Place {
    Request,
    Response(&'static str),
}

use Place::{Request, Response};

const JSON: &str = "application/json";
const CSV: &str = "text/csv";

/// The CSV a Letterboxd importer reads, as the CSV operations answer it.
const FILMS_CSV: &str = "LetterboxdURI,tmdbID,imdbID,Title,Year\n\
                         https://letterboxd.com/film/nobody-knows/,,,Nobody Knows,2004\n\
                         https://letterboxd.com/film/scarface-1983/,,,Scarface,1983\n";

/// Operation id, place, media type, and the example (JSON text for JSON media types, the body
/// itself for the others).
const EXAMPLES: &[(&str, Place, &str, &str)] = &[
    (
        "create_recommendations",
        Request,
        JSON,
        include_str!("examples/create_recommendations.request.json"),
    ),
    (
        "create_recommendations",
        Response("200"),
        JSON,
        include_str!("examples/create_recommendations.200.json"),
    ),
    ("create_recommendations", Response("200"), CSV, FILMS_CSV),
    (
        "create_compatibility",
        Request,
        JSON,
        include_str!("examples/create_compatibility.request.json"),
    ),
    (
        "create_compatibility",
        Response("200"),
        JSON,
        include_str!("examples/create_compatibility.200.json"),
    ),
    (
        "create_predictions",
        Request,
        JSON,
        include_str!("examples/create_predictions.request.json"),
    ),
    (
        "create_predictions",
        Response("200"),
        JSON,
        include_str!("examples/create_predictions.200.json"),
    ),
    ("create_predictions", Response("200"), CSV, FILMS_CSV),
    (
        "create_watchlist_picks",
        Request,
        JSON,
        include_str!("examples/create_watchlist_picks.request.json"),
    ),
    (
        "create_watchlist_picks",
        Response("200"),
        JSON,
        include_str!("examples/create_watchlist_picks.200.json"),
    ),
    ("create_watchlist_picks", Response("200"), CSV, FILMS_CSV),
    (
        "create_profile",
        Request,
        "multipart/form-data",
        r#"{"file": ["letterboxd-clarisselou-2026-12-07-09-30-utc.zip"]}"#,
    ),
    (
        "create_profile",
        Response("201"),
        JSON,
        include_str!("examples/create_profile.201.json"),
    ),
    (
        "get_statistics",
        Response("200"),
        JSON,
        include_str!("examples/get_statistics.200.json"),
    ),
    (
        "get_usage",
        Response("200"),
        JSON,
        include_str!("examples/get_usage.200.json"),
    ),
    (
        "get_faq",
        Response("200"),
        JSON,
        include_str!("examples/get_faq.200.json"),
    ),
    (
        "get_release_notes",
        Response("200"),
        JSON,
        include_str!("examples/get_release_notes.200.json"),
    ),
    (
        "reload_catalog",
        Response("200"),
        JSON,
        include_str!("examples/reload_catalog.200.json"),
    ),
    (
        "get_liveness",
        Response("200"),
        JSON,
        include_str!("examples/get_liveness.200.json"),
    ),
    (
        "get_readiness",
        Response("200"),
        JSON,
        include_str!("examples/get_readiness.200.json"),
    ),
    (
        "get_problems",
        Response("200"),
        JSON,
        include_str!("examples/get_problems.200.json"),
    ),
    (
        "get_openapi_json",
        Response("200"),
        JSON,
        r#"{"openapi": "3.1.0", "info": {"title": "reel", "version": "0.1.0"}, "paths": {"/recommendations": {"post": {"operationId": "create_recommendations"}}}}"#,
    ),
    (
        "get_openapi_yaml",
        Response("200"),
        "application/yaml",
        "openapi: 3.1.0\ninfo:\n  title: reel\n  version: 0.1.0\npaths:\n  /recommendations:\n    post:\n      operationId: create_recommendations\n",
    ),
    (
        "get_metrics",
        Response("200"),
        "text/plain; version=0.0.4",
        "# HELP reel_http_requests_total HTTP requests by route, method and status.\n# TYPE reel_http_requests_total counter\nreel_http_requests_total{method=\"POST\",route=\"/recommendations\",status=\"200\"} 42\n",
    ),
];

/// Puts each example on its operation's media type.
pub(super) fn attach(openapi: &mut utoipa::openapi::OpenApi) {
    for operation in super::openapi::operations_mut(openapi) {
        let Some(id) = operation.operation_id.clone() else {
            continue;
        };
        for &(_, place, media_type, text) in EXAMPLES.iter().filter(|(of, ..)| *of == id) {
            if let Some(content) = content_mut(operation, place, media_type) {
                content.example = Some(value(media_type, text));
            }
        }
    }
}

fn content_mut<'a>(
    operation: &'a mut Operation,
    place: Place,
    media_type: &str,
) -> Option<&'a mut Content> {
    let content = match place {
        Request => match operation.request_body.as_mut()? {
            RefOr::T(body) => body.content.get_mut(media_type)?,
            RefOr::Ref(_) => return None,
        },
        Response(status) => match operation.responses.responses.get_mut(status)? {
            RefOr::T(response) => response.content.get_mut(media_type)?,
            RefOr::Ref(_) => return None,
        },
    };
    match content {
        RefOr::T(content) => Some(content),
        RefOr::Ref(_) => None,
    }
}

/// JSON media types hold JSON (the files are checked to parse by the tests); others their text.
fn value(media_type: &str, text: &str) -> serde_json::Value {
    if media_type.ends_with("json") || media_type == "multipart/form-data" {
        serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
    } else {
        serde_json::Value::String(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation's request body (when it has one) and every success response with a body
    /// carries an example, on each of its media types.
    #[test]
    fn every_operation_has_its_examples() {
        let document = serde_json::to_value(super::super::openapi::document()).unwrap();
        let schemas = &document["components"]["schemas"];
        let has_example = |content: &serde_json::Value| {
            let schema = match content["schema"]["$ref"].as_str() {
                Some(reference) => &schemas[reference.trim_start_matches("#/components/schemas/")],
                None => &content["schema"],
            };
            !content["example"].is_null()
                || !content["examples"].is_null()
                || !schema["example"].is_null()
                || !schema["examples"].is_null()
        };
        let mut missing = Vec::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                if let Some(body) = operation["requestBody"]["content"].as_object() {
                    for (media_type, content) in body {
                        if !has_example(content) {
                            missing.push(format!("{method} {path} request {media_type}"));
                        }
                    }
                }
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let Some(content) = response["content"].as_object() else {
                        continue;
                    };
                    if !status.starts_with('2') {
                        continue;
                    }
                    for (media_type, content) in content {
                        if !has_example(content) {
                            missing.push(format!("{method} {path} {status} {media_type}"));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no example: {missing:#?}");
    }

    /// Each example names a place the document has, and the JSON ones parse.
    #[test]
    fn every_example_lands_and_parses() {
        let mut document = super::super::operations();
        for &(id, place, media_type, text) in EXAMPLES {
            if media_type.ends_with("json") || media_type == "multipart/form-data" {
                serde_json::from_str::<serde_json::Value>(text)
                    .unwrap_or_else(|err| panic!("{id} {media_type}: {err}"));
            }
            let found = super::super::openapi::operations_mut(&mut document)
                .find(|operation| operation.operation_id.as_deref() == Some(id))
                .is_some_and(|operation| content_mut(operation, place, media_type).is_some());
            assert!(found, "{id} {media_type}: no such place in the document");
        }
    }

    /// The request examples are bodies the server takes: they parse into the request types.
    #[test]
    fn request_examples_parse_into_the_request_types() {
        use crate::views::{
            CompatibilityRequest, PredictionsRequest, RecommendationsRequest, WatchlistRequest,
        };
        let example = |id: &str| {
            EXAMPLES
                .iter()
                .find(|(of, place, ..)| *of == id && matches!(place, Request))
                .map(|(.., text)| *text)
                .unwrap()
        };
        serde_json::from_str::<RecommendationsRequest>(example("create_recommendations")).unwrap();
        serde_json::from_str::<CompatibilityRequest>(example("create_compatibility")).unwrap();
        serde_json::from_str::<PredictionsRequest>(example("create_predictions")).unwrap();
        serde_json::from_str::<WatchlistRequest>(example("create_watchlist_picks")).unwrap();
    }
}
