//! `POST /watchlist`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::csv::csv_response;

use crate::domain::WatchlistQuery;
use crate::http::json_body::json_list;
use crate::http::negotiate::prefers_csv;
use crate::http::{ApiError, ProblemView};
use crate::limits::Feature;
use crate::limits::Limits;
use crate::services::Services;
use crate::views::{LetterboxdCsv, WatchlistRequest, WatchlistResponse};

/// Picks from the members' watchlists.
///
/// From the films on at least `min_members` of the watchlists (by default all of them; `overlap:
/// false` is any), narrowed by the same filters and description as recommendations, at random
/// (reproducible with `seed`) or ranked by the members' models. Each pick names the members whose
/// watchlists hold it. Charged to the client's watchlist rate limit.
#[utoipa::path(
    post,
    path = "/watchlist",
    tag = "watchlist",
    request_body = WatchlistRequest,
    responses(
        (status = 200, description = "The picks. With `Accept: text/csv`, the same films in the same order as a CSV Letterboxd's importer reads (header `LetterboxdURI,tmdbID,imdbID,Title,Year`, an empty cell where a value is unknown), sent as an attachment (`Content-Disposition`)", content((WatchlistResponse = "application/json"), (String = "text/csv")),
            headers(("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"), ("Content-Disposition" = String, description = "CSV only: `attachment; filename=\"reel-watchlist-<date>.csv\"`"))),
        (status = 400, description = "`invalid_member`; `invalid_body` (among others: `min_members` outside 1 to the number of members, an unknown genre, a description over 300 characters)", body = ProblemView, content_type = "application/problem+json"),
        (status = 403, description = "`profile_private`", body = ProblemView, content_type = "application/problem+json"),
        (status = 404, description = "`member_not_found`: no such Letterboxd member; `profile_not_found`: an upload id that expired, was deleted or never was", body = ProblemView, content_type = "application/problem+json"),
        (status = 422, description = "`watchlist_empty`, `no_overlap` (no film on `min_members` watchlists), `no_candidates` (none passes the filters), `not_enough_ratings` (ranked mode)", body = ProblemView, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: wait `Retry-After` seconds, when one more request fits (sooner than `RateLimit`'s `t`, when all of the quota is back)", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"), ("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"))),
        (status = 502, description = "`upstream_unavailable`", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "`upstream_blocked`: upload the member's export instead; `scrape_queue_full` (with `Retry-After`): too many profiles to read before the deadline, retry later or upload the export; `upstream_rate_limited` (with `Retry-After`, Letterboxd's wait within 1 to 300 s): Letterboxd asks the service to slow down, retry then or upload the export; `not_ready` (with `Retry-After`): the database is unavailable or restarting", body = ProblemView, content_type = "application/problem+json"),
        (status = 504, description = "`timeout`", body = ProblemView, content_type = "application/problem+json"),
    )
)]
pub async fn create_watchlist_picks(
    req: HttpRequest,
    limits: web::Data<Limits>,
    services: web::Data<Services>,
    body: web::Json<WatchlistRequest>,
) -> Result<HttpResponse, ApiError> {
    limits.charge(&req, Feature::Watchlist).await?;
    let query = WatchlistQuery::try_from(body.into_inner())?;
    let picks = services.watchlist_picks(query).await?;
    if prefers_csv(&req) {
        return csv_response(&LetterboxdCsv::from(&picks));
    }
    let view = WatchlistResponse::from(picks);
    json_list(&view, view.picks.len())
}
