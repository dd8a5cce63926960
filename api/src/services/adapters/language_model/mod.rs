//! The `DescriptionReader` port on a language model behind an OpenAI-compatible chat completions
//! API (OpenAI, a llama.cpp or Ollama server): the description goes out with a JSON schema of our
//! filters as the required answer format, and the answer comes back checked like a request's
//! filters. A deadline bounds the wait; readings are kept in process so a description is asked
//! about once.

mod answer;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use model::recommend::describe::Described;

use crate::domain::Fallback;
use crate::metrics;
use crate::services::ports::DescriptionReader;

pub use answer::{ANSWER_NAME, answer_schema, system_prompt};

/// Bytes of readings kept in process unless told otherwise ([`LanguageModel::keeping`]): about
/// 10,000 readings.
const READINGS_BYTES: u64 = 10_000 * 1024;
/// What a kept reading occupies besides its description: the reading and moka's bookkeeping.
const READING_OVERHEAD: usize = 256;
/// How long a reading is kept: a model's reading of a sentence does not age, "recent" does.
const READING_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The API key: `Debug` and `Display` never show it, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> Self {
        Self(key)
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(..)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where the language model is and how long to wait for it.
#[derive(Debug, Clone)]
pub struct LanguageModelConfig {
    /// The API's base URL, `/chat/completions` appended (`https://api.openai.com/v1`).
    pub base_url: String,
    pub api_key: ApiKey,
    pub model: String,
    /// The whole exchange, connection included; past it the embedded parser's reading is used.
    pub timeout: Duration,
}

/// Descriptions read by a language model.
pub struct LanguageModel {
    client: reqwest::Client,
    config: LanguageModelConfig,
    readings: moka::future::Cache<(String, u16), Described>,
    readings_bytes: u64,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// Readings kept, by their description's bytes and the reading's own size.
fn readings(bytes: u64) -> moka::future::Cache<(String, u16), Described> {
    moka::future::Cache::builder()
        .max_capacity(bytes)
        .weigher(|key: &(String, u16), _: &Described| {
            u32::try_from(key.0.len() + size_of::<Described>() + READING_OVERHEAD)
                .unwrap_or(u32::MAX)
        })
        .time_to_live(READING_TTL)
        .build()
}

impl fmt::Debug for LanguageModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LanguageModel")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// What became of one question to the model, as `reel_llm_requests_total` counts it.
fn outcome(result: &Result<Described, Fallback>) -> &'static str {
    match result {
        Ok(_) => "answered",
        Err(fallback) => fallback.name(),
    }
}

impl LanguageModel {
    pub fn new(mut config: LanguageModelConfig) -> anyhow::Result<Self> {
        config.base_url = config.base_url.trim_end_matches('/').to_owned();
        let client = reqwest::Client::builder()
            // The deadline below is the real bound; this one stops a stuck connection.
            .timeout(config.timeout)
            .user_agent(concat!("reel/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            client,
            config,
            readings: readings(READINGS_BYTES),
            readings_bytes: READINGS_BYTES,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        })
    }

    /// Keeps at most `bytes` of readings (the service: its share of `MEMORY_BUDGET`).
    pub fn keeping(mut self, bytes: u64) -> Self {
        self.readings = readings(bytes);
        self.readings_bytes = bytes;
        self
    }

    async fn ask(&self, description: &str, this_year: u16) -> Result<Described, Fallback> {
        let body = answer::request_body(&self.config.model, description, this_year);
        let exchange = async {
            let response = self
                .client
                .post(format!("{}/chat/completions", self.config.base_url))
                .bearer_auth(self.config.api_key.expose())
                .json(&body)
                .send()
                .await?;
            let status = response.status();
            let bytes = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, bytes))
        };
        let (status, bytes) = match tokio::time::timeout(self.config.timeout, exchange).await {
            Err(_) => {
                tracing::warn!(
                    timeout_ms = self.config.timeout.as_millis(),
                    "language model too slow"
                );
                return Err(Fallback::Timeout);
            }
            Ok(Err(err)) if err.is_timeout() => {
                tracing::warn!(
                    timeout_ms = self.config.timeout.as_millis(),
                    "language model too slow"
                );
                return Err(Fallback::Timeout);
            }
            Ok(Err(err)) => {
                // reqwest's error names the URL, never the headers: the key stays out.
                tracing::warn!(error = %err, "language model unreachable");
                return Err(Fallback::Unavailable);
            }
            Ok(Ok(answered)) => answered,
        };
        if !status.is_success() {
            tracing::warn!(
                status = status.as_u16(),
                "language model answered with an error"
            );
            return Err(Fallback::Unavailable);
        }
        answer::parse(&bytes).map_err(|err| {
            tracing::warn!(error = %err, "language model's answer refused");
            Fallback::InvalidAnswer
        })
    }
}

impl DescriptionReader for LanguageModel {
    fn read<'a>(
        &'a self,
        description: &'a str,
        this_year: u16,
    ) -> BoxFuture<'a, Result<Described, Fallback>> {
        Box::pin(async move {
            let key = (description.trim().to_lowercase(), this_year);
            // One question for concurrent requests with the same description; only answers that
            // held are kept, so a failure is asked about again next time.
            let mut asked = false;
            let reading = self
                .readings
                .try_get_with(key, async {
                    asked = true;
                    let result = self.ask(description, this_year).await;
                    metrics::llm_request(outcome(&result));
                    result
                })
                .await
                .map_err(|fallback| *fallback);
            let counter = if asked { &self.misses } else { &self.hits };
            counter.fetch_add(1, Ordering::Relaxed);
            reading
        })
    }

    fn kept(&self) -> Option<metrics::CacheUsage> {
        Some(metrics::CacheUsage {
            cache: "readings",
            bytes: self.readings.weighted_size(),
            capacity_bytes: self.readings_bytes,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_shows_in_debug_or_display() {
        let key = "sk-a-very-secret-key";
        let config = LanguageModelConfig {
            base_url: "http://127.0.0.1:9/v1/".into(),
            api_key: ApiKey::new(key.into()),
            model: "small".into(),
            timeout: Duration::from_millis(100),
        };
        assert_eq!(config.api_key.to_string(), "[redacted]");
        assert!(!format!("{config:?}").contains(key));
        let model = LanguageModel::new(config).unwrap();
        let shown = format!("{model:?} {:#?}", model.config);
        assert!(!shown.contains(key), "{shown}");
        assert!(shown.contains("ApiKey(..)"));
        assert_eq!(model.config.base_url, "http://127.0.0.1:9/v1");
    }

    #[tokio::test]
    async fn an_unreachable_model_is_unavailable() {
        let model = LanguageModel::new(LanguageModelConfig {
            // Port 9 (discard) on loopback: refused at once.
            base_url: "http://127.0.0.1:9/v1".into(),
            api_key: ApiKey::new("k".into()),
            model: "small".into(),
            timeout: Duration::from_secs(5),
        })
        .unwrap();
        assert_eq!(
            model.read("korean films", 2026).await,
            Err(Fallback::Unavailable)
        );
    }
}
