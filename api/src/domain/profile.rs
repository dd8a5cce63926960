//! A member resolved to a profile, ready for the models.

use std::sync::Arc;

use model::Profile;

use super::member::MemberRef;

/// A stored member's id, as the store numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StoredMember(pub i64);

/// Where a resolved profile came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileOrigin {
    Scraped,
    Cached,
    Upload,
}

/// A member's profile, ready for the models.
#[derive(Debug, Clone)]
pub struct ResolvedProfile {
    /// How the request named the member (normalised username or upload id).
    pub member: MemberRef,
    pub profile: Arc<Profile>,
    pub origin: ProfileOrigin,
    /// The stored member, for usernames (uploads are anonymous to the store).
    pub stored: Option<StoredMember>,
}

impl ResolvedProfile {
    pub fn name(&self) -> String {
        self.member.to_string()
    }
}
