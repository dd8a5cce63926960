mod fakes;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use model::Profile;
use model::recommend::{Limit, PickCount, PickMode};
use tokio::sync::Semaphore;

use self::fakes::*;
use super::ServiceError;
use super::ports::{LocalOnly, SourceError, StoredMember};
use super::profiles::{PROFILE_TTL, cache_key};
use crate::domain::{MemberRef, ModelChoice, ProfileOrigin, RecommendationsQuery, WatchlistQuery};

fn member(raw: &str) -> MemberRef {
    MemberRef::parse(raw).unwrap()
}

/// Rates f00..f05 two stars above their average-ish; watchlists f10..f14.
fn dave() -> Profile {
    profile(
        "dave",
        &[
            ("f00", 4.0),
            ("f01", 4.5),
            ("f02", 3.5),
            ("f03", 5.0),
            ("f04", 4.0),
            ("f05", 4.5),
        ],
        &["f10", "f11", "f12", "f13", "f14"],
    )
}

fn anna() -> Profile {
    profile(
        "anna",
        &[
            ("f06", 1.0),
            ("f07", 2.0),
            ("f08", 1.5),
            ("f09", 2.5),
            ("f05", 1.0),
        ],
        &["f12", "f13", "f20"],
    )
}

fn newcomer() -> Profile {
    profile("newcomer", &[("f00", 4.0), ("f01", 3.0)], &[])
}

fn everyone() -> FakeSource {
    FakeSource::with(vec![
        ("dave", Ok(dave())),
        ("anna", Ok(anna())),
        ("newcomer", Ok(newcomer())),
        ("hidden", Err(SourceError::ProfilePrivate)),
        ("walled", Err(SourceError::Blocked)),
        ("flaky", Err(SourceError::Unavailable("503".into()))),
    ])
}

fn query(members: &[&str]) -> RecommendationsQuery {
    RecommendationsQuery {
        members: members.iter().map(|m| member(m)).collect(),
        model: ModelChoice::Default,
        filters: Default::default(),
        limit: Limit::new(10).unwrap(),
        rank_by: crate::domain::RankBy::default(),
        explain: true,
    }
}

#[tokio::test]
async fn a_cached_profile_is_not_scraped_again_but_every_use_counts() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let first = w.services.recommend(query(&["dave"])).await.unwrap();
    let second = w
        .services
        .recommend(query(&["https://letterboxd.com/DAVE/"]))
        .await
        .unwrap();
    assert_eq!(w.source.scrapes.load(Ordering::SeqCst), 1);
    assert_eq!(first.members[0].origin, ProfileOrigin::Scraped);
    assert_eq!(second.members[0].origin, ProfileOrigin::Cached);
    // The first use creates the member at once; repeat uses wait in memory for the next flush.
    assert_eq!(*w.store.uses.lock().unwrap(), ["dave"]);
    w.services.flush_uses().await.unwrap();
    assert_eq!(*w.store.uses.lock().unwrap(), ["dave", "dave"]);
    w.services.flush_uses().await.unwrap();
    assert_eq!(
        w.store.uses.lock().unwrap().len(),
        2,
        "a flush writes each use once"
    );
    let entries = w.cache.entries.lock().unwrap();
    assert_eq!(entries[&cache_key(&user("dave"))].1, PROFILE_TTL);
    // Films the profile mentions that the 40-film catalog lacks (f40+ none here) are not queued;
    // the scraped diary is stored once.
    assert_eq!(*w.store.saved.lock().unwrap(), ["dave"]);
}

#[tokio::test]
async fn a_parsed_profile_is_kept_in_process_in_front_of_the_shared_cache() {
    let w = world(everyone(), Arc::new(LocalOnly));
    w.services.recommend(query(&["dave"])).await.unwrap();
    // The shared cache loses the entry (evicted, or Redis restarted empty).
    w.cache.entries.lock().unwrap().clear();
    let again = w.services.recommend(query(&["dave"])).await.unwrap();
    assert_eq!(again.members[0].origin, ProfileOrigin::Cached);
    assert_eq!(w.source.scrapes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn concurrent_requests_for_one_member_share_one_scrape() {
    let gate = Arc::new(Semaphore::new(0));
    let source = FakeSource {
        gate: Some(gate.clone()),
        ..everyone()
    };
    let w = world(source, Arc::new(LocalOnly));
    let requests =
        futures::future::join_all((0..5).map(|_| w.services.recommend(query(&["dave"]))));
    let opener = async {
        while w.source.scrapes.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        // Let every request reach the flight before the scrape finishes.
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
        gate.add_permits(10);
    };
    let (results, ()) = futures::future::join(requests, opener).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(w.source.scrapes.load(Ordering::SeqCst), 1);
    w.services.flush_uses().await.unwrap();
    assert_eq!(w.store.uses.lock().unwrap().len(), 5);
}

#[tokio::test]
async fn another_replica_scraping_means_waiting_for_its_cache_entry() {
    let w = world(everyone(), Arc::new(fakes::HeldElsewhere));
    let other_replica = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let bytes = serde_json::to_vec(&dave()).unwrap();
        w.cache
            .entries
            .lock()
            .unwrap()
            .insert(cache_key(&user("dave")), (bytes, PROFILE_TTL));
    };
    let (recs, ()) =
        futures::future::join(w.services.recommend(query(&["dave"])), other_replica).await;
    assert_eq!(recs.unwrap().members[0].origin, ProfileOrigin::Cached);
    assert_eq!(w.source.scrapes.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn scrape_failures_become_typed_errors_naming_the_member() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let err = |name: &'static str| {
        let services = &w.services;
        async move { services.recommend(query(&[name])).await.unwrap_err() }
    };
    assert!(matches!(err("nobody").await, ServiceError::MemberNotFound(m) if m == "nobody"));
    assert!(matches!(err("hidden").await, ServiceError::ProfilePrivate(m) if m == "hidden"));
    assert!(matches!(err("walled").await, ServiceError::UpstreamBlocked));
    assert!(matches!(
        err("flaky").await,
        ServiceError::UpstreamUnavailable
    ));
    // Failures are not cached: the next request tries again.
    err("hidden").await;
    assert_eq!(w.source.scrapes.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn one_member_gets_unseen_films_best_first() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let recs = w.services.recommend(query(&["dave"])).await.unwrap();
    assert_eq!(recs.catalog_version, 3);
    assert_eq!(recs.items.len(), 10);
    assert!(recs.items.iter().all(|i| i.member_predictions.is_empty()));
    assert!(
        recs.items
            .windows(2)
            .all(|w| w[0].predicted_rating >= w[1].predicted_rating)
    );
    let seen = dave().seen().into_iter().cloned().collect::<Vec<_>>();
    assert!(recs.items.iter().all(|i| !seen.contains(&i.film.key)));
    assert!(
        recs.items
            .iter()
            .all(|i| !dave().watchlist.contains(&i.film.key))
    );
}

#[tokio::test]
async fn several_members_get_each_prediction_and_the_mean() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let recs = w
        .services
        .recommend(query(&["dave", "anna"]))
        .await
        .unwrap();
    assert_eq!(recs.members.len(), 2);
    for item in &recs.items {
        assert_eq!(item.member_predictions.len(), 2);
        let mean = item.member_predictions.iter().sum::<f32>() / 2.0;
        assert!((item.predicted_rating - mean).abs() < 1e-5);
    }
}

#[tokio::test]
async fn too_few_ratings_names_the_member_before_any_training() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let err = w
        .services
        .recommend(query(&["dave", "newcomer"]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ServiceError::NotEnoughRatings { member, have: 2, need: 5 } if member == "newcomer"),
        "{err:?}"
    );
}

#[tokio::test]
async fn statistics_compare_with_members_seen_before_and_store_a_snapshot() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let first = w.services.statistics(member("dave")).await.unwrap();
    assert_eq!(first.statistics.percentiles.compared_with, 0);
    assert_eq!(first.statistics.rating_style, None);
    // f00 has a community histogram, so the community distribution covers one film.
    assert_eq!(first.statistics.distribution.community_films, 1);
    w.services.statistics(member("anna")).await.unwrap();
    let again = w.services.statistics(member("dave")).await.unwrap();
    assert_eq!(again.statistics.percentiles.compared_with, 1);
    // Dave rates far above the averages, Anna far below: Dave is above all others.
    assert_eq!(again.statistics.percentiles.differential, Some(100.0));
    assert!(again.statistics.rating_style.is_some());
    // Dave's statistics did not change, so his snapshot is not stored a second time.
    assert_eq!(w.store.snapshots.lock().unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn snapshots_stored_elsewhere_count_once_the_held_ones_are_refreshed() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let first = w.services.statistics(member("dave")).await.unwrap();
    assert_eq!(first.statistics.percentiles.compared_with, 0);
    // Another replica (or the statistics job) stores a member this process never saw.
    let elsewhere = w.store.snapshots.lock().unwrap()[0].1;
    w.store
        .snapshots
        .lock()
        .unwrap()
        .push((StoredMember(99), elsewhere));
    let soon = w.services.statistics(member("dave")).await.unwrap();
    assert_eq!(soon.statistics.percentiles.compared_with, 0);
    tokio::time::advance(crate::services::snapshots::REFRESH_EVERY).await;
    let later = w.services.statistics(member("dave")).await.unwrap();
    assert_eq!(later.statistics.percentiles.compared_with, 1);
}

#[tokio::test]
async fn statistics_need_five_ratings() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let err = w.services.statistics(member("newcomer")).await.unwrap_err();
    assert!(matches!(
        err,
        ServiceError::NotEnoughRatings { have: 2, .. }
    ));
}

fn picks(members: &[&str], mode: PickMode, overlap: bool, seed: Option<u64>) -> WatchlistQuery {
    WatchlistQuery {
        members: members.iter().map(|m| member(m)).collect(),
        mode,
        min_members: if overlap { members.len() } else { 1 },
        count: PickCount::new(3).unwrap(),
        seed,
        rank_by: crate::domain::RankBy::default(),
        explain: true,
        filters: Default::default(),
    }
}

#[tokio::test]
async fn random_picks_are_reproducible_with_the_seed() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let first = w
        .services
        .watchlist_picks(picks(&["dave"], PickMode::Random, true, None))
        .await
        .unwrap();
    let seed = first.picks.seed.unwrap();
    let again = w
        .services
        .watchlist_picks(picks(&["dave"], PickMode::Random, true, Some(seed)))
        .await
        .unwrap();
    assert_eq!(first.picks.picks, again.picks.picks);
    assert_eq!(first.picks.pool_size, 5);
    let overlap = w
        .services
        .watchlist_picks(picks(&["dave", "anna"], PickMode::Random, true, Some(1)))
        .await
        .unwrap();
    assert_eq!(
        overlap.picks.pool_size, 2,
        "f12 and f13 are on both watchlists"
    );
    let union = w
        .services
        .watchlist_picks(picks(&["dave", "anna"], PickMode::Random, false, Some(1)))
        .await
        .unwrap();
    assert_eq!(union.picks.pool_size, 6);
}

#[tokio::test]
async fn ranked_picks_use_the_models_and_empty_watchlists_are_errors() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let ranked = w
        .services
        .watchlist_picks(picks(&["dave"], PickMode::Ranked, true, None))
        .await
        .unwrap();
    assert_eq!(ranked.model, Some(ModelChoice::Default));
    let ratings: Vec<f32> = ranked
        .picks
        .picks
        .iter()
        .map(|p| p.predicted_rating.unwrap())
        .collect();
    assert!(ratings.windows(2).all(|w| w[0] >= w[1]));
    let empty = w
        .services
        .watchlist_picks(picks(&["dave", "newcomer"], PickMode::Random, true, None))
        .await
        .unwrap_err();
    assert!(matches!(empty, ServiceError::WatchlistEmpty(m) if m == "newcomer"));
}

#[tokio::test]
async fn uploads_resolve_until_deleted() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let mut uploaded = dave();
    uploaded.username = None;
    let (id, stored) = w
        .services
        .uploads()
        .put(uploaded, Vec::new())
        .await
        .unwrap();
    assert!(stored.expires_at > stored.uploaded_at);
    let as_member = MemberRef::Upload(id);
    let recs = w
        .services
        .recommend(RecommendationsQuery {
            members: vec![as_member.clone(), member("anna")],
            ..query(&[])
        })
        .await
        .unwrap();
    assert_eq!(recs.members[0].origin, ProfileOrigin::Upload);
    assert_eq!(
        *w.store.uses.lock().unwrap(),
        ["anna"],
        "uploads are anonymous"
    );
    assert!(w.services.uploads().delete(id).await.unwrap());
    assert!(!w.services.uploads().delete(id).await.unwrap());
    let gone = w.services.statistics(as_member).await.unwrap_err();
    assert!(matches!(gone, ServiceError::ProfileNotFound(m) if m == id.to_string()));
    assert!(w.uploads.rows.lock().unwrap().is_empty());
    assert!(
        !w.cache
            .entries
            .lock()
            .unwrap()
            .keys()
            .any(|key| key.starts_with("upload:")),
        "no copy left"
    );
}

fn anonymous_dave() -> Profile {
    Profile {
        username: None,
        ..dave()
    }
}

#[tokio::test]
async fn an_upload_outlives_its_cached_copy() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let (id, _) = w
        .services
        .uploads()
        .put(anonymous_dave(), Vec::new())
        .await
        .unwrap();
    // Redis restarted empty, or the process restarted without Redis.
    w.cache.entries.lock().unwrap().clear();
    let stats = w.services.statistics(MemberRef::Upload(id)).await.unwrap();
    assert_eq!(stats.member.origin, ProfileOrigin::Upload);
    assert_eq!(w.cache.entries.lock().unwrap().len(), 1, "copied again");
}

#[tokio::test]
async fn an_upload_the_store_cannot_keep_gets_no_id() {
    let w = world(everyone(), Arc::new(LocalOnly));
    w.uploads.down.store(true, Ordering::SeqCst);
    let err = w
        .services
        .uploads()
        .put(anonymous_dave(), Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::StoreUnavailable(_)), "{err}");
    assert!(
        w.cache.entries.lock().unwrap().is_empty(),
        "nothing half-kept"
    );
}

#[tokio::test]
async fn an_expired_upload_is_not_served_and_is_deleted() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let (id, _) = w
        .services
        .uploads()
        .put(anonymous_dave(), Vec::new())
        .await
        .unwrap();
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    w.uploads
        .rows
        .lock()
        .unwrap()
        .get_mut(&id)
        .unwrap()
        .expires_at = past;
    w.cache.entries.lock().unwrap().clear();
    let err = w
        .services
        .statistics(MemberRef::Upload(id))
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::ProfileNotFound(_)), "{err}");
    assert!(w.uploads.rows.lock().unwrap().is_empty(), "deleted on read");
}

#[tokio::test]
async fn the_sweep_deletes_only_expired_uploads() {
    let w = world(everyone(), Arc::new(LocalOnly));
    let (kept, _) = w
        .services
        .uploads()
        .put(anonymous_dave(), Vec::new())
        .await
        .unwrap();
    let (expired, _) = w
        .services
        .uploads()
        .put(anonymous_dave(), Vec::new())
        .await
        .unwrap();
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    w.uploads
        .rows
        .lock()
        .unwrap()
        .get_mut(&expired)
        .unwrap()
        .expires_at = past;
    assert_eq!(w.services.uploads().sweep().await.unwrap(), 1);
    let rows = w.uploads.rows.lock().unwrap();
    assert!(rows.contains_key(&kept) && !rows.contains_key(&expired));
}

#[tokio::test]
async fn an_upload_on_an_empty_catalog_is_refused() {
    let w = world_with_catalog(everyone(), Arc::new(LocalOnly), catalog(0));
    let files = vec![crate::services::exports::UploadedFile {
        name: "ratings.csv".to_owned(),
        bytes: b"Date,Name,Year,Letterboxd URI,Rating\n2025-01-01,Heat,1995,https://boxd.it/x,4\n"
            .to_vec(),
    }];
    let err = w.services.create_upload(files).await.unwrap_err();
    assert!(matches!(err, ServiceError::CatalogEmpty), "{err}");
    assert!(w.uploads.rows.lock().unwrap().is_empty());
}

/// A language model that always gives `answer`, counting the questions.
struct FixedReader {
    answer: Result<model::recommend::describe::Described, crate::domain::Fallback>,
    asked: std::sync::atomic::AtomicUsize,
}

impl super::ports::DescriptionReader for FixedReader {
    fn read<'a>(
        &'a self,
        _description: &'a str,
        _this_year: u16,
    ) -> futures::future::BoxFuture<
        'a,
        Result<model::recommend::describe::Described, crate::domain::Fallback>,
    > {
        self.asked.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::ready(self.answer.clone()))
    }
}

#[tokio::test]
async fn a_description_is_read_by_the_model_and_by_the_embedded_parser_when_it_fails() {
    use crate::domain::{Description, Fallback, FilterRequest, ParsedBy};

    let request = FilterRequest {
        description: Some(Description::parse("french films, zorblax".into()).unwrap()),
        ..FilterRequest::default()
    };
    let japanese = model::recommend::describe::Described {
        languages: vec!["ja".into()],
        ..Default::default()
    };
    let mut w = world(everyone(), Arc::new(LocalOnly));
    let chosen = w.services.choose_filters(&request).await;
    let reading = chosen.reading.unwrap();
    assert_eq!(
        (reading.parsed_by, reading.fallback),
        (ParsedBy::Embedded, None)
    );
    assert_eq!(chosen.filters.languages, ["fr"]);

    let reader = Arc::new(FixedReader {
        answer: Ok(japanese),
        asked: Default::default(),
    });
    w.services.reader = Some(reader.clone());
    let chosen = w.services.choose_filters(&request).await;
    assert_eq!(chosen.filters.languages, ["ja"]);
    let reading = chosen.reading.unwrap();
    assert_eq!(
        (reading.parsed_by, reading.fallback),
        (ParsedBy::LanguageModel, None)
    );
    assert!(reading.ignored.is_empty());
    // Without a description the model is not asked.
    let plain = w.services.choose_filters(&FilterRequest::default()).await;
    assert_eq!(plain.reading, None);
    assert_eq!(reader.asked.load(Ordering::SeqCst), 1);

    for fallback in [
        Fallback::Timeout,
        Fallback::Unavailable,
        Fallback::InvalidAnswer,
    ] {
        w.services.reader = Some(Arc::new(FixedReader {
            answer: Err(fallback),
            asked: Default::default(),
        }));
        let chosen = w.services.choose_filters(&request).await;
        assert_eq!(chosen.filters.languages, ["fr"]);
        let reading = chosen.reading.unwrap();
        assert_eq!(
            (reading.parsed_by, reading.fallback),
            (ParsedBy::Embedded, Some(fallback))
        );
        assert_eq!(reading.ignored, ["zorblax"]);
    }
}
