//! The resumable crawl queue behind `catalog refresh` and `ratings refresh`.
//!
//! One row per (kind, key). A run queues its keys; workers claim batches with
//! `FOR UPDATE SKIP LOCKED` (so several share a run without taking the same item), then complete,
//! fail or release them. A claim older than the stale timeout belongs to a killed worker and is
//! claimable again, so a killed run continues where it stopped.

use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Double, Integer, Text};
use diesel_async::RunQueryDsl;
use model::FilmKey;

use super::schema::crawl_jobs;
use super::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrawlKind {
    /// Letterboxd film pages, by slug.
    Film,
    /// Letterboxd members' diaries, by username.
    Member,
    /// TMDB details, by `tmdb:` key.
    Tmdb,
}

impl CrawlKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CrawlKind::Film => "film",
            CrawlKind::Member => "member",
            CrawlKind::Tmdb => "tmdb",
        }
    }
}

/// A claimed item.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct CrawlJob {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// A film slug or a username, per the kind.
    #[diesel(sql_type = Text)]
    pub key: String,
    /// Claims so far, this one included.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

/// What happened to a failed item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    /// Back in the queue for a later claim.
    Retry,
    /// Out of attempts: left as `failed` until the next run re-queues it.
    GaveUp,
}

/// Items of one kind per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub queued: i64,
    pub claimed: i64,
    pub done: i64,
    pub failed: i64,
}

impl QueueCounts {
    /// Nothing left to claim or finish.
    pub fn is_drained(&self) -> bool {
        self.queued == 0 && self.claimed == 0
    }
}

const CLAIM: &str = "\
UPDATE crawl_jobs AS j
SET status = 'claimed', claimed_by = $2, claimed_at = now(), attempts = j.attempts + 1
FROM (
    SELECT id FROM crawl_jobs
    WHERE kind = $1
      AND (status = 'queued'
           OR (status = 'claimed' AND claimed_at < now() - make_interval(secs => $4)))
    ORDER BY id
    LIMIT $3
    FOR UPDATE SKIP LOCKED
) AS c
WHERE j.id = c.id
RETURNING j.id, j.key, j.attempts";

impl Store {
    /// Adds keys the queue has never seen; keys already queued, claimed, done or failed are left
    /// alone. Returns how many were added.
    pub async fn queue_crawl(&self, kind: CrawlKind, keys: &[String]) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(
            "INSERT INTO crawl_jobs (kind, key) SELECT $1, k FROM unnest($2::text[]) AS k \
             ON CONFLICT (kind, key) DO NOTHING",
        )
        .bind::<Text, _>(kind.as_str())
        .bind::<Array<Text>, _>(keys)
        .execute(&mut conn)
        .await?)
    }

    /// Queues the film slugs the catalog does not hold and the queue has never seen (films a
    /// profile mentions). Returns how many were added.
    pub async fn queue_unknown_films(&self, slugs: &[FilmKey]) -> Result<usize, StoreError> {
        let keys: Vec<&str> = slugs.iter().map(FilmKey::as_str).collect();
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(
            "INSERT INTO crawl_jobs (kind, key) \
             SELECT 'film', k FROM unnest($1::text[]) AS k \
             WHERE NOT EXISTS (SELECT 1 FROM films WHERE key = k OR slug = k) \
             ON CONFLICT (kind, key) DO NOTHING",
        )
        .bind::<Array<Text>, _>(keys)
        .execute(&mut conn)
        .await?)
    }

    /// Starts a new run over `keys`: finished and failed items go back to the queue with their
    /// attempts reset, unseen keys are added, and items queued or claimed stay as they are (a
    /// run already under way keeps its progress). Returns how many items were (re)queued.
    pub async fn requeue_crawl(
        &self,
        kind: CrawlKind,
        keys: &[String],
    ) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(
            "INSERT INTO crawl_jobs AS j (kind, key) SELECT $1, k FROM unnest($2::text[]) AS k \
             ON CONFLICT (kind, key) DO UPDATE \
             SET status = 'queued', attempts = 0, claimed_by = NULL, claimed_at = NULL, \
                 last_error = NULL, done_at = NULL, queued_at = now() \
             WHERE j.status IN ('done', 'failed')",
        )
        .bind::<Text, _>(kind.as_str())
        .bind::<Array<Text>, _>(keys)
        .execute(&mut conn)
        .await?)
    }

    /// Claims up to `limit` queued items for `worker` in one statement, skipping rows other
    /// workers hold, and taking over claims older than `stale_after` (their worker died).
    pub async fn claim_crawl_jobs(
        &self,
        kind: CrawlKind,
        worker: &str,
        limit: u32,
        stale_after: Duration,
    ) -> Result<Vec<CrawlJob>, StoreError> {
        let mut conn = self.conn().await?;
        let mut jobs: Vec<CrawlJob> = diesel::sql_query(CLAIM)
            .bind::<Text, _>(kind.as_str())
            .bind::<Text, _>(worker)
            .bind::<BigInt, _>(i64::from(limit))
            .bind::<Double, _>(stale_after.as_secs_f64())
            .load(&mut conn)
            .await?;
        jobs.sort_by_key(|job| job.id);
        Ok(jobs)
    }

    /// Marks items `worker` claimed as done. Items whose claim another worker took over are not
    /// touched. Returns how many were marked.
    pub async fn complete_crawl_jobs(
        &self,
        worker: &str,
        ids: &[i64],
    ) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::update(
            crawl_jobs::table
                .filter(crawl_jobs::id.eq_any(ids))
                .filter(crawl_jobs::status.eq("claimed"))
                .filter(crawl_jobs::claimed_by.eq(worker)),
        )
        .set((
            crawl_jobs::status.eq("done"),
            crawl_jobs::done_at.eq(diesel::dsl::now),
            crawl_jobs::last_error.eq(None::<String>),
        ))
        .execute(&mut conn)
        .await?)
    }

    /// Records a failure of a claimed item: back to the queue while it has attempts left, else
    /// `failed`. `None` when `worker` no longer holds the claim.
    pub async fn fail_crawl_job(
        &self,
        worker: &str,
        id: i64,
        error: &str,
        max_attempts: u32,
    ) -> Result<Option<FailOutcome>, StoreError> {
        let max_attempts = i32::try_from(max_attempts).unwrap_or(i32::MAX);
        let mut conn = self.conn().await?;
        let status: Option<String> = diesel::sql_query(
            "UPDATE crawl_jobs SET \
                 status = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'queued' END, \
                 last_error = $3, claimed_by = NULL, claimed_at = NULL \
             WHERE id = $1 AND status = 'claimed' AND claimed_by = $2 \
             RETURNING status",
        )
        .bind::<BigInt, _>(id)
        .bind::<Text, _>(worker)
        .bind::<Text, _>(error)
        .bind::<Integer, _>(max_attempts)
        .get_result::<StatusRow>(&mut conn)
        .await
        .optional()?
        .map(|row| row.status);
        Ok(status.map(|status| {
            if status == "failed" {
                FailOutcome::GaveUp
            } else {
                FailOutcome::Retry
            }
        }))
    }

    /// Gives claimed items back unworked (the time budget ran out), without counting an attempt.
    pub async fn release_crawl_jobs(&self, worker: &str, ids: &[i64]) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::update(
            crawl_jobs::table
                .filter(crawl_jobs::id.eq_any(ids))
                .filter(crawl_jobs::status.eq("claimed"))
                .filter(crawl_jobs::claimed_by.eq(worker)),
        )
        .set((
            crawl_jobs::status.eq("queued"),
            crawl_jobs::claimed_by.eq(None::<String>),
            crawl_jobs::claimed_at.eq(None::<chrono::DateTime<chrono::Utc>>),
            crawl_jobs::attempts.eq(diesel::dsl::sql::<Integer>("GREATEST(attempts - 1, 0)")),
        ))
        .execute(&mut conn)
        .await?)
    }

    /// Items of one kind per status.
    pub async fn crawl_queue_counts(&self, kind: CrawlKind) -> Result<QueueCounts, StoreError> {
        let mut conn = self.conn().await?;
        let rows: Vec<(String, i64)> = crawl_jobs::table
            .filter(crawl_jobs::kind.eq(kind.as_str()))
            .group_by(crawl_jobs::status)
            .select((crawl_jobs::status, diesel::dsl::count_star()))
            .load(&mut conn)
            .await?;
        let mut counts = QueueCounts::default();
        for (status, count) in rows {
            match status.as_str() {
                "queued" => counts.queued = count,
                "claimed" => counts.claimed = count,
                "done" => counts.done = count,
                "failed" => counts.failed = count,
                other => return Err(StoreError::corrupt("crawl_jobs", format!("status {other}"))),
            }
        }
        Ok(counts)
    }
}

#[derive(QueryableByName)]
struct StatusRow {
    #[diesel(sql_type = Text)]
    status: String,
}
