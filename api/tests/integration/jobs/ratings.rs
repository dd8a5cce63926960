//! `ratings refresh` and `catalog seed` against the simulated Letterboxd: members' diaries are
//! replaced by what Letterboxd shows, a member Letterboxd no longer has keeps their ratings, the
//! films they logged are queued for the catalog crawl, and a run cut short resumes.

use std::collections::HashSet;

use model::{FilmKey, Profile, Rating, Username};
use reel::jobs::{Budget, Progress, Stop, refresh_ratings, seed_catalog};
use reel::store::crawl::CrawlKind;

use crate::support::jobs::{Setup, progress, settings};

fn sorted_ratings(profile: &Profile) -> Vec<(FilmKey, Rating)> {
    let mut ratings = profile.ratings.clone();
    ratings.sort_by(|a, b| a.0.cmp(&b.0));
    ratings
}

fn no_film_pages(setup: &Setup) -> letterboxd::client::Client {
    let mut config = setup.client_config();
    config.film_pages_per_profile = 0;
    letterboxd::client::Client::new(config).unwrap()
}

/// Films the given members logged that the store does not have.
async fn unknown_films(setup: &Setup, members: &[Username]) -> HashSet<FilmKey> {
    let known: HashSet<FilmKey> = setup
        .store()
        .load_catalog_films()
        .await
        .unwrap()
        .into_iter()
        .map(|film| film.key)
        .collect();
    members
        .iter()
        .flat_map(|name| setup.world.profile(name).unwrap().films_seen)
        .map(|film| film.key)
        .filter(|slug| !known.contains(slug))
        .collect()
}

#[tokio::test]
async fn a_ratings_refresh_replaces_diaries_keeps_deleted_members_and_resumes() {
    let setup = Setup::start(400, 6).await;
    let store = setup.store();
    // Half the films are in the catalog; four of the world's members are known, with stale
    // diaries, and one member Letterboxd no longer has.
    let half: Vec<_> = setup.stale_films().into_iter().step_by(2).collect();
    store
        .upsert_films(&half, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    let members: Vec<Username> = (0..4)
        .map(|rank| setup.world.member_at(rank).unwrap())
        .collect();
    let stale = Profile {
        ratings: vec![(half[0].key.clone(), Rating::from_half_stars(1).unwrap())],
        ..Profile::default()
    };
    for name in &members {
        store.replace_profile(name, &stale).await.unwrap();
    }
    let ghost = Username::parse("deletedmember").unwrap();
    store.replace_profile(&ghost, &stale).await.unwrap();

    let client = no_film_pages(&setup);
    let mut first = settings("ratings-1");
    first.budget = Budget::unlimited().with_items(2);
    let report = refresh_ratings(store, &client, &first, &progress())
        .await
        .unwrap();
    assert_eq!((report.queued, report.crawl.done), (5, 2));
    assert!(matches!(report.crawl.stop, Some(Stop::Budget)));
    let report = refresh_ratings(store, &client, &settings("ratings-2"), &progress())
        .await
        .unwrap();
    assert_eq!(
        (report.queued, report.crawl.done, report.crawl.failed),
        (0, 3, 0)
    );
    assert!(report.crawl.drained);

    for name in &members {
        let stored = store.load_profile(name).await.unwrap().unwrap();
        let truth = setup.world.profile(name).unwrap();
        assert_eq!(sorted_ratings(&stored), sorted_ratings(&truth), "{name}");
        let mut watchlist = stored.watchlist.clone();
        let mut expected = truth.watchlist.clone();
        watchlist.sort();
        expected.sort();
        assert_eq!(watchlist, expected, "{name}");
        // The dated watches of the diary pages are stored with the ratings.
        assert_eq!(stored.diary, truth.diary, "{name}");
        // Each member's first films page was read once across both runs.
        let path = format!("/{}/films/page/1/", name.as_str());
        assert_eq!(setup.sim.faults().requests_to(&path), 1, "{path}");
    }
    let kept = store.load_profile(&ghost).await.unwrap().unwrap();
    assert_eq!(
        kept.ratings, stale.ratings,
        "a deleted member lost their ratings"
    );
    // No film page was fetched; every film the members logged that the catalog lacks is queued.
    assert!(
        setup
            .sim
            .faults()
            .requests()
            .keys()
            .all(|path| !path.starts_with("/film/"))
    );
    let counts = store.crawl_queue_counts(CrawlKind::Film).await.unwrap();
    assert_eq!(
        counts.queued as usize,
        unknown_films(&setup, &members).await.len()
    );
}

#[tokio::test]
async fn a_seed_stores_popular_members_and_queues_their_films() {
    let setup = Setup::start(300, 40).await;
    let client = no_film_pages(&setup);
    let report = seed_catalog(
        setup.store(),
        &client,
        1,
        4,
        &Progress::logs_only("seed", None),
    )
    .await
    .unwrap();
    // One page of popular members: thirty of them.
    assert_eq!(report.members, 30);
    assert_eq!(report.skipped, 0);
    assert_eq!(setup.store().count_members().await.unwrap(), 30);
    let members: Vec<Username> = setup.store().member_usernames().await.unwrap();
    let expected = unknown_films(&setup, &members).await;
    assert_eq!(report.films_queued as usize, expected.len());
    let counts = setup
        .store()
        .crawl_queue_counts(CrawlKind::Film)
        .await
        .unwrap();
    assert_eq!(counts.queued as usize, expected.len());
    for name in &members {
        let stored = setup.store().load_profile(name).await.unwrap().unwrap();
        let truth = setup.world.profile(name).unwrap();
        assert_eq!(sorted_ratings(&stored), sorted_ratings(&truth), "{name}");
    }

    // Seeding again stores the same members and queues nothing new.
    let again = seed_catalog(
        setup.store(),
        &client,
        1,
        4,
        &Progress::logs_only("seed", None),
    )
    .await
    .unwrap();
    assert_eq!((again.members, again.films_queued), (30, 0));
}
