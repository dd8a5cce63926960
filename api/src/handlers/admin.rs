//! `POST /admin/catalog/reload`.

use actix_web::http::header;
use actix_web::{HttpRequest, web};
use subtle::ConstantTimeEq;

use crate::http::ProblemView;
use crate::http::{ApiError, AppState};
use crate::limits::Limits;
use crate::views::CatalogReloadResponse;

/// Reloads the film catalog from the store now, instead of at the next poll.
///
/// For operators after an import: the service otherwise picks up a new catalog version at its
/// next poll. Needs the service's `ADMIN_TOKEN` as a bearer token. A client that fails it 5
/// times within a minute is refused every attempt, the right token included, until its rate of
/// failures allows another (one every 12 s): 429 with `Retry-After`.
#[utoipa::path(
    post,
    path = "/admin/catalog/reload",
    tag = "admin",
    security(("admin_token" = [])),
    responses(
        (status = 200, description = "The catalog now in use", body = CatalogReloadResponse),
        (status = 401, description = "`unauthorized`: no or a wrong `Authorization: Bearer` token", body = ProblemView, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: 5 failed attempts from this client within a minute; every attempt is refused, the right token included, until `Retry-After`", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the client may try again"))),
        (status = 503, description = "`not_ready`: the database is unavailable or restarting; see `Retry-After`", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn reload_catalog(
    req: HttpRequest,
    state: web::Data<AppState>,
    limits: Option<web::Data<Limits>>,
) -> Result<web::Json<CatalogReloadResponse>, ApiError> {
    if let Some(limits) = &limits {
        limits.admin_locked(&req)?;
    }
    if let Err(err) = authorize(&req, &state) {
        if let Some(limits) = &limits {
            limits.admin_failed(&req);
        }
        return Err(err);
    }
    let loaded = state
        .catalog
        .reload(&state.store)
        .await
        .map_err(ApiError::from)?;
    Ok(web::Json(CatalogReloadResponse {
        catalog_version: loaded.version,
        films: loaded.catalog.len(),
        loaded_at: loaded.loaded_at,
    }))
}

/// With no `ADMIN_TOKEN` configured, the admin routes are closed to everyone.
fn authorize(req: &HttpRequest, state: &AppState) -> Result<(), ApiError> {
    let expected = state.admin_token.as_ref().ok_or(ApiError::Unauthorized)?;
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(bearer_token)
        .ok_or(ApiError::Unauthorized)?;
    // Constant time, so response timing tells nothing about how much of a guess was right.
    if bool::from(given.as_bytes().ct_eq(expected.expose().as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}

/// The token of `Bearer <token>`. The scheme is case-insensitive (RFC 9110 11.1): `bearer` and
/// `BEARER` are the same scheme, and one or more spaces may follow it.
fn bearer_token(credentials: &str) -> Option<&str> {
    let (scheme, token) = credentials.split_once(' ')?;
    let token = token.trim_start_matches(' ');
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for credentials in ["Bearer t0k", "bearer t0k", "BEARER t0k", "Bearer   t0k"] {
            assert_eq!(bearer_token(credentials), Some("t0k"), "{credentials}");
        }
        for credentials in ["Basic t0k", "Bearert0k", "Bearer", "Bearer ", "t0k"] {
            assert_eq!(bearer_token(credentials), None, "{credentials}");
        }
    }
}
