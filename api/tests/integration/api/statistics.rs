//! `GET /statistics`, and how scrape failures reach clients.

use letterboxd_sim::FaultPlan;

use crate::support::{Options, TestApp, json, problem};

#[tokio::test]
async fn percentiles_move_as_members_are_added() {
    let app = TestApp::spawn().await;
    let first = json(app.get("/statistics?member=alice").await, 200).await;
    assert_eq!(first["member"]["member"], "alice");
    assert_eq!(first["ratings"], 40);
    assert_eq!(first["percentiles"]["compared_with"], 0);
    assert!(first["percentiles"]["differential"].is_null());
    assert!(first["rating_style"].is_null() && first["obscurity"].is_null());
    assert_eq!(first["genres"].as_array().unwrap().len(), 19);
    assert_eq!(first["eras"].as_array().unwrap().len(), 4);
    let member = &first["distribution"]["member"];
    assert_eq!(member["total"], 40);
    assert_eq!(member["counts"][6], 20, "twenty 3.5-star ratings");
    assert_eq!(member["counts"][8], 20, "twenty 4.5-star ratings");
    let density: f64 = member["density"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_f64().unwrap())
        .sum();
    assert!((density - 1.0).abs() < 1e-9);

    // Bob rates far below the crowd, carol across the scale.
    json(app.get("/statistics?member=bob").await, 200).await;
    json(app.get("/statistics?member=carol").await, 200).await;
    let again = json(app.get("/statistics?member=alice").await, 200).await;
    assert_eq!(
        again["percentiles"]["compared_with"], 2,
        "alice's own first snapshot does not count"
    );
    let differential = again["percentiles"]["differential"].as_f64().unwrap();
    assert!(differential > 0.0, "alice rates above bob: {again}");
    assert!(again["rating_style"]["label"].is_string());
    assert!(again["rating_style"]["description"].as_str().unwrap().len() > 10);
    assert!(again["obscurity"]["label"].is_string());

    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".computed_at", "[computed_at]");
    settings.add_redaction(".catalog_version", "[version]");
    settings.bind(|| insta::assert_json_snapshot!("alice_against_two", again));
    app.stop().await;
}

#[tokio::test]
async fn bad_members_and_short_diaries_are_problems() {
    let app = TestApp::spawn().await;
    problem(
        app.get("/statistics?member=two%20words").await,
        400,
        "invalid_member",
    )
    .await;
    problem(app.get("/statistics").await, 400, "invalid_query").await;
    let short = problem(
        app.get("/statistics?member=newbie").await,
        422,
        "not_enough_ratings",
    )
    .await;
    assert!(short["detail"].as_str().unwrap().contains("newbie"));
    app.stop().await;
}

#[tokio::test]
async fn letterboxd_failures_are_typed_problems() {
    let mut faults = FaultPlan::default();
    faults.private_members.insert("alice".to_owned());
    faults.unknown_members.insert("bob".to_owned());
    let app = TestApp::spawn_with(Options {
        faults,
        ..Options::default()
    })
    .await;
    problem(
        app.get("/statistics?member=alice").await,
        403,
        "profile_private",
    )
    .await;
    problem(
        app.get("/statistics?member=bob").await,
        404,
        "member_not_found",
    )
    .await;

    app.sim().faults().update(|plan| plan.all.challenge = true);
    let blocked = problem(
        app.get("/statistics?member=carol").await,
        503,
        "upstream_blocked",
    )
    .await;
    assert!(
        blocked["detail"].as_str().unwrap().contains("export"),
        "{blocked}"
    );

    app.sim().faults().update(|plan| {
        plan.all.challenge = false;
        plan.all.server_errors = 1.0;
    });
    let unavailable = problem(
        app.get("/statistics?member=carol").await,
        502,
        "upstream_unavailable",
    )
    .await;
    // What works meanwhile: the export, which needs no Letterboxd.
    assert!(
        unavailable["detail"].as_str().unwrap().contains("export"),
        "{unavailable}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_letterboxd_answering_429_to_every_attempt_is_503_with_its_wait() {
    let app = TestApp::spawn().await;
    // `Retry-After: 0` on every attempt: the retries are used up at once, and a wait of 0 s is
    // passed on as the shortest a client is told, 1 s.
    app.sim().faults().update(|plan| {
        plan.all.rate_limited = 1.0;
        plan.all.retry_after_secs = 0;
    });
    let response = app.get("/statistics?member=carol").await;
    assert_eq!(response.headers()["retry-after"], "1");
    let body = problem(response, 503, "upstream_rate_limited").await;
    assert!(
        body["detail"].as_str().unwrap().contains("export"),
        "{body}"
    );

    // A wait beyond the client's retry budget is passed on too, at most five minutes.
    app.sim()
        .faults()
        .update(|plan| plan.all.retry_after_secs = 3_600);
    let response = app.get("/statistics?member=carol").await;
    assert_eq!(response.headers()["retry-after"], "300");
    problem(response, 503, "upstream_rate_limited").await;
    app.stop().await;
}

#[tokio::test]
async fn top_and_bottom_films_by_rating_then_distance_from_the_community() {
    let app = TestApp::spawn().await;
    let body = json(app.get("/statistics?member=alice").await, 200).await;
    // Alice rates the even films 0..40 at 4.5 and the odd ones at 3.5.
    let top = body["rated_films"]["top"].as_array().unwrap();
    let bottom = body["rated_films"]["bottom"].as_array().unwrap();
    assert_eq!((top.len(), bottom.len()), (10, 10));
    let even = |f: &serde_json::Value| {
        let key = f["key"].as_str().unwrap();
        (0..40)
            .find(|&i| app.world().film(i).unwrap().key.as_str() == key)
            .unwrap()
            % 2
            == 0
    };
    assert!(top.iter().all(|f| f["rating"] == 4.5 && even(f)), "{top:?}");
    assert!(bottom.iter().all(|f| f["rating"] == 3.5 && !even(f)));
    let differences = |list: &[serde_json::Value]| -> Vec<f64> {
        list.iter()
            .filter_map(|f| f["difference"].as_f64())
            .collect()
    };
    let above = differences(top);
    assert!(above.windows(2).all(|w| w[0] >= w[1]), "{above:?}");
    let below = differences(bottom);
    assert!(below.windows(2).all(|w| w[0] <= w[1]), "{below:?}");
    for film in top.iter().chain(bottom) {
        assert!(film["title"].is_string() && film["url"].is_string() && film["poster"].is_string());
        let poster = film["poster"].as_str().unwrap();
        assert_eq!(
            film["posters"]["small"], poster,
            "the dataset's posters are card-sized"
        );
        assert!(
            film["posters"]["large"]
                .as_str()
                .unwrap()
                .contains("-0-460-0-690-crop"),
            "{film}"
        );
        if let (Some(average), Some(difference)) = (
            film["community_average"].as_f64(),
            film["difference"].as_f64(),
        ) {
            let rating = film["rating"].as_f64().unwrap();
            assert!((rating - average - difference).abs() < 1e-6);
        }
    }
    app.stop().await;
}
