//! Uploaded exports in PostgreSQL: read back until they expire, then deleted.

use chrono::{Duration, SubsecRound, Utc};
use letterboxd::export::{ExportList, ListedFilm};
use model::{FilmKey, Profile, Rating};
use uuid::Uuid;

use crate::support::TestDatabase;

fn profile() -> Profile {
    Profile {
        ratings: vec![(
            FilmKey::parse("heat").unwrap(),
            Rating::from_stars(4.5).unwrap(),
        )],
        watchlist: vec![FilmKey::parse("ran").unwrap()],
        ..Profile::default()
    }
}

fn lists() -> Vec<ExportList> {
    vec![ExportList {
        name: "Festival 2026".to_owned(),
        films: vec![
            ListedFilm {
                name: "Heat".to_owned(),
                year: Some(1995),
                uri: "https://boxd.it/1a".to_owned(),
                key: Some(FilmKey::parse("heat").unwrap()),
            },
            ListedFilm {
                name: "Unknown".to_owned(),
                year: None,
                uri: "https://boxd.it/zz".to_owned(),
                key: None,
            },
        ],
    }]
}

#[tokio::test]
async fn an_upload_is_read_back_until_it_expires_then_deleted() {
    let db = TestDatabase::new().await;
    let store = db.store();
    // Postgres keeps microseconds.
    let now = Utc::now().trunc_subsecs(6);
    let live = Uuid::new_v4();
    let stale = Uuid::new_v4();
    store
        .insert_upload(
            live,
            &profile(),
            serde_json::to_value(lists()).unwrap(),
            now,
            now + Duration::hours(24),
        )
        .await
        .unwrap();
    store
        .insert_upload(
            stale,
            &profile(),
            serde_json::json!([]),
            now - Duration::hours(25),
            now - Duration::hours(1),
        )
        .await
        .unwrap();
    let read = store.live_upload(live, now).await.unwrap().unwrap();
    assert_eq!(read.profile, profile());
    assert_eq!(read.lists, serde_json::to_value(lists()).unwrap());
    assert_eq!(read.expires_at, now + Duration::hours(24));

    assert_eq!(store.live_upload(stale, now).await.unwrap(), None);
    // Read once past expiry, the row is gone: even a clock moved back cannot bring it back.
    let before = now - Duration::hours(2);
    assert_eq!(store.live_upload(stale, before).await.unwrap(), None);

    let later = now + Duration::hours(25);
    assert_eq!(store.delete_expired_uploads(now).await.unwrap(), 0);
    assert_eq!(store.delete_expired_uploads(later).await.unwrap(), 1);
    assert_eq!(store.live_upload(live, now).await.unwrap(), None);
}

#[tokio::test]
async fn deleting_says_whether_a_live_upload_was_there() {
    let db = TestDatabase::new().await;
    let store = db.store();
    let now = Utc::now();
    let id = Uuid::new_v4();
    store
        .insert_upload(
            id,
            &profile(),
            serde_json::json!([]),
            now,
            now + Duration::hours(24),
        )
        .await
        .unwrap();
    assert!(store.delete_upload(id, now).await.unwrap());
    assert!(!store.delete_upload(id, now).await.unwrap());
    assert_eq!(store.live_upload(id, now).await.unwrap(), None);
}
