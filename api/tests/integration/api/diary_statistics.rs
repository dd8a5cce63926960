//! `GET /statistics`' `diary`: the figures of an uploaded `diary.csv`, counted by hand, and of a
//! scraped member's diary pages, counted from what the simulated Letterboxd rendered.

use std::collections::BTreeMap;

use letterboxd_sim::{Knobs, PathFaults};
use model::{DiaryEntry, Username, WatchDate};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

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
async fn an_uploaded_diary_gives_its_hand_counted_figures() {
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
    app.stop().await;
}

fn day(d: WatchDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The `diary` figures `entries` must give, counted here from the simulator's own world.
fn expected_figures(app: &TestApp, entries: &[DiaryEntry]) -> Value {
    let minutes = |entry: &DiaryEntry| {
        app.world()
            .film_by_slug(&entry.key)
            .and_then(|film| film.runtime_minutes)
            .map_or(0, u32::from)
    };
    let mut months: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut years: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for entry in entries {
        let (y, m) = (entry.date.year(), entry.date.month());
        for cell in [
            months.entry(format!("{y:04}-{m:02}")).or_default(),
            years.entry(format!("{y:04}")).or_default(),
        ] {
            cell.0 += 1;
            cell.1 += minutes(entry);
        }
    }
    let periods = |cells: BTreeMap<String, (u32, u32)>| -> Vec<Value> {
        cells
            .into_iter()
            .map(|(period, (films, minutes))| {
                let hours = (f64::from(minutes) / 60.0 * 100.0).round() / 100.0;
                json!({"period": period, "films": films, "hours": hours})
            })
            .collect()
    };
    json!({
        "watches": entries.len(),
        "rewatches": entries.iter().filter(|e| e.rewatch).count(),
        "per_month": periods(months),
        "per_year": periods(years),
        "first_watch": day(entries.iter().map(|e| e.date).min().unwrap()),
        "latest_watch": day(entries.iter().map(|e| e.date).max().unwrap()),
    })
}

/// The figures of a `GET /statistics` body that [`expected_figures`] counts.
fn figures(body: &Value) -> Value {
    let diary = &body["diary"];
    json!({
        "watches": diary["watches"],
        "rewatches": diary["rewatches"],
        "per_month": diary["per_month"],
        "per_year": diary["per_year"],
        "first_watch": diary["first_watch"],
        "latest_watch": diary["latest_watch"],
    })
}

#[tokio::test]
async fn a_scraped_member_gets_the_figures_of_the_diary_pages_letterboxd_shows() {
    let app = TestApp::spawn().await;
    let alice = Username::parse("alice").unwrap();
    let diary = app.world().profile(&alice).unwrap().diary;
    // The generated diary spans months and holds rewatches, so the figures are not trivial.
    assert!(diary.iter().any(|e| e.rewatch));
    let want = expected_figures(&app, &diary);
    assert!(want["per_month"].as_array().unwrap().len() >= 2, "{want}");

    let body = json(app.get("/statistics?member=alice").await, 200).await;
    assert_eq!(figures(&body), want);
    let weekdays: u64 = body["diary"]["weekdays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["films"].as_u64().unwrap())
        .sum();
    assert_eq!(weekdays, diary.len() as u64);
    assert!(body["diary"]["longest_streak_days"].as_u64().unwrap() >= 1);

    // The scrape was stored with its dates: what a cache miss answers from.
    let stored = app
        .store
        .load_scraped_profile(&alice)
        .await
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(stored.diary, diary);
    app.stop().await;
}

#[tokio::test]
async fn failing_diary_pages_cost_the_dates_not_the_statistics() {
    let app = TestApp::spawn().await;
    // A member with more than two diary pages, whose second page always fails.
    let (member, log) = (0..app.world().member_count())
        .filter_map(|rank| app.world().member_at(rank))
        .map(|name| {
            let log = app.world().diary_log(&name).unwrap();
            (name, log)
        })
        .find(|(_, log)| log.len() > 2 * letterboxd_sim::DIARY_PAGE_SIZE)
        .expect("a member with three diary pages");
    let name = member.as_str().to_owned();
    app.sim().faults().update(|plan| {
        plan.paths.push(PathFaults {
            prefix: format!("/{name}/films/diary/page/2/"),
            knobs: Knobs {
                server_errors: 1.0,
                ..Knobs::default()
            },
        });
        plan.paths.push(PathFaults {
            prefix: "/carol/films/diary/".to_owned(),
            knobs: Knobs {
                server_errors: 1.0,
                ..Knobs::default()
            },
        });
    });

    // Page 1 was read: its fifty watches are the figures, the ratings are all there.
    let body = json(app.get(&format!("/statistics?member={name}")).await, 200).await;
    let page_one = app.world().profile_reading(&member, 1).unwrap();
    assert_eq!(page_one.diary.len(), letterboxd_sim::DIARY_PAGE_SIZE);
    assert_eq!(figures(&body), expected_figures(&app, &page_one.diary));
    assert_eq!(body["diary"]["latest_watch"], day(log.last().unwrap().date));
    assert_eq!(
        body["ratings"].as_u64().unwrap() as usize,
        page_one.ratings.len()
    );

    // No diary page at all: the statistics still answer, the diary null rather than zeros.
    let body = json(app.get("/statistics?member=carol").await, 200).await;
    assert_eq!(body["ratings"], 30);
    assert_eq!(body["diary"], Value::Null);
    app.stop().await;
}
