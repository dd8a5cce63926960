//! `catalog refresh` against the simulated Letterboxd and a database of its own: a run cut
//! half-way continues where it stopped with no film fetched twice and no row lost, several
//! workers share one run, 404 marks a film gone, a failing film keeps its data, and a Cloudflare
//! challenge stops the run at once.

use std::collections::HashSet;
use std::time::Duration;

use letterboxd_sim::{FaultPlan, Knobs, PathFaults};
use model::{Film, FilmKey};
use reel::jobs::{Budget, Stop, refresh_catalog};
use reel::store::Store;
use reel::store::crawl::CrawlKind;

use crate::support::jobs::{Setup, progress, settings};

async fn films_by_slug(store: &Store) -> Vec<Film> {
    store.load_catalog_films().await.unwrap()
}

/// Every film is stored as the world has it now.
async fn assert_catalog_matches_world(setup: &Setup, films: usize) {
    let stored = films_by_slug(setup.store()).await;
    assert_eq!(stored.len(), films, "films lost or added");
    for film in &stored {
        let expected = setup.world_film(&film.key);
        assert_eq!(film.title, expected.title, "{} not refreshed", film.key);
        assert_eq!(film.lb_average, expected.lb_average, "{}", film.key);
        assert_eq!(
            film.runtime_minutes, expected.runtime_minutes,
            "{}",
            film.key
        );
    }
}

#[tokio::test]
async fn a_run_cut_by_its_budget_is_finished_by_the_next_with_no_film_fetched_twice() {
    let setup = Setup::start(120, 0).await;
    let films = setup.store_stale_catalog().await;
    let client = setup.client();

    let mut first = settings("cron-1");
    first.budget = Budget::unlimited().with_items(50);
    let report = refresh_catalog(setup.store(), &client, &first, &progress())
        .await
        .unwrap();
    assert_eq!(report.queued, 120);
    assert_eq!(report.crawl.done, 50);
    assert!(matches!(report.crawl.stop, Some(Stop::Budget)));
    assert!(!report.crawl.drained);
    assert_eq!(
        report.catalog_version, None,
        "an unfinished run must not bump the version"
    );
    let fetched: Vec<&Film> = films
        .iter()
        .filter(|film| setup.film_requests(&film.key) > 0)
        .collect();
    assert_eq!(fetched.len(), 50);
    let counts = setup
        .store()
        .crawl_queue_counts(CrawlKind::Film)
        .await
        .unwrap();
    assert_eq!((counts.done, counts.queued, counts.claimed), (50, 70, 0));

    // The next run (another worker, as the next cron run would be) does the other 70 only.
    let report = refresh_catalog(setup.store(), &client, &settings("cron-2"), &progress())
        .await
        .unwrap();
    assert_eq!(
        report.queued, 0,
        "films refreshed by the first run were queued again"
    );
    assert_eq!(report.crawl.done, 70);
    assert!(report.crawl.stop.is_none() && report.crawl.drained);
    assert_eq!(report.catalog_version, Some(1));
    for film in &films {
        assert_eq!(setup.film_requests(&film.key), 1, "{} fetched", film.key);
    }
    assert_catalog_matches_world(&setup, 120).await;

    // Everything is fresh: a third run fetches nothing and leaves the version alone.
    let report = refresh_catalog(setup.store(), &client, &settings("cron-3"), &progress())
        .await
        .unwrap();
    assert_eq!((report.queued, report.crawl.done), (0, 0));
    assert_eq!(report.catalog_version, None);
    assert_eq!(setup.store().catalog_version().await.unwrap(), 1);
    assert_eq!(setup.sim.faults().total_requests(), 120);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_run_continues_where_it_stopped_and_loses_no_row() {
    let setup = Setup::start(200, 0).await;
    let films = setup.store_stale_catalog().await;

    // The first run is a task aborted mid-crawl, with its own connection pool, as a killed
    // process would be.
    let killed_store = Store::open(setup.database.database_url()).unwrap();
    let client = setup.client();
    let task = tokio::spawn({
        let store = killed_store.clone();
        async move {
            refresh_catalog(&store, &client, &settings("worker-a"), &progress())
                .await
                .map(|_| ())
        }
    });
    loop {
        let done = setup
            .store()
            .crawl_queue_counts(CrawlKind::Film)
            .await
            .unwrap()
            .done;
        if done >= 60 || task.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    task.abort();
    assert!(
        task.await.unwrap_err().is_cancelled(),
        "the run ended before it was killed"
    );
    drop(killed_store);

    // A batch the killed run had already sent can still commit after the abort: wait until the
    // recorded films stop changing.
    let mut done_before: HashSet<FilmKey> = done_keys(setup.store()).await;
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let settled = done_keys(setup.store()).await;
        if settled == done_before {
            break;
        }
        done_before = settled;
    }
    assert!(done_before.len() >= 60 && done_before.len() < 200);

    // The same worker starts again: it takes back its dead claims at once.
    let report = refresh_catalog(
        setup.store(),
        &setup.client(),
        &settings("worker-a"),
        &progress(),
    )
    .await
    .unwrap();
    assert!(report.crawl.drained && report.crawl.stop.is_none());
    assert_eq!(report.crawl.done as usize, 200 - done_before.len());
    assert_eq!(report.catalog_version, Some(1));
    for film in &films {
        let requests = setup.film_requests(&film.key);
        if done_before.contains(&film.key) {
            assert_eq!(requests, 1, "{} was recorded, then fetched again", film.key);
        } else {
            // Fetched but not yet recorded when the process died: fetched once more.
            assert!(
                (1..=2).contains(&requests),
                "{} fetched {requests} times",
                film.key
            );
        }
    }
    assert_catalog_matches_world(&setup, 200).await;
}

async fn done_keys(store: &Store) -> HashSet<FilmKey> {
    // Films refreshed so far are exactly those with a scrape time.
    store
        .load_catalog_films()
        .await
        .unwrap()
        .into_iter()
        .filter(|film| !film.title.starts_with("Old title of"))
        .map(|film| film.key)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_share_one_run_without_fetching_a_film_twice() {
    let setup = Setup::start(150, 0).await;
    // 20 ms a page: alone, the first worker needs about 0.75 s for the 150 films, far longer
    // than the second needs to start.
    setup.sim.faults().update(|plan| plan.all.latency_ms = 20);
    let films = setup.store_stale_catalog().await;
    let worker = |name: &'static str| {
        let store = setup.store().clone();
        let client = setup.client();
        tokio::spawn(
            async move { refresh_catalog(&store, &client, &settings(name), &progress()).await },
        )
    };
    let first = worker("worker-1");
    // The second worker starts once the first holds a batch: the run is under way.
    while setup
        .store()
        .crawl_queue_counts(CrawlKind::Film)
        .await
        .unwrap()
        .claimed
        == 0
    {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let second = worker("worker-2");
    let (one, two) = (first.await.unwrap(), second.await.unwrap());
    let (one, two) = (one.unwrap(), two.unwrap());
    assert!(
        one.crawl.done > 0 && two.crawl.done > 0,
        "one worker did everything"
    );
    assert_eq!(one.crawl.done + two.crawl.done, 150);
    assert!(one.crawl.drained || two.crawl.drained);
    for film in &films {
        assert_eq!(setup.film_requests(&film.key), 1, "{}", film.key);
    }
    // The run is complete once, so the version moves once.
    assert_eq!(setup.store().catalog_version().await.unwrap(), 1);
    assert_catalog_matches_world(&setup, 150).await;
}

#[tokio::test]
async fn films_letterboxd_no_longer_has_are_marked_gone_and_queued_slugs_are_added() {
    let setup = Setup::start(40, 0).await;
    let mut known = setup.stale_films();
    let newcomer = known.pop().unwrap().key; // in the world, not yet in the store
    let gone: Vec<FilmKey> = ["deleted-film-1", "deleted-film-2"]
        .iter()
        .map(|slug| FilmKey::parse(slug).unwrap())
        .collect();
    known.extend(gone.iter().map(|slug| Film::stub(slug.clone(), "Deleted")));
    setup
        .store()
        .upsert_films(&known, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    assert_eq!(
        setup
            .store()
            .queue_unknown_films(std::slice::from_ref(&newcomer))
            .await
            .unwrap(),
        1
    );

    let report = refresh_catalog(setup.store(), &setup.client(), &settings("w"), &progress())
        .await
        .unwrap();
    // 39 known films, 2 deleted ones and the newcomer.
    assert_eq!(report.crawl.done, 42);
    assert_eq!(report.gone, 2);
    assert_eq!(report.crawl.failed, 0);
    assert_eq!(setup.store().count_films(false).await.unwrap(), 2);
    for slug in &gone {
        // Kept for history, out of the catalog.
        assert_eq!(
            setup.store().find_film(slug).await.unwrap().unwrap().title,
            "Deleted"
        );
    }
    assert_catalog_matches_world(&setup, 40).await;
    assert_eq!(
        setup
            .store()
            .find_film(&newcomer)
            .await
            .unwrap()
            .unwrap()
            .title,
        setup.world_film(&newcomer).title
    );

    // A gone film is not queued by the next run.
    let report = refresh_catalog(setup.store(), &setup.client(), &settings("w"), &progress())
        .await
        .unwrap();
    assert_eq!(report.queued, 0);
}

#[tokio::test]
async fn a_film_failing_with_5xx_keeps_its_data_and_is_retried_by_the_next_run() {
    let setup = Setup::start(20, 0).await;
    let mut films = setup.stale_films();
    films[3].title = "Kept title".to_owned();
    films[3].lb_average = Some(3.3);
    films[3].lb_rating_count = Some(1234);
    setup
        .store()
        .upsert_films(&films, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    let failing = setup
        .store()
        .find_film(&films[3].key)
        .await
        .unwrap()
        .unwrap();
    setup.sim.faults().update(|plan| {
        plan.paths.push(PathFaults {
            prefix: format!("/film/{}/", failing.key.as_str()),
            knobs: Knobs {
                server_errors: 1.0,
                ..Knobs::default()
            },
        });
    });

    let report = refresh_catalog(setup.store(), &setup.client(), &settings("w"), &progress())
        .await
        .unwrap();
    assert_eq!((report.crawl.done, report.crawl.failed), (19, 1));
    assert!(report.crawl.stop.is_none());
    let kept = setup
        .store()
        .find_film(&failing.key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept, failing, "a failed refresh changed the stored film");
    assert_eq!(setup.store().count_films(true).await.unwrap(), 20);
    assert!(
        setup.film_requests(&failing.key) > 1,
        "the client did not retry"
    );

    // Letterboxd recovers: the next run fetches only the film that failed.
    setup.sim.faults().set(FaultPlan::default());
    let before = setup.sim.faults().total_requests();
    let report = refresh_catalog(setup.store(), &setup.client(), &settings("w"), &progress())
        .await
        .unwrap();
    assert_eq!(
        (report.queued, report.crawl.done, report.crawl.failed),
        (1, 1, 0)
    );
    assert_eq!(setup.sim.faults().total_requests(), before + 1);
    let refreshed = setup
        .store()
        .find_film(&failing.key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(refreshed.title, setup.world_film(&failing.key).title);
}

#[tokio::test]
async fn a_cloudflare_challenge_stops_the_run_at_once_and_hands_the_work_back() {
    let setup = Setup::start(60, 0).await;
    let mut films = setup.store_stale_catalog().await;
    films.sort_by(|a, b| a.key.cmp(&b.key));
    setup.sim.faults().update(|plan| plan.all.challenge = true);
    let mut config = setup.client_config();
    config.block_cooldown = Duration::from_secs(600);
    let client = letterboxd::client::Client::new(config).unwrap();

    let report = refresh_catalog(setup.store(), &client, &settings("w"), &progress())
        .await
        .unwrap();
    assert!(
        matches!(
            &report.crawl.stop,
            Some(Stop::Upstream(reel::sources::SourceError::Refused {
                code: "upstream_blocked",
                ..
            }))
        ),
        "{:?}",
        report.crawl.stop
    );
    assert_eq!((report.crawl.done, report.crawl.failed), (0, 0));
    assert!(
        setup.sim.faults().total_requests() <= 4,
        "{} requests after a challenge",
        setup.sim.faults().total_requests()
    );
    let counts = setup
        .store()
        .crawl_queue_counts(CrawlKind::Film)
        .await
        .unwrap();
    assert_eq!(
        (counts.queued, counts.claimed),
        (60, 0),
        "claims not handed back"
    );
    assert!(
        films_by_slug(setup.store()).await == films,
        "a blocked run changed films"
    );
    assert_eq!(setup.store().catalog_version().await.unwrap(), 0);
}

#[tokio::test]
async fn a_cancelled_worker_claims_nothing_and_leaves_the_run_as_it_was() {
    let setup = Setup::start(10, 0).await;
    setup.store_stale_catalog().await;
    let cancelled = settings("w");
    cancelled
        .cancel
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let report = refresh_catalog(setup.store(), &setup.client(), &cancelled, &progress())
        .await
        .unwrap();
    assert!(matches!(report.crawl.stop, Some(Stop::Cancelled)));
    assert_eq!((report.crawl.done, report.crawl.released), (0, 0));
    assert_eq!(setup.sim.faults().total_requests(), 0);
    let counts = setup
        .store()
        .crawl_queue_counts(CrawlKind::Film)
        .await
        .unwrap();
    assert_eq!((counts.queued, counts.claimed), (10, 0));
}
