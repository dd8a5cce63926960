//! `reel stats refresh`: recomputes every member's statistics snapshot, the numbers a member's
//! percentiles are ranked against. Each run adds one snapshot per member (the latest counts);
//! members with fewer ratings than recommendations need are left out, as the API leaves them out.

use chrono::Utc;
use model::stats::{StatsError, member_statistics};
use model::{FilmKey, Rating};

use super::error::JobError;
use super::progress::Progress;
use crate::store::Store;

/// What a statistics refresh did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StatsRefreshReport {
    /// Members whose snapshot was stored.
    pub snapshots: u64,
    /// Members with too few ratings for statistics.
    pub skipped: u64,
}

/// Stores a fresh statistics snapshot for every member with enough ratings.
pub async fn refresh_stats(
    store: &Store,
    progress: &Progress,
) -> Result<StatsRefreshReport, JobError> {
    let catalog = super::calibrated_catalog(store.load_catalog_films().await?);
    let matrix = store.load_all_ratings().await?;
    progress.set_total(matrix.members.len() as u64);
    // Entries come ordered by member: one diary after another.
    let mut diaries: Vec<Vec<(FilmKey, Rating)>> = vec![Vec::new(); matrix.members.len()];
    for entry in &matrix.entries {
        if let (Some(diary), Some(slug)) = (
            diaries.get_mut(entry.member as usize),
            matrix.films.get(entry.film as usize),
        ) {
            diary.push((slug.clone(), entry.rating));
        }
    }
    let computed_at = Utc::now();
    let mut report = StatsRefreshReport::default();
    // A snapshot is the member's own numbers; the community histograms and the others'
    // snapshots only feed the percentiles and distributions, which are not stored.
    let no_community = |_: model::FilmIndex| None;
    for (username, diary) in matrix.members.iter().zip(&diaries) {
        match member_statistics(diary, &catalog, &no_community, &[]) {
            Ok(statistics) => {
                let member = store.ensure_member(username).await?;
                store
                    .insert_stats_snapshot(member, &statistics.snapshot(), computed_at)
                    .await?;
                report.snapshots += 1;
            }
            Err(StatsError::NotEnoughRatings { .. }) => report.skipped += 1,
        }
        progress.inc(1);
    }
    Ok(report)
}
