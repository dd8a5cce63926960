//! The match ranking's order of every catalog film for each member: what recommendations and
//! ranked watchlist picks sort by with `rank_by: match`, while the stars shown stay the predicted
//! ratings.

use std::sync::{Arc, LazyLock};

use model::recommend::{MatchParams, MatchRanking, MatchSignals};
use model::{Catalog, FilmIndex, Profile};

use super::scores::Scores;

/// The match ranking with its tuned weights (`docs/models.md`); `None` only if they were ever
/// edited into an invalid set, and then lists fall back to predicted rating.
static MATCH_RANKING: LazyLock<Option<MatchRanking>> =
    LazyLock::new(|| MatchParams::default().check().ok());

/// Each member's match score of every catalog film, or `None` when any member's cannot be
/// computed: the members of one list are all ordered the same way. CPU-bound (one pass over the
/// catalog per member): call it off the async workers.
pub(super) fn match_orders(
    profiles: &[Arc<Profile>],
    trained: &[Arc<Scores>],
    signals: &MatchSignals,
    catalog: &Catalog,
) -> Option<Vec<Vec<f32>>> {
    let ranking = MATCH_RANKING.as_ref()?;
    profiles
        .iter()
        .zip(trained)
        .map(|(profile, scores)| {
            ranking
                .scores(scores.by_film(), &watched_films(profile, catalog), signals)
                .ok()
        })
        .collect()
}

/// The catalog films a member watched: rated, liked or logged.
fn watched_films(profile: &Profile, catalog: &Catalog) -> Vec<FilmIndex> {
    let mut watched: Vec<FilmIndex> = profile
        .ratings
        .iter()
        .map(|(key, _)| key)
        .chain(&profile.watched)
        .chain(&profile.likes)
        .filter_map(|key| catalog.index_of(key))
        .collect();
    watched.sort_unstable();
    watched.dedup();
    watched
}
