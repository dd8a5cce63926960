//! `reel train general` reaches a running server without a restart: until a general model is
//! stored the `default` model falls back to the personalized forest (and says so); once one is
//! stored, the server picks it up and serves the default model.

use std::time::Duration;

use serde_json::json;

use crate::support::{TestApp, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newly_trained_general_model_is_served_without_a_restart() {
    let app = TestApp::spawn().await;
    let ask = || app.recommend(json!({"members": ["alice"], "limit": 10}));

    let before = json(ask().await, 200).await;
    assert_eq!(
        before["model"], "personalized",
        "no general model stored yet"
    );

    let report = reel::jobs::train_general(&app.store, None).await.unwrap();
    assert_eq!(report.version, 1);

    let mut served = None;
    for _ in 0..100 {
        let body = json(ask().await, 200).await;
        if body["model"] == "default" {
            served = Some(body);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let served = served.expect("the stored general model was never picked up");
    assert_eq!(served["items"].as_array().unwrap().len(), 10);
    app.stop().await;
}
