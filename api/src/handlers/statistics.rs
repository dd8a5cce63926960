//! `GET /statistics`.

use actix_web::{HttpRequest, web};

use crate::domain::MemberRef;
use crate::http::{ApiError, ProblemView};
use crate::limits::Feature;
use crate::limits::Limits;
use crate::services::Services;
use crate::views::{StatisticsParams, StatisticsResponse};

/// The member's rating statistics against the Letterboxd community.
///
/// Percentiles compare the member with every member the service has computed statistics for; the
/// request stores the member's snapshot for later comparisons. `member` is a Letterboxd username
/// or the id of an uploaded export. Charged to the client's statistics rate limit.
#[utoipa::path(
    get,
    path = "/statistics",
    tag = "statistics",
    params(StatisticsParams),
    responses(
        (status = 200, description = "The member's statistics", body = StatisticsResponse,
            headers(("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"), ("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`private, max-age=60`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`private, max-age=60`"))),

        (status = 400, description = "`invalid_member`, `invalid_query`", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "`profile_private`", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "`member_not_found`: no such Letterboxd member; `profile_not_found`: an upload id that expired, was deleted or never was", body = ProblemView, content_type = "application/problem+json"),
        (status = 422, description = "`not_enough_ratings` (fewer than 5)", body = ProblemView, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: wait `Retry-After` seconds, when one more request fits (sooner than `RateLimit`'s `t`, when all of the quota is back)", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"), ("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"))),
        (status = 502, description = "`upstream_unavailable`", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "`upstream_blocked`: upload the member's export instead; `scrape_queue_full` (with `Retry-After`): too many profiles to read before the deadline, retry later or upload the export; `upstream_rate_limited` (with `Retry-After`, Letterboxd's wait within 1 to 300 s): Letterboxd asks the service to slow down, retry then or upload the export; `not_ready` (with `Retry-After`): the database is unavailable or restarting", body = ProblemView, content_type = "application/problem+json"),
        (status = 504, description = "`timeout`", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn get_statistics(
    req: HttpRequest,
    limits: web::Data<Limits>,
    services: web::Data<Services>,
    params: web::Query<StatisticsParams>,
) -> Result<web::Json<StatisticsResponse>, ApiError> {
    limits.charge(&req, Feature::Statistics).await?;
    let member = MemberRef::parse(&params.member)?;
    let statistics = services.statistics(member).await?;
    Ok(web::Json(statistics.into()))
}
