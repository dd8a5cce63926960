//! `GET /faq` and `GET /release-notes`, with their ETags.

use crate::support::{TestApp, json};

async fn revalidates(app: &TestApp, path: &str) {
    let first = app.get(path).await;
    assert_eq!(first.status(), 200);
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(first.headers()["cache-control"], "public, max-age=3600");
    let again = reqwest::Client::new()
        .get(app.url(path))
        .header("If-None-Match", &tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"].to_str().unwrap(), tag);
    assert!(again.text().await.unwrap().is_empty());
    let stale = reqwest::Client::new()
        .get(app.url(path))
        .header("If-None-Match", "\"stale\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
}

#[tokio::test]
async fn the_faq_answers_what_users_ask_and_revalidates() {
    let app = TestApp::spawn().await;
    let body = json(app.get("/faq").await, 200).await;
    let entries = body["entries"].as_array().unwrap();
    let answer = |id: &str| {
        entries
            .iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))["answer"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(answer("models").contains("personalized"));
    assert!(
        answer("data-sources")
            .contains("This product uses the TMDB API but is not endorsed or certified by TMDB.")
    );
    let uploads = answer("uploaded-exports");
    assert!(uploads.contains("24 hours") && uploads.contains("DELETE /profiles/{id}"));
    assert!(answer("blocked-username").contains("upstream_blocked"));
    for entry in entries {
        assert!(entry["question"].as_str().unwrap().ends_with('?'));
        assert!(!entry["answer"].as_str().unwrap().contains("  "));
    }
    revalidates(&app, "/faq").await;
    app.stop().await;
}

#[tokio::test]
async fn the_release_notes_are_the_changelog_and_revalidate() {
    let app = TestApp::spawn().await;
    let body = json(app.get("/release-notes").await, 200).await;
    let releases = body["releases"].as_array().unwrap();
    assert_eq!(releases[0]["version"], "Unreleased");
    assert_eq!(releases[0]["date"], serde_json::Value::Null);
    let first = releases
        .iter()
        .find(|r| r["version"] == "0.1.0")
        .expect("0.1.0");
    assert_eq!(first["date"], "2026-12-01");
    let kinds: Vec<&str> = releases[0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"Added") && kinds.contains(&"Fixed"),
        "{kinds:?}"
    );
    // This very feature's entry, its wrapped lines joined onto one.
    let items: Vec<&str> = releases[0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .map(|i| i.as_str().unwrap())
        .collect();
    assert!(
        items
            .iter()
            .any(|i| i.starts_with("`GET /faq` and `GET /release-notes`")
                && i.contains("`If-None-Match` with 304")),
        "{items:?}"
    );
    revalidates(&app, "/release-notes").await;
    app.stop().await;
}
