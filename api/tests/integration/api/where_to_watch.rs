//! `country` and `available_on` on recommendations and watchlist picks: films kept to the services
//! asked for, and every card showing where it streams in the country asked about.

use std::collections::HashSet;

use model::{CountryCode, Offer, OfferKind};
use reel::store::films::FilmsFrom;
use serde_json::json;

use crate::support::{TestApp, json, problem};

const NETFLIX: u32 = 8;
const APPLE: u32 = 2;

fn offer(provider_id: u32, name: &str, kind: OfferKind) -> Offer {
    Offer {
        country: CountryCode::parse("US").unwrap(),
        provider_id,
        provider_name: name.into(),
        logo_url: None,
        kind,
    }
}

/// Half the catalog streams on Netflix in the US; the other half is only to rent from Apple.
async fn with_offers(app: &TestApp) -> HashSet<String> {
    let mut films = app.store.load_catalog_films().await.unwrap();
    let mut on_netflix = HashSet::new();
    for (at, film) in films.iter_mut().enumerate() {
        assert!(film.tmdb.is_some(), "{} has no TMDB record", film.key);
        film.availability = Some(if at % 2 == 0 {
            on_netflix.insert(film.key.to_string());
            vec![offer(NETFLIX, "Netflix", OfferKind::Flatrate)]
        } else {
            vec![offer(APPLE, "Apple TV", OfferKind::Rent)]
        });
    }
    app.store
        .upsert_films(&films, FilmsFrom::default())
        .await
        .unwrap();
    // Offers live in the store, not in the catalog: no reload is needed.
    on_netflix
}

#[tokio::test]
async fn only_films_streaming_on_the_services_asked_for_each_card_saying_where() {
    let app = TestApp::spawn().await;
    let on_netflix = with_offers(&app).await;
    let body = json(
        app.recommend(json!({
            "members": ["alice"], "limit": 12, "country": "us", "available_on": [NETFLIX]
        }))
        .await,
        200,
    )
    .await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 12);
    for item in items {
        let key = item["key"].as_str().unwrap();
        assert!(on_netflix.contains(key), "{key} is not on Netflix");
        let watch = &item["where_to_watch"];
        assert_eq!(watch["offers"][0]["provider_id"], NETFLIX, "{item}");
        assert_eq!(watch["offers"][0]["kind"], "flatrate");
        assert_eq!(watch["offers"][0]["country"], "US");
        assert!(watch["attribution"].as_str().unwrap().contains("JustWatch"));
    }

    // Renting does not count as available on a service.
    let rented = app
        .recommend(json!({
            "members": ["alice"], "country": "US", "available_on": [APPLE]
        }))
        .await;
    problem(rented, 422, "no_candidates").await;

    // A country alone labels the cards and narrows nothing.
    let labelled = json(
        app.recommend(json!({"members": ["alice"], "limit": 30, "country": "US"}))
            .await,
        200,
    )
    .await;
    let keys: Vec<&str> = labelled["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["key"].as_str().unwrap())
        .collect();
    assert!(keys.iter().any(|key| !on_netflix.contains(*key)));
    assert!(
        labelled["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|item| item["where_to_watch"]["offers"].as_array().unwrap().len() == 1)
    );
    // Without a country, no card carries offers.
    let plain = json(
        app.recommend(json!({"members": ["alice"], "limit": 3}))
            .await,
        200,
    )
    .await;
    assert!(plain["items"][0].get("where_to_watch").is_none());
}

#[tokio::test]
async fn watchlist_picks_take_the_same_country_and_services() {
    let app = TestApp::spawn().await;
    let on_netflix = with_offers(&app).await;
    let body = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "count": 96, "country": "US", "available_on": [NETFLIX]}),
        )
        .await,
        200,
    )
    .await;
    let picks = body["picks"].as_array().unwrap();
    assert!(!picks.is_empty());
    for pick in picks {
        assert!(on_netflix.contains(pick["key"].as_str().unwrap()), "{pick}");
        assert_eq!(pick["where_to_watch"]["offers"][0]["provider_id"], NETFLIX);
    }
}

#[tokio::test]
async fn services_without_a_country_or_a_bad_country_are_refused() {
    let app = TestApp::spawn().await;
    for body in [
        json!({"members": ["alice"], "available_on": [NETFLIX]}),
        json!({"members": ["alice"], "country": "USA"}),
    ] {
        let detail = problem(app.recommend(body.clone()).await, 400, "invalid_body").await;
        assert!(
            detail["detail"].as_str().unwrap().contains("country"),
            "{detail}"
        );
        problem(app.post("/watchlist", body).await, 400, "invalid_body").await;
    }
}

#[tokio::test]
async fn a_description_naming_a_service_keeps_films_to_it_in_the_requests_country() {
    let app = TestApp::spawn().await;
    let on_netflix = with_offers(&app).await;
    let body = json(
        app.recommend(json!({
            "members": ["alice"], "limit": 12, "country": "US",
            "description": "something on netflix"
        }))
        .await,
        200,
    )
    .await;
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 12);
    for item in items {
        let key = item["key"].as_str().unwrap();
        assert!(on_netflix.contains(key), "{key} is not on Netflix");
    }
    let applied = &body["applied_filters"];
    assert_eq!(
        applied["sources"],
        json!([{"filter": "available_on", "source": "description"}])
    );
    assert_eq!(
        applied["description"]["services_without_country"],
        json!([])
    );

    // The request's own `available_on` wins: only renting from Apple, so nothing qualifies.
    let rented = app
        .recommend(json!({
            "members": ["alice"], "country": "US", "available_on": [APPLE],
            "description": "something on netflix"
        }))
        .await;
    problem(rented, 422, "no_candidates").await;

    // Without a country, what streams where is unknown: the service narrows nothing, and the
    // response says so.
    let body = json(
        app.recommend(json!({
            "members": ["alice"], "limit": 12, "description": "something on netflix"
        }))
        .await,
        200,
    )
    .await;
    let items = body["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .any(|item| !on_netflix.contains(item["key"].as_str().unwrap())),
        "{items:?}"
    );
    assert_eq!(body["applied_filters"]["sources"], json!([]));
    assert_eq!(
        body["applied_filters"]["description"]["services_without_country"],
        json!(["netflix"])
    );
    app.stop().await;
}
