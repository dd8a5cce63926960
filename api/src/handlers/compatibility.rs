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
        (status = 200, description = "Every pair, scored", body = CompatibilityResponse),
        (status = 400, description = "`invalid_member`, `invalid_body` (fewer than 2 or more than 8 members)", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "`profile_private`", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "`member_not_found`: no such Letterboxd member; `profile_not_found`: an upload id that expired, was deleted or never was", body = ProblemView, content_type = "application/problem+json"),
        (status = 413, description = "`payload_too_large`", body = ProblemView, content_type = "application/problem+json"),
        (status = 422, description = "`not_enough_ratings`: a member with fewer than 5 ratings", body = ProblemView, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`; see `Retry-After`", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
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
    limits.charge(&req, Feature::Compatibility)?;
    let query = CompatibilityQuery::try_from(body.into_inner())?;
    let compatibility = services.compatibility(query).await?;
    Ok(web::Json(compatibility.into()))
}
