//! `POST /compatibility`.

use actix_web::{HttpRequest, web};

use crate::domain::CompatibilityQuery;
use crate::http::{ApiError, ProblemView};
use crate::limits::Feature;
use crate::limits::Limits;
use crate::services::Services;
use crate::views::{CompatibilityRequest, CompatibilityResponse};

/// How alike 2 to 8 members' tastes are, for every pair of them.
///
/// Each pair gets four scores from 0 to 100 (film, genre, era, ratings; each schema field says how
/// it is computed), the favourites they share, the films they split on and each one's favourites
/// the other has not seen, ranked by the other's predicted rating (the default model, as for
/// recommendations). Each member's mean rating per genre and per decade comes back for charts.
/// Films the catalog does not know are left out. Charged to the client's compatibility rate
/// limit.
#[utoipa::path(
    post,
    path = "/compatibility",
    tag = "compatibility",
    request_body = CompatibilityRequest,
    responses(
        (status = 200, description = "Every pair, scored", body = CompatibilityResponse,
            headers(("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"))),
        (status = 400, description = "`invalid_member`, `invalid_body` (fewer than 2 or more than 8 members)", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "`profile_private`", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "`member_not_found`: no such Letterboxd member; `profile_not_found`: an upload id that expired, was deleted or never was", body = ProblemView, content_type = "application/problem+json"),
        (status = 413, description = "`payload_too_large`", body = ProblemView, content_type = "application/problem+json"),
        (status = 422, description = "`not_enough_ratings`: a member with fewer than 5 ratings", body = ProblemView, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: wait `Retry-After` seconds, when one more request fits (sooner than `RateLimit`'s `t`, when all of the quota is back)", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"), ("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"))),
        (status = 502, description = "`upstream_unavailable`", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "`upstream_blocked`: upload the member's export instead; `scrape_queue_full` (with `Retry-After`): too many profiles to read before the deadline, retry later or upload the export; `upstream_rate_limited` (with `Retry-After`, Letterboxd's wait within 1 to 300 s): Letterboxd asks the service to slow down, retry then or upload the export; `not_ready` (with `Retry-After`): the database is unavailable or restarting", body = ProblemView, content_type = "application/problem+json"),
        (status = 504, description = "`timeout`", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn create_compatibility(
    req: HttpRequest,
    limits: web::Data<Limits>,
    services: web::Data<Services>,
    body: web::Json<CompatibilityRequest>,
) -> Result<web::Json<CompatibilityResponse>, ApiError> {
    limits.charge(&req, Feature::Compatibility).await?;
    let query = CompatibilityQuery::try_from(body.into_inner())?;
    let compatibility = services.compatibility(query).await?;
    Ok(web::Json(compatibility.into()))
}
