//! The error body every endpoint may answer with, as the OpenAPI document describes it.

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
    /// This request's `X-Request-Id` (the client's own when it sent a plain one of up to 128
    /// characters, else one the server made): quote it when reporting a problem, it finds the
    /// request's log lines.
    #[schema(example = "5f0c6a0e-8d0b-4c55-9a55-2f7d7b3c1e42")]
    pub request_id: String,
}

/// Every stable problem code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    InvalidMember,
    InvalidBody,
    InvalidQuery,
    BadRequest,
    Unauthorized,
    Forbidden,
    ProfilePrivate,
    NotFound,
    MemberNotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
    NotEnoughRatings,
    NoCandidates,
    WatchlistEmpty,
    NoOverlap,
    UploadInvalid,
    RateLimited,
    Internal,
    UpstreamUnavailable,
    UpstreamBlocked,
    NotReady,
    Timeout,
}
