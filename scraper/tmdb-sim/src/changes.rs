//! Edits to the world after start: a changed title gets a new revision (its figures and offers
//! differ from then on) and an entry in the changes feed on the day it changed.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;

use crate::films_file::Kind;

/// The shared change log; cheap to clone.
#[derive(Clone, Default)]
pub struct Changes {
    inner: Arc<RwLock<Log>>,
}

#[derive(Default)]
struct Log {
    revisions: HashMap<(Kind, u64), u32>,
    entries: Vec<(NaiveDate, Kind, u64)>,
}

impl Changes {
    /// Marks `ids` of `kind` changed on `date`.
    pub fn mark(&self, kind: Kind, ids: &[u64], date: NaiveDate) {
        if let Ok(mut log) = self.inner.write() {
            for &id in ids {
                *log.revisions.entry((kind, id)).or_insert(0) += 1;
                log.entries.push((date, kind, id));
            }
        }
    }

    /// How many times a title was changed (0: as built).
    pub fn revision(&self, kind: Kind, id: u64) -> u32 {
        self.inner
            .read()
            .ok()
            .and_then(|log| log.revisions.get(&(kind, id)).copied())
            .unwrap_or(0)
    }

    /// The ids of `kind` changed from `start` to `end` (both inclusive), ascending, each once.
    pub fn between(&self, kind: Kind, start: NaiveDate, end: NaiveDate) -> Vec<u64> {
        let mut ids: Vec<u64> = self
            .inner
            .read()
            .map(|log| {
                log.entries
                    .iter()
                    .filter(|(date, k, _)| *k == kind && (start..=end).contains(date))
                    .map(|(_, _, id)| *id)
                    .collect()
            })
            .unwrap_or_default();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_listed_by_day_and_bump_revisions() {
        let changes = Changes::default();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        changes.mark(Kind::Movie, &[5, 3], day(1));
        changes.mark(Kind::Movie, &[3], day(3));
        changes.mark(Kind::Tv, &[9], day(3));
        assert_eq!(changes.between(Kind::Movie, day(1), day(3)), [3, 5]);
        assert_eq!(changes.between(Kind::Movie, day(2), day(3)), [3]);
        assert_eq!(changes.revision(Kind::Movie, 3), 2);
        assert_eq!(changes.revision(Kind::Tv, 3), 0);
    }
}
