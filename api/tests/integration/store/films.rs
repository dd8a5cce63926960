//! Films: bulk upserts that merge and count real changes, the active catalog, the version.

use chrono::{TimeZone, Utc};
use model::{Catalog, ContentType, Film, FilmKey, Genre, GenreSet, Slug, TmdbRef};
use reel::store::films::FilmsFrom;

use crate::support::TestDatabase;

fn slug(raw: &str) -> FilmKey {
    FilmKey::parse(raw).unwrap()
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
    film.tmdb = Some(model::TmdbRef {
        kind: model::ContentType::Movie,
        id: 949,
    });
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
            .upsert_films(std::slice::from_ref(&film), FilmsFrom::default())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        unnumbered(store.load_catalog_films().await.unwrap()),
        vec![film.clone()]
    );
    assert_eq!(
        store
            .find_film(&film.key)
            .await
            .unwrap()
            .map(|f| unnumbered(vec![f])),
        Some(vec![film])
    );
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
    assert_eq!(
        store
            .upsert_films(&films, reel::store::films::FilmsFrom::default())
            .await
            .unwrap(),
        12_000
    );
    assert_eq!(
        store
            .upsert_films(&films, reel::store::films::FilmsFrom::default())
            .await
            .unwrap(),
        0
    );
    let mut changed = films[..3].to_vec();
    changed[1].title = "Renamed".into();
    assert_eq!(
        store
            .upsert_films(&changed, reel::store::films::FilmsFrom::default())
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.count_films(true).await.unwrap(), 12_000);
}

#[tokio::test]
async fn an_upsert_missing_values_keeps_the_known_ones() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let full = full_film("alien");
    store
        .upsert_films(std::slice::from_ref(&full), FilmsFrom::default())
        .await
        .unwrap();

    // A dataset row or a grid knows less: nothing it lacks is erased, what it has wins.
    let mut sparse = Film::stub(slug("alien"), "Alien (1979)");
    sparse.lb_average = Some(4.2);
    assert_eq!(
        store
            .upsert_films(&[sparse], FilmsFrom::default())
            .await
            .unwrap(),
        1
    );
    let mut stored = store.find_film(&slug("alien")).await.unwrap().unwrap();
    assert!(stored.id.is_some(), "the store numbers every film");
    stored.id = None;
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
    assert_eq!(
        store
            .upsert_films(&[first, last], FilmsFrom::default())
            .await
            .unwrap(),
        1
    );
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
    store
        .upsert_films(&films, reel::store::films::FilmsFrom::default())
        .await
        .unwrap();
    assert_eq!(store.mark_films_gone(&[slug("a-film")]).await.unwrap(), 1);
    assert_eq!(store.mark_films_gone(&[slug("a-film")]).await.unwrap(), 0);
    let catalog = unnumbered(store.load_catalog_films().await.unwrap());
    assert_eq!(catalog, vec![films[1].clone()]);
    assert_eq!(
        store.active_letterboxd_keys().await.unwrap(),
        vec![slug("b-film-x")]
    );
    assert_eq!(store.count_films(false).await.unwrap(), 1);

    let scraped = Utc.with_ymd_and_hms(2026, 11, 21, 3, 0, 0).unwrap();
    assert_eq!(
        store
            .upsert_films(&films[..1], FilmsFrom::scraped(scraped))
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

/// Films as they were given to the store: without the ids it numbers them with.
fn unnumbered(films: Vec<Film>) -> Vec<Film> {
    films
        .into_iter()
        .map(|film| {
            assert!(film.id.is_some(), "{} has no id", film.key);
            Film { id: None, ..film }
        })
        .collect()
}

#[tokio::test]
async fn a_film_found_on_tmdb_and_later_named_by_letterboxd_stays_one_film() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let tmdb = TmdbRef {
        kind: ContentType::Movie,
        id: 603,
    };
    let mut found = Film::stub(FilmKey::tmdb(tmdb), "The Matrix");
    found.tmdb_vote_count = Some(25_000);
    store
        .upsert_films(&[found], FilmsFrom::default())
        .await
        .unwrap();

    // Letterboxd's page names it by slug and links the same TMDB record.
    let mut named = Film::stub(slug("the-matrix"), "The Matrix");
    named.tmdb = Some(tmdb);
    named.lb_average = Some(4.2);
    store
        .upsert_films(&[named], FilmsFrom::default())
        .await
        .unwrap();

    let films = store.load_catalog_films().await.unwrap();
    assert_eq!(films.len(), 1, "one film, not two: {films:?}");
    assert_eq!(films[0].key, FilmKey::tmdb(tmdb), "a film keeps its key");
    assert_eq!(films[0].slug, Some(Slug::parse("the-matrix").unwrap()));
    assert_eq!(
        (films[0].lb_average, films[0].tmdb_vote_count),
        (Some(4.2), Some(25_000))
    );
    let catalog = Catalog::from_films(films);
    assert_eq!(
        catalog.index_of(&slug("the-matrix")),
        catalog.index_of(&FilmKey::tmdb(tmdb))
    );
}

#[tokio::test]
async fn a_slug_another_film_holds_is_not_taken_from_it() {
    let database = TestDatabase::new().await;
    let store = database.store();
    let other_key = FilmKey::parse("tmdb:movie:949").unwrap();
    let stored = [
        Film::stub(slug("heat"), "Heat"),
        Film::stub(other_key.clone(), "Heat (1986)"),
    ];
    store
        .upsert_films(&stored, FilmsFrom::default())
        .await
        .unwrap();
    // A wrong guess names the TMDB film by the slug the first film holds: its key wins.
    let mut other = Film::stub(other_key, "Heat (1986)");
    other.slug = Some(Slug::parse("heat").unwrap());
    store
        .upsert_films(&[other], FilmsFrom::default())
        .await
        .unwrap();
    let films = store.load_catalog_films().await.unwrap();
    let keys: Vec<(&str, Option<&str>)> = films
        .iter()
        .map(|f| (f.key.as_str(), f.slug.as_ref().map(Slug::as_str)))
        .collect();
    assert_eq!(keys, [("heat", Some("heat")), ("tmdb:movie:949", None)]);
}

#[tokio::test]
async fn a_film_known_only_from_tmdb_is_served_with_calibrated_letterboxd_figures() {
    use model::calibration::MIN_FIT_FILMS;
    use model::recommend::{Filters, PopularityBand, PopularityScale};
    use reel::catalog::CatalogHandle;

    let database = TestDatabase::new().await;
    let store = database.store();
    // Films with both sets of figures: TMDB's average is 2 + 1.3 x Letterboxd's, its votes as
    // many as Letterboxd's ratings.
    let mut films: Vec<Film> = (0..MIN_FIT_FILMS + 20)
        .map(|i| {
            let mut film = Film::stub(slug(&format!("film-{i}")), format!("Film {i}"));
            let average = 1.5 + (i % 30) as f32 / 10.0;
            let count = 1_000 * (1 + (i as u32 * 7) % 97);
            film.lb_average = Some(average);
            film.lb_rating_count = Some(count);
            film.tmdb_vote_average = Some(2.0 + 1.3 * average);
            film.tmdb_vote_count = Some(count);
            film.tmdb_popularity = Some(count as f32 / 1_000.0);
            film
        })
        .collect();
    let key = FilmKey::parse("tmdb:movie:603").unwrap();
    let mut found = Film::stub(key.clone(), "The Matrix");
    found.tmdb_vote_average = Some(8.2);
    found.tmdb_vote_count = Some(150_000);
    found.tmdb_popularity = Some(150.0);
    films.push(found);
    store
        .upsert_films(&films, FilmsFrom::default())
        .await
        .unwrap();
    let stored = store.find_film(&key).await.unwrap().unwrap();
    assert_eq!((stored.lb_average, stored.lb_rating_count), (None, None));

    let handle = CatalogHandle::empty();
    let loaded = handle.reload(store).await.unwrap();
    let served = loaded.catalog.get(&key).unwrap();
    let average = served.lb_average.unwrap();
    assert!((average - (8.2 - 2.0) / 1.3).abs() < 0.01, "{average}");
    let count = served.lb_rating_count.unwrap();
    assert!((140_000..=160_000).contains(&count), "{count}");
    assert_eq!(
        PopularityScale::LETTERBOXD.band(Some(count)),
        PopularityBand::High
    );
    let highly_rated = Filters {
        highly_rated: true,
        ..Filters::default()
    };
    assert!(highly_rated.matches(served, PopularityScale::LETTERBOXD));
    // Films with Letterboxd figures are served with theirs.
    let seventh = loaded.catalog.get(&slug("film-7")).unwrap();
    assert_eq!(
        (seventh.lb_average, seventh.lb_rating_count),
        (films[7].lb_average, films[7].lb_rating_count)
    );
}
