//! The crawl queue: batches claimed with SKIP LOCKED, so workers share a run without taking the
//! same item, and a killed worker's claims are taken over after the stale timeout.

use reel::store::films::FilmsFrom;
use std::collections::HashSet;
use std::time::Duration;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use model::{Film, FilmKey};
use reel::store::crawl::{CrawlKind, FailOutcome, QueueCounts};

use crate::support::TestDatabase;

const LONG: Duration = Duration::from_secs(3600);

fn keys(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("film-{i:03}")).collect()
}

#[tokio::test]
async fn queueing_adds_each_key_once() {
    let database = TestDatabase::new().await;
    let store = database.store();
    assert_eq!(
        store.queue_crawl(CrawlKind::Film, &keys(5)).await.unwrap(),
        5
    );
    assert_eq!(
        store.queue_crawl(CrawlKind::Film, &keys(7)).await.unwrap(),
        2
    );
    assert_eq!(
        store
            .queue_crawl(CrawlKind::Member, &keys(1))
            .await
            .unwrap(),
        1
    );
    let counts = store.crawl_queue_counts(CrawlKind::Film).await.unwrap();
    assert_eq!(
        counts,
        QueueCounts {
            queued: 7,
            ..QueueCounts::default()
        }
    );

    // Films the catalog has are not queued; the queue's own keys are not queued twice.
    let known = FilmKey::parse("known-film").unwrap();
    store
        .upsert_films(&[Film::stub(known.clone(), "Known")], FilmsFrom::default())
        .await
        .unwrap();
    let mentioned = [
        known,
        FilmKey::parse("film-000").unwrap(),
        FilmKey::parse("new-film").unwrap(),
    ];
    assert_eq!(store.queue_unknown_films(&mentioned).await.unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_claim_disjoint_batches_until_the_queue_is_drained() {
    let database = TestDatabase::new().await;
    let store = database.store().clone();
    store
        .queue_crawl(CrawlKind::Film, &keys(300))
        .await
        .unwrap();
    let worker = |name: &'static str| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut taken = Vec::new();
            loop {
                let jobs = store
                    .claim_crawl_jobs(CrawlKind::Film, name, 7, LONG)
                    .await
                    .unwrap();
                if jobs.is_empty() {
                    return taken;
                }
                let ids: Vec<i64> = jobs.iter().map(|job| job.id).collect();
                assert_eq!(
                    store.complete_crawl_jobs(name, &ids).await.unwrap(),
                    ids.len()
                );
                taken.extend(jobs.into_iter().map(|job| job.key));
            }
        })
    };
    let (a, b) = tokio::join!(worker("a"), worker("b"));
    let (a, b) = (a.unwrap(), b.unwrap());
    let a_set: HashSet<_> = a.iter().collect();
    let b_set: HashSet<_> = b.iter().collect();
    assert!(a_set.is_disjoint(&b_set), "an item was claimed twice");
    assert_eq!(a.len() + b.len(), 300);
    let counts = store.crawl_queue_counts(CrawlKind::Film).await.unwrap();
    assert_eq!(
        counts,
        QueueCounts {
            done: 300,
            ..QueueCounts::default()
        }
    );
    assert!(counts.is_drained());
}

#[tokio::test]
async fn a_claim_skips_rows_another_transaction_holds() {
    let database = TestDatabase::new().await;
    let store = database.store();
    store.queue_crawl(CrawlKind::Film, &keys(4)).await.unwrap();
    // Another worker is in the middle of claiming the first two items.
    let mut other = AsyncPgConnection::establish(database.database_url())
        .await
        .unwrap();
    other.batch_execute("BEGIN").await.unwrap();
    diesel::sql_query("SELECT id FROM crawl_jobs WHERE key IN ('film-000', 'film-001') FOR UPDATE")
        .execute(&mut other)
        .await
        .unwrap();

    let jobs = store
        .claim_crawl_jobs(CrawlKind::Film, "me", 10, LONG)
        .await
        .unwrap();
    let claimed: Vec<&str> = jobs.iter().map(|job| job.key.as_str()).collect();
    assert_eq!(claimed, ["film-002", "film-003"]);

    other.batch_execute("ROLLBACK").await.unwrap();
    let rest = store
        .claim_crawl_jobs(CrawlKind::Film, "me", 10, LONG)
        .await
        .unwrap();
    let claimed: Vec<&str> = rest.iter().map(|job| job.key.as_str()).collect();
    assert_eq!(claimed, ["film-000", "film-001"]);
}

#[tokio::test]
async fn stale_claims_are_taken_over_and_late_completions_ignored() {
    let database = TestDatabase::new().await;
    let store = database.store();
    store
        .queue_crawl(CrawlKind::Member, &keys(2))
        .await
        .unwrap();
    let dead = store
        .claim_crawl_jobs(CrawlKind::Member, "dead", 2, LONG)
        .await
        .unwrap();
    assert_eq!(dead.len(), 2);
    // Fresh claims are not taken over...
    assert!(
        store
            .claim_crawl_jobs(CrawlKind::Member, "live", 2, LONG)
            .await
            .unwrap()
            .is_empty()
    );
    // ...stale ones are, with the attempt counted.
    let taken = store
        .claim_crawl_jobs(CrawlKind::Member, "live", 2, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(taken.len(), 2);
    assert!(taken.iter().all(|job| job.attempts == 2));
    let ids: Vec<i64> = dead.iter().map(|job| job.id).collect();
    assert_eq!(store.complete_crawl_jobs("dead", &ids).await.unwrap(), 0);
    assert_eq!(store.complete_crawl_jobs("live", &ids).await.unwrap(), 2);
}

#[tokio::test]
async fn failures_retry_until_attempts_run_out_and_a_new_run_requeues() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let all = keys(2);
    store.queue_crawl(CrawlKind::Film, &all).await.unwrap();

    let first = store
        .claim_crawl_jobs(CrawlKind::Film, "w", 1, LONG)
        .await
        .unwrap();
    let id = first[0].id;
    assert_eq!(
        store.fail_crawl_job("w", id, "503", 2).await.unwrap(),
        Some(FailOutcome::Retry)
    );
    assert_eq!(
        store.fail_crawl_job("w", id, "503", 2).await.unwrap(),
        None,
        "not claimed"
    );
    let again = store
        .claim_crawl_jobs(CrawlKind::Film, "w", 1, LONG)
        .await
        .unwrap();
    assert_eq!(again[0].id, id);
    assert_eq!(
        store.fail_crawl_job("w", id, "503", 2).await.unwrap(),
        Some(FailOutcome::GaveUp)
    );

    // The budget runs out: the other item goes back unworked, its attempt not counted.
    let second = store
        .claim_crawl_jobs(CrawlKind::Film, "w", 1, LONG)
        .await
        .unwrap();
    assert_eq!(
        store
            .release_crawl_jobs("w", &[second[0].id])
            .await
            .unwrap(),
        1
    );
    let counts = store.crawl_queue_counts(CrawlKind::Film).await.unwrap();
    assert_eq!(
        counts,
        QueueCounts {
            queued: 1,
            failed: 1,
            ..QueueCounts::default()
        }
    );
    let retaken = store
        .claim_crawl_jobs(CrawlKind::Film, "w", 5, LONG)
        .await
        .unwrap();
    assert_eq!(retaken.len(), 1);
    assert_eq!(retaken[0].attempts, 1);
    store
        .complete_crawl_jobs("w", &[retaken[0].id])
        .await
        .unwrap();

    // A new run puts done and failed items back, with fresh attempts.
    assert_eq!(store.requeue_crawl(CrawlKind::Film, &all).await.unwrap(), 2);
    let run = store
        .claim_crawl_jobs(CrawlKind::Film, "w", 5, LONG)
        .await
        .unwrap();
    assert_eq!(run.len(), 2);
    assert!(run.iter().all(|job| job.attempts == 1));
    // Items in flight are left alone by a requeue.
    assert_eq!(store.requeue_crawl(CrawlKind::Film, &all).await.unwrap(), 0);
}
