//! `GET /statistics`' `diary`: the figures of an uploaded `diary.csv`, counted by hand.

use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::support::{TestApp, json};

/// (watched date, world film, rewatch): Tue, Wed, Thu, Thu (rewatch), Sat; Mon, Tue.
const DIARY: [(&str, u32, bool); 7] = [
    ("2024-01-30", 60, false),
    ("2024-01-31", 61, false),
    ("2024-02-01", 62, false),
    ("2024-02-01", 60, true),
    ("2024-02-03", 63, false),
    ("2025-03-03", 64, false),
    ("2025-03-04", 65, false),
];

#[tokio::test]
async fn an_uploaded_diary_gives_its_hand_counted_figures_and_a_scrape_gives_null() {
    let app = TestApp::spawn().await;
    let mut csv = String::from("Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n");
    for (day, index, rewatch) in DIARY {
        let film = app.world().film(index).unwrap();
        let title = film.title.replace('"', "\"\"");
        let rewatch = if rewatch { "Yes" } else { "" };
        csv.push_str(&format!(
            "2025-06-01,\"{title}\",{},https://boxd.it/d{index},4,{rewatch},,{day}\n",
            film.year.unwrap()
        ));
    }
    let form = Form::new().part("file", Part::bytes(csv.into_bytes()).file_name("diary.csv"));
    let response = app
        .client
        .post(app.url("/profiles"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let created = json(response, 201).await;
    assert_eq!(created["counts"]["unmatched_rows"], 0, "{created}");
    let id = created["id"].as_str().unwrap();

    let body = json(app.get(&format!("/statistics?member={id}")).await, 200).await;
    let diary = &body["diary"];
    assert_eq!(
        (diary["watches"].as_u64(), diary["rewatches"].as_u64()),
        (Some(7), Some(1))
    );
    let hours = |films: &[u32]| {
        let minutes: u32 = films
            .iter()
            .map(|&i| u32::from(app.world().film(i).unwrap().runtime_minutes.unwrap()))
            .sum();
        (f64::from(minutes) / 60.0 * 100.0).round() / 100.0
    };
    assert_eq!(
        diary["per_month"],
        json!([
            {"period": "2024-01", "films": 2, "hours": hours(&[60, 61])},
            {"period": "2024-02", "films": 3, "hours": hours(&[62, 60, 63])},
            {"period": "2025-03", "films": 2, "hours": hours(&[64, 65])},
        ])
    );
    assert_eq!(
        diary["per_year"],
        json!([
            {"period": "2024", "films": 5, "hours": hours(&[60, 61, 62, 60, 63])},
            {"period": "2025", "films": 2, "hours": hours(&[64, 65])},
        ])
    );
    assert_eq!(
        diary["longest_streak_days"], 3,
        "30 and 31 January, 1 February"
    );
    let weekdays: Vec<u64> = diary["weekdays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["films"].as_u64().unwrap())
        .collect();
    assert_eq!(weekdays, [1, 2, 1, 2, 0, 1, 0]);
    assert_eq!(diary["weekdays"][0]["weekday"], "Monday");
    assert_eq!(diary["first_watch"], "2024-01-30");
    assert_eq!(diary["latest_watch"], "2025-03-04");

    // A scraped profile carries no dates: null, not zeros.
    let scraped = json(app.get("/statistics?member=alice").await, 200).await;
    assert_eq!(scraped["diary"], serde_json::Value::Null);
    app.stop().await;
}
