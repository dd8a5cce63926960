//! Members, their diaries, daily usage, statistics snapshots and stored models.

use chrono::{NaiveDate, TimeZone, Utc};
use model::stats::StatsSnapshot;
use model::{FilmKey, Profile, Rating, Username};
use reel::store::members::MemberUses;

use crate::support::TestDatabase;

fn slug(raw: &str) -> FilmKey {
    FilmKey::parse(raw).unwrap()
}

fn user(raw: &str) -> Username {
    Username::parse(raw).unwrap()
}

fn stars(half: u8) -> Rating {
    Rating::from_half_stars(half).unwrap()
}

#[tokio::test]
async fn uses_are_counted_per_member_and_per_day() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let monday = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let later = Utc.with_ymd_and_hms(2026, 11, 30, 23, 59, 0).unwrap();
    let tuesday = Utc.with_ymd_and_hms(2026, 12, 1, 0, 1, 0).unwrap();

    let ann = store.record_member_use(&user("Ann"), monday).await.unwrap();
    assert_eq!(
        store.record_member_use(&user("ann"), later).await.unwrap(),
        ann
    );
    store.record_member_use(&user("bob"), later).await.unwrap();
    store
        .record_member_use(&user("ann"), tuesday)
        .await
        .unwrap();

    let member = store.find_member(&user("ann")).await.unwrap().unwrap();
    assert_eq!(member.uses, 3);
    assert_eq!(member.first_seen, monday);
    assert_eq!(member.last_seen, tuesday);
    assert_eq!(store.count_members().await.unwrap(), 2);

    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let dec1 = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let series = store.usage_series(day(1), dec1).await.unwrap();
    let rows: Vec<_> = series.iter().map(|d| (d.day, d.members, d.uses)).collect();
    assert_eq!(rows, [(day(30), 2, 3), (dec1, 1, 1)]);

    // The snapshot is what the series shows from then on, also for a day without uses.
    let snapshot = store.snapshot_daily_usage(day(30)).await.unwrap();
    assert_eq!((snapshot.members, snapshot.uses), (2, 3));
    let empty = store.snapshot_daily_usage(day(29)).await.unwrap();
    assert_eq!((empty.members, empty.uses), (0, 0));
    let series = store.usage_series(day(29), dec1).await.unwrap();
    let rows: Vec<_> = series.iter().map(|d| (d.day, d.members, d.uses)).collect();
    assert_eq!(rows, [(day(29), 0, 0), (day(30), 2, 3), (dec1, 1, 1)]);
}

#[tokio::test]
async fn uses_counted_in_batches_add_to_members_and_days() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let monday = Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap();
    let later = Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap();
    let tuesday = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    let ann = store.record_member_use(&user("ann"), monday).await.unwrap();
    let bob = store.record_member_use(&user("bob"), monday).await.unwrap();
    let uses = |member, at: chrono::DateTime<Utc>, uses| MemberUses {
        member,
        day: at.date_naive(),
        uses,
        last_seen: at,
    };
    store
        .add_member_uses(&[
            uses(ann, later, 4),
            uses(ann, tuesday, 2),
            uses(bob, later, 1),
            // The same member and day twice in one batch adds up.
            uses(bob, later, 2),
        ])
        .await
        .unwrap();
    store.add_member_uses(&[]).await.unwrap();

    let found = store.find_member(&user("ann")).await.unwrap().unwrap();
    assert_eq!((found.uses, found.last_seen), (7, tuesday));
    let found = store.find_member(&user("bob")).await.unwrap().unwrap();
    assert_eq!((found.uses, found.last_seen), (4, later));
    let dec1 = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let series = store.usage_series(monday.date_naive(), dec1).await.unwrap();
    let rows: Vec<_> = series.iter().map(|d| (d.day, d.members, d.uses)).collect();
    assert_eq!(rows, [(monday.date_naive(), 2, 9), (dec1, 1, 2)]);
}

#[tokio::test]
async fn a_profile_replaces_the_stored_diary() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let ann = user("ann");
    let profile = Profile {
        username: Some(ann.clone()),
        ratings: vec![
            (slug("heat"), stars(9)),
            (slug("alien"), stars(7)),
            (slug("heat"), stars(10)), // a rewatch: the latest rating wins
        ],
        likes: vec![slug("heat"), slug("jaws")],
        watched: vec![slug("cats"), slug("alien")],
        watchlist: vec![slug("ran"), slug("ran"), slug("ikiru")],
        films_seen: Vec::new(),
        diary: Vec::new(),
    };
    let id = store.replace_profile(&ann, &profile).await.unwrap();
    let stored = store.load_profile(&ann).await.unwrap().unwrap();
    assert_eq!(
        stored.ratings,
        vec![(slug("alien"), stars(7)), (slug("heat"), stars(10))]
    );
    // An unrated like counts as watched.
    assert_eq!(stored.watched, vec![slug("cats"), slug("jaws")]);
    let mut likes = stored.likes.clone();
    likes.sort();
    assert_eq!(likes, vec![slug("heat"), slug("jaws")]);
    assert_eq!(stored.watchlist, vec![slug("ikiru"), slug("ran")]);

    let smaller = Profile {
        username: Some(ann.clone()),
        ratings: vec![(slug("alien"), stars(8))],
        ..Profile::default()
    };
    assert_eq!(store.replace_profile(&ann, &smaller).await.unwrap(), id);
    let stored = store.load_profile(&ann).await.unwrap().unwrap();
    assert_eq!(stored.ratings, vec![(slug("alien"), stars(8))]);
    assert!(stored.watched.is_empty() && stored.likes.is_empty() && stored.watchlist.is_empty());
    assert_eq!(store.load_profile(&user("nobody")).await.unwrap(), None);
    // Storing a diary is not a use.
    assert_eq!(store.find_member(&ann).await.unwrap().unwrap().uses, 0);
}

#[tokio::test]
async fn all_ratings_load_as_a_compact_matrix_and_histograms() {
    let database = TestDatabase::new().await;
    let store = database.store();
    for (name, ratings) in [
        ("ann", vec![("heat", 8), ("alien", 6)]),
        ("bob", vec![("heat", 8)]),
        ("cid", vec![("heat", 2), ("jaws", 10)]),
    ] {
        let profile = Profile {
            ratings: ratings
                .into_iter()
                .map(|(s, r)| (slug(s), stars(r)))
                .collect(),
            ..Profile::default()
        };
        store.replace_profile(&user(name), &profile).await.unwrap();
    }
    let matrix = store.load_all_ratings().await.unwrap();
    assert_eq!(store.count_ratings().await.unwrap(), 5);
    let mut triples: Vec<(String, String, u8)> = matrix
        .entries
        .iter()
        .map(|e| {
            (
                matrix.members[e.member as usize].to_string(),
                matrix.films[e.film as usize].to_string(),
                e.rating.half_stars(),
            )
        })
        .collect();
    triples.sort();
    let expected: Vec<(String, String, u8)> = [
        ("ann", "alien", 6),
        ("ann", "heat", 8),
        ("bob", "heat", 8),
        ("cid", "heat", 2),
        ("cid", "jaws", 10),
    ]
    .into_iter()
    .map(|(m, f, r)| (m.to_owned(), f.to_owned(), r))
    .collect();
    assert_eq!(triples, expected);
    assert_eq!(matrix.films.len(), 3, "each film once");

    let histograms = store.film_rating_histograms().await.unwrap();
    let mut heat = [0_u32; 10];
    heat[7] = 2;
    heat[1] = 1;
    assert_eq!(histograms[&slug("heat")], heat);
    assert_eq!(histograms.len(), 3);
}

fn snapshot(mean: f64, differential: Option<f64>) -> StatsSnapshot {
    StatsSnapshot {
        ratings: 10,
        mean_rating: mean,
        mean_letterboxd_average: Some(3.5),
        mean_differential: differential,
        mean_rating_count: None,
    }
}

#[tokio::test]
async fn each_members_latest_snapshot_is_read_with_whose_and_when() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let ann = store.ensure_member(&user("ann")).await.unwrap();
    let bob = store.ensure_member(&user("bob")).await.unwrap();
    let t = |h| Utc.with_ymd_and_hms(2026, 11, 30, h, 0, 0).unwrap();
    store
        .insert_stats_snapshot(ann, &snapshot(3.0, Some(0.1)), t(1))
        .await
        .unwrap();
    store
        .insert_stats_snapshot(ann, &snapshot(3.5, None), t(2))
        .await
        .unwrap();
    store
        .insert_stats_snapshot(bob, &snapshot(2.0, Some(-1.0)), t(1))
        .await
        .unwrap();

    let mut latest = store.latest_stats_snapshots_by_member().await.unwrap();
    latest.sort_by_key(|latest| latest.member);
    let latest: Vec<_> = latest
        .iter()
        .map(|l| (l.member, l.computed_at, l.snapshot))
        .collect();
    assert_eq!(
        latest,
        vec![
            (ann, t(2), snapshot(3.5, None)),
            (bob, t(1), snapshot(2.0, Some(-1.0)))
        ]
    );
    let history = store.stats_snapshots_of(ann).await.unwrap();
    assert_eq!(
        history,
        vec![
            (t(2), snapshot(3.5, None)),
            (t(1), snapshot(3.0, Some(0.1)))
        ]
    );
}

#[tokio::test]
async fn models_are_versioned_per_name() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    let metrics = serde_json::json!({"rmse": 0.81});
    assert_eq!(
        store
            .save_model("general", at, &metrics, b"v1")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .save_model("general", at, &metrics, b"v2")
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .save_model("other", at, &metrics, b"o1")
            .await
            .unwrap(),
        1
    );

    let latest = store.latest_model("general").await.unwrap().unwrap();
    assert_eq!((latest.version, latest.bytes.as_slice()), (2, &b"v2"[..]));
    assert_eq!(latest.metrics, metrics);
    assert_eq!(latest.trained_at, at);
    let version = store
        .latest_model_version("general")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(version.version, 2);
    assert_eq!(
        store.load_model("general", 1).await.unwrap().unwrap().bytes,
        b"v1"
    );
    assert_eq!(store.latest_model("missing").await.unwrap(), None);

    assert_eq!(store.prune_models("general", 1).await.unwrap(), 1);
    assert_eq!(store.load_model("general", 1).await.unwrap(), None);
    assert!(store.load_model("other", 1).await.unwrap().is_some());
}
