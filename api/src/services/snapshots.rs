//! Every member's latest statistics snapshot, held in memory for percentiles: reading them all
//! from the store on every request was most of a statistics request's cost. This process's own
//! snapshots are added as they are saved; the store is read again every [`REFRESH_EVERY`] for
//! what other replicas and the statistics job wrote.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use chrono::{DateTime, Utc};
use model::stats::StatsSnapshot;

use super::ServiceError;
use super::ports::{MemberStore, StoredMember, StoredSnapshot};

/// How stale another replica's (or the job's) snapshots may be here.
pub const REFRESH_EVERY: Duration = Duration::from_secs(15);

#[derive(Default)]
pub struct Snapshots {
    state: Mutex<State>,
    /// One store read at a time; requests meanwhile use what is loaded.
    loading: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    loaded_at: Option<Instant>,
    latest: HashMap<StoredMember, (DateTime<Utc>, StatsSnapshot)>,
}

impl State {
    /// Keeps the newer of what is held and `stored` (a store read may predate a local save).
    fn merge(&mut self, stored: StoredSnapshot) {
        let newer = self
            .latest
            .get(&stored.member)
            .is_none_or(|(at, _)| *at <= stored.computed_at);
        if newer {
            self.latest
                .insert(stored.member, (stored.computed_at, stored.snapshot));
        }
    }
}

impl Snapshots {
    /// Everyone's latest snapshot but `member`'s.
    pub async fn others(
        &self,
        store: &dyn MemberStore,
        member: Option<StoredMember>,
    ) -> Result<Vec<StatsSnapshot>, ServiceError> {
        self.refresh_if_stale(store).await?;
        Ok(self
            .lock()
            .latest
            .iter()
            .filter(|(who, _)| Some(**who) != member)
            .map(|(_, (_, snapshot))| *snapshot)
            .collect())
    }

    /// Stores `snapshot` as `member`'s latest, unless it is what is held already.
    pub async fn save(
        &self,
        store: &dyn MemberStore,
        member: StoredMember,
        snapshot: StatsSnapshot,
        at: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let unchanged = self
            .lock()
            .latest
            .get(&member)
            .is_some_and(|(_, held)| *held == snapshot);
        if unchanged {
            return Ok(());
        }
        store
            .save_snapshot(member, &snapshot, at)
            .await
            .map_err(ServiceError::internal)?;
        self.lock().merge(StoredSnapshot {
            member,
            computed_at: at,
            snapshot,
        });
        Ok(())
    }

    async fn refresh_if_stale(&self, store: &dyn MemberStore) -> Result<(), ServiceError> {
        let loaded = self.lock().loaded_at;
        let stale = loaded.is_none_or(|at| at.elapsed() >= REFRESH_EVERY);
        if !stale {
            return Ok(());
        }
        let _loading = match (loaded, self.loading.try_lock()) {
            (_, Ok(guard)) => guard,
            // Another request is reading the store: what is loaded will do meanwhile.
            (Some(_), Err(_)) => return Ok(()),
            // Nothing loaded yet: wait for that read, then check again.
            (None, Err(_)) => self.loading.lock().await,
        };
        if self
            .lock()
            .loaded_at
            .is_some_and(|at| at.elapsed() < REFRESH_EVERY)
        {
            return Ok(());
        }
        let read_at = Instant::now();
        let stored = store
            .latest_snapshots()
            .await
            .map_err(ServiceError::internal)?;
        let mut state = self.lock();
        for snapshot in stored {
            state.merge(snapshot);
        }
        state.loaded_at = Some(read_at);
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
