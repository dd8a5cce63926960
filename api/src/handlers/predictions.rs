//! `POST /predictions`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::csv::csv_response;
use crate::domain::PredictionsQuery;
use crate::http::json_body::json_list;
use crate::http::negotiate::prefers_csv;
use crate::http::{ApiError, ProblemView};
use crate::limits::Feature;
use crate::limits::Limits;
use crate::services::Services;
use crate::views::{LetterboxdCsv, PredictionsRequest, PredictionsResponse};

/// What each member would rate chosen films: a festival line-up, a list, pasted links.
///
/// 1 to 8 members and 1 to 500 films, each named by a Letterboxd film URL or slug, a boxd.it
/// link, `film:<id>`, `tmdb:movie:<id>`, `tmdb:tv:<id>`, `tmdb:<id>` or `{"tmdb": <id>}` (see
/// `FilmReferenceBody`), and/or one list of an uploaded export (`list`: the upload's id and the
/// list's name, any case), its films counting toward the 500. Every film gets each member's
/// predicted rating (the model recommendations use; seen or not) and, where the member rated it,
/// their rating; for several members the mean, and the films come best first by it. Films the
/// catalog does not know are looked up on TMDB when the service has a TMDB token (at most 20 a
/// request, within its deadline); those still unknown are listed in `unknown`. Charged to the
/// client's predictions rate limit.
#[utoipa::path(
    post,
    path = "/predictions",
    tag = "predictions",
    request_body = PredictionsRequest,
    responses(
        (status = 200, description = "Every known film, best first, and the unknown ones. With `Accept: text/csv`, the known films in the same order as a CSV Letterboxd's importer reads (header `LetterboxdURI,tmdbID,imdbID,Title,Year`, an empty cell where a value is unknown), sent as an attachment (`Content-Disposition`)", content((PredictionsResponse = "application/json"), (String = "text/csv")),
            headers(("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"), ("Content-Disposition" = String, description = "CSV only: `attachment; filename=\"reel-predictions-<date>.csv\"`"))),
        (status = 400, description = "`invalid_member`; `invalid_body`: a film reference in none of the accepted forms (the detail names each), no film or more than 500 (counting the list's), a `list.profile` that is a username rather than an upload id, an empty `list.name`", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "`profile_private`", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "`member_not_found`: no such Letterboxd member; `profile_not_found`: an upload id that expired, was deleted or never was; `list_not_found`: the upload has no list of that name (the detail names the lists it has)", body = ProblemView, content_type = "application/problem+json"),
        (status = 413, description = "`payload_too_large`", body = ProblemView, content_type = "application/problem+json"),
        (status = 422, description = "`not_enough_ratings` (fewer than 5)", body = ProblemView, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: wait `Retry-After` seconds, when one more request fits (sooner than `RateLimit`'s `t`, when all of the quota is back)", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"), ("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"))),
        (status = 502, description = "`upstream_unavailable`", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "`upstream_blocked`: upload the member's export instead; `scrape_queue_full` (with `Retry-After`): too many profiles to read before the deadline, retry later or upload the export; `upstream_rate_limited` (with `Retry-After`, Letterboxd's wait within 1 to 300 s): Letterboxd asks the service to slow down, retry then or upload the export; `not_ready` (with `Retry-After`): the database is unavailable or restarting; `model_not_loaded` (with `Retry-After`): `model: general` before the general model is trained", body = ProblemView, content_type = "application/problem+json"),
        (status = 504, description = "`timeout`", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn create_predictions(
    req: HttpRequest,
    limits: web::Data<Limits>,
    services: web::Data<Services>,
    body: web::Json<PredictionsRequest>,
) -> Result<HttpResponse, ApiError> {
    limits.charge(&req, Feature::Predictions).await?;
    let query = PredictionsQuery::try_from(body.into_inner())?;
    let predictions = services.predict(query).await?;
    if prefers_csv(&req) {
        return csv_response(&LetterboxdCsv::from(&predictions));
    }
    let view = PredictionsResponse::from(predictions);
    json_list(&view, view.items.len())
}
