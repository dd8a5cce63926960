//! `GET /openapi.json` and `GET /openapi.yaml` (`GET /docs` is Swagger UI, in the router).

use actix_web::HttpResponse;

use super::openapi;
use crate::http::ApiError;

/// This document, as JSON.
///
/// The OpenAPI 3.1 description of this API, generated from the server's code.
#[utoipa::path(get, path = "/openapi.json", tag = "docs",
    responses(
        (status = 200, description = "The OpenAPI document", content_type = "application/json",
            headers(("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`public, max-age=300`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`public, max-age=300`"))),
    ))]
pub async fn get_openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(openapi::document())
}

/// This document, as YAML.
///
/// The same document as `/openapi.json`: what `reel openapi` prints and `openapi.yaml` holds.
#[utoipa::path(get, path = "/openapi.yaml", tag = "docs",
    responses(
        (status = 200, description = "The OpenAPI document", content_type = "application/yaml",
            headers(("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`public, max-age=300`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`public, max-age=300`"))),
    ))]
pub async fn get_openapi_yaml() -> Result<HttpResponse, ApiError> {
    let yaml = openapi::yaml().map_err(ApiError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/yaml")
        .body(yaml))
}
