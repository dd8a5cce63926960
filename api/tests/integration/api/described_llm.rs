//! Descriptions read by a language model (the simulated one in `support/llm.rs`), on the real
//! server: its filters are applied when its answer holds; when it is too slow, answers nonsense or
//! fails, the embedded parser's filters are, and the response says why.

use model::FilmKey;
use reel::services::adapters::{ANSWER_NAME, answer_schema};
use serde_json::{Value, json};

use crate::support::llm::{Behaviour, LLM_KEY, LLM_MODEL, LlmSim, filters};
use crate::support::{Options, TestApp, json};

async fn with_llm(behaviour: Behaviour) -> (TestApp, LlmSim) {
    let sim = LlmSim::start(behaviour).await;
    let app = TestApp::spawn_with(Options {
        llm: Some(sim.config()),
        ..Options::default()
    })
    .await;
    (app, sim)
}

fn language_of(app: &TestApp, item: &Value) -> Option<String> {
    let key = FilmKey::parse(item["key"].as_str().unwrap()).unwrap();
    app.world().film_by_slug(&key).unwrap().language.clone()
}

async fn recommend(app: &TestApp, description: &str) -> Value {
    json(
        app.recommend(json!({"members": ["alice"], "limit": 20, "description": description}))
            .await,
        200,
    )
    .await
}

fn reading(parser: &str, fallback: Value, ignored: Value) -> Value {
    json!({"parser": parser, "fallback": fallback, "ignored": ignored,
           "services_without_country": []})
}

#[tokio::test]
async fn the_models_filters_are_applied_and_it_is_asked_once_per_description() {
    // The model reads "french films" as Japanese ones: what is applied is visibly its reading.
    let (app, sim) = with_llm(Behaviour::Answer(filters(json!({"languages": ["ja"]})))).await;
    let body = recommend(&app, "french films").await;
    let items = body["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        assert_eq!(language_of(&app, item).as_deref(), Some("ja"), "{item}");
    }
    let applied = &body["applied_filters"];
    assert_eq!(applied["filters"]["languages"], json!(["ja"]));
    assert_eq!(
        applied["sources"],
        json!([{"filter": "languages", "source": "description"}])
    );
    assert_eq!(
        applied["description"],
        reading("language_model", Value::Null, json!([]))
    );

    // What was sent: the key as a bearer token, the model, the description and our schema.
    let recorded = sim.recorded();
    assert_eq!(recorded.len(), 1);
    let sent = &recorded[0];
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(
        sent.authorization.as_deref(),
        Some(format!("Bearer {LLM_KEY}").as_str())
    );
    assert_eq!(sent.body["model"], LLM_MODEL);
    assert_eq!(sent.body["temperature"], 0);
    assert_eq!(sent.body["messages"][0]["role"], "system");
    assert!(
        sent.body["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("Science Fiction")
    );
    assert_eq!(
        sent.body["messages"][1],
        json!({"role": "user", "content": "french films"})
    );
    assert_eq!(
        sent.body["response_format"],
        json!({"type": "json_schema",
               "json_schema": {"name": ANSWER_NAME, "strict": true, "schema": answer_schema()}})
    );

    // The same description (whatever its case) is read from memory, on watchlist picks too.
    recommend(&app, "French films ").await;
    let picks = json(
        app.post(
            "/watchlist",
            json!({"members": ["alice"], "description": "french films"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        picks["applied_filters"]["filters"]["languages"],
        json!(["ja"])
    );
    assert_eq!(
        picks["applied_filters"]["description"]["parser"],
        "language_model"
    );
    assert_eq!(sim.recorded().len(), 1);
    app.stop().await;
    sim.stop().await;
}

#[tokio::test]
async fn a_model_too_slow_falls_back_to_the_embedded_parser() {
    let (app, sim) = with_llm(Behaviour::Slow(filters(json!({"languages": ["ja"]})))).await;
    let body = recommend(&app, "french films, zorblax").await;
    for item in body["items"].as_array().unwrap() {
        assert_eq!(language_of(&app, item).as_deref(), Some("fr"), "{item}");
    }
    assert_eq!(
        body["applied_filters"]["description"],
        reading("embedded", json!("timeout"), json!(["zorblax"]))
    );
    assert_eq!(sim.recorded().len(), 1);
    app.stop().await;
    sim.stop().await;
}

#[tokio::test]
async fn nonsense_is_an_invalid_answer_and_a_failure_is_unavailable() {
    let (app, sim) = with_llm(Behaviour::Content(
        "Sure! Here are some French films.".into(),
    ))
    .await;
    let nonsense = [
        // not JSON
        Behaviour::Content("Sure! Here are some French films.".into()),
        // JSON, not the schema
        Behaviour::Content(json!({"mood": "french"}).to_string()),
        // the schema, values no request could send
        Behaviour::Answer(filters(json!({"genres": ["Zorblax"]}))),
        Behaviour::Answer(filters(json!({"year_min": 2000, "year_max": 1990}))),
        Behaviour::Answer(filters(json!({"languages": ["french"]}))),
        // not even a chat completion
        Behaviour::Status(200),
    ];
    for (at, behaviour) in nonsense.into_iter().enumerate() {
        sim.set(behaviour.clone());
        // A failed reading is not kept: each description is asked about afresh.
        let body = recommend(&app, "french films").await;
        assert_eq!(
            body["applied_filters"]["description"],
            reading("embedded", json!("invalid_answer"), json!([])),
            "{behaviour:?}"
        );
        assert_eq!(
            body["applied_filters"]["filters"]["languages"],
            json!(["fr"])
        );
        assert_eq!(sim.recorded().len(), at + 1);
    }

    sim.set(Behaviour::Status(500));
    let body = recommend(&app, "french films").await;
    assert_eq!(
        body["applied_filters"]["description"],
        reading("embedded", json!("unavailable"), json!([]))
    );
    for item in body["items"].as_array().unwrap() {
        assert_eq!(language_of(&app, item).as_deref(), Some("fr"), "{item}");
    }
    sim.set(Behaviour::Status(429));
    let body = recommend(&app, "french films").await;
    assert_eq!(
        body["applied_filters"]["description"]["fallback"],
        "unavailable"
    );

    let metrics = app.get("/metrics").await.text().await.unwrap();
    for outcome in ["invalid_answer", "unavailable"] {
        assert!(
            metrics.contains(&format!("reel_llm_requests_total{{outcome=\"{outcome}\"}}")),
            "{outcome}"
        );
    }
    app.stop().await;
    sim.stop().await;
}

#[tokio::test]
async fn the_requests_own_filters_win_over_the_models() {
    let (app, sim) = with_llm(Behaviour::Answer(filters(
        json!({"languages": ["fr"], "year_min": 1990, "year_max": 1999}),
    )))
    .await;
    let body = json(
        app.recommend(json!({
            "members": ["alice"],
            "limit": 20,
            "filters": {"languages": ["ja"]},
            "description": "french films from the 1990s"
        }))
        .await,
        200,
    )
    .await;
    for item in body["items"].as_array().unwrap() {
        assert_eq!(language_of(&app, item).as_deref(), Some("ja"), "{item}");
        let year = item["year"].as_u64().unwrap();
        assert!((1990..=1999).contains(&year), "{item}");
    }
    assert_eq!(
        body["applied_filters"]["sources"],
        json!([
            {"filter": "years", "source": "description"},
            {"filter": "languages", "source": "request"},
        ])
    );
    assert_eq!(
        body["applied_filters"]["description"]["parser"],
        "language_model"
    );
    // Without a description the model is never asked.
    recommend_plain(&app).await;
    assert_eq!(sim.recorded().len(), 1);
    app.stop().await;
    sim.stop().await;
}

async fn recommend_plain(app: &TestApp) {
    let body = json(
        app.recommend(json!({"members": ["alice"], "limit": 3}))
            .await,
        200,
    )
    .await;
    assert_eq!(body["applied_filters"]["description"], Value::Null);
}

/// `reel serve` itself, configured by its environment with the simulated model: its key goes to
/// the model and never into the log, even at debug level.
#[tokio::test]
async fn the_key_is_sent_to_the_model_and_never_logged() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let database = crate::support::TestDatabase::new().await;
    let sim = LlmSim::start(Behaviour::Status(500)).await;
    let mut command = Command::new(env!("CARGO_BIN_EXE_reel"));
    command.arg("serve");
    for variable in [
        "PORT",
        "DATA_DIR",
        "REDIS_URL",
        "ADMIN_TOKEN",
        "TMDB_API_TOKEN",
    ] {
        command.env_remove(variable);
    }
    let mut child = command
        .env("DATABASE_URL", database.database_url())
        .env("BIND_ADDR", "127.0.0.1:0")
        // Nothing listens there: the members cannot be read, the description still is.
        .env("LETTERBOXD_BASE_URL", "http://127.0.0.1:1")
        .env("REQUEST_TIMEOUT", "10s")
        .env("LLM_BASE_URL", &sim.base_url)
        .env("LLM_API_KEY", LLM_KEY)
        .env("LLM_MODEL", LLM_MODEL)
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
    for output in [
        Box::new(child.stderr.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stdout.take().unwrap()),
    ] {
        let lines_tx = lines_tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(output).lines().map_while(Result::ok) {
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    drop(lines_tx);
    let mut seen: Vec<String> = Vec::new();
    let address = loop {
        let line = lines
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("reel serve went quiet: {seen:#?}"));
        seen.push(line.clone());
        let parsed: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
        if parsed["message"] == "listening" {
            break parsed["address"].as_str().unwrap().to_owned();
        }
    };
    let response = reqwest::Client::new()
        .post(format!("http://{address}/recommendations"))
        .json(&json!({"members": ["alice"], "description": "french films"}))
        .send()
        .await
        .unwrap();
    assert!(!response.status().is_success());
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    seen.extend(lines.iter());

    let recorded = sim.recorded();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].authorization.as_deref(),
        Some(format!("Bearer {LLM_KEY}").as_str())
    );
    let messages: Vec<String> = seen
        .iter()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|line| line["message"].as_str().map(str::to_owned))
        .collect();
    for expected in [
        "descriptions: read by the language model, the embedded parser as fallback",
        "language model answered with an error",
    ] {
        assert!(
            messages.iter().any(|m| m == expected),
            "no `{expected}` in {messages:#?}"
        );
    }
    let leaks: Vec<&String> = seen.iter().filter(|line| line.contains(LLM_KEY)).collect();
    assert!(leaks.is_empty(), "{leaks:#?}");
    sim.stop().await;
}
