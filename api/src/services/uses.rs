//! Counting uses without a database write per request: a member's first use in this process is
//! written at once (it creates the member and gives its id); later ones are counted in memory
//! and written in one batch by [`UseCounter::flush`], which the service runs every
//! [`FLUSH_EVERY`], before reading the usage series, and on shutdown.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use model::Username;

use super::ServiceError;
use super::ports::{CountedUses, MemberStore, StoredMember};

/// How long uses may wait in memory: a crash loses at most this much of the usage series.
pub const FLUSH_EVERY: Duration = Duration::from_secs(2);
/// Members whose id is remembered; beyond, the least recently used are forgotten (and their next
/// use is written at once again).
const KNOWN_MEMBERS: u64 = 100_000;

pub struct UseCounter {
    store: Arc<dyn MemberStore>,
    known: moka::future::Cache<Username, StoredMember>,
    pending: Mutex<HashMap<(StoredMember, NaiveDate), Pending>>,
    /// One flush at a time, so a batch that failed is put back before the next is taken.
    flushing: tokio::sync::Mutex<()>,
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    uses: u32,
    last_seen: DateTime<Utc>,
}

impl UseCounter {
    pub fn new(store: Arc<dyn MemberStore>) -> Self {
        Self {
            store,
            known: moka::future::Cache::new(KNOWN_MEMBERS),
            pending: Mutex::new(HashMap::new()),
            flushing: tokio::sync::Mutex::new(()),
        }
    }

    /// Counts one use of `user` at `at` and returns the stored member.
    pub async fn record(
        &self,
        user: &Username,
        at: DateTime<Utc>,
    ) -> Result<StoredMember, ServiceError> {
        if let Some(member) = self.known.get(user).await {
            self.add(member, at, 1);
            return Ok(member);
        }
        let member = self
            .store
            .record_use(user, at)
            .await
            .map_err(ServiceError::internal)?;
        self.known.insert(user.clone(), member).await;
        Ok(member)
    }

    fn add(&self, member: StoredMember, at: DateTime<Utc>, uses: u32) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = pending.entry((member, at.date_naive())).or_insert(Pending {
            uses: 0,
            last_seen: at,
        });
        entry.uses += uses;
        entry.last_seen = entry.last_seen.max(at);
    }

    /// Writes every use counted so far. On failure they stay counted for the next flush.
    pub async fn flush(&self) -> Result<(), ServiceError> {
        let _one_at_a_time = self.flushing.lock().await;
        let batch: Vec<CountedUses> = {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            pending
                .drain()
                .map(|((member, day), counted)| CountedUses {
                    member,
                    day,
                    uses: counted.uses,
                    last_seen: counted.last_seen,
                })
                .collect()
        };
        if batch.is_empty() {
            return Ok(());
        }
        if let Err(err) = self.store.add_uses(&batch).await {
            for counted in &batch {
                self.add(counted.member, counted.last_seen, counted.uses);
            }
            return Err(ServiceError::internal(err));
        }
        Ok(())
    }

    /// Flushes every [`FLUSH_EVERY`] until the task is dropped.
    pub fn spawn_flusher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let counter = Arc::clone(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(FLUSH_EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                if let Err(err) = counter.flush().await {
                    tracing::warn!(error = %err, "uses not written yet; retrying");
                }
            }
        })
    }
}
