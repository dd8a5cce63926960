//! `GET /metrics/usage`.

use actix_web::web;

use crate::http::{ApiError, ProblemView};
use crate::services::Services;
use crate::views::{UsageParams, UsageResponse};

/// Distinct members and uses per day, for the app's metrics page.
///
/// One entry per day of the last `days` days (UTC), oldest first, including days without use.
#[utoipa::path(
    get,
    path = "/metrics/usage",
    tag = "metrics",
    params(UsageParams),
    responses(
        (status = 200, description = "The daily series, oldest first", body = UsageResponse,
            headers(("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`private, max-age=60`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`private, max-age=60`"))),

        (status = 400, description = "`invalid_query`", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn get_usage(
    services: web::Data<Services>,
    params: web::Query<UsageParams>,
) -> Result<web::Json<UsageResponse>, ApiError> {
    let (from, to, days) = services.usage(params.days.unwrap_or_default()).await?;
    Ok(web::Json(UsageResponse {
        from,
        to,
        days: days.into_iter().map(Into::into).collect(),
    }))
}
