use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{DiaryEntry, FilmKey, FilmRef, Rating, Username};

/// A member's diary as everything downstream sees it, whether scraped or uploaded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Absent for an anonymous uploaded export whose owner is not known.
    pub username: Option<Username>,
    /// One rating per film; for rewatches, the latest.
    pub ratings: Vec<(FilmKey, Rating)>,
    /// Liked films, rated or not.
    pub likes: Vec<FilmKey>,
    /// Watched but never rated.
    pub watched: Vec<FilmKey>,
    pub watchlist: Vec<FilmKey>,
    /// Every film the profile mentions, so the catalog grows from profiles.
    pub films_seen: Vec<FilmRef>,
    /// Every dated watch, oldest first; empty when no source gave dates.
    #[serde(default)]
    pub diary: Vec<DiaryEntry>,
}

impl Profile {
    /// Films the member has seen, rated or not.
    pub fn seen(&self) -> HashSet<&FilmKey> {
        self.ratings
            .iter()
            .map(|(slug, _)| slug)
            .chain(&self.watched)
            .collect()
    }

    pub fn rating_of(&self, slug: &FilmKey) -> Option<Rating> {
        self.ratings
            .iter()
            .find(|(s, _)| s == slug)
            .map(|(_, r)| *r)
    }
}
