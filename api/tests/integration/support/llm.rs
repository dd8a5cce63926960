//! A simulated language model: a small OpenAI-compatible chat completions server on a free port,
//! with a behaviour the test switches (answer given filters, answer too late, answer nonsense,
//! fail), recording every request's `Authorization` header and body.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use reel::services::adapters::{ApiKey, LanguageModelConfig};
use serde_json::{Value, json};

/// The key the service is configured with in these tests.
pub const LLM_KEY: &str = "sk-simulated-key-never-logged";
pub const LLM_MODEL: &str = "sim-small";
/// The service's deadline: long for a loopback answer, short for a test waiting out [`Slow`].
///
/// [`Slow`]: Behaviour::Slow
pub const LLM_DEADLINE: Duration = Duration::from_millis(1500);

/// How the simulated model answers.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// A chat completion whose message is this JSON.
    Answer(Value),
    /// The same, after waiting far past [`LLM_DEADLINE`].
    Slow(Value),
    /// A chat completion whose message content is this text, as is.
    Content(String),
    /// This status with a short error body.
    Status(u16),
}

/// What the service sent.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

struct State {
    behaviour: Mutex<Behaviour>,
    recorded: Mutex<Vec<Recorded>>,
}

pub struct LlmSim {
    pub base_url: String,
    state: Arc<State>,
    handle: ServerHandle,
}

/// Filters saying nothing, every field present (as strict structured outputs answer).
pub fn no_filters() -> Value {
    json!({
        "genres": [], "exclude_genres": [], "content_types": [], "year_min": null,
        "year_max": null, "runtime_min": null, "runtime_max": null, "popularity": [],
        "highly_rated": false, "languages": [], "exclude_languages": [], "countries": [],
        "exclude_countries": [], "streaming_services": []
    })
}

/// [`no_filters`] with `changes` laid over it.
pub fn filters(changes: Value) -> Value {
    let mut answer = no_filters();
    for (field, value) in changes.as_object().unwrap() {
        answer[field] = value.clone();
    }
    answer
}

impl LlmSim {
    pub async fn start(behaviour: Behaviour) -> Self {
        let state = Arc::new(State {
            behaviour: Mutex::new(behaviour),
            recorded: Mutex::default(),
        });
        let data = web::Data::from(Arc::clone(&state));
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(1 << 20))
                .default_service(web::to(chat_completions))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let addr = server.addrs()[0];
        let server = server.run();
        let handle = server.handle();
        tokio::spawn(server);
        Self {
            base_url: format!("http://{addr}/v1"),
            state,
            handle,
        }
    }

    pub fn set(&self, behaviour: Behaviour) {
        *lock(&self.state.behaviour) = behaviour;
    }

    pub fn recorded(&self) -> Vec<Recorded> {
        lock(&self.state.recorded).clone()
    }

    /// The service's settings for this model.
    pub fn config(&self) -> LanguageModelConfig {
        LanguageModelConfig {
            base_url: self.base_url.clone(),
            api_key: ApiKey::new(LLM_KEY.to_owned()),
            model: LLM_MODEL.to_owned(),
            timeout: LLM_DEADLINE,
        }
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn completion(content: String) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "id": "chatcmpl-sim",
        "object": "chat.completion",
        "model": LLM_MODEL,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": null},
            "finish_reason": "stop"
        }]
    }))
}

async fn chat_completions(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<State>,
) -> HttpResponse {
    lock(&state.recorded).push(Recorded {
        path: request.path().to_owned(),
        authorization: request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    let behaviour = lock(&state.behaviour).clone();
    match behaviour {
        Behaviour::Answer(answer) => completion(answer.to_string()),
        Behaviour::Slow(answer) => {
            tokio::time::sleep(LLM_DEADLINE * 20).await;
            completion(answer.to_string())
        }
        Behaviour::Content(text) => completion(text),
        Behaviour::Status(status) => {
            HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                .json(json!({"error": {"message": "simulated failure", "type": "server_error"}}))
        }
    }
}
