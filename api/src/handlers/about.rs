//! `GET /faq` and `GET /release-notes`: what the site's other pages read.

use actix_web::web;

use crate::domain::{FAQ, release_notes};
use crate::views::{FaqResponse, ReleaseNotesResponse};

/// The service's FAQ.
///
/// What the models are, where the data comes from (an uploaded Letterboxd export, a polite
/// scraper, TMDB), what happens to an uploaded export, and why a username may be refused. Cacheable:
/// send the `ETag` back in `If-None-Match`.
#[utoipa::path(
    get,
    path = "/faq",
    tag = "about",
    responses(
        (status = 200, description = "Questions and answers, in reading order", body = FaqResponse,
            headers(("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`public, max-age=3600`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`public, max-age=3600`"))),
    )
)]
pub async fn get_faq() -> web::Json<FaqResponse> {
    web::Json(FaqResponse::from(FAQ))
}

/// The release notes.
///
/// The project's `CHANGELOG.md` (Keep a Changelog) as it was when this server was built: each
/// version with its date and its sections (`Added`, `Changed`, `Fixed`, ...), newest first.
/// Cacheable: send the `ETag` back in `If-None-Match`.
#[utoipa::path(
    get,
    path = "/release-notes",
    tag = "about",
    responses(
        (status = 200, description = "Every release, newest first", body = ReleaseNotesResponse,
            headers(("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`public, max-age=3600`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`public, max-age=3600`"))),
    )
)]
pub async fn get_release_notes() -> web::Json<ReleaseNotesResponse> {
    web::Json(ReleaseNotesResponse::from(release_notes()))
}
