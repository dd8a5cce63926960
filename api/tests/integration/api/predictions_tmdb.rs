//! `POST /predictions` with TMDB on (a simulated TMDB): a film named by a TMDB id the catalog
//! lacks is looked up, added to the catalog and predicted, not listed as unknown; an id TMDB
//! lacks stays unknown; and an answer is remembered, not asked twice.

use std::sync::Arc;

use serde_json::json;
use tmdb::TmdbConfig;
use tmdb_sim::{Faults, SimServer, SourceFilm, World};

use crate::support::{Options, TestApp, json};

const TOKEN: &str = "sim-token-for-predictions";
/// Far above the test catalog's TMDB ids.
const ONLY_ON_TMDB: u64 = 987_654_321;
const NOWHERE: u64 = 987_654_322;

#[tokio::test]
async fn a_tmdb_film_the_catalog_lacks_is_found_and_predicted() {
    let only = SourceFilm {
        slug: "tmdb-only-prediction".into(),
        title: "A Quiet Harbour Far Away".into(),
        year: Some(1977),
        tmdb_id: Some(ONLY_ON_TMDB),
        genres: vec!["Drama".into()],
        language: Some("fr".into()),
        lb_rating: Some(3.6),
        lb_rating_count: Some(4_000),
        popularity: Some(5.0),
        ..SourceFilm::default()
    };
    let world = Arc::new(World::build(vec![only], 5));
    let (addr, sim) = SimServer::start(world, Some(TOKEN.into()), Faults::default())
        .await
        .unwrap();
    let config = TmdbConfig {
        requests_per_second: 1_000,
        ..TmdbConfig::with_token(TOKEN)
            .pointed_at(&format!("http://{addr}"))
            .fast_retries()
    };
    let app = TestApp::spawn_with(Options {
        tmdb: Some(config),
        ..Options::default()
    })
    .await;
    let known = app.world().film(60).unwrap().key.to_string();
    let request = json!({
        "members": ["alice"],
        "films": [known, format!("tmdb:movie:{ONLY_ON_TMDB}"), {"tmdb": NOWHERE}]
    });
    let body = json(app.post("/predictions", request.clone()).await, 200).await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{body}");
    let found = items
        .iter()
        .find(|i| i["reference"] == format!("tmdb:movie:{ONLY_ON_TMDB}"))
        .unwrap_or_else(|| panic!("the TMDB film is not predicted: {body}"));
    assert_eq!(found["title"], "A Quiet Harbour Far Away");
    assert_eq!(found["year"], 1977);
    let stars = found["predicted_rating"].as_f64().unwrap();
    assert!((0.5..=5.0).contains(&stars), "{stars}");
    assert_eq!(
        body["unknown"],
        json!([{"reference": format!("tmdb:movie:{NOWHERE}")}])
    );

    // Asked again: the film is in the catalog now, and TMDB's "no such film" is remembered.
    let asked = sim
        .faults()
        .requests_to(&format!("/3/movie/{ONLY_ON_TMDB}"))
        + sim.faults().requests_to(&format!("/3/movie/{NOWHERE}"));
    assert!(asked >= 2, "{asked} requests");
    let again = json(app.post("/predictions", request).await, 200).await;
    assert_eq!(again["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        sim.faults()
            .requests_to(&format!("/3/movie/{ONLY_ON_TMDB}"))
            + sim.faults().requests_to(&format!("/3/movie/{NOWHERE}")),
        asked
    );
    app.stop().await;
}
