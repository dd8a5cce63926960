//! `GET /metrics/usage`.

use actix_web::web;
use chrono::Utc;

use crate::domain::UsageRange;
use crate::http::{ApiError, ProblemView};
use crate::services::Services;
use crate::views::{UsageParams, UsageResponse};

/// Distinct members and uses per day, and their running totals, for the app's metrics page.
///
/// `days`: the daily series over the last `days` days (UTC), oldest first, days without use
/// absent. `cumulative`: for every day since the first day of use, the distinct members ever seen
/// and the uses so far. `from` and `to` bound both series.
#[utoipa::path(
    get,
    path = "/metrics/usage",
    tag = "metrics",
    params(UsageParams),
    responses(
        (status = 200, description = "The daily series, oldest first", body = UsageResponse,
            headers(("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`private, max-age=60`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`private, max-age=60`"))),

        (status = 400, description = "`invalid_query`: `days` outside 1 to 366, a date that is not `YYYY-MM-DD`, `from` after `to`", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "`not_ready`: the database is unavailable or restarting; see `Retry-After`", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn get_usage(
    services: web::Data<Services>,
    params: web::Query<UsageParams>,
) -> Result<web::Json<UsageResponse>, ApiError> {
    let params = params.into_inner();
    let range = UsageRange::new(
        params.days.unwrap_or_default(),
        params.from,
        params.to,
        Utc::now().date_naive(),
    )
    .map_err(ApiError::InvalidQuery)?;
    let report = services.usage(range).await?;
    Ok(web::Json(report.into()))
}
