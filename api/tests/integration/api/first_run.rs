//! The first run of `reel serve` on an empty store with a dataset found: the service answers at
//! once, says in `/health/ready` what it is still building, and ends up recommending with the
//! general model and ranking statistics against the imported members.

use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::support::app::world;
use crate::support::{Options, TestApp, json};

/// The test world (the simulated Letterboxd's films and members) as a letterboxd-1m dataset.
fn write_dataset(dir: &Path) -> reel::config::DatasetFiles {
    let world = world();
    let mut films = csv::Writer::from_path(dir.join("films.csv")).unwrap();
    films
        .write_record([
            "slug",
            "title",
            "year",
            "runtime",
            "genres",
            "language",
            "tmdb_popularity",
            "content_type",
            "image_url",
            "lb_rating",
            "lb_rating_count",
        ])
        .unwrap();
    let text = |value: Option<String>| value.unwrap_or_default();
    for film in world.films() {
        films
            .write_record([
                film.key.as_str().to_owned(),
                film.title.clone(),
                text(film.year.map(|year| year.to_string())),
                text(film.runtime_minutes.map(|minutes| minutes.to_string())),
                String::new(),
                text(film.language.clone()),
                String::new(),
                "movie".to_owned(),
                String::new(),
                text(film.lb_average.map(|average| average.to_string())),
                text(film.lb_rating_count.map(|count| count.to_string())),
            ])
            .unwrap();
    }
    films.flush().unwrap();
    let mut ratings = csv::Writer::from_path(dir.join("ratings.csv")).unwrap();
    ratings
        .write_record(["user", "slug", "rating", "split"])
        .unwrap();
    let mut rank = 0;
    while let Some(member) = world.member_at(rank) {
        for (film, rating) in world.profile(&member).unwrap().ratings {
            ratings
                .write_record([
                    member.as_str(),
                    film.as_str(),
                    &rating.stars().to_string(),
                    "community",
                ])
                .unwrap();
        }
        rank += 1;
    }
    ratings.flush().unwrap();
    reel::config::DatasetFiles::in_dir(dir).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_store_with_a_dataset_ends_up_recommending() {
    let dir = tempfile::tempdir().unwrap();
    let dataset = write_dataset(dir.path());
    let app = TestApp::spawn_with(Options {
        store_world: false,
        setup_dataset: Some(dataset.clone()),
        ..Options::default()
    })
    .await;

    // Ready at once; what is missing is named until the setup has built it.
    let first = json(app.get("/health/ready").await, 200).await;
    assert_ne!(first["setup"], "inactive", "{first}");
    let mut ready = first;
    for _ in 0..1_200 {
        if ready["setup"] == "done" || ready["setup"] == "failed" {
            break;
        }
        assert!(
            !ready["missing"].as_array().unwrap().is_empty(),
            "nothing missing while the setup runs: {ready}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        ready = json(app.get("/health/ready").await, 200).await;
    }
    assert_eq!(ready["setup"], "done", "{ready}");
    assert_eq!(ready["missing"], json!([]), "{ready}");
    assert_eq!(ready["catalog_films"], crate::support::FILMS);

    let recommended = json(
        app.recommend(json!({"members": ["alice"], "limit": 5, "model": "general"}))
            .await,
        200,
    )
    .await;
    assert_eq!(recommended["model"], "general");
    assert_eq!(recommended["items"].as_array().unwrap().len(), 5);

    let statistics = json(app.get("/statistics?member=alice").await, 200).await;
    let compared = statistics["percentiles"]["compared_with"].as_u64().unwrap();
    assert!(
        compared >= 10,
        "ranked against the imported members: {statistics}"
    );
}

#[tokio::test]
async fn without_a_dataset_no_setup_runs_and_the_missing_data_is_named() {
    let app = TestApp::spawn_with(Options {
        store_world: false,
        ..Options::default()
    })
    .await;
    let ready = json(app.get("/health/ready").await, 200).await;
    assert_eq!(ready["setup"], "inactive");
    let missing: Vec<&str> = ready["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["what"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["catalog_films", "member_statistics"]);
}
