//! The TMDB client against the simulated TMDB, in process, on a free loopback port: every
//! endpoint the catalog uses, the daily id file, each fault's typed error, and the rate limit.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests: a failure is a failed test"
)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures::future::join_all;
use tmdb::{Client, Endpoint, IdFilter, IdKind, MovieSearch, Outcome, TmdbConfig, TmdbError};
use tmdb_sim::{
    FaultPlan, Faults, Kind, Knobs, PathFaults, SimHandle, SimServer, SourceFilm, World,
};

const TOKEN: &str = "sim-token";

fn film(slug: &str, title: &str, year: u16) -> SourceFilm {
    SourceFilm {
        slug: slug.into(),
        title: title.into(),
        year: Some(year),
        genres: vec!["Comedy".into(), "Romance".into()],
        language: Some("fr".into()),
        lb_rating: Some(4.1),
        lb_rating_count: Some(16_000),
        popularity: Some(19.5),
        ..SourceFilm::default()
    }
}

/// A few named titles and 3,000 generated ones.
fn world() -> Arc<World> {
    static WORLD: std::sync::OnceLock<Arc<World>> = std::sync::OnceLock::new();
    WORLD
        .get_or_init(|| {
            let mut films = vec![
                SourceFilm {
                    tmdb_id: Some(194),
                    ..film("amelie", "Amélie", 2001)
                },
                film("schindlers-list", "Schindler's List", 1993),
                SourceFilm {
                    kind: Some(Kind::Tv),
                    runtime: None,
                    ..film("the-office", "The Office", 2005)
                },
            ];
            films.extend(tmdb_sim::synthetic::films(3_000, 5));
            Arc::new(World::build(films, 7))
        })
        .clone()
}

struct Sim {
    addr: SocketAddr,
    handle: SimHandle,
}

impl Sim {
    async fn start(plan: FaultPlan) -> Sim {
        let (addr, handle) = SimServer::start(world(), Some(TOKEN.into()), Faults::new(plan))
            .await
            .unwrap();
        Sim { addr, handle }
    }

    /// No waiting: a high rate limit and millisecond backoff.
    fn config(&self) -> TmdbConfig {
        TmdbConfig {
            requests_per_second: 10_000,
            ..TmdbConfig::with_token(TOKEN)
                .pointed_at(&format!("http://{}", self.addr))
                .fast_retries()
        }
    }

    fn client(&self) -> Client {
        Client::new(self.config()).unwrap()
    }

    fn faults(&self) -> &Faults {
        self.handle.faults()
    }
}

fn on_movies(knobs: Knobs) -> FaultPlan {
    FaultPlan {
        paths: vec![PathFaults {
            prefix: "/3/movie/".into(),
            knobs,
        }],
        ..FaultPlan::default()
    }
}

#[tokio::test]
async fn details_carry_external_ids_genres_countries_and_providers() {
    let sim = Sim::start(FaultPlan::default()).await;
    let client = sim.client();
    let amelie = client.movie(194).await.unwrap();
    assert_eq!(amelie.title, "Amélie");
    assert_eq!(amelie.original_language, "fr");
    assert_eq!(amelie.production_countries[0].iso_3166_1, "FR");
    let genres: Vec<&str> = amelie.genres.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(genres, ["Comedy", "Romance"]);
    let expected = world().get(Kind::Movie, 194).unwrap().clone();
    assert_eq!(amelie.imdb_id(), expected.imdb_id.as_deref());
    assert_eq!(amelie.runtime_minutes(), Some(expected.runtime));
    assert!(amelie.year() == Some(2001) || amelie.year() == Some(2002));
    assert!(amelie.vote_average > 6.0, "{}", amelie.vote_average);
    let providers = amelie.watch_providers.clone().unwrap();
    assert!(!providers.results.is_empty());
    assert_eq!(client.movie_watch_providers(194).await.unwrap(), providers);
    // Some country offers it somewhere, with names and logos.
    let offers = providers.results.values().next().unwrap();
    let any = offers
        .rent
        .iter()
        .chain(&offers.buy)
        .chain(&offers.flatrate)
        .next()
        .unwrap();
    assert!(!any.provider_name.is_empty() && any.logo_path.is_some());

    let office_id = world().by_slug("the-office").unwrap().id;
    let office = client.tv(office_id).await.unwrap();
    assert_eq!(office.name, "The Office");
    assert!(office.episode_minutes().is_some() && office.number_of_episodes.unwrap() > 0);
    assert!(office.external_ids.is_some());
    // Series and movies are apart, as on TMDB.
    assert!(matches!(
        client.tv(194).await.unwrap_err(),
        TmdbError::NotFound { .. }
    ));
    assert!(matches!(
        client.movie(999_999_999).await.unwrap_err(),
        TmdbError::NotFound { .. }
    ));

    assert_eq!(client.movie_genres().await.unwrap().len(), 19);
    let images = client.configuration().await.unwrap().images;
    let poster = amelie
        .poster_path
        .as_deref()
        .or(expected.poster_path.as_deref());
    if let Some(urls) = images.poster_urls(poster) {
        assert!(
            urls.small
                .starts_with(&format!("http://{}/t/p/w185/", sim.addr))
        );
        let image = reqwest::get(&urls.large).await.unwrap();
        assert!(image.status().is_success());
    }
    assert_eq!(client.counters().get(Endpoint::Movie, Outcome::Ok), 1);
    assert_eq!(client.counters().get(Endpoint::Movie, Outcome::NotFound), 1);
    sim.handle.stop().await;
}

#[tokio::test]
async fn search_ignores_case_accents_and_punctuation_and_matches_a_year_either_side() {
    let sim = Sim::start(FaultPlan::default()).await;
    let client = sim.client();
    let hits = client
        .search_movie(&MovieSearch::new("AMELIE"))
        .await
        .unwrap();
    assert_eq!(hits.results[0].id, 194);
    let hits = client
        .search_movie(&MovieSearch::new("schindlers list!"))
        .await
        .unwrap();
    assert_eq!(hits.results[0].title, "Schindler's List");

    // A film TMDB dates a year after the list's (premiere) year is still found from that year.
    let shifted = world()
        .films()
        .iter()
        .find(|f| f.kind == Kind::Movie && f.list_year.is_some() && f.year() != f.list_year)
        .unwrap()
        .clone();
    let list_year = shifted.list_year.unwrap();
    assert_eq!(shifted.year(), Some(list_year + 1));
    let found = client
        .find_movie(&shifted.title.to_uppercase(), Some(list_year))
        .await
        .unwrap();
    assert_eq!(found.unwrap().id, shifted.id);
    assert!(
        client
            .find_movie(&shifted.title, Some(list_year - 5))
            .await
            .unwrap()
            .is_none()
    );

    // The year filter is TMDB's exact one.
    let search = MovieSearch {
        primary_release_year: Some(list_year),
        ..MovieSearch::new(shifted.title.clone())
    };
    let exact = client.search_movie(&search).await.unwrap();
    assert!(exact.results.iter().all(|hit| hit.id != shifted.id));
    sim.handle.stop().await;
}

#[tokio::test]
async fn search_pages_hold_twenty_hits_each() {
    let sim = Sim::start(FaultPlan::default()).await;
    let client = sim.client();
    // Generated titles share their first words: 125 of the 3,000 start with "Silent".
    let first = client
        .search_movie(&MovieSearch::new("silent"))
        .await
        .unwrap();
    assert!(first.total_results > 40, "{}", first.total_results);
    assert_eq!(first.results.len(), 20);
    assert_eq!(first.total_pages as u64, first.total_results.div_ceil(20));
    let mut seen = std::collections::HashSet::new();
    for page in 1..=first.total_pages {
        let search = MovieSearch {
            page,
            ..MovieSearch::new("silent")
        };
        let answer = client.search_movie(&search).await.unwrap();
        assert_eq!(answer.page, page);
        seen.extend(answer.results.iter().map(|hit| hit.id));
    }
    assert_eq!(seen.len() as u64, first.total_results);
    sim.handle.stop().await;
}

#[tokio::test]
async fn the_changes_feed_lists_changed_films_whose_details_then_differ() {
    let sim = Sim::start(FaultPlan::default()).await;
    let client = sim.client();
    assert!(
        client
            .all_movie_changes(None, None)
            .await
            .unwrap()
            .is_empty()
    );
    let before = client.movie(194).await.unwrap();

    let mut ids: Vec<u64> = world()
        .films()
        .iter()
        .filter(|f| f.kind == Kind::Movie)
        .map(|f| f.id)
        .take(149)
        .collect();
    ids.push(194);
    sim.handle
        .changes()
        .mark(Kind::Movie, &ids, Utc::now().date_naive());
    // And one more over the admin endpoint.
    let admin = reqwest::Client::new()
        .post(format!("http://{}/__sim/changes", sim.addr))
        .header("content-type", "application/json")
        .body(r#"{"count": 1}"#)
        .send()
        .await
        .unwrap();
    assert!(admin.status().is_success());
    let body: serde_json::Value = serde_json::from_slice(&admin.bytes().await.unwrap()).unwrap();
    ids.push(body["changed"][0].as_u64().unwrap());
    ids.sort_unstable();
    ids.dedup();

    let page = client.movie_changes(None, None, 1).await.unwrap();
    assert_eq!(page.results.len(), 100);
    assert_eq!(page.total_pages, 2);
    assert_eq!(client.all_movie_changes(None, None).await.unwrap(), ids);
    let after = client.movie(194).await.unwrap();
    assert!(after.vote_count > before.vote_count);
    assert_ne!(after.popularity, before.popularity);
    sim.handle.stop().await;
}

#[tokio::test]
async fn the_daily_id_file_streams_through_the_filter() {
    let sim = Sim::start(FaultPlan::default()).await;
    let client = sim.client();
    let today = Utc::now().date_naive();
    let movies: Vec<_> = world()
        .films()
        .iter()
        .filter(|f| f.kind == Kind::Movie)
        .cloned()
        .collect();
    let threshold = 5.0;
    let filter = IdFilter {
        min_popularity: threshold,
        ..IdFilter::default()
    };
    let mut kept = Vec::new();
    let summary = client
        .stream_id_file(IdKind::Movie, today, filter, |entry| kept.push(entry.id))
        .await
        .unwrap();
    let mut expected: Vec<u64> = movies
        .iter()
        .filter(|f| f.popularity >= threshold)
        .map(|f| f.id)
        .collect();
    expected.sort_unstable();
    assert_eq!(kept, expected);
    assert_eq!(summary.lines, movies.len() as u64);
    assert_eq!(summary.unreadable, 0);

    let mut series = 0;
    client
        .stream_id_file(IdKind::Tv, today, IdFilter::default(), |_| series += 1)
        .await
        .unwrap();
    assert_eq!(series, world().len() - movies.len());

    let tomorrow = today.succ_opt().unwrap();
    let missing = client
        .stream_id_file(IdKind::Movie, tomorrow, filter, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(missing, TmdbError::NotFound { .. }), "{missing}");
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_wrong_token_is_bad_token_and_not_retried() {
    let sim = Sim::start(FaultPlan::default()).await;
    let client = Client::new(TmdbConfig {
        token: "wrong".into(),
        ..sim.config()
    })
    .unwrap();
    let err = client.movie(194).await.unwrap_err();
    assert!(matches!(err, TmdbError::BadToken { .. }), "{err}");
    assert_eq!(sim.faults().total_requests(), 1);
    assert_eq!(client.counters().get(Endpoint::Movie, Outcome::BadToken), 1);

    // A token TMDB revoked: 401 whatever is sent.
    sim.faults().set(FaultPlan {
        all: Knobs {
            bad_token: true,
            ..Knobs::default()
        },
        ..FaultPlan::default()
    });
    let err = sim
        .client()
        .search_movie(&MovieSearch::new("x"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "bad_token");
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_429_is_waited_out_for_its_retry_after_then_succeeds() {
    let sim = Sim::start(on_movies(Knobs {
        rate_limited: 1.0,
        retry_after_secs: 1,
        first_hits: Some(2),
        ..Knobs::default()
    }))
    .await;
    let client = sim.client();
    let movie = client.movie(194).await.unwrap();
    assert_eq!(movie.id, 194);
    assert_eq!(sim.faults().requests_to("/3/movie/194"), 3);
    // No retry came back before the Retry-After had passed.
    assert_eq!(sim.faults().early_retries(), 0);
    assert_eq!(
        client.counters().get(Endpoint::Movie, Outcome::RateLimited),
        2
    );
    assert_eq!(client.counters().retries(Endpoint::Movie), 2);
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_rate_limited() {
    let sim = Sim::start(on_movies(Knobs {
        rate_limited: 1.0,
        retry_after_secs: 600,
        ..Knobs::default()
    }))
    .await;
    let err = sim.client().movie(194).await.unwrap_err();
    match err {
        TmdbError::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Duration::from_secs(600));
        }
        other => panic!("{other}"),
    }
    assert_eq!(sim.faults().total_requests(), 1);
    sim.handle.stop().await;
}

#[tokio::test]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let sim = Sim::start(on_movies(Knobs {
        server_errors: 1.0,
        first_hits: Some(2),
        ..Knobs::default()
    }))
    .await;
    let client = sim.client();
    assert_eq!(client.movie(194).await.unwrap().id, 194);
    assert_eq!(sim.faults().requests_to("/3/movie/194"), 3);

    sim.faults().set(on_movies(Knobs {
        server_errors: 1.0,
        ..Knobs::default()
    }));
    let err = client.movie(194).await.unwrap_err();
    match err {
        TmdbError::Unavailable { attempts, .. } => assert_eq!(attempts, 4),
        other => panic!("{other}"),
    }
    assert_eq!(sim.faults().requests_to("/3/movie/194"), 3 + 4);
    assert_eq!(
        client.counters().get(Endpoint::Movie, Outcome::ServerError),
        6
    );
    sim.handle.stop().await;
}

#[tokio::test]
async fn truncated_json_is_retried_then_invalid_response() {
    let sim = Sim::start(on_movies(Knobs {
        truncated: 1.0,
        first_hits: Some(1),
        ..Knobs::default()
    }))
    .await;
    let client = sim.client();
    assert_eq!(client.movie(194).await.unwrap().id, 194);

    sim.faults().set(FaultPlan {
        all: Knobs {
            truncated: 1.0,
            ..Knobs::default()
        },
        ..FaultPlan::default()
    });
    let err = client.movie(194).await.unwrap_err();
    assert!(matches!(err, TmdbError::InvalidResponse { .. }), "{err}");
    let today = Utc::now().date_naive();
    let err = client
        .stream_id_file(IdKind::Movie, today, IdFilter::default(), |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, TmdbError::InvalidResponse { .. }), "{err}");
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_timeout_is_unavailable() {
    let sim = Sim::start(on_movies(Knobs {
        latency_ms: 3_000,
        ..Knobs::default()
    }))
    .await;
    let client = Client::new(TmdbConfig {
        request_timeout: Duration::from_millis(100),
        max_attempts: 2,
        ..sim.config()
    })
    .unwrap();
    let err = client.movie(194).await.unwrap_err();
    assert!(
        matches!(err, TmdbError::Unavailable { attempts: 2, .. }),
        "{err}"
    );
    assert_eq!(
        client.counters().get(Endpoint::Movie, Outcome::Transport),
        2
    );
    sim.handle.stop().await;
}

#[tokio::test]
async fn the_client_stays_under_tmdbs_ceiling() {
    // TMDB's ceiling in miniature: 10 a second. A client limited to 5 never meets it...
    let sim = Sim::start(FaultPlan {
        ceiling_per_second: Some(10),
        ..FaultPlan::default()
    })
    .await;
    let polite = Client::new(TmdbConfig {
        requests_per_second: 5,
        ..sim.config()
    })
    .unwrap();
    let requests = (0..12).map(|_| polite.movie(194));
    for result in join_all(requests).await {
        result.unwrap();
    }
    assert_eq!(sim.faults().ceiling_hits(), 0);
    assert_eq!(sim.faults().total_requests(), 12);

    // ...while one without the limit does, which shows the ceiling is there to meet.
    let eager = Client::new(TmdbConfig {
        max_in_flight: 16,
        max_attempts: 1,
        ..sim.config()
    })
    .unwrap();
    let results = join_all((0..60).map(|_| eager.movie(194))).await;
    assert!(sim.faults().ceiling_hits() > 0);
    assert!(results.iter().any(|r| r.is_err()));
    assert!(eager.counters().get(Endpoint::Movie, Outcome::RateLimited) > 0);
    sim.handle.stop().await;
}
