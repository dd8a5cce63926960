//! Uploading a member's export made of chosen ratings, for tests that compare an upload with
//! scraped members.

use reqwest::multipart::{Form, Part};

use super::app::{TestApp, json};

/// Uploads a `ratings.csv` rating the world's films `index -> stars` (by title and year, as
/// Letterboxd exports name them) and returns the upload's id.
pub async fn upload_ratings(app: &TestApp, ratings: &[(u32, f32)]) -> String {
    let mut csv = String::from("Date,Name,Year,Letterboxd URI,Rating\n");
    for &(index, stars) in ratings {
        let film = app.world().film(index).unwrap();
        let title = film.title.replace('"', "\"\"");
        csv.push_str(&format!(
            "2025-01-01,\"{title}\",{},https://boxd.it/x{index},{stars}\n",
            film.year.map(|y| y.to_string()).unwrap_or_default()
        ));
    }
    let form = Form::new().part(
        "file",
        Part::bytes(csv.into_bytes()).file_name("ratings.csv"),
    );
    let response = app
        .client
        .post(app.url("/profiles"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let created = json(response, 201).await;
    created["id"].as_str().unwrap().to_owned()
}
