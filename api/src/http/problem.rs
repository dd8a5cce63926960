//! The error body every endpoint may answer with, as the OpenAPI document describes it, and the
//! one list of problem codes: [`ApiError`](super::ApiError) and
//! [`Problem::from_status`](super::Problem::from_status) name their codes from it, and the spec's
//! `ProblemCode` schema is generated from it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An RFC 9457 problem: `application/problem+json`. Clients switch on `code`, which never
/// changes meaning; `detail` is for people.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProblemView {
    /// `/problems/<code>`: a page of this server explaining the code (relative, resolved against
    /// the request's URI as RFC 9457 allows).
    #[serde(rename = "type")]
    #[schema(example = "/problems/member_not_found")]
    pub kind: String,
    #[schema(example = "Member not found")]
    pub title: String,
    #[schema(example = 404)]
    pub status: u16,
    #[schema(example = "there is no Letterboxd member `nobody`")]
    pub detail: String,
    pub code: ProblemCode,
    /// Each readiness check's outcome: only on `not_ready`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checks: Option<crate::http::health::Readiness>,
    /// This request's `X-Request-Id` (the client's own when it sent a plain one of up to 128
    /// characters, else one the server made): quote it when reporting a problem, it finds the
    /// request's log lines.
    #[schema(example = "5f0c6a0e-8d0b-4c55-9a55-2f7d7b3c1e42")]
    pub request_id: String,
}

/// Declares [`ProblemCode`] with its wire names written once: serde, the OpenAPI schema,
/// [`ProblemCode::as_str`], [`ProblemCode::ALL`] and the page each code's `type` names
/// (`/problems/{code}`, [`ProblemCode::status`], [`ProblemCode::meaning`],
/// [`ProblemCode::advice`]) all come from this list.
macro_rules! problem_codes {
    ($($variant:ident = $code:tt, $status:literal, $meaning:literal, $advice:literal;)*) => {
        /// Every stable problem code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        pub enum ProblemCode {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl ProblemCode {
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)*];

            /// The code on the wire, also the last segment of the problem `type`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $code,)*
                }
            }

            /// The HTTP status a problem with this code has.
            pub const fn status(self) -> u16 {
                match self {
                    $(ProblemCode::$variant => $status,)*
                }
            }

            /// What the code means, for people reading the problem's page.
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $meaning,)*
                }
            }

            /// What a client should do when it meets the code.
            pub const fn advice(self) -> &'static str {
                match self {
                    $(ProblemCode::$variant => $advice,)*
                }
            }
        }
    };
}

problem_codes! {
    InvalidMember = "invalid_member", 400,
        "A member is neither a Letterboxd username, a profile URL nor the id of an uploaded export.",
        "Send a username (`schaffrillas`), a profile URL (`https://letterboxd.com/schaffrillas/`) or the `id` that `POST /profiles` answered.";
    InvalidBody = "invalid_body", 400,
        "The JSON body does not match the operation's schema: a missing or unknown field, a value out of range, an inverted range. `detail` names the field.",
        "Fix the body as `detail` says; the operation's schema in `/docs` lists every field and its bounds. Do not retry unchanged.";
    InvalidQuery = "invalid_query", 400,
        "The query string does not match the operation's parameters. `detail` names the parameter.",
        "Fix the parameter as `detail` says; `/docs` lists each parameter and its bounds. Do not retry unchanged.";
    BadRequest = "bad_request", 400,
        "The HTTP request itself is malformed (any 4xx the server has no more precise code for).",
        "Check the request line, headers and body encoding; do not retry unchanged.";
    Unauthorized = "unauthorized", 401,
        "The operation needs `Authorization: Bearer <token>` and none, or a wrong one, was sent.",
        "Send the service's `ADMIN_TOKEN` as a bearer token. Repeated wrong tokens are rate limited.";
    Forbidden = "forbidden", 403,
        "The request is refused as a whole (a browser origin not let in is `origin_not_allowed`).",
        "Call from an allowed origin, or ask the operator to allow yours. Do not retry unchanged.";
    OriginNotAllowed = "origin_not_allowed", 403,
        "A browser page on this origin may not call the API: the origin is not in `CORS_ALLOWED_ORIGINS` (on a loopback address with the setting unset, only local pages are allowed).",
        "Call from an allowed origin, or ask the operator to add yours to `CORS_ALLOWED_ORIGINS`. Do not retry unchanged.";
    ProfilePrivate = "profile_private", 403,
        "The member's Letterboxd profile is private, so the service cannot read their ratings.",
        "Upload the member's export (`POST /profiles`) and use its `id` instead of the username.";
    NotFound = "not_found", 404,
        "There is nothing at this address.",
        "Check the path against `/docs`.";
    MemberNotFound = "member_not_found", 404,
        "Letterboxd has no member with this username.",
        "Check the spelling of the username (the part after `letterboxd.com/`).";
    ProfileNotFound = "profile_not_found", 404,
        "No uploaded export has this id: it expired (uploads are kept 24 hours), was deleted, or never was.",
        "Upload the export again with `POST /profiles` and use the new `id`.";
    ListNotFound = "list_not_found", 404,
        "The uploaded export has no list of this name. `detail` names the lists it has.",
        "Use one of the list names `detail` gives (or `POST /profiles` answered).";
    MethodNotAllowed = "method_not_allowed", 405,
        "The path exists but does not take this HTTP method.",
        "Use a method `/docs` lists for the path (the `Allow` header names them).";
    NotAcceptable = "not_acceptable", 406,
        "The `Accept` header names no media type the operation can answer with.",
        "Accept `application/json` (and `text/csv` where the operation offers it).";
    RequestTimeout = "request_timeout", 408,
        "The client took too long to send the request's head or body.",
        "Send the request again, whole and promptly.";
    PayloadTooLarge = "payload_too_large", 413,
        "The body, or an uploaded export's entries, are over the route's limit. `detail` names the limit.",
        "Send a smaller body; for an export, upload the zip Letterboxd gives, not a repacked one.";
    UriTooLong = "uri_too_long", 414,
        "The request's URI is longer than the server reads.",
        "Shorten the query string; send large inputs in a body.";
    UnsupportedMediaType = "unsupported_media_type", 415,
        "The body is not in the media type the operation reads: JSON (`Content-Type: application/json`), or `multipart/form-data` for uploads.",
        "Send the body with the `Content-Type` the operation lists in `/docs`.";
    HeadersTooLarge = "headers_too_large", 431,
        "The request's line and headers are over 32 KiB.",
        "Send fewer or shorter headers (large cookies are the usual cause).";
    NotEnoughRatings = "not_enough_ratings", 422,
        "A member has rated too few films for the model to learn their taste. `detail` says how many they have and need.",
        "Rate more films on Letterboxd (or upload a fuller export), then ask again.";
    NoCandidates = "no_candidates", 422,
        "No film is left once the filters and the films the members have seen are removed.",
        "Loosen the filters (genres, years, runtime, languages, services) and ask again.";
    WatchlistEmpty = "watchlist_empty", 422,
        "A member's watchlist is empty, so there is nothing to pick from.",
        "Add films to the watchlist on Letterboxd, or ask for recommendations instead.";
    NoOverlap = "no_overlap", 422,
        "No film is on as many of the members' watchlists as `min_members` (or `overlap: true`) asks.",
        "Ask with a lower `min_members` (or `overlap: false`), or with fewer members.";
    UploadInvalid = "upload_invalid", 422,
        "The uploaded file is not a Letterboxd export the service can read. `detail` names the file, the line and what is wrong.",
        "Upload the zip from Settings > Import & Export on letterboxd.com, unchanged.";
    RateLimited = "rate_limited", 429,
        "The client has used up its rate limit for this feature.",
        "Wait the seconds `Retry-After` gives, then retry.";
    Internal = "internal", 500,
        "The server failed in a way it did not expect. The cause is in its log, under the problem's `request_id`.",
        "Retry later; if it persists, report the `request_id`.";
    UpstreamUnavailable = "upstream_unavailable", 502,
        "Letterboxd did not answer properly when the service read a member's profile.",
        "Retry later, or upload the member's export (`POST /profiles`), which needs no scrape.";
    UpstreamBlocked = "upstream_blocked", 503,
        "Letterboxd refused to serve the profile to the service (a bot challenge).",
        "Upload the member's export (`POST /profiles`) and use its `id` instead.";
    UpstreamRateLimited = "upstream_rate_limited", 503,
        "Letterboxd asked the service to slow down. `Retry-After` passes on its wait (1 to 300 s).",
        "Retry after `Retry-After`, or upload the member's export, which needs no wait.";
    ScrapeQueueFull = "scrape_queue_full", 503,
        "Too many profiles are waiting to be read from Letterboxd to read this one before the deadline.",
        "Retry after `Retry-After`, or upload the member's export, which needs no wait.";
    NotReady = "not_ready", 503,
        "The service cannot answer yet: its database is unavailable or restarting, or its data is not loaded. `checks` says which.",
        "Retry after `Retry-After`; `GET /health/ready` says when the service is ready.";
    CatalogEmpty = "catalog_empty", 503,
        "The film catalog is empty, so nothing can be matched or recommended.",
        "The operator must import the dataset (`reel import`) or sync a catalog (`reel catalog sync`); retry after `Retry-After`.";
    ModelNotLoaded = "model_not_loaded", 503,
        "`model: general` was asked for, and the general model is not trained yet.",
        "Ask with `model: default` meanwhile; the operator must run `reel train general`.";
    Timeout = "timeout", 504,
        "The request took longer than its deadline (reading a member's profile from Letterboxd is the usual cause).",
        "Retry later (the profile is likely cached by then), or upload the member's export.";
}

/// What the page of one code (`GET /problems/{code}`, the problem's `type`) says, as JSON.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "member_not_found",
    "type": "/problems/member_not_found",
    "status": 404,
    "title": "Not Found",
    "meaning": "Letterboxd has no member with this username.",
    "advice": "Check the spelling of the username (the part after `letterboxd.com/`)."
}))]
pub struct ProblemPage {
    pub code: ProblemCode,
    /// The `type` problems with this code carry: this page's path.
    #[serde(rename = "type")]
    pub kind: String,
    /// The HTTP status problems with this code are sent with.
    pub status: u16,
    /// The status's reason phrase.
    pub title: &'static str,
    /// What the code means (Markdown: `code` spans).
    pub meaning: &'static str,
    /// What a client should do (Markdown: `code` spans).
    pub advice: &'static str,
}

impl From<ProblemCode> for ProblemPage {
    fn from(code: ProblemCode) -> Self {
        Self {
            code,
            kind: super::error::problem_type(code),
            status: code.status(),
            title: actix_web::http::StatusCode::from_u16(code.status())
                .ok()
                .and_then(|status| status.canonical_reason())
                .unwrap_or("Error"),
            meaning: code.meaning(),
            advice: code.advice(),
        }
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_what_serde_writes() {
        for &code in ProblemCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::from(code.as_str())
            );
        }
    }
}
