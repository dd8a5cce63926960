//! Reasons on recommendations: the rated films the default model's neighbour stage used.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{TestApp, json};

/// Recommendations for `members` once the default model (which needs a general model) serves.
async fn with_default_model(app: &TestApp, body: Value) -> Value {
    reel::jobs::train_general(&app.store, None).await.unwrap();
    for _ in 0..100 {
        let got = json(app.recommend(body.clone()).await, 200).await;
        if got["model"] == "default" {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the stored general model was never picked up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reasons_name_the_members_rated_films_and_can_be_turned_off() {
    let app = TestApp::spawn().await;
    let body = json!({"members": ["alice", "bob"], "limit": 20});
    let explained = with_default_model(&app, body.clone()).await;
    // Asked again, the reasons are read from those kept with the scores: the same as worked out.
    let again = json(app.recommend(body.clone()).await, 200).await;
    let reasons_by_film = |response: &Value| -> Vec<(Value, Value)> {
        response["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| (item["key"].clone(), item["reasons"].clone()))
            .collect()
    };
    assert_eq!(reasons_by_film(&again), reasons_by_film(&explained));
    let rated: Vec<String> = (0..60)
        .map(|f| app.world().film(f).unwrap().key.to_string())
        .collect();
    let items = explained["items"].as_array().unwrap();
    let mut named = 0;
    let mut phrases = 0;
    for item in items {
        let reasons = item["reasons"].as_array().unwrap();
        let (films, features): (Vec<&Value>, Vec<&Value>) =
            reasons.iter().partition(|r| r["kind"] == "film");
        for member in ["alice", "bob"] {
            let theirs: Vec<&Value> = films
                .iter()
                .copied()
                .filter(|r| r["member"] == member)
                .collect();
            assert!(theirs.len() <= 3, "{item}");
            let effects: Vec<f64> = theirs
                .iter()
                .map(|r| r["effect"].as_f64().unwrap().abs())
                .collect();
            assert!(
                effects.windows(2).all(|w| w[0] >= w[1]),
                "largest effect first: {effects:?}"
            );
        }
        // At most one phrase of features per member, after their films, that raised the score.
        for member in ["alice", "bob"] {
            let theirs: Vec<&&Value> = features.iter().filter(|r| r["member"] == member).collect();
            assert!(theirs.len() <= 1, "{item}");
        }
        for reason in &features {
            assert_eq!(reason["kind"], "features", "{reason}");
            assert!(!reason["text"].as_str().unwrap().is_empty(), "{reason}");
            assert!(reason["effect"].as_f64().unwrap() > 0.0, "{reason}");
            phrases += 1;
        }
        for reason in films {
            named += 1;
            let key = reason["key"].as_str().unwrap().to_owned();
            assert!(
                rated.contains(&key),
                "{key} is not a film alice or bob rated"
            );
            // Alice rated 0..40, bob 20..60: the rating shown is the member's own.
            let index = rated.iter().position(|k| *k == key).unwrap();
            let theirs = if reason["member"] == "alice" {
                index < 40
            } else {
                index >= 20
            };
            assert!(theirs, "{reason}");
            assert!(reason["rating"].is_number() && reason["title"].is_string());
            assert!(reason["effect"].as_f64().unwrap() != 0.0);
        }
    }
    assert!(named > 0, "no recommended film has a reason: {explained}");
    assert!(
        phrases > 0,
        "no recommended film has features for a reason: {explained}"
    );

    let plain = json(
        app.recommend(json!({"members": ["alice", "bob"], "limit": 20, "explain": false}))
            .await,
        200,
    )
    .await;
    assert!(
        plain["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["reasons"] == json!([]))
    );
    let ranked = |body: &Value| -> Vec<(Value, Value)> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["key"].clone(), i["predicted_rating"].clone()))
            .collect()
    };
    assert_eq!(
        ranked(&plain),
        ranked(&explained),
        "explaining changes no prediction"
    );

    // Predictions for chosen films carry the same reasons.
    let films: Vec<String> = (60..90)
        .map(|f| app.world().film(f).unwrap().key.to_string())
        .collect();
    let predicted = json(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "films": films}),
        )
        .await,
        200,
    )
    .await;
    let reasons: Vec<&Value> = predicted["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["reasons"].as_array().unwrap())
        .collect();
    assert!(!reasons.is_empty(), "{predicted}");
    let mut kinds = std::collections::BTreeSet::new();
    for reason in reasons {
        assert_eq!(reason["member"], "alice");
        kinds.insert(reason["kind"].as_str().unwrap().to_owned());
        if reason["kind"] == "film" {
            let key = reason["key"].as_str().unwrap().to_owned();
            assert!(rated[..40].contains(&key), "{reason}");
        } else {
            assert_eq!(reason["kind"], "features", "{reason}");
            assert!(reason["effect"].as_f64().unwrap() > 0.0, "{reason}");
        }
    }
    assert_eq!(kinds.len(), 2, "both kinds of reason: {predicted}");
    let quiet = json(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "films": films, "explain": false}),
        )
        .await,
        200,
    )
    .await;
    assert!(
        quiet["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["reasons"] == json!([]))
    );

    // Ranked watchlist picks too (alice's watchlist is films 100..120); random ones have none.
    let ranked_picks = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "mode": "ranked", "count": 20}),
        )
        .await,
        200,
    )
    .await;
    let reasons: Vec<&Value> = ranked_picks["picks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["reasons"].as_array().unwrap())
        .collect();
    assert!(!reasons.is_empty(), "{ranked_picks}");
    assert!(
        reasons.iter().all(|r| r["kind"] == "features"
            || rated[..40].contains(&r["key"].as_str().unwrap().to_owned()))
    );
    let random = json(
        app.post("/watchlist", json!({"members": ["alice"], "count": 20}))
            .await,
        200,
    )
    .await;
    assert!(
        random["picks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["reasons"] == json!([]))
    );
    app.stop().await;
}
