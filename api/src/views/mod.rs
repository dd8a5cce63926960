//! The API's request and response bodies: what clients send and see, kept apart from the domain
//! types so the contract changes only on purpose. Requests parse into domain values here, at the
//! edge (parse, don't validate); handlers never see raw strings.

mod member;
mod recommendations;

pub use member::{MAX_MEMBERS, MemberRef, MemberRefError, UploadId, parse_members};
pub use recommendations::{
    FiltersBody, ModelChoice, RecommendationsQuery, RecommendationsRequest, RequestError,
};
