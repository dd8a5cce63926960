//! The contract: `openapi.yaml` at the repository root is what `reel openapi` prints, and every
//! documented operation is routed.

use crate::support::TestApp;

#[test]
fn the_committed_openapi_yaml_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let current = reel::router::openapi::yaml().unwrap();
    assert!(
        committed == current,
        "openapi.yaml is stale: run `cargo run -p reel -- openapi > openapi.yaml` (and \
         `npm run generate` in frontend-contract)"
    );
}

#[test]
fn reel_openapi_prints_the_document() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_reel"))
        .arg("openapi")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        reel::router::openapi::yaml().unwrap()
    );
}

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::spawn().await;
    let document = reel::router::openapi::document();
    for (path, item) in &document.paths.paths {
        let concrete = path.replace("{id}", "00000000-0000-4000-8000-000000000000");
        for (method, operation) in [
            (reqwest::Method::GET, &item.get),
            (reqwest::Method::POST, &item.post),
            (reqwest::Method::DELETE, &item.delete),
        ] {
            if operation.is_none() {
                continue;
            }
            let response = app
                .client
                .request(method.clone(), app.url(&concrete))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            assert!(
                !body.contains("urn:reel:problem:not_found\"") && status != 405,
                "{method} {path} is documented but not routed: {status} {body}"
            );
        }
    }
    app.stop().await;
}
