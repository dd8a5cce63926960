//! The statements that start and finish a crawl run, beside the queue's own in `crawl.rs`:
//! starting a run, taking back a dead incarnation's claims, recording a group of crawled films
//! together with the completion of their jobs in one transaction, and bumping the catalog once a
//! run is done.

use std::time::Duration;

use diesel::sql_types::{Array, BigInt, Double, Text};
use diesel::{OptionalExtension, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::{Film, FilmKey};

use super::crawl::CrawlKind;
use super::films::{FilmsFrom, upsert_films_on};
use super::{Store, StoreError};

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = BigInt)]
    version: i64,
}

impl Store {
    /// Queues a run over every active film (or every member): keys the queue has never seen are
    /// added, and keys whose last run failed, or finished longer than `refresh_after` ago, go
    /// back to the queue. Keys done more recently (by this run, before it was killed or ran out
    /// of budget) and keys queued or claimed already are left alone, which is what makes a run
    /// resumable. Returns how many keys were (re)queued.
    pub async fn queue_crawl_run(
        &self,
        kind: CrawlKind,
        refresh_after: Duration,
    ) -> Result<usize, StoreError> {
        let source = match kind {
            // Letterboxd can be asked about films it named; a film known only from TMDB cannot.
            CrawlKind::Film => {
                "SELECT key FROM films WHERE status = 'active' AND key NOT LIKE 'tmdb:%'"
            }
            CrawlKind::Member => "SELECT username FROM members",
            CrawlKind::Tmdb => {
                "SELECT 'tmdb:' || tmdb_kind || ':' || tmdb_id FROM films \
                 WHERE status = 'active' AND tmdb_id IS NOT NULL"
            }
        };
        let sql = format!(
            "INSERT INTO crawl_jobs AS j (kind, key) SELECT $1, k FROM ({source}) AS s(k) \
             ON CONFLICT (kind, key) DO UPDATE \
             SET status = 'queued', attempts = 0, claimed_by = NULL, claimed_at = NULL, \
                 last_error = NULL, done_at = NULL, queued_at = now() \
             WHERE j.status = 'failed' \
                OR (j.status = 'done' AND j.done_at < now() - make_interval(secs => $2))"
        );
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(sql)
            .bind::<Text, _>(kind.as_str())
            .bind::<Double, _>(refresh_after.as_secs_f64())
            .execute(&mut conn)
            .await?)
    }

    /// Gives back the claims `worker` holds: a worker id names one process at a time, so claims
    /// under it when the worker starts belong to an earlier run of it that was killed. They are
    /// claimable again at once instead of after the stale timeout.
    pub async fn release_claims_of(
        &self,
        kind: CrawlKind,
        worker: &str,
    ) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        Ok(diesel::sql_query(
            "UPDATE crawl_jobs SET status = 'queued', claimed_by = NULL, claimed_at = NULL \
             WHERE kind = $1 AND status = 'claimed' AND claimed_by = $2",
        )
        .bind::<Text, _>(kind.as_str())
        .bind::<Text, _>(worker)
        .execute(&mut conn)
        .await?)
    }

    /// Writes a group of crawled films (`found` upserted as read `from` a source, `gone` marked gone) and
    /// marks their jobs done, in one transaction: a killed worker leaves either both or neither,
    /// so no film is recorded without its job, and no job is done without its film.
    pub async fn record_crawled_films(
        &self,
        worker: &str,
        found: &[Film],
        gone: &[FilmKey],
        job_ids: &[i64],
        from: FilmsFrom,
    ) -> Result<(), StoreError> {
        let gone: Vec<&str> = gone.iter().map(FilmKey::as_str).collect();
        let mut conn = self.conn().await?;
        conn.transaction::<_, StoreError, _>(async |conn| {
            if !found.is_empty() {
                upsert_films_on(conn, found, from).await?;
            }
            if !gone.is_empty() {
                diesel::sql_query(
                    "UPDATE films SET status = 'gone' WHERE key = ANY($1) AND status <> 'gone'",
                )
                .bind::<Array<Text>, _>(&gone)
                .execute(conn)
                .await?;
            }
            complete_on(conn, worker, job_ids).await?;
            Ok(())
        })
        .await
    }

    /// Bumps the catalog version if a film job finished after the last bump, and returns the new
    /// version (`None` when there was nothing new). When two workers of one run finish together,
    /// the second one's condition is re-checked against the first one's bump, so the run bumps
    /// once.
    pub async fn bump_catalog_version_if_refreshed(&self) -> Result<Option<i64>, StoreError> {
        let mut conn = self.conn().await?;
        let bumped: Option<Version> = diesel::sql_query(
            "UPDATE catalog_version AS v SET version = v.version + 1, changed_at = now() \
             WHERE EXISTS (SELECT 1 FROM crawl_jobs \
                           WHERE kind IN ('film', 'tmdb') AND status = 'done' \
                                 AND done_at > v.changed_at) \
             RETURNING v.version",
        )
        .get_result(&mut conn)
        .await
        .optional()?;
        Ok(bumped.map(|row| row.version))
    }
}

/// Marks `worker`'s claimed jobs done (a claim another worker took over is left alone).
async fn complete_on(
    conn: &mut AsyncPgConnection,
    worker: &str,
    job_ids: &[i64],
) -> Result<usize, StoreError> {
    if job_ids.is_empty() {
        return Ok(0);
    }
    Ok(diesel::sql_query(
        "UPDATE crawl_jobs SET status = 'done', done_at = now(), last_error = NULL \
         WHERE id = ANY($1) AND status = 'claimed' AND claimed_by = $2",
    )
    .bind::<Array<BigInt>, _>(job_ids)
    .bind::<Text, _>(worker)
    .execute(conn)
    .await?)
}
