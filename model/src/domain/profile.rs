use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{FilmRef, Rating, Slug, Username};

/// A member's diary as everything downstream sees it, whether scraped or uploaded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Absent for an anonymous uploaded export whose owner is not known.
    pub username: Option<Username>,
    /// One rating per film; for rewatches, the latest.
    pub ratings: Vec<(Slug, Rating)>,
    /// Liked films, rated or not.
    pub likes: Vec<Slug>,
    /// Watched but never rated.
    pub watched: Vec<Slug>,
    pub watchlist: Vec<Slug>,
    /// Every film the profile mentions, so the catalog grows from profiles.
    pub films_seen: Vec<FilmRef>,
}

impl Profile {
    /// Films the member has seen, rated or not.
    pub fn seen(&self) -> HashSet<&Slug> {
        self.ratings
            .iter()
            .map(|(slug, _)| slug)
            .chain(&self.watched)
            .collect()
    }

    pub fn rating_of(&self, slug: &Slug) -> Option<Rating> {
        self.ratings
            .iter()
            .find(|(s, _)| s == slug)
            .map(|(_, r)| *r)
    }
}
