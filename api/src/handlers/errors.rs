//! Service and request errors become the API's problems here; which status and code each problem
//! has is decided in one place, [`ApiError`].

use crate::domain::{MemberRefError, RequestError};
use crate::http::ApiError;
use crate::http::health::{Check, Readiness};
use crate::limits::Denied;
use crate::services::ServiceError;

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::InvalidMember(member) => ApiError::InvalidMember(member),
            ServiceError::MemberNotFound(member) => ApiError::MemberNotFound(member),
            ServiceError::ProfileNotFound(id) => ApiError::ProfileNotFound(id),
            ServiceError::ProfilePrivate(member) => ApiError::ProfilePrivate(member),
            ServiceError::ListNotFound {
                profile,
                name,
                lists,
            } => ApiError::ListNotFound {
                profile,
                name,
                lists,
            },
            count @ ServiceError::FilmCount { .. } => ApiError::InvalidBody(count.to_string()),
            ServiceError::NotEnoughRatings { member, have, need } => {
                ApiError::NotEnoughRatings { member, have, need }
            }
            ServiceError::NoCandidates => ApiError::NoCandidates,
            ServiceError::WatchlistEmpty(member) => ApiError::WatchlistEmpty(member),
            ServiceError::NoOverlap => ApiError::NoOverlap,
            ServiceError::UploadInvalid { file, line, reason } => {
                ApiError::UploadInvalid { file, line, reason }
            }
            ServiceError::UploadTooLarge(detail) => ApiError::UploadTooLarge(detail),
            ServiceError::UpstreamBlocked => ApiError::UpstreamBlocked,
            ServiceError::UpstreamUnavailable => ApiError::UpstreamUnavailable,
            // Letterboxd asked the service to wait: so must the client, for a wait of its own
            // making (503), not for having used up its own limit (429).
            ServiceError::UpstreamRateLimited(asked) => ApiError::upstream_rate_limited(asked),
            ServiceError::ScrapeQueueFull { retry_after } => {
                ApiError::ScrapeQueueFull { retry_after }
            }
            ServiceError::CatalogNotLoaded => ApiError::NotReady(Readiness {
                database: Check::Ok,
                migrations: Check::Ok,
                catalog: Check::Failed,
            }),
            ServiceError::CatalogEmpty => ApiError::CatalogEmpty,
            ServiceError::ModelNotLoaded => ApiError::ModelNotLoaded,
            ServiceError::StoreUnavailable(err) => {
                ApiError::StoreUnavailable(anyhow::anyhow!("{err:#}"))
            }
            ServiceError::Internal(err) => ApiError::Internal(anyhow::anyhow!("{err:#}")),
        }
    }
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        Self::RateLimited {
            retry_after: denied.retry_after,
        }
    }
}

impl From<RequestError> for ApiError {
    fn from(err: RequestError) -> Self {
        match err {
            RequestError::Member(MemberRefError::Invalid(member)) => {
                ApiError::InvalidMember(member)
            }
            // Too many, too few or repeated members: the body is wrong, not a member.
            RequestError::Member(other) => ApiError::InvalidBody(other.to_string()),
            other => ApiError::InvalidBody(other.to_string()),
        }
    }
}

impl From<MemberRefError> for ApiError {
    fn from(err: MemberRefError) -> Self {
        RequestError::Member(err).into()
    }
}
