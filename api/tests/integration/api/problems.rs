//! `GET /problems/{code}`: every problem's `type` is a page of this server that explains its code.

use crate::support::{TestApp, json, problem};

#[tokio::test]
async fn every_problem_type_resolves_to_its_codes_explanation() {
    let app = TestApp::spawn().await;

    // A real problem's `type`, resolved against the request's URI (RFC 9457, 3.1.1).
    let missing = app.get("/nowhere").await;
    let request_url = missing.url().clone();
    let body = problem(missing, 404, "not_found").await;
    let page_url = request_url.join(body["type"].as_str().unwrap()).unwrap();
    let page = app.client.get(page_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("There is nothing at this address.")
    );

    // Every code of the list: the same `type` every body of that code carries.
    for &code in reel::http::ProblemCode::ALL {
        let path = reel::http::error::problem_type(code);
        let explained = app
            .client
            .get(app.url(&path))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        let vary = explained.headers()["vary"].to_str().unwrap().to_owned();
        assert!(
            vary.split(", ").any(|name| name == "Accept"),
            "{code}: {vary}"
        );
        let explained = json(explained, 200).await;
        assert_eq!(explained["code"], code.as_str());
        assert_eq!(explained["type"], path.as_str());
        assert_eq!(explained["status"], code.status());
        assert_eq!(explained["meaning"], code.meaning());
        assert_eq!(explained["advice"], code.advice());
        assert!(
            code.meaning().len() > 20 && code.advice().len() > 10,
            "{code}"
        );

        let page = app.get(&path).await;
        assert_eq!(page.status(), 200);
        assert!(
            page.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = page.text().await.unwrap();
        assert!(
            html.contains(&format!("<h1><code>{code}</code></h1>")),
            "{html}"
        );
        assert!(html.contains(&format!("{} ", code.status())), "{html}");
    }

    let index = app
        .client
        .get(app.url("/problems"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    let index = json(index, 200).await;
    assert_eq!(
        index.as_array().unwrap().len(),
        reel::http::ProblemCode::ALL.len()
    );
    let html = app.get("/problems").await.text().await.unwrap();
    assert!(
        html.contains("href=\"/problems/member_not_found\""),
        "{html}"
    );

    problem(app.get("/problems/no_such_code").await, 404, "not_found").await;
    app.stop().await;
}
