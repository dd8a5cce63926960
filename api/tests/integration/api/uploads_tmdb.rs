//! `POST /profiles` with TMDB on (a simulated TMDB): export rows the catalog does not know are
//! looked up by title and year, added to the catalog and used at once; answers are remembered;
//! and TMDB failing in any way leaves the rows unmatched with a 201, never a 5xx.

use std::sync::Arc;

use reqwest::multipart::{Form, Part};
use serde_json::json;
use tmdb::TmdbConfig;
use tmdb_sim::{FaultPlan, Faults, Knobs, SimHandle, SimServer, SourceFilm, World};

use crate::support::{Options, TestApp, json};

const TOKEN: &str = "sim-token-for-uploads";
/// Films only the simulated TMDB has: none is in the test catalog.
const ONLY_ON_TMDB: usize = 20;

fn tmdb_only_films() -> Vec<SourceFilm> {
    (0..ONLY_ON_TMDB)
        .map(|i| SourceFilm {
            slug: format!("tmdb-only-{i}"),
            title: format!("Quietly Remarkable Voyage {i}"),
            year: Some(1980 + i as u16),
            genres: vec!["Drama".into(), "Mystery".into()],
            language: Some("fr".into()),
            lb_rating: Some(3.4),
            lb_rating_count: Some(2_000 + 100 * i as u64),
            popularity: Some(4.0),
            ..SourceFilm::default()
        })
        .collect()
}

struct Tmdb {
    sim: SimHandle,
    config: TmdbConfig,
}

async fn tmdb() -> Tmdb {
    let world = Arc::new(World::build(tmdb_only_films(), 3));
    let (addr, sim) = SimServer::start(world, Some(TOKEN.into()), Faults::default())
        .await
        .unwrap();
    let config = TmdbConfig {
        requests_per_second: 1_000,
        ..TmdbConfig::with_token(TOKEN)
            .pointed_at(&format!("http://{addr}"))
            .fast_retries()
    };
    Tmdb { sim, config }
}

/// 30 catalog films by title and year, the 20 TMDB-only films (years as Letterboxd records
/// them: one off for every third, as premiere and release years differ), and one film nobody has.
fn ratings_csv(app: &TestApp) -> String {
    let mut csv = String::from("Date,Name,Year,Letterboxd URI,Rating\n");
    for index in 60..90 {
        let film = app.world().film(index).unwrap();
        let title = film.title.replace('"', "\"\"");
        csv.push_str(&format!(
            "2025-01-01,\"{title}\",{},https://boxd.it/x{index},4\n",
            film.year.unwrap()
        ));
    }
    for i in 0..ONLY_ON_TMDB {
        let year = 1980 + i + usize::from(i % 3 == 0);
        let stars = if i % 2 == 0 { "4.5" } else { "3" };
        csv.push_str(&format!(
            "2025-01-03,Quietly Remarkable Voyage {i},{year},https://boxd.it/q{i},{stars}\n"
        ));
    }
    csv.push_str("2025-01-02,A Film Nobody Has Heard Of,1901,https://boxd.it/zzzz,3\n");
    csv
}

fn watchlist_csv() -> String {
    let mut csv = String::from("Date,Name,Year,Letterboxd URI\n");
    for i in [1, 3, 5] {
        csv.push_str(&format!(
            "2025-02-01,Quietly Remarkable Voyage {i},{},https://boxd.it/q{i}\n",
            1980 + i
        ));
    }
    csv
}

async fn upload(app: &TestApp, files: Vec<(&str, String)>) -> reqwest::Response {
    let mut form = Form::new();
    for (name, text) in files {
        form = form.part(
            "file",
            Part::bytes(text.into_bytes()).file_name(name.to_owned()),
        );
    }
    app.client
        .post(app.url("/profiles"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn rows_the_catalog_lacks_are_found_on_tmdb_added_and_used_at_once() {
    let tmdb = tmdb().await;
    let app = TestApp::spawn_with(Options {
        tmdb: Some(tmdb.config.clone()),
        ..Options::default()
    })
    .await;
    let files = vec![
        ("ratings.csv", ratings_csv(&app)),
        ("watchlist.csv", watchlist_csv()),
    ];
    let created = json(upload(&app, files.clone()).await, 201).await;
    assert_eq!(created["counts"]["ratings"], 30 + ONLY_ON_TMDB, "{created}");
    assert_eq!(created["counts"]["resolved_rows"], ONLY_ON_TMDB + 3);
    assert_eq!(created["counts"]["unmatched_rows"], 1);
    assert_eq!(
        created["unmatched"][0]["name"],
        "A Film Nobody Has Heard Of"
    );
    let resolution = &created["resolution"];
    assert_eq!(resolution["source"], "tmdb");
    assert_eq!(resolution["films_found"], ONLY_ON_TMDB);
    assert_eq!(resolution["titles_not_found"], 1);
    assert_eq!(resolution["stopped_by"], serde_json::Value::Null);
    assert!(resolution["attribution"].as_str().unwrap().contains("TMDB"));

    // The films found are in the catalog now: the watchlist's are scored, and carry TMDB's
    // credit and the boxd.it link the export gave.
    let id = created["id"].as_str().unwrap().to_owned();
    let picks = json(
        app.post("/watchlist", json!({"members": [id], "mode": "ranked"}))
            .await,
        200,
    )
    .await;
    let picks = picks["picks"].as_array().unwrap();
    assert_eq!(picks.len(), 3, "{picks:?}");
    for pick in picks {
        assert!(
            pick["key"].as_str().unwrap().starts_with("tmdb:movie:"),
            "{pick}"
        );
        assert!(pick["predicted_rating"].as_f64().is_some(), "{pick}");
        assert!(
            pick["url"]
                .as_str()
                .unwrap()
                .starts_with("https://boxd.it/q"),
            "{pick}"
        );
    }
    let recommended = json(
        app.recommend(json!({"members": [id], "limit": 5})).await,
        200,
    )
    .await;
    assert_eq!(recommended["items"].as_array().unwrap().len(), 5);

    // The same export again: every title is answered from memory, not asked twice in a day.
    let searches = tmdb.sim.faults().requests_to("/3/search/movie");
    assert!(searches > ONLY_ON_TMDB as u32, "{searches} searches");
    let again = json(upload(&app, files).await, 201).await;
    assert_eq!(again["counts"]["ratings"], 30 + ONLY_ON_TMDB);
    assert_eq!(tmdb.sim.faults().requests_to("/3/search/movie"), searches);

    // Every request to TMDB is counted in /metrics, by endpoint and outcome.
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let counted = metrics
        .lines()
        .find(|line| {
            line.starts_with("reel_tmdb_requests_total")
                && line.contains("endpoint=\"search_movie\"")
                && line.contains("outcome=\"ok\"")
        })
        .unwrap_or_else(|| panic!("no TMDB search counter in {metrics}"));
    let value: u32 = counted.rsplit(' ').next().unwrap().parse().unwrap();
    assert_eq!(value, searches);
}

#[tokio::test]
async fn tmdb_failing_in_any_way_leaves_the_rows_unmatched_and_never_answers_5xx() {
    let faults = [
        (
            "bad_token",
            Knobs {
                bad_token: true,
                ..Knobs::default()
            },
        ),
        (
            "rate_limited",
            Knobs {
                rate_limited: 1.0,
                retry_after_secs: 3_600,
                ..Knobs::default()
            },
        ),
        (
            "unavailable",
            Knobs {
                server_errors: 1.0,
                ..Knobs::default()
            },
        ),
        (
            "invalid_response",
            Knobs {
                truncated: 1.0,
                ..Knobs::default()
            },
        ),
    ];
    let tmdb = tmdb().await;
    let app = TestApp::spawn_with(Options {
        tmdb: Some(tmdb.config.clone()),
        ..Options::default()
    })
    .await;
    for (code, knobs) in faults {
        tmdb.sim.faults().set(FaultPlan {
            all: knobs,
            ..FaultPlan::default()
        });
        let created = json(
            upload(&app, vec![("ratings.csv", ratings_csv(&app))]).await,
            201,
        )
        .await;
        assert_eq!(created["counts"]["ratings"], 30, "{code}: {created}");
        assert_eq!(created["counts"]["resolved_rows"], 0, "{code}");
        assert_eq!(
            created["counts"]["unmatched_rows"],
            ONLY_ON_TMDB + 1,
            "{code}"
        );
        let resolution = &created["resolution"];
        assert_eq!(resolution["films_found"], 0, "{code}");
        // TMDB refusing us as a whole says so; a broken answer fails its title alone.
        if code == "invalid_response" {
            assert_eq!(resolution["stopped_by"], serde_json::Value::Null, "{code}");
        } else {
            assert_eq!(resolution["stopped_by"], code, "{code}: {resolution}");
        }
    }
}
