//! `Accept: text/csv` on `POST /recommendations` and `POST /watchlist`: a CSV Letterboxd's importer
//! reads, read back here with a CSV parser.

use serde_json::json;

use crate::support::{TestApp, json};

async fn post_csv(app: &TestApp, path: &str, body: serde_json::Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(path))
        .header("Accept", "text/csv")
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Checks the headers, parses the body and returns its rows (header checked exactly).
async fn rows(response: reqwest::Response, filename_prefix: &str) -> Vec<csv::StringRecord> {
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"{filename_prefix}"))
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        &csv::StringRecord::from(vec!["LetterboxdURI", "tmdbID", "imdbID", "Title", "Year"])
    );
    reader.records().map(Result::unwrap).collect()
}

#[tokio::test]
async fn recommendations_as_csv_are_the_same_films_in_the_same_order() {
    let app = TestApp::spawn().await;
    let request = json!({"members": ["alice"], "limit": 15, "filters": {"year_min": 1980}});
    let body = json(app.recommend(request.clone()).await, 200).await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 15);
    let rows = rows(
        post_csv(&app, "/recommendations", request).await,
        "reel-recommendations-",
    )
    .await;
    assert_eq!(rows.len(), items.len());
    assert!(
        rows.iter().any(|r| !r[1].is_empty()),
        "some film has a TMDB movie id"
    );
    for (row, item) in rows.iter().zip(items) {
        assert_eq!(&row[0], item["url"].as_str().unwrap());
        assert_eq!(&row[3], item["title"].as_str().unwrap());
        assert_eq!(row[4], item["year"].to_string());
        assert!(item["year"].as_u64().unwrap() >= 1980);
        // Letterboxd's tmdbID names TMDB movies; a TV record's id would name another film.
        let tmdb = match item["ids"]["tmdb_kind"].as_str() {
            Some("movie") => item["ids"]["tmdb_id"].as_u64().unwrap().to_string(),
            _ => String::new(),
        };
        assert_eq!(&row[1], tmdb, "{item}");
        assert_eq!(&row[2], item["ids"]["imdb_id"].as_str().unwrap_or(""));
    }
    // JSON stays the default, and an explicit preference for it wins.
    let plain = reqwest::Client::new()
        .post(app.url("/recommendations"))
        .header("Accept", "application/json, text/csv;q=0.5")
        .json(&json!({"members": ["alice"], "limit": 1}))
        .send()
        .await
        .unwrap();
    assert!(
        plain.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    app.stop().await;
}

#[tokio::test]
async fn watchlist_picks_as_csv_follow_the_picks() {
    let app = TestApp::spawn().await;
    let request = json!({"members": ["alice", "bob"], "count": 6, "seed": 9});
    let body = json(app.post("/watchlist", request.clone()).await, 200).await;
    let picks = body["picks"].as_array().unwrap();
    let rows = rows(
        post_csv(&app, "/watchlist", request).await,
        "reel-watchlist-",
    )
    .await;
    let uris: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    let urls: Vec<&str> = picks.iter().map(|p| p["url"].as_str().unwrap()).collect();
    assert_eq!(uris, urls);
    assert_eq!(rows.len(), 6);
    app.stop().await;
}

#[tokio::test]
async fn predictions_as_csv_are_the_known_films_in_the_same_order() {
    let app = TestApp::spawn().await;
    let mut films: Vec<String> = (60..72)
        .map(|i| app.world().film(i).unwrap().key.to_string())
        .collect();
    films.push("a-film-nobody-made".to_owned());
    let body = json!({"members": ["alice", "bob"], "films": films});
    let answer = json(app.post("/predictions", body.clone()).await, 200).await;
    let csv = rows(
        post_csv(&app, "/predictions", body).await,
        "reel-predictions-",
    )
    .await;
    let items = answer["items"].as_array().unwrap();
    assert_eq!(csv.len(), items.len());
    assert_eq!(csv.len(), 12);
    for (row, item) in csv.iter().zip(items) {
        assert_eq!(&row[0], item["url"].as_str().unwrap());
        assert_eq!(&row[3], item["title"].as_str().unwrap());
        let year = item["year"]
            .as_u64()
            .map(|y| y.to_string())
            .unwrap_or_default();
        assert_eq!(row[4], year);
    }
    app.stop().await;
}
