//! `POST /predictions`: chosen films, named every way a client can, scored for members.

use serde_json::{Value, json};

use crate::support::export::upload_ratings;
use crate::support::{TestApp, json, problem};

/// The world film at `index`, as the catalog knows it.
fn film(app: &TestApp, index: u32) -> model::Film {
    app.world().film(index).unwrap().into_owned()
}

/// A movie (TMDB numbers movies and series apart) at or after `from`.
fn movie_from(app: &TestApp, from: u32) -> (u32, model::Film) {
    (from..)
        .map(|i| (i, film(app, i)))
        .find(|(_, f)| f.content_type == model::ContentType::Movie)
        .unwrap()
}

#[tokio::test]
async fn every_film_reference_form_with_unknown_films_listed() {
    let app = TestApp::spawn().await;
    let slug = film(&app, 60);
    let url = film(&app, 61);
    let boxd = film(&app, 62);
    let lb_id = film(&app, 63);
    let tmdb_full = film(&app, 64);
    let (bare_at, tmdb_bare) = movie_from(&app, 65);
    let (_, tmdb_object) = movie_from(&app, bare_at + 1);
    let rated = film(&app, 2); // alice rated it 4.5
    let tmdb = |f: &model::Film| f.tmdb.unwrap();
    let films = json!([
        slug.key.to_string(),
        format!("https://letterboxd.com/film/{}/", url.key),
        format!("https://boxd.it/{}", boxd.boxd_id.clone().unwrap()),
        format!("film:{}", lb_id.letterboxd_id.unwrap()),
        format!("tmdb:{}:{}", tmdb(&tmdb_full).kind.as_str(), tmdb(&tmdb_full).id),
        format!("tmdb:{}", tmdb(&tmdb_bare).id),
        {"tmdb": tmdb(&tmdb_object).id},
        format!("https://letterboxd.com/alice/film/{}/", rated.key),
        // Named twice: listed once, under its first reference.
        format!("https://letterboxd.com/film/{}/", slug.key),
        // Well-formed, but no catalog film.
        "a-film-nobody-made",
        "https://boxd.it/Zz9Zz9",
        "film:1",
        "tmdb:movie:999999999",
        {"tmdb": 999999998},
    ]);
    let body = json(
        app.post(
            "/predictions",
            json!({"members": ["alice", "bob"], "films": films}),
        )
        .await,
        200,
    )
    .await;
    let items = body["items"].as_array().unwrap();
    let keys: Vec<String> = items
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_owned())
        .collect();
    for f in [
        &slug,
        &url,
        &boxd,
        &lb_id,
        &tmdb_full,
        &tmdb_bare,
        &tmdb_object,
        &rated,
    ] {
        assert!(
            keys.contains(&f.key.to_string()),
            "{} missing: {keys:?}",
            f.key
        );
    }
    assert_eq!(items.len(), 8, "{keys:?}");
    let unknown: Vec<&Value> = body["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| &u["reference"])
        .collect();
    assert_eq!(
        unknown,
        [
            "a-film-nobody-made",
            "https://boxd.it/Zz9Zz9",
            "film:1",
            "tmdb:movie:999999999",
            "tmdb:movie:999999998"
        ]
    );

    // Best mean first; each member's prediction, and alice's own rating where she gave one.
    let means: Vec<f64> = items
        .iter()
        .map(|i| i["predicted_rating"].as_f64().unwrap())
        .collect();
    assert!(means.windows(2).all(|w| w[0] >= w[1]), "{means:?}");
    for item in items {
        let members = item["member_predictions"].as_array().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(
            (&members[0]["member"], &members[1]["member"]),
            (&json!("alice"), &json!("bob"))
        );
        let mean = (members[0]["predicted_rating"].as_f64().unwrap()
            + members[1]["predicted_rating"].as_f64().unwrap())
            / 2.0;
        assert!((mean - item["predicted_rating"].as_f64().unwrap()).abs() < 1e-5);
    }
    let seen = items
        .iter()
        .find(|i| i["key"] == rated.key.to_string())
        .unwrap();
    assert_eq!(seen["member_predictions"][0]["rating"], 4.5);
    assert!(seen["member_predictions"][1]["rating"].is_null());
    assert_eq!(
        seen["reference"],
        format!("https://letterboxd.com/alice/film/{}/", rated.key)
    );
    let first = items
        .iter()
        .find(|i| i["key"] == slug.key.to_string())
        .unwrap();
    assert_eq!(first["reference"], slug.key.to_string());

    // The same figure recommendations give alice for a film she has not seen.
    let recs = json(
        app.recommend(json!({"members": ["alice"], "limit": 500}))
            .await,
        200,
    )
    .await;
    let alone = json(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "films": [slug.key.to_string()]}),
        )
        .await,
        200,
    )
    .await;
    let predicted = &alone["items"][0]["predicted_rating"];
    assert_eq!(
        alone["items"][0]["member_predictions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    if let Some(rec) = recs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == slug.key.to_string())
    {
        assert_eq!(&rec["predicted_rating"], predicted);
    }
    app.stop().await;
}

#[tokio::test]
async fn an_upload_gets_predictions_too() {
    let app = TestApp::spawn().await;
    let diary: Vec<(u32, f32)> = (60..70).map(|f| (f, 2.0 + (f % 4) as f32)).collect();
    let upload = upload_ratings(&app, &diary).await;
    let body = json(
        app.post(
            "/predictions",
            json!({"members": [upload], "films": [film(&app, 61).key.to_string(), film(&app, 150).key.to_string()]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["members"][0]["source"], "upload");
    let rated = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == film(&app, 61).key.to_string())
        .unwrap();
    assert_eq!(rated["member_predictions"][0]["rating"], 3.0);
    app.stop().await;
}

#[tokio::test]
async fn bad_references_are_named_in_one_problem() {
    let app = TestApp::spawn().await;
    let bad = problem(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "films": ["the-matrix", "two words", "tmdb:abc", "https://boxd.it/"]}),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
    let detail = bad["detail"].as_str().unwrap();
    for named in ["`two words`", "`tmdb:abc`", "`https://boxd.it/`"] {
        assert!(detail.contains(named), "{detail}");
    }
    assert!(!detail.contains("`the-matrix`"), "{detail}");
    problem(
        app.post("/predictions", json!({"members": ["alice"], "films": []}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    problem(
        app.post("/predictions", json!({"members": ["alice"], "films": [42]}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    problem(
        app.post(
            "/predictions",
            json!({"members": ["newbie"], "films": ["the-matrix"]}),
        )
        .await,
        422,
        "not_enough_ratings",
    )
    .await;
    app.stop().await;
}
