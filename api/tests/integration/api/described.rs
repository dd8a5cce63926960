//! Described filters and the filters users ask for (exclusions, languages, countries) on
//! `POST /recommendations`, on the real server and the simulated Letterboxd.

use model::{FilmKey, Genre};
use serde_json::json;

use crate::support::{TestApp, json, problem};

/// The world's film behind a response item.
fn film_of(app: &TestApp, item: &serde_json::Value) -> model::Film {
    let key = FilmKey::parse(item["key"].as_str().unwrap()).unwrap();
    app.world().film_by_slug(&key).unwrap().into_owned()
}

#[tokio::test]
async fn a_description_becomes_filters_and_says_what_it_did_not_read() {
    let app = TestApp::spawn().await;
    let body = json(
        app.recommend(json!({
            "members": ["alice"],
            "limit": 30,
            "description": "French films, no horror, on zorblax"
        }))
        .await,
        200,
    )
    .await;
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        let film = film_of(&app, item);
        assert_eq!(film.language.as_deref(), Some("fr"), "{item}");
        assert!(!film.genres.contains(Genre::Horror), "{item}");
        assert_eq!(item["content_type"], "movie");
    }
    let applied = &body["applied_filters"];
    assert_eq!(applied["filters"]["languages"], json!(["fr"]));
    assert_eq!(applied["filters"]["exclude_genres"], json!(["Horror"]));
    assert_eq!(
        applied["sources"],
        json!([
            {"filter": "exclude_genres", "source": "description"},
            {"filter": "content_types", "source": "description"},
            {"filter": "languages", "source": "description"},
        ])
    );
    assert_eq!(
        applied["description"],
        json!({"parser": "embedded", "fallback": null, "ignored": ["zorblax"],
               "services_without_country": []})
    );
    app.stop().await;
}

#[tokio::test]
async fn the_requests_own_filters_win_over_the_description() {
    let app = TestApp::spawn().await;
    let body = json(
        app.recommend(json!({
            "members": ["alice"],
            "limit": 20,
            "filters": {"languages": ["ja"]},
            "description": "french films from the 1990s"
        }))
        .await,
        200,
    )
    .await;
    for item in body["items"].as_array().unwrap() {
        let film = film_of(&app, item);
        assert_eq!(film.language.as_deref(), Some("ja"), "{item}");
        let year = item["year"].as_u64().unwrap();
        assert!((1990..=1999).contains(&year), "{item}");
    }
    let sources = &body["applied_filters"]["sources"];
    assert!(
        sources
            .as_array()
            .unwrap()
            .contains(&json!({"filter": "languages", "source": "request"})),
        "{sources}"
    );
    assert!(
        sources
            .as_array()
            .unwrap()
            .contains(&json!({"filter": "years", "source": "description"})),
        "{sources}"
    );
    // Without a description, the response says so and lists only the request's filters.
    let plain = json(
        app.recommend(json!({"members": ["alice"], "limit": 3, "filters": {"highly_rated": true}}))
            .await,
        200,
    )
    .await;
    assert_eq!(plain["applied_filters"]["description"], json!(null));
    assert_eq!(
        plain["applied_filters"]["sources"],
        json!([{"filter": "highly_rated", "source": "request"}])
    );
    app.stop().await;
}

#[tokio::test]
async fn a_description_over_300_characters_is_a_400() {
    let app = TestApp::spawn().await;
    let long = problem(
        app.recommend(json!({"members": ["alice"], "description": "a".repeat(301)}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    assert!(long["detail"].as_str().unwrap().contains("301"), "{long}");
    json(
        app.recommend(json!({"members": ["alice"], "limit": 1, "description": "é".repeat(300)}))
            .await,
        200,
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn excluded_genres_languages_and_countries_narrow_the_films() {
    let app = TestApp::spawn().await;
    let body = json(
        app.recommend(json!({
            "members": ["alice"],
            "limit": 40,
            "filters": {
                "exclude_genres": ["Drama", "Comedy"],
                "exclude_languages": ["en"],
                "countries": ["france", "japan"],
                "exclude_countries": ["USA"]
            }
        }))
        .await,
        200,
    )
    .await;
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        let film = film_of(&app, item);
        assert!(
            !film.genres.contains(Genre::Drama) && !film.genres.contains(Genre::Comedy),
            "{item}"
        );
        assert_ne!(film.language.as_deref(), Some("en"), "{item}");
        assert!(
            film.countries.iter().any(|c| c == "France" || c == "Japan"),
            "{:?}",
            film.countries
        );
        assert!(
            !film.countries.iter().any(|c| c == "USA"),
            "{:?}",
            film.countries
        );
    }
    problem(
        app.recommend(json!({"members": ["alice"], "filters": {"languages": ["french"]}}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    app.stop().await;
}
