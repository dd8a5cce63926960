//! `POST /predictions` naming a list of an uploaded export (`lists/*.csv` in the zip): its films
//! are predicted beside the ones named, a wrong name is a 404 naming the lists there are, and a
//! list needs an upload.

use std::io::Write;

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::support::{TestApp, json, problem};

fn film(app: &TestApp, index: u32) -> model::Film {
    app.world().film(index).unwrap().into_owned()
}

fn zip_of(files: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A list file as Letterboxd exports it, its films as (title, year, link).
fn list_csv(name: &str, films: &[(String, Option<u16>, String)]) -> String {
    let mut csv = format!(
        "Letterboxd list export v7\r\nDate,Name,Tags,URL,Description\r\n\
         2026-01-05,{name},,https://letterboxd.com/sam/list/x/,\"Seen, or soon\"\r\n\r\n\
         Position,Name,Year,URL,Description\r\n"
    );
    for (at, (title, year, link)) in films.iter().enumerate() {
        let year = year.map(|y| y.to_string()).unwrap_or_default();
        let title = title.replace('"', "\"\"");
        csv.push_str(&format!("{},\"{title}\",{year},{link},\r\n", at + 1));
    }
    csv
}

/// Uploads an export zip: ratings of the world's films 60..70 and two lists. The festival list
/// holds films 100 (by its boxd.it link), 101 (by title and year) and one film nobody has.
async fn upload_with_lists(app: &TestApp) -> String {
    let mut ratings = String::from("Date,Name,Year,Letterboxd URI,Rating\n");
    for index in 60..70 {
        let f = film(app, index);
        ratings.push_str(&format!(
            "2025-01-01,\"{}\",{},https://boxd.it/x{index},{}\n",
            f.title.replace('"', "\"\""),
            f.year.unwrap(),
            2 + index % 4
        ));
    }
    let by_link = film(app, 100);
    let by_title = film(app, 101);
    let festival = list_csv(
        "Festival 2026",
        &[
            (
                by_link.title.clone(),
                by_link.year,
                format!("https://boxd.it/{}", by_link.boxd_id.clone().unwrap()),
            ),
            (
                by_title.title.clone(),
                by_title.year,
                "https://boxd.it/q101".to_owned(),
            ),
            (
                "A Film Nobody Has Heard Of".to_owned(),
                Some(1901),
                "https://boxd.it/zzzz".to_owned(),
            ),
        ],
    );
    let crime = list_csv(
        "Crime Nights",
        &[(
            film(app, 102).title,
            film(app, 102).year,
            "https://boxd.it/q102".to_owned(),
        )],
    );
    let zip = zip_of(&[
        ("ratings.csv", ratings),
        ("lists/festival-2026.csv", festival),
        ("lists/crime-nights.csv", crime),
    ]);
    let form = Form::new().part(
        "file",
        Part::bytes(zip).file_name("letterboxd-sam-2026-01-05-10-00-utc.zip"),
    );
    let response = app
        .client
        .post(app.url("/profiles"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let created = json(response, 201).await;
    assert_eq!(
        created["lists"],
        json!([
            {"name": "Festival 2026", "films": 3, "matched": 2},
            {"name": "Crime Nights", "films": 1, "matched": 1}
        ]),
        "{created}"
    );
    created["id"].as_str().unwrap().to_owned()
}

fn keys(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_list_of_an_uploaded_export_is_predicted_with_the_films_named() {
    let app = TestApp::spawn().await;
    let upload = upload_with_lists(&app).await;
    let listed = [film(&app, 100), film(&app, 101)];

    // The list alone, named in another case, for the upload itself.
    let body = json(
        app.post(
            "/predictions",
            json!({"members": [upload], "list": {"profile": upload, "name": "  festival 2026 "}}),
        )
        .await,
        200,
    )
    .await;
    let mut got = keys(&body);
    got.sort();
    let mut want: Vec<String> = listed.iter().map(|f| f.key.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "{body}");
    assert_eq!(
        body["unknown"],
        json!([{"reference": "https://boxd.it/zzzz"}])
    );
    let by_link = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == listed[0].key.to_string())
        .unwrap();
    assert_eq!(
        by_link["reference"],
        format!("https://boxd.it/{}", listed[0].boxd_id.clone().unwrap())
    );
    assert!(by_link["predicted_rating"].as_f64().unwrap().is_finite());

    // Films named and a list, for a scraped member too: all of them, a film on both once.
    let both = json(
        app.post(
            "/predictions",
            json!({
                "members": ["alice"],
                "films": [film(&app, 150).key.to_string(), listed[1].key.to_string()],
                "list": {"profile": upload, "name": "Festival 2026"}
            }),
        )
        .await,
        200,
    )
    .await;
    let got = keys(&both);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.contains(&film(&app, 150).key.to_string()), "{got:?}");
    let twice = both["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == listed[1].key.to_string())
        .unwrap();
    assert_eq!(twice["reference"], listed[1].key.to_string());
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_list_name_a_username_or_too_many_films_are_refused() {
    let app = TestApp::spawn().await;
    let upload = upload_with_lists(&app).await;
    let missing = problem(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "list": {"profile": upload, "name": "Festival 2025"}}),
        )
        .await,
        404,
        "list_not_found",
    )
    .await;
    let detail = missing["detail"].as_str().unwrap();
    for named in ["`Festival 2025`", "`Festival 2026`", "`Crime Nights`"] {
        assert!(detail.contains(named), "{detail}");
    }

    let username = problem(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "list": {"profile": "alice", "name": "Festival 2026"}}),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
    assert!(
        username["detail"].as_str().unwrap().contains("`alice`"),
        "{username}"
    );

    problem(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "list": {"profile": uuid::Uuid::new_v4().to_string(), "name": "x"}}),
        )
        .await,
        404,
        "profile_not_found",
    )
    .await;

    // 498 named films and the list's three: one over the cap.
    let named: Vec<String> = (0..498).map(|i| format!("no-such-film-{i}")).collect();
    let over = problem(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "films": named, "list": {"profile": upload, "name": "festival 2026"}}),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
    assert!(over["detail"].as_str().unwrap().contains("501"), "{over}");
    let at_cap: Vec<String> = (0..497).map(|i| format!("no-such-film-{i}")).collect();
    let fits = json(
        app.post(
            "/predictions",
            json!({"members": ["alice"], "films": at_cap, "list": {"profile": upload, "name": "festival 2026"}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(fits["items"].as_array().unwrap().len(), 2);
    assert_eq!(fits["unknown"].as_array().unwrap().len(), 498);
    app.stop().await;
}
