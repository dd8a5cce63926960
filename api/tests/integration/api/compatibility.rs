//! `POST /compatibility`: every pair of 2 to 8 members, scraped or uploaded.

use reel::limits::Limit;
use serde_json::{Value, json};

use crate::support::export::upload_ratings;
use crate::support::{Options, TestApp, json, problem};

async fn compatibility(app: &TestApp, members: &[&str]) -> Value {
    json(
        app.post("/compatibility", json!({ "members": members }))
            .await,
        200,
    )
    .await
}

fn score(pair: &Value, name: &str) -> f64 {
    pair["scores"][name].as_f64().unwrap()
}

#[tokio::test]
async fn two_members_get_scores_charts_and_lists() {
    let app = TestApp::spawn().await;
    let body = compatibility(&app, &["alice", "bob"]).await;
    assert_eq!(body["members"].as_array().unwrap().len(), 2);
    assert_eq!(body["members"][0]["member"], "alice");
    assert_eq!(body["members"][0]["genres"].as_array().unwrap().len(), 19);
    assert!(!body["members"][1]["decades"].as_array().unwrap().is_empty());
    let pairs = body["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1);
    let pair = &pairs[0];
    assert_eq!(pair["members"], json!(["alice", "bob"]));
    for name in ["film", "genre", "era"] {
        assert!((0.0..=100.0).contains(&score(pair, name)), "{name}: {pair}");
    }
    // Alice rates films 0..40 at 3.5 or 4.5, bob 20..60 at 1 or 2.5: twenty shared films.
    let ratings = &pair["scores"]["ratings"];
    assert_eq!(ratings["shared_films"], 20);
    let confidence = ratings["confidence"].as_f64().unwrap();
    assert!((confidence - 0.5).abs() < 1e-3, "20 / (20 + 20): {ratings}");
    assert!(ratings["score"].is_number() && ratings["reason"].is_null());

    // Bob never rates 4.5: no shared favourite; every shared film is 2 stars or more apart but
    // alice's 3.5 against bob's 2.5; the largest gaps come first and the list stops at 12.
    assert_eq!(pair["shared_favourites"], json!([]));
    let split = pair["polarizing"].as_array().unwrap();
    assert_eq!(split.len(), 12);
    let gaps: Vec<f64> = split
        .iter()
        .map(|f| (f["ratings"][0].as_f64().unwrap() - f["ratings"][1].as_f64().unwrap()).abs())
        .collect();
    assert!(gaps.windows(2).all(|w| w[0] >= w[1]), "{gaps:?}");
    assert!(gaps.iter().all(|&g| g >= 2.0));
    assert_eq!(gaps[0], 3.5, "alice's 4.5 against bob's 1");
    assert!(split[0]["title"].is_string() && split[0]["url"].is_string());

    // Alice's favourites bob has not seen (even films below 20), best predicted for bob first.
    let cross = pair["cross_recommendations"].as_array().unwrap();
    assert_eq!(cross.len(), 2);
    assert_eq!(
        (&cross[0]["member"], &cross[0]["from"]),
        (&json!("bob"), &json!("alice"))
    );
    let for_bob = cross[0]["films"].as_array().unwrap();
    assert_eq!(for_bob.len(), 10);
    let predicted: Vec<f64> = for_bob
        .iter()
        .map(|f| f["predicted_rating"].as_f64().unwrap())
        .collect();
    assert!(predicted.windows(2).all(|w| w[0] >= w[1]), "{predicted:?}");
    let alices_favourites: Vec<String> = (0..20)
        .step_by(2)
        .map(|f| app.world().film(f).unwrap().key.to_string())
        .collect();
    for film in for_bob {
        assert_eq!(film["rating"], 4.5);
        assert!(alices_favourites.contains(&film["key"].as_str().unwrap().to_owned()));
    }
    assert_eq!(cross[1]["films"], json!([]), "bob has no favourite");

    // The same prediction as recommendations give bob.
    let recs = json(
        app.recommend(json!({"members": ["bob"], "limit": 500}))
            .await,
        200,
    )
    .await;
    let mut compared = 0;
    for film in for_bob {
        let item = recs["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["key"] == film["key"]);
        if let Some(item) = item {
            assert_eq!(item["predicted_rating"], film["predicted_rating"]);
            compared += 1;
        }
    }
    assert!(
        compared > 0,
        "no cross-recommendation is among bob's recommendations"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_upload_of_a_members_own_diary_scores_100_with_them() {
    let app = TestApp::spawn().await;
    // Alice's diary exactly: films 0..40, 4.5 on even films and 3.5 on odd ones.
    let diary: Vec<(u32, f32)> = (0..40)
        .map(|f| (f, if f % 2 == 0 { 4.5 } else { 3.5 }))
        .collect();
    let upload = upload_ratings(&app, &diary).await;
    let body = compatibility(&app, &["alice", &upload]).await;
    assert_eq!(body["members"][1]["source"], "upload");
    let pair = &body["pairs"][0];
    assert_eq!(pair["members"], json!(["alice", upload]));
    for name in ["film", "genre", "era"] {
        assert_eq!(score(pair, name), 100.0, "{name}: {pair}");
    }
    let ratings = &pair["scores"]["ratings"];
    assert_eq!(
        (ratings["score"].as_f64(), ratings["confidence"].as_f64()),
        (Some(100.0), Some(1.0))
    );
    assert_eq!(ratings["shared_films"], 40);
    assert_eq!(pair["shared_favourites"].as_array().unwrap().len(), 12);
    assert_eq!(pair["polarizing"], json!([]));
    // Naming the same member twice asks the same question of one profile: the same answer.
    let twice = compatibility(&app, &["alice", "ALICE"]).await;
    let same = &twice["pairs"][0];
    assert_eq!(same["members"], json!(["alice", "alice"]));
    assert_eq!(same["scores"], pair["scores"], "{same}");
    app.stop().await;
}

#[tokio::test]
async fn eight_members_make_28_pairs_and_few_shared_films_little_confidence() {
    let app = TestApp::spawn().await;
    // Three films in common with carol (who rates film f at 0.5 + (f % 10) / 2), rated in the
    // same order, and seven films nobody else rated.
    let mut diary = vec![(227, 2.0), (228, 3.0), (229, 4.0)];
    diary.extend((310..317).map(|f| (f, 3.0 + (f % 3) as f32)));
    let upload = upload_ratings(&app, &diary).await;
    let generated: Vec<String> = (5..8)
        .map(|rank| app.world().member_at(rank).unwrap().to_string())
        .collect();
    let mut members: Vec<&str> = vec!["alice", "bob", "carol", "nowatch", &upload];
    members.extend(generated.iter().map(String::as_str));
    assert_eq!(members.len(), 8);
    let body = compatibility(&app, &members).await;
    let pairs = body["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 28);
    assert_eq!(pairs[0]["members"], json!(["alice", "bob"]));
    assert_eq!(pairs[27]["members"], json!([generated[1], generated[2]]));

    let pair_of = |a: &str, b: &str| {
        pairs
            .iter()
            .find(|p| p["members"] == json!([a, b]))
            .unwrap()
            .clone()
    };
    let few = pair_of("carol", &upload);
    let ratings = &few["scores"]["ratings"];
    assert_eq!(ratings["shared_films"], 3);
    assert_eq!(ratings["correlation"], 1.0);
    let confidence = ratings["confidence"].as_f64().unwrap();
    assert!(confidence < 0.15, "{ratings}");
    assert!(ratings["score"].as_f64().unwrap() < 60.0, "{ratings}");

    // Nothing in common: no rating score, and why.
    let apart = pair_of("alice", "carol");
    assert!(apart["scores"]["ratings"]["score"].is_null());
    assert_eq!(apart["scores"]["ratings"]["reason"], "no_shared_films");
    assert_eq!(apart["scores"]["ratings"]["shared_films"], 0);
    // Nowatch rates every film 3 stars: no correlation exists.
    let flat = pair_of("bob", "nowatch");
    assert_eq!(flat["scores"]["ratings"]["reason"], "no_variance");
    app.stop().await;
}

#[tokio::test]
async fn bad_member_lists_and_short_diaries_are_problems() {
    let app = TestApp::spawn().await;
    let one = problem(
        app.post("/compatibility", json!({"members": ["alice"]}))
            .await,
        400,
        "invalid_body",
    )
    .await;
    assert!(one["detail"].as_str().unwrap().contains("between 2 and 8"));
    let nine: Vec<String> = (0..9).map(|i| format!("member{i}")).collect();
    problem(
        app.post("/compatibility", json!({ "members": nine })).await,
        400,
        "invalid_body",
    )
    .await;
    problem(
        app.post("/compatibility", json!({"members": ["alice", "two words"]}))
            .await,
        400,
        "invalid_member",
    )
    .await;
    let short = problem(
        app.post("/compatibility", json!({"members": ["alice", "newbie"]}))
            .await,
        422,
        "not_enough_ratings",
    )
    .await;
    assert!(short["detail"].as_str().unwrap().contains("newbie"));
    app.stop().await;
}

#[tokio::test]
async fn compatibility_and_predictions_have_rate_limits_of_their_own() {
    let app = TestApp::spawn_with(Options {
        rate_limits: vec![Limit::per_minute(2)],
        ..Options::default()
    })
    .await;
    let pair = json!({"members": ["alice", "bob"]});
    for _ in 0..2 {
        json(app.post("/compatibility", pair.clone()).await, 200).await;
    }
    problem(
        app.post("/compatibility", pair.clone()).await,
        429,
        "rate_limited",
    )
    .await;
    let films = json!({"members": ["alice"], "films": ["film:1"]});
    for _ in 0..2 {
        json(app.post("/predictions", films.clone()).await, 200).await;
    }
    problem(app.post("/predictions", films).await, 429, "rate_limited").await;
    // Recommendations keep their own budget.
    json(app.recommend(json!({"members": ["alice"]})).await, 200).await;
    app.stop().await;
}
