//! `POST /profiles` and `DELETE /profiles/{id}`: an uploaded export used like a member.

use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::support::{TestApp, json, problem};

/// `ratings.csv` rating films 60..90 of the world by title and year, plus one film no catalog
/// holds.
fn ratings_csv(app: &TestApp) -> String {
    let mut csv = String::from("Date,Name,Year,Letterboxd URI,Rating\n");
    for index in 60..90 {
        let film = app.world().film(index).unwrap();
        let stars = if index.is_multiple_of(2) { "4.5" } else { "2" };
        let title = film.title.replace('"', "\"\"");
        csv.push_str(&format!(
            "2025-01-01,\"{title}\",{},https://boxd.it/x{index},{stars}\n",
            film.year.unwrap()
        ));
    }
    csv.push_str("2025-01-02,A Film Nobody Has Heard Of,1901,https://boxd.it/zzzz,3\n");
    csv
}

async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    app.client
        .post(app.url("/profiles"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_uploaded_export_works_wherever_a_member_does_until_deleted() {
    let app = TestApp::spawn().await;
    let response = upload(&app, "ratings.csv", ratings_csv(&app).into_bytes()).await;
    let location = response.headers().get("location").cloned();
    let created = json(response, 201).await;
    assert_eq!(
        location.unwrap(),
        format!("/profiles/{}", created["id"].as_str().unwrap()).as_str()
    );
    assert_eq!(created["counts"]["ratings"], 30);
    assert_eq!(created["counts"]["unmatched_rows"], 1);
    let unmatched = &created["unmatched"][0];
    assert_eq!(
        (unmatched["file"].as_str(), unmatched["line"].as_u64()),
        (Some("ratings.csv"), Some(32)),
        "{created}"
    );
    assert_eq!(unmatched["name"], "A Film Nobody Has Heard Of");
    let mut settings = insta::Settings::clone_current();
    settings.add_redaction(".id", "[id]");
    settings.add_redaction(".expires_at", "[expires_at]");
    settings.bind(|| insta::assert_json_snapshot!("ratings_csv_upload", created));

    let id = created["id"].as_str().unwrap().to_owned();
    // With a scraped member in the same request.
    let recs = json(
        app.recommend(json!({"members": [id, "alice"], "limit": 10}))
            .await,
        200,
    )
    .await;
    assert_eq!(recs["members"][0]["source"], "upload");
    assert_eq!(recs["members"][0]["member"], id);
    assert_eq!(recs["members"][1]["source"], "scraped");
    for item in recs["items"].as_array().unwrap() {
        assert_eq!(item["member_predictions"][0]["member"], id);
    }
    let stats = json(app.get(&format!("/statistics?member={id}")).await, 200).await;
    assert_eq!(stats["ratings"], 30);

    let deleted = app
        .client
        .delete(app.url(&format!("/profiles/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let again = app
        .client
        .delete(app.url(&format!("/profiles/{id}")))
        .send()
        .await
        .unwrap();
    problem(again, 404, "profile_not_found").await;
    problem(
        app.recommend(json!({"members": [id]})).await,
        404,
        "profile_not_found",
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_export_names_the_file_and_line() {
    let app = TestApp::spawn().await;
    let csv = "Date,Name,Year,Letterboxd URI,Rating\n2025-01-01,Heat,1995,https://boxd.it/x,4\n2025-01-01,Ran,1985,https://boxd.it/y,9\n";
    let bad = problem(
        upload(&app, "ratings.csv", csv.as_bytes().to_vec()).await,
        422,
        "upload_invalid",
    )
    .await;
    let detail = bad["detail"].as_str().unwrap();
    assert!(
        detail.contains("ratings.csv") && detail.contains('3'),
        "{detail}"
    );
    let not_export = problem(
        upload(&app, "notes.txt", b"hello".to_vec()).await,
        422,
        "upload_invalid",
    )
    .await;
    assert!(
        not_export["detail"].as_str().unwrap().contains("export"),
        "{not_export}"
    );
    let nothing = app
        .client
        .post(app.url("/profiles"))
        .multipart(Form::new().text("comment", "no file"))
        .send()
        .await
        .unwrap();
    problem(nothing, 422, "upload_invalid").await;
    app.stop().await;
}
