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
    /// `urn:reel:problem:<code>`.
    #[serde(rename = "type")]
    #[schema(example = "urn:reel:problem:member_not_found")]
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
/// [`ProblemCode::as_str`] and [`ProblemCode::ALL`] all come from this list.
macro_rules! problem_codes {
    ($($variant:ident = $code:tt,)*) => {
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
        }
    };
}

problem_codes! {
    InvalidMember = "invalid_member",
    InvalidBody = "invalid_body",
    InvalidQuery = "invalid_query",
    BadRequest = "bad_request",
    Unauthorized = "unauthorized",
    Forbidden = "forbidden",
    OriginNotAllowed = "origin_not_allowed",
    ProfilePrivate = "profile_private",
    NotFound = "not_found",
    MemberNotFound = "member_not_found",
    ProfileNotFound = "profile_not_found",
    ListNotFound = "list_not_found",
    MethodNotAllowed = "method_not_allowed",
    NotAcceptable = "not_acceptable",
    RequestTimeout = "request_timeout",
    PayloadTooLarge = "payload_too_large",
    UriTooLong = "uri_too_long",
    UnsupportedMediaType = "unsupported_media_type",
    HeadersTooLarge = "headers_too_large",
    NotEnoughRatings = "not_enough_ratings",
    NoCandidates = "no_candidates",
    WatchlistEmpty = "watchlist_empty",
    NoOverlap = "no_overlap",
    UploadInvalid = "upload_invalid",
    RateLimited = "rate_limited",
    Internal = "internal",
    UpstreamUnavailable = "upstream_unavailable",
    UpstreamBlocked = "upstream_blocked",
    UpstreamRateLimited = "upstream_rate_limited",
    ScrapeQueueFull = "scrape_queue_full",
    NotReady = "not_ready",
    CatalogEmpty = "catalog_empty",
    ModelNotLoaded = "model_not_loaded",
    Timeout = "timeout",
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
