//! The polite HTTP client for letterboxd.com (or the simulated server): one shared concurrency
//! and rate limit per process, retries with backoff that honour `Retry-After`, typed outcomes.

mod config;
mod error;
mod fetch;
mod metrics;
mod politeness;
mod profile;
pub mod retry;

use std::sync::Arc;

pub use config::{ClientConfig, DEFAULT_USER_AGENT};
pub use error::ClientError;
pub use metrics::{Outcome, RequestCount, RequestCounters, RequestKind};
pub use profile::{DiaryRead, FilmFailure, ScrapedProfile};

use politeness::Politeness;

/// A handle on the shared client: cheap to clone, every clone shares the limits and counters.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: url::Url,
    shared: Arc<Shared>,
}

struct Shared {
    config: ClientConfig,
    politeness: Politeness,
    counters: RequestCounters,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let base = url::Url::parse(&config.base_url)
            .map_err(|_| ClientError::InvalidUrl(config.base_url.clone()))?;
        if base.cannot_be_a_base() {
            return Err(ClientError::InvalidUrl(config.base_url.clone()));
        }
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .build()
            .map_err(|err| ClientError::Build(err.to_string()))?;
        let politeness = Politeness::new(
            config.max_in_flight,
            config.requests_per_second,
            config.block_cooldown,
        );
        Ok(Self {
            http,
            base,
            shared: Arc::new(Shared {
                config,
                politeness,
                counters: RequestCounters::default(),
            }),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.shared.config
    }

    /// Every attempt this client (and its clones) made, by page kind and outcome.
    pub fn counters(&self) -> &RequestCounters {
        &self.shared.counters
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .finish_non_exhaustive()
    }
}
