//! The OpenAPI document, derived from the handlers and views by utoipa: what describes the API as
//! a whole is here, its operations come from the router's list ([`super`]).
//! `reel openapi` prints it, `openapi.yaml` at the repository root is that output, and the
//! TypeScript client is generated from that file.

use std::sync::LazyLock;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::http;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "reel",
        description = "Movie recommendations, profile statistics and watchlist picks from \
                       Letterboxd diaries. Errors are RFC 9457 problems \
                       (`application/problem+json`) with a stable `code`.\n\n\
                       Film data: Letterboxd exports members upload, and The Movie Database. \
                       This product uses the TMDB API but is not endorsed or certified by TMDB.",
        license(name = "GPL-3.0-only", identifier = "GPL-3.0-only"),
    ),
    // Relative: the document is served by the server it describes, wherever that is deployed.
    servers((url = "/", description = "The server serving this document")),
    components(schemas(http::ProblemView, http::ProblemCode)),
    modifiers(&AdminToken),
    tags(
        (name = "recommendations", description = "Films to watch next"),
        (name = "statistics", description = "How a member rates"),
        (name = "compatibility", description = "How alike members' tastes are"),
        (name = "predictions", description = "What members would rate chosen films"),
        (name = "watchlist", description = "What to watch from the watchlists"),
        (name = "profiles", description = "Uploaded Letterboxd exports"),
        (name = "metrics", description = "Prometheus metrics and usage"),
        (name = "admin", description = "Operator actions"),
        (name = "health", description = "Liveness and readiness"),
        (name = "about", description = "The FAQ and the release notes"),
        (name = "docs", description = "This document"),
    )
)]
struct ApiDoc;

struct AdminToken;

impl Modify for AdminToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The service's `ADMIN_TOKEN`"))
                    .build(),
            ),
        );
    }
}

/// Every operation of the document, to complete.
pub(super) fn operations_mut(
    openapi: &mut utoipa::openapi::OpenApi,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    openapi.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
            &mut item.query,
        ]
        .into_iter()
        .flatten()
        .chain(item.additional_operations.values_mut())
    })
}

/// Marks every operation that names no security requirement as public (`security: []`), so a
/// client (and `redocly lint`) reads "no credentials" as stated rather than forgotten.
fn public_unless_secured(openapi: &mut utoipa::openapi::OpenApi) {
    for operation in operations_mut(openapi) {
        operation.security.get_or_insert_with(Vec::new);
    }
}

/// What the edge answers on every operation with a JSON body before its handler reads it: a body
/// over the route's limit, or one not sent as JSON. Stated here once for all of them, so a new
/// JSON route cannot forget them (Schemathesis found 415 undocumented on every JSON route).
fn json_body_refusals(openapi: &mut utoipa::openapi::OpenApi) {
    const REFUSALS: [(&str, &str); 2] = [
        (
            "413",
            "`payload_too_large`: the body is over this route's limit",
        ),
        (
            "415",
            "`unsupported_media_type`: the body must be sent as `Content-Type: application/json`",
        ),
    ];
    for operation in operations_mut(openapi) {
        let takes_json = matches!(
            &operation.request_body,
            Some(RefOr::T(body)) if body.content.contains_key("application/json")
        );
        if !takes_json {
            continue;
        }
        for (status, description) in REFUSALS {
            operation
                .responses
                .responses
                .entry(status.to_owned())
                .or_insert_with(|| RefOr::T(problem_response(description)));
        }
    }
}

/// A problem answer: `application/problem+json` with the `ProblemView` schema.
fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            http::error::PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemView")))
                .build(),
        )
        .build()
}

static DOCUMENT: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(|| {
    // After the merge: the modifiers of `ApiDoc` run before the routes' operations join it.
    let mut document = ApiDoc::openapi().merge_from(super::operations());
    public_unless_secured(&mut document);
    json_body_refusals(&mut document);
    super::examples::attach(&mut document);
    document
});

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    &DOCUMENT
}

/// The document as YAML, exactly as `openapi.yaml` holds it.
pub fn yaml() -> anyhow::Result<String> {
    Ok(document().to_yaml()?)
}

#[cfg(test)]
mod tests {
    use crate::domain::TMDB_ATTRIBUTION;

    /// TMDB's terms ask for its notice wherever its data is shown: `/docs` shows this document.
    #[test]
    fn the_document_credits_tmdb_with_its_own_words() {
        assert_eq!(TMDB_ATTRIBUTION, tmdb::ATTRIBUTION);
        assert_eq!(
            crate::domain::PROVIDER_ATTRIBUTION,
            tmdb::PROVIDER_ATTRIBUTION
        );
        let description = super::document()
            .info
            .description
            .clone()
            .unwrap_or_default();
        assert!(description.contains(TMDB_ATTRIBUTION), "{description}");
    }

    /// The edge refuses a JSON body that is too large or not JSON before any handler runs: every
    /// JSON operation says so.
    #[test]
    fn every_json_operation_documents_the_body_refusals() {
        let document = serde_json::to_value(super::document()).unwrap();
        let mut json_operations = 0;
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                if operation["requestBody"]["content"]["application/json"].is_null() {
                    continue;
                }
                json_operations += 1;
                for status in ["413", "415"] {
                    let response = &operation["responses"][status];
                    assert_eq!(
                        response["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/ProblemView",
                        "{method} {path} {status}"
                    );
                }
            }
        }
        assert!(json_operations >= 4, "{json_operations}");
    }
}
