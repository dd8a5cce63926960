//! The HTTP boundary's one error type, and the one place it becomes a response: an RFC 9457
//! `application/problem+json` body with a stable `code` clients can switch on. Internal errors are
//! logged once here with their whole cause chain; the client only learns that one happened.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use super::health::{Check, Readiness};
use super::problem::ProblemCode;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
/// When to retry after the database failed: about what a restart or failover takes.
const STORE_RETRY_AFTER: Duration = Duration::from_secs(5);
/// When to retry on an empty catalog: an import takes minutes.
const CATALOG_RETRY_AFTER: Duration = Duration::from_secs(300);
/// The bounds of the wait passed on from Letterboxd's `Retry-After`: never "now", and never so
/// long that a client gives up on a wait Letterboxd may well shorten.
const UPSTREAM_RETRY_AFTER: std::ops::RangeInclusive<Duration> =
    Duration::from_secs(1)..=Duration::from_secs(300);

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("`{0}` is not a Letterboxd username, profile URL or upload id")]
    InvalidMember(String),
    #[error("there is no Letterboxd member `{0}`")]
    MemberNotFound(String),
    #[error(
        "there is no uploaded profile `{0}`: uploads are kept for 24 hours, or until deleted; \
         upload the export again"
    )]
    ProfileNotFound(String),
    #[error("`{0}`'s Letterboxd profile is private")]
    ProfilePrivate(String),
    #[error("the uploaded profile `{profile}` has no list named `{name}`; its lists: {}", list_names(.lists))]
    ListNotFound {
        profile: String,
        name: String,
        lists: Vec<String>,
    },
    #[error("`{member}` has {have} rated films; recommendations need at least {need}")]
    NotEnoughRatings {
        member: String,
        have: usize,
        need: usize,
    },
    #[error("no film is left to recommend once the filters and seen films are removed")]
    NoCandidates,
    #[error("`{0}`'s watchlist is empty")]
    WatchlistEmpty(String),
    #[error("the watchlists have no film in common")]
    NoOverlap,
    #[error("{file}{}: {reason}", .line.map(|line| format!(", line {line}")).unwrap_or_default())]
    UploadInvalid {
        file: String,
        line: Option<u64>,
        reason: String,
    },
    #[error("the request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// An upload over a limit other than its size in bytes (parts, entries, compression ratio),
    /// the message naming which.
    #[error("{0}")]
    UploadTooLarge(String),
    #[error("the request's headers take more than the limit of {limit} bytes")]
    HeadersTooLarge { limit: usize },
    #[error("the request body is not valid: {0}")]
    InvalidBody(String),
    #[error("the query string is not valid: {0}")]
    InvalidQuery(String),
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    #[error("too many requests; try again in {} s", retry_after_secs(.retry_after))]
    RateLimited { retry_after: Duration },
    #[error(
        "Letterboxd refused to serve this profile to the service; upload the member's export \
         (Settings > Import & Export on letterboxd.com) instead"
    )]
    UpstreamBlocked,
    #[error(
        "too many profiles are waiting to be read from Letterboxd; try again in {} s, or upload \
         the member's export (Settings > Import & Export on letterboxd.com), which needs no wait",
        retry_after_secs(.retry_after)
    )]
    ScrapeQueueFull { retry_after: Duration },
    #[error(
        "Letterboxd did not answer properly; try again later, or upload the member's export \
         (Settings > Import & Export on letterboxd.com), which does not need Letterboxd"
    )]
    UpstreamUnavailable,
    /// Letterboxd answered 429 to every attempt: its wait, bounded, is the client's.
    #[error(
        "Letterboxd asks the service to slow down; try again in {} s, or upload the member's \
         export (Settings > Import & Export on letterboxd.com), which needs no wait",
        retry_after_secs(.retry_after)
    )]
    UpstreamRateLimited { retry_after: Duration },
    #[error("the request took longer than its {} s deadline", .0.as_secs())]
    Timeout(Duration),
    #[error("there is nothing at this address")]
    NotFound,
    #[error("a valid `Authorization: Bearer <token>` header is required")]
    Unauthorized,
    /// A browser on an origin CORS does not let in: the message names the setting that would.
    #[error(
        "a browser page on `{0}` may not call this API: the server's CORS_ALLOWED_ORIGINS \
         (comma-separated origins such as https://app.example.com, or `*`) does not list it"
    )]
    OriginNotAllowed(String),
    #[error("not ready: {0}")]
    NotReady(Readiness),
    /// The database failed a request that needs it (down, restarting): the cause goes to the log.
    #[error("the database is unavailable; try again in {} s", STORE_RETRY_AFTER.as_secs())]
    StoreUnavailable(#[source] anyhow::Error),
    #[error(
        "the film catalog is empty, so no export can be matched to films: the operator must \
         import the dataset (`reel import`) or build it from Letterboxd (`reel catalog seed`, then \
         `reel catalog refresh`) first"
    )]
    CatalogEmpty,
    #[error(
        "`model: general` needs the general model, which is not trained yet: the operator must \
         run `reel train general`; `model: default` answers meanwhile (from the member's own \
         ratings)"
    )]
    ModelNotLoaded,
    #[error("an unexpected error occurred")]
    Internal(#[source] anyhow::Error),
}

/// What every problem of one kind shares.
struct Kind {
    status: StatusCode,
    code: ProblemCode,
    title: &'static str,
}

const fn kind(status: StatusCode, code: ProblemCode, title: &'static str) -> Kind {
    Kind {
        status,
        code,
        title,
    }
}

impl ApiError {
    fn kind(&self) -> Kind {
        use ProblemCode as C;
        use StatusCode as S;
        match self {
            Self::InvalidMember(_) => kind(S::BAD_REQUEST, C::InvalidMember, "Invalid member"),
            Self::MemberNotFound(_) => kind(S::NOT_FOUND, C::MemberNotFound, "Member not found"),
            Self::ProfileNotFound(_) => kind(
                S::NOT_FOUND,
                C::ProfileNotFound,
                "Uploaded profile not found",
            ),
            Self::ProfilePrivate(_) => kind(S::FORBIDDEN, C::ProfilePrivate, "Profile is private"),
            Self::ListNotFound { .. } => kind(S::NOT_FOUND, C::ListNotFound, "List not found"),
            Self::NotEnoughRatings { .. } => kind(
                S::UNPROCESSABLE_ENTITY,
                C::NotEnoughRatings,
                "Not enough ratings",
            ),
            Self::NoCandidates => kind(S::UNPROCESSABLE_ENTITY, C::NoCandidates, "No candidates"),
            Self::WatchlistEmpty(_) => kind(
                S::UNPROCESSABLE_ENTITY,
                C::WatchlistEmpty,
                "Watchlist is empty",
            ),
            Self::NoOverlap => kind(S::UNPROCESSABLE_ENTITY, C::NoOverlap, "No overlap"),
            Self::UploadInvalid { .. } => {
                kind(S::UNPROCESSABLE_ENTITY, C::UploadInvalid, "Invalid upload")
            }
            Self::PayloadTooLarge { .. } | Self::UploadTooLarge(_) => kind(
                S::PAYLOAD_TOO_LARGE,
                C::PayloadTooLarge,
                "Payload too large",
            ),
            Self::HeadersTooLarge { .. } => kind(
                S::REQUEST_HEADER_FIELDS_TOO_LARGE,
                C::HeadersTooLarge,
                "Request header fields too large",
            ),
            Self::InvalidBody(_) => kind(S::BAD_REQUEST, C::InvalidBody, "Invalid request body"),
            Self::InvalidQuery(_) => kind(S::BAD_REQUEST, C::InvalidQuery, "Invalid query"),
            Self::UnsupportedMediaType => kind(
                S::UNSUPPORTED_MEDIA_TYPE,
                C::UnsupportedMediaType,
                "Unsupported media type",
            ),
            Self::RateLimited { .. } => kind(S::TOO_MANY_REQUESTS, C::RateLimited, "Rate limited"),
            Self::UpstreamBlocked => kind(
                S::SERVICE_UNAVAILABLE,
                C::UpstreamBlocked,
                "Letterboxd blocked the request",
            ),
            Self::ScrapeQueueFull { .. } => kind(
                S::SERVICE_UNAVAILABLE,
                C::ScrapeQueueFull,
                "Scrape queue full",
            ),
            Self::UpstreamRateLimited { .. } => kind(
                S::SERVICE_UNAVAILABLE,
                C::UpstreamRateLimited,
                "Letterboxd rate limited the service",
            ),
            Self::UpstreamUnavailable => kind(
                S::BAD_GATEWAY,
                C::UpstreamUnavailable,
                "Letterboxd unavailable",
            ),
            Self::Timeout(_) => kind(S::GATEWAY_TIMEOUT, C::Timeout, "Request timed out"),
            Self::NotFound => kind(S::NOT_FOUND, C::NotFound, "Not found"),
            Self::Unauthorized => kind(S::UNAUTHORIZED, C::Unauthorized, "Unauthorized"),
            Self::OriginNotAllowed(_) => {
                kind(S::FORBIDDEN, C::OriginNotAllowed, "Origin not allowed")
            }
            Self::NotReady(_) | Self::StoreUnavailable(_) => {
                kind(S::SERVICE_UNAVAILABLE, C::NotReady, "Not ready")
            }
            Self::CatalogEmpty => kind(S::SERVICE_UNAVAILABLE, C::CatalogEmpty, "Catalog is empty"),
            Self::ModelNotLoaded => kind(
                S::SERVICE_UNAVAILABLE,
                C::ModelNotLoaded,
                "Model not loaded",
            ),
            Self::Internal(_) => kind(S::INTERNAL_SERVER_ERROR, C::Internal, "Internal error"),
        }
    }

    /// The stable machine-readable code, also the last segment of the problem `type`.
    pub fn code(&self) -> ProblemCode {
        self.kind().code
    }

    pub fn problem(&self) -> Problem {
        let Kind {
            status,
            code,
            title,
        } = self.kind();
        let detail = match self {
            // The cause may hold SQL, hosts or paths: it goes to the log, never to the client.
            Self::Internal(_) => "An unexpected error occurred. It has been logged.".to_owned(),
            other => other.to_string(),
        };
        Problem {
            kind: problem_type(code),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            code,
            checks: match self {
                Self::NotReady(readiness) => Some(readiness.clone()),
                Self::StoreUnavailable(_) => Some(Readiness {
                    database: Check::Failed,
                    migrations: Check::Skipped,
                    catalog: Check::Ok,
                }),
                _ => None,
            },
            request_id: None,
        }
    }
}

/// An RFC 9457 problem details object, with this API's extension members.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Problem {
    /// `/problems/<code>`: stable and unique, and a page of this server that explains the code.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ProblemCode,
    /// Which readiness checks passed (only for `not_ready`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checks: Option<Readiness>,
    /// The request's `X-Request-Id`, added to the body by the outermost middleware (an error does
    /// not know its request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// The problem's `type`: the path of the page explaining its code, relative so that it resolves
/// against whichever server answered (RFC 9457, section 3.1.1).
pub fn problem_type(code: ProblemCode) -> String {
    format!("{PROBLEM_PAGES}/{code}")
}

/// Where the pages explaining each problem code are served.
pub const PROBLEM_PAGES: &str = "/problems";

impl Problem {
    /// A problem for a response the framework produced itself (an unknown method, a CORS refusal):
    /// named after its status, with the framework's message when it is meant for clients.
    pub fn from_status(status: StatusCode, detail: Option<String>) -> Self {
        use ProblemCode as C;
        let code = match status.as_u16() {
            401 => C::Unauthorized,
            403 => C::Forbidden,
            404 => C::NotFound,
            405 => C::MethodNotAllowed,
            406 => C::NotAcceptable,
            408 => C::RequestTimeout,
            413 => C::PayloadTooLarge,
            414 => C::UriTooLong,
            415 => C::UnsupportedMediaType,
            431 => C::HeadersTooLarge,
            _ if status.is_client_error() => C::BadRequest,
            _ => C::Internal,
        };
        let reason = status.canonical_reason().unwrap_or("Error");
        let detail = match detail {
            Some(detail) if status.is_client_error() => detail,
            _ => reason.to_owned(),
        };
        Self {
            kind: problem_type(code),
            title: reason.to_owned(),
            status: status.as_u16(),
            detail,
            code,
            checks: None,
            request_id: None,
        }
    }

    pub fn response(&self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(self).unwrap_or_default();
        HttpResponse::build(status)
            .insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE))
            .body(body)
    }
}

/// The lists an upload has, as a problem detail names them (the first 20).
fn list_names(lists: &[String]) -> String {
    const SHOWN: usize = 20;
    if lists.is_empty() {
        return "none (the export had no `lists/*.csv`)".to_owned();
    }
    let mut shown: Vec<String> = lists.iter().take(SHOWN).map(|l| format!("`{l}`")).collect();
    if lists.len() > SHOWN {
        shown.push(format!("and {} more", lists.len() - SHOWN));
    }
    shown.join(", ")
}

/// Whole seconds for `Retry-After`, rounded up so a client never retries too early.
fn retry_after_secs(retry_after: &Duration) -> u64 {
    let secs = retry_after.as_secs();
    if retry_after.subsec_nanos() > 0 || secs == 0 {
        secs + 1
    } else {
        secs
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.kind().status
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(err) => tracing::error!(error = format!("{err:#}"), "internal error"),
            Self::StoreUnavailable(err) => {
                tracing::warn!(error = format!("{err:#}"), "database unavailable");
            }
            _ => {}
        }
        let mut response = self.problem().response();
        let headers = response.headers_mut();
        match self {
            Self::RateLimited { retry_after }
            | Self::ScrapeQueueFull { retry_after }
            | Self::UpstreamRateLimited { retry_after } => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs(retry_after)),
                );
            }
            Self::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            Self::StoreUnavailable(_) => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(STORE_RETRY_AFTER.as_secs()),
                );
            }
            Self::CatalogEmpty | Self::ModelNotLoaded => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(CATALOG_RETRY_AFTER.as_secs()),
                );
            }
            _ => {}
        }
        response
    }
}

/// A store error met outside the services (the admin reload): 503 with `Retry-After` when the
/// database is unreachable or restarting, like every service error of that class, else 500.
impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> Self {
        if err.is_unavailable() {
            Self::StoreUnavailable(err.into())
        } else {
            Self::Internal(err.into())
        }
    }
}

impl ApiError {
    /// Letterboxd's 429: its `Retry-After` brought within [`UPSTREAM_RETRY_AFTER`].
    pub fn upstream_rate_limited(asked: Duration) -> Self {
        Self::UpstreamRateLimited {
            retry_after: asked.clamp(*UPSTREAM_RETRY_AFTER.start(), *UPSTREAM_RETRY_AFTER.end()),
        }
    }

    /// A JSON extractor's refusal, for a route whose body limit is `limit` bytes.
    pub fn from_json(err: actix_web::error::JsonPayloadError, limit: usize) -> Self {
        use actix_web::error::{JsonPayloadError as J, PayloadError as P};
        match err {
            J::Overflow { .. } | J::OverflowKnownLength { .. } | J::Payload(P::Overflow) => {
                Self::PayloadTooLarge { limit }
            }
            J::ContentType => Self::UnsupportedMediaType,
            // serde_json's message names the field and position, never server internals.
            J::Deserialize(err) => Self::InvalidBody(err.to_string()),
            other => Self::InvalidBody(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests;
