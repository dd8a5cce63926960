//! `POST /watchlist`.

use serde_json::json;

use crate::support::{TestApp, json, problem};

fn slugs(body: &serde_json::Value) -> Vec<String> {
    body["picks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn random_picks_are_reproducible_with_their_seed() {
    let app = TestApp::spawn().await;
    let first = json(
        app.post("/watchlist", json!({"members": ["alice"], "count": 5}))
            .await,
        200,
    )
    .await;
    assert_eq!(first["mode"], "random");
    assert_eq!(first["pool_size"], 20);
    assert_eq!(first["picks"].as_array().unwrap().len(), 5);
    let seed = first["seed"].as_u64().unwrap();
    let again = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "count": 5, "seed": seed}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(slugs(&again), slugs(&first));

    let seeded = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice", "bob"], "count": 3, "seed": 42}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        seeded["pool_size"], 10,
        "films 110..120 are on both watchlists"
    );
    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".computed_at", "[computed_at]");
    settings.add_redaction(".catalog_version", "[version]");
    settings.bind(|| insta::assert_json_snapshot!("alice_and_bob_seed_42", seeded));

    let union = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice", "bob"], "overlap": false, "count": 96}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(union["pool_size"], 30);
    assert_eq!(union["picks"].as_array().unwrap().len(), 30);
    app.stop().await;
}

#[tokio::test]
async fn ranked_picks_are_best_first_by_the_members_models() {
    let app = TestApp::spawn().await;
    let ranked = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice", "bob"], "mode": "ranked", "count": 10}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ranked["mode"], "ranked");
    assert!(ranked["model"].is_string());
    let ratings: Vec<f64> = ranked["picks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["member_predictions"].as_array().unwrap().len(), 2);
            p["predicted_rating"].as_f64().unwrap()
        })
        .collect();
    assert_eq!(ratings.len(), 10);
    assert!(ratings.windows(2).all(|w| w[0] >= w[1]), "{ratings:?}");
    app.stop().await;
}

#[tokio::test]
async fn empty_watchlists_and_no_overlap_are_problems() {
    let app = TestApp::spawn().await;
    let empty = problem(
        app.post("/watchlist", json!({"members": ["alice", "nowatch"]}))
            .await,
        422,
        "watchlist_empty",
    )
    .await;
    assert!(empty["detail"].as_str().unwrap().contains("nowatch"));
    problem(
        app.post("/watchlist", json!({"members": ["alice", "carol"]}))
            .await,
        422,
        "no_overlap",
    )
    .await;
    problem(
        app.post("/watchlist", json!({"members": ["alice"], "count": 0}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    problem(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "mode": "ranked", "oops": 1}),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn k_of_n_watchlists_say_whose_watchlists_hold_each_pick() {
    let app = TestApp::spawn().await;
    let members = json!(["alice", "bob", "carol"]);
    let two = json(
        app.post(
            "/watchlist",
            json!({"members": members, "min_members": 2, "count": 96, "seed": 1}),
        )
        .await,
        200,
    )
    .await;
    // alice holds films 100..120, bob 110..130, carol 300..305: only 110..120 are on two.
    assert_eq!(two["pool_size"], 10);
    assert_eq!(two["min_members"], 2);
    for pick in two["picks"].as_array().unwrap() {
        assert_eq!(pick["members"], json!(["alice", "bob"]), "{pick}");
        let key = model::FilmKey::parse(pick["key"].as_str().unwrap()).unwrap();
        let index = app.world().film_index(&key).unwrap();
        assert!((110..120).contains(&index), "{pick}");
    }
    let one = json(
        app.post(
            "/watchlist",
            json!({"members": members, "min_members": 1, "count": 96}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(one["pool_size"], 35);
    let carols: Vec<&serde_json::Value> = one["picks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["members"] == json!(["carol"]))
        .collect();
    assert_eq!(carols.len(), 5);
    problem(
        app.post("/watchlist", json!({"members": members, "min_members": 3}))
            .await,
        422,
        "no_overlap",
    )
    .await;
    problem(
        app.post("/watchlist", json!({"members": members, "min_members": 4}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn watchlist_picks_take_the_filters_and_a_description() {
    let app = TestApp::spawn().await;
    let world_film = |index: u32| app.world().film(index).unwrap().into_owned();
    let not_english: Vec<u32> = (100..120)
        .filter(|&i| world_film(i).language.as_deref() != Some("en"))
        .collect();
    assert!(!not_english.is_empty() && not_english.len() < 20);
    let body = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "count": 96, "filters": {"exclude_languages": ["en"]}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["pool_size"], not_english.len());
    for pick in body["picks"].as_array().unwrap() {
        let key = model::FilmKey::parse(pick["key"].as_str().unwrap()).unwrap();
        let index = app.world().film_index(&key).unwrap();
        assert!(not_english.contains(&index), "{pick}");
        assert_eq!(pick["members"], json!(["alice"]));
    }
    assert_eq!(
        body["applied_filters"]["sources"],
        json!([{"filter": "exclude_languages", "source": "request"}])
    );

    let described = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "count": 96, "description": "nothing in english please"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(described["pool_size"], not_english.len());
    assert_eq!(
        described["applied_filters"]["sources"],
        json!([{"filter": "exclude_languages", "source": "description"}])
    );
    assert_eq!(
        described["applied_filters"]["description"]["ignored"],
        json!([])
    );
    problem(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "filters": {"year_min": 1800, "year_max": 1801}}),
        )
        .await,
        422,
        "no_candidates",
    )
    .await;
    app.stop().await;
}
