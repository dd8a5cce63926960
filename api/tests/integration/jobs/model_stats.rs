//! `train general`, `stats refresh` and `usage snapshot` on a database of their own.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use model::Username;
use model::models::GeneralModel;
use reel::jobs::{
    GENERAL_MODEL, Holdout, JobError, Progress, refresh_stats, snapshot_usage, train_general,
    train_general_with,
};
use reel::store::Store;

use crate::support::TestDatabase;
use crate::support::jobs::Setup;

/// A store holding the world's films as Letterboxd has them and every member's diary.
async fn stored_world(films: usize, members: usize) -> Setup {
    let setup = Setup::start(films, members).await;
    let catalog: Vec<_> = setup.world.films().map(|film| film.into_owned()).collect();
    setup
        .store()
        .upsert_films(&catalog, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    for rank in 0..members {
        let name = setup.world.member_at(rank).unwrap();
        let profile = setup.world.profile(&name).unwrap();
        setup
            .store()
            .replace_profile(&name, &profile)
            .await
            .unwrap();
    }
    setup
}

#[tokio::test]
async fn training_stores_a_new_loadable_version_with_its_metrics() {
    let setup = stored_world(300, 40).await;
    let store = setup.store();
    let ratings = store.count_ratings().await.unwrap();
    assert!(
        ratings > 500,
        "the world has too few ratings to train on: {ratings}"
    );

    let first = train_general(store, None).await.unwrap();
    assert_eq!(first.version, 1);
    assert_eq!(first.metrics["ratings"], ratings);
    assert_eq!(first.metrics["members"], 40);
    assert_eq!(first.metrics["films"], 300);
    let holdout = &first.metrics["holdout"];
    assert!(holdout["ratings"].as_u64().unwrap() > 0);
    let rmse = holdout["rmse"].as_f64().unwrap();
    assert!(rmse > 0.0 && rmse < 2.0, "held-out RMSE {rmse}");

    let stored = store.latest_model(GENERAL_MODEL).await.unwrap().unwrap();
    assert_eq!(stored.version, 1);
    // jsonb keeps numbers as decimals: a float may come back in its last bit, so floats are
    // compared with a tolerance and everything else exactly.
    for key in [
        "ratings",
        "members",
        "films",
        "params",
        "preset",
        "format_version",
    ] {
        assert_eq!(stored.metrics[key], first.metrics[key], "{key}");
    }
    let close = |a: &serde_json::Value, b: &serde_json::Value| {
        (a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-9
    };
    for key in ["rmse", "mae"] {
        assert!(
            close(
                &stored.metrics["holdout"][key],
                &first.metrics["holdout"][key]
            ),
            "{key}"
        );
    }
    GeneralModel::from_bytes(&stored.bytes).expect("the stored bytes load as a general model");

    let second = train_general(store, Some("default")).await.unwrap();
    assert_eq!(second.version, 2);
    assert_eq!(
        store
            .latest_model_version(GENERAL_MODEL)
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
    assert!(matches!(
        train_general(store, Some("nonexistent")).await,
        Err(JobError::Invalid(_))
    ));
}

#[tokio::test]
async fn training_without_the_holdout_stores_the_same_model_without_its_scores() {
    let setup = stored_world(300, 40).await;
    let store = setup.store();
    let scored = train_general(store, None).await.unwrap();
    let once = train_general_with(store, None, Holdout::Skip)
        .await
        .unwrap();
    assert!(scored.metrics["holdout"].is_object());
    assert!(once.metrics["holdout"].is_null(), "{}", once.metrics);
    assert_eq!(once.metrics["ratings"], scored.metrics["ratings"]);
    let stored = store.latest_model(GENERAL_MODEL).await.unwrap().unwrap();
    assert_eq!(stored.version, once.version);
    assert!(stored.metrics["holdout"].is_null());
    GeneralModel::from_bytes(&stored.bytes).expect("the model trained once loads");
}

#[tokio::test]
async fn training_without_ratings_says_what_to_run_first() {
    let database = TestDatabase::new().await;
    let err = train_general(database.store(), None).await.unwrap_err();
    assert!(matches!(err, JobError::Invalid(_)), "{err}");
    assert!(err.to_string().contains("reel catalog seed"), "{err}");
    assert!(
        database
            .store()
            .latest_model(GENERAL_MODEL)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_stats_refresh_stores_one_snapshot_per_member_with_enough_ratings() {
    let setup = stored_world(200, 25).await;
    let store = setup.store();
    let thin = Username::parse("thin").unwrap();
    let mut few = setup
        .world
        .profile(&setup.world.member_at(0).unwrap())
        .unwrap();
    few.ratings.truncate(2);
    store.replace_profile(&thin, &few).await.unwrap();

    let report = refresh_stats(store, &Progress::logs_only("stats", None))
        .await
        .unwrap();
    assert_eq!((report.snapshots, report.skipped), (25, 1));
    assert_eq!(members_with_a_snapshot(store).await, 25);
    for rank in 0..25 {
        let name = setup.world.member_at(rank).unwrap();
        let ratings = setup.world.profile(&name).unwrap().ratings;
        let member = store.find_member(&name).await.unwrap().unwrap();
        let snapshots = store.stats_snapshots_of(member.id).await.unwrap();
        assert_eq!(snapshots.len(), 1, "{name}");
        let snapshot = snapshots[0].1;
        assert_eq!(snapshot.ratings as usize, ratings.len(), "{name}");
        let mean = ratings
            .iter()
            .map(|(_, r)| f64::from(r.stars()))
            .sum::<f64>()
            / ratings.len() as f64;
        assert!((snapshot.mean_rating - mean).abs() < 1e-9, "{name}");
    }

    // A second run adds a snapshot per member; the latest is what percentiles use.
    refresh_stats(store, &Progress::logs_only("stats", None))
        .await
        .unwrap();
    assert_eq!(members_with_a_snapshot(store).await, 25);
}

async fn members_with_a_snapshot(store: &Store) -> usize {
    store
        .latest_stats_snapshots_by_member()
        .await
        .unwrap()
        .len()
}

async fn use_on(store: &Store, name: &str, day: NaiveDate, hour: u32) {
    let at = Utc.from_utc_datetime(&day.and_hms_opt(hour, 0, 0).unwrap());
    store
        .record_member_use(&Username::parse(name).unwrap(), at)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_usage_snapshot_writes_the_days_row_and_replaces_it_when_run_again() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let day = NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
    use_on(store, "ann", day, 1).await;
    use_on(store, "ann", day, 5).await;
    use_on(store, "bob", day, 23).await;
    use_on(store, "ann", day.succ_opt().unwrap(), 0).await;

    let row = snapshot_usage(store, Some(day)).await.unwrap();
    assert_eq!((row.day, row.members, row.uses), (day, 2, 3));
    use_on(store, "cat", day, 12).await;
    let row = snapshot_usage(store, Some(day)).await.unwrap();
    assert_eq!((row.members, row.uses), (3, 4));
    assert_eq!(store.usage_series(day, day).await.unwrap(), vec![row]);

    // By default, yesterday (UTC); a day with no use gets a row of zeros.
    let yesterday = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(1))
        .unwrap();
    let row = snapshot_usage(store, None).await.unwrap();
    assert_eq!((row.day, row.members, row.uses), (yesterday, 0, 0));
    let tomorrow = Utc::now().date_naive().succ_opt().unwrap();
    assert!(matches!(
        snapshot_usage(store, Some(tomorrow)).await,
        Err(JobError::Invalid(_))
    ));
}
