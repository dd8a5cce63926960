//! Films: bulk upserts that merge and count real changes, the active catalog, the version.

use chrono::{TimeZone, Utc};
use model::{ContentType, Film, Genre, GenreSet, Slug};

use crate::support::TestDatabase;

fn slug(raw: &str) -> Slug {
    Slug::parse(raw).unwrap()
}

fn full_film(raw_slug: &str) -> Film {
    let mut film = Film::stub(slug(raw_slug), format!("Title of {raw_slug}"));
    film.year = Some(1995);
    film.runtime_minutes = Some(170);
    film.genres = [Genre::Crime, Genre::Drama, Genre::ScienceFiction]
        .into_iter()
        .collect::<GenreSet>();
    film.countries = vec!["USA".into(), "UK".into()];
    film.language = Some("en".into());
    film.content_type = ContentType::Tv;
    film.lb_average = Some(3.9);
    film.lb_rating_count = Some(123_456);
    film.poster_url = Some(format!("https://a.ltrbxd.com/{raw_slug}.jpg"));
    film.letterboxd_id = Some(51_000);
    film.boxd_id = Some(format!("b{}", raw_slug.len()));
    film.tmdb_id = Some(949);
    film.imdb_id = Some("tt0113277".into());
    film
}

#[tokio::test]
async fn films_round_trip_every_field() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let film = full_film("heat-1995");
    assert_eq!(
        store
            .upsert_films(std::slice::from_ref(&film), None)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store.load_catalog_films().await.unwrap(),
        vec![film.clone()]
    );
    assert_eq!(store.find_film(&film.slug).await.unwrap(), Some(film));
    assert_eq!(store.find_film(&slug("nope")).await.unwrap(), None);
}

#[tokio::test]
async fn upserting_the_same_films_again_changes_nothing() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let films: Vec<Film> = (0..12_000)
        .map(|n| {
            let mut film = Film::stub(slug(&format!("film-{n}")), format!("Film {n}"));
            film.year = Some(1900 + (n % 120) as u16);
            film
        })
        .collect();
    // More than one statement's batch: all in, in one transaction.
    assert_eq!(store.upsert_films(&films, None).await.unwrap(), 12_000);
    assert_eq!(store.upsert_films(&films, None).await.unwrap(), 0);
    let mut changed = films[..3].to_vec();
    changed[1].title = "Renamed".into();
    assert_eq!(store.upsert_films(&changed, None).await.unwrap(), 1);
    assert_eq!(store.count_films(true).await.unwrap(), 12_000);
}

#[tokio::test]
async fn an_upsert_missing_values_keeps_the_known_ones() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let full = full_film("alien");
    store
        .upsert_films(std::slice::from_ref(&full), None)
        .await
        .unwrap();

    // A dataset row or a grid knows less: nothing it lacks is erased, what it has wins.
    let mut sparse = Film::stub(slug("alien"), "Alien (1979)");
    sparse.lb_average = Some(4.2);
    assert_eq!(store.upsert_films(&[sparse], None).await.unwrap(), 1);
    let stored = store.find_film(&slug("alien")).await.unwrap().unwrap();
    let mut expected = full;
    expected.title = "Alien (1979)".into();
    expected.lb_average = Some(4.2);
    expected.content_type = ContentType::Movie;
    assert_eq!(stored, expected);
}

#[tokio::test]
async fn a_slug_given_twice_keeps_its_last_film() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let first = Film::stub(slug("twice"), "First");
    let last = Film::stub(slug("twice"), "Last");
    assert_eq!(store.upsert_films(&[first, last], None).await.unwrap(), 1);
    assert_eq!(
        store
            .find_film(&slug("twice"))
            .await
            .unwrap()
            .unwrap()
            .title,
        "Last"
    );
}

#[tokio::test]
async fn gone_films_leave_the_catalog_and_come_back_when_seen_again() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let films = [full_film("a-film"), full_film("b-film-x")];
    store.upsert_films(&films, None).await.unwrap();
    assert_eq!(store.mark_films_gone(&[slug("a-film")]).await.unwrap(), 1);
    assert_eq!(store.mark_films_gone(&[slug("a-film")]).await.unwrap(), 0);
    let catalog = store.load_catalog_films().await.unwrap();
    assert_eq!(catalog, vec![films[1].clone()]);
    assert_eq!(
        store.active_film_slugs().await.unwrap(),
        vec![slug("b-film-x")]
    );
    assert_eq!(store.count_films(false).await.unwrap(), 1);

    let scraped = Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0).unwrap();
    assert_eq!(
        store
            .upsert_films(&films[..1], Some(scraped))
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.load_catalog_films().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_catalog_version_moves_by_one() {
    let database = TestDatabase::new().await;
    let store = database.store();
    assert_eq!(store.catalog_version().await.unwrap(), 0);
    assert_eq!(store.bump_catalog_version().await.unwrap(), 1);
    assert_eq!(store.bump_catalog_version().await.unwrap(), 2);
    assert_eq!(store.catalog_version().await.unwrap(), 2);
}
