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
        let concrete = path
            .replace("{id}", "00000000-0000-4000-8000-000000000000")
            .replace("{code}", "not_found");
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
                !body.contains("\"type\":\"/problems/not_found\"") && status != 405,
                "{method} {path} is documented but not routed: {status} {body}"
            );
        }
    }
    app.stop().await;
}

/// What clients (and `redocly lint` / `spectral lint` in CI) read from the document as a whole:
/// a server, every operation's security stated (public or the admin token), a description for
/// every operation, and typed health answers, `checks` of `not_ready` included.
#[test]
fn the_document_states_servers_security_descriptions_and_health_types() {
    let document = serde_json::to_value(reel::router::openapi::document()).unwrap();
    assert_eq!(document["servers"][0]["url"], "/");
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let security = operation["security"].as_array();
            if path == "/admin/catalog/reload" {
                assert_eq!(
                    operation["security"],
                    serde_json::json!([{ "admin_token": [] }])
                );
            } else {
                assert_eq!(
                    security.map(Vec::len),
                    Some(0),
                    "{method} {path}: public operations say `security: []`"
                );
            }
            // The profiles operations are described by the uploads rework (see .spectral.yaml).
            if !path.starts_with("/profiles") {
                assert!(
                    operation["description"]
                        .as_str()
                        .is_some_and(|text| !text.is_empty()),
                    "{method} {path} has no description"
                );
            }
        }
    }
    let ok = |path: &str| {
        document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["$ref"]
            .clone()
    };
    assert_eq!(ok("/health/live"), "#/components/schemas/Liveness");
    assert_eq!(ok("/health/ready"), "#/components/schemas/Ready");
    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["ProblemView"]["properties"]["checks"]["oneOf"][0]["$ref"],
        "#/components/schemas/Readiness"
    );
    assert!(
        schemas["ModelChoice"]["description"]
            .as_str()
            .is_some_and(|text| ["`default`", "`personalized`", "`general`"]
                .iter()
                .all(|value| text.contains(value))),
        "every `model` value is described"
    );
}
