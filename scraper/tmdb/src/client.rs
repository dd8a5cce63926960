//! One request, politely: wait for the shared limits, send with the bearer token, classify the
//! answer, retry what a retry can fix within the attempt and time budget, and turn everything
//! else into a typed error.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use url::Url;

use crate::limits::Limits;
use crate::metrics::{Endpoint, Outcome, RequestCounters};
use crate::retry::{backoff, parse_retry_after};
use crate::{TmdbConfig, TmdbError};

/// A handle on the shared TMDB client: cheap to clone, every clone shares the limits and
/// counters.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    shared: Arc<Shared>,
}

struct Shared {
    config: TmdbConfig,
    base: Url,
    files: Url,
    limits: Limits,
    counters: RequestCounters,
}

/// What one attempt came to.
pub(crate) enum Step<T> {
    Done(T),
    Fail(TmdbError),
    Retry {
        /// What the server asked for with `Retry-After`.
        asked: Option<Duration>,
        reason: String,
        /// The last failure was an unreadable body rather than an unavailable server.
        invalid: bool,
    },
}

impl Client {
    pub fn new(config: TmdbConfig) -> Result<Self, TmdbError> {
        let base = parse_base(&config.base_url)?;
        let files = parse_base(&config.files_url)?;
        let http = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .build()
            .map_err(|err| TmdbError::Build(err.to_string()))?;
        let limits = Limits::new(config.max_in_flight, config.requests_per_second);
        Ok(Self {
            http,
            shared: Arc::new(Shared {
                config,
                base,
                files,
                limits,
                counters: RequestCounters::default(),
            }),
        })
    }

    pub fn config(&self) -> &TmdbConfig {
        &self.shared.config
    }

    /// Every attempt this client (and its clones) made, by endpoint and outcome, and retries.
    pub fn counters(&self) -> &RequestCounters {
        &self.shared.counters
    }

    /// `path` (`/movie/550`) below the API root, with `query`.
    pub(crate) fn api_url(&self, path: &str, query: &[(&str, String)]) -> Result<Url, TmdbError> {
        join(&self.shared.base, path, query)
    }

    /// `name` below the exports root.
    pub(crate) fn files_url(&self, name: &str) -> Result<Url, TmdbError> {
        join(&self.shared.files, &format!("/{name}"), &[])
    }

    /// The JSON at `url`, parsed as `T`. A body cut short is retried like a dropped connection;
    /// a complete body of the wrong shape is not.
    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        endpoint: Endpoint,
        url: Url,
    ) -> Result<T, TmdbError> {
        let timeout = self.shared.config.request_timeout;
        self.request(endpoint, url, timeout, true, |url, response| async move {
            let bytes = match response.bytes().await {
                Ok(bytes) => bytes,
                Err(err) => return (Outcome::Transport, transport_retry(&err)),
            };
            match serde_json::from_slice::<T>(&bytes) {
                Ok(value) => (Outcome::Ok, Step::Done(value)),
                Err(err) if err.is_eof() => (
                    Outcome::InvalidResponse,
                    Step::Retry {
                        asked: None,
                        reason: format!("truncated JSON: {err}"),
                        invalid: true,
                    },
                ),
                Err(err) => (
                    Outcome::InvalidResponse,
                    Step::Fail(TmdbError::InvalidResponse {
                        url: url.to_string(),
                        message: err.to_string(),
                    }),
                ),
            }
        })
        .await
    }

    /// The response of a successful GET of `url`, its body unread (for streaming downloads,
    /// which are not rate limited: the files come from TMDB's CDN, not its API).
    pub(crate) async fn get_response(
        &self,
        endpoint: Endpoint,
        url: Url,
    ) -> Result<reqwest::Response, TmdbError> {
        let timeout = self.shared.config.file_timeout;
        self.request(endpoint, url, timeout, false, |_, response| async move {
            (Outcome::Ok, Step::Done(response))
        })
        .await
    }

    async fn request<T, F, Fut>(
        &self,
        endpoint: Endpoint,
        url: Url,
        timeout: Duration,
        limited: bool,
        finish: F,
    ) -> Result<T, TmdbError>
    where
        F: Fn(Url, reqwest::Response) -> Fut,
        Fut: Future<Output = (Outcome, Step<T>)>,
    {
        let shared = &self.shared;
        let config = &shared.config;
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let step = {
                let _permit = if limited {
                    shared.limits.admit().await
                } else {
                    None
                };
                let (outcome, step) = match self.send(&url, timeout).await {
                    Err(err) => (Outcome::Transport, transport_retry(&err)),
                    Ok(response) => match classify(&url, &response) {
                        Some(early) => early,
                        None => finish(url.clone(), response).await,
                    },
                };
                shared.counters.record(endpoint, outcome);
                step
            };
            let (asked, reason, invalid) = match step {
                Step::Done(value) => return Ok(value),
                Step::Fail(err) => return Err(err),
                Step::Retry {
                    asked,
                    reason,
                    invalid,
                } => (asked, reason, invalid),
            };
            tracing::debug!(url = %redacted(&url), attempts, %reason, "retrying");
            let give_up = || {
                if invalid {
                    TmdbError::InvalidResponse {
                        url: redacted(&url),
                        message: reason.clone(),
                    }
                } else {
                    TmdbError::Unavailable {
                        url: redacted(&url),
                        attempts,
                        last: reason.clone(),
                    }
                }
            };
            if attempts >= config.max_attempts {
                return Err(give_up());
            }
            let jitter = rand::rng().random::<f64>();
            let wait = backoff(attempts, config.backoff_base, config.backoff_max, jitter)
                .max(asked.unwrap_or_default());
            let remaining = config.max_retry_time.saturating_sub(started.elapsed());
            if wait > remaining {
                return Err(match asked {
                    Some(retry_after) if retry_after > remaining => TmdbError::RateLimited {
                        url: redacted(&url),
                        retry_after,
                    },
                    _ => give_up(),
                });
            }
            if let Some(asked) = asked {
                shared.limits.pause_for(asked);
            }
            shared.counters.record_retry(endpoint);
            tokio::time::sleep(wait).await;
        }
    }

    async fn send(&self, url: &Url, timeout: Duration) -> reqwest::Result<reqwest::Response> {
        let mut request = self
            .http
            .get(url.clone())
            .timeout(timeout)
            .header(ACCEPT, "application/json");
        let token = &self.shared.config.token;
        if !token.is_empty() {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        request.send().await
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.shared.base.as_str())
            .field("files", &self.shared.files.as_str())
            .finish_non_exhaustive()
    }
}

/// The answer decided by its status alone, or `None` for a success whose body decides.
fn classify<T>(url: &Url, response: &reqwest::Response) -> Option<(Outcome, Step<T>)> {
    let asked = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| parse_retry_after(value, SystemTime::now()));
    let url = redacted(url);
    let retry = |asked, reason: String| Step::Retry {
        asked,
        reason,
        invalid: false,
    };
    Some(match response.status() {
        status if status.is_success() => return None,
        StatusCode::UNAUTHORIZED => (Outcome::BadToken, Step::Fail(TmdbError::BadToken { url })),
        StatusCode::NOT_FOUND => (Outcome::NotFound, Step::Fail(TmdbError::NotFound { url })),
        StatusCode::TOO_MANY_REQUESTS => (
            Outcome::RateLimited,
            // TMDB always sends Retry-After with a 429; without one, a second is its usual ask.
            retry(
                asked.or(Some(Duration::from_secs(1))),
                "HTTP 429".to_owned(),
            ),
        ),
        status if status.is_server_error() => (
            Outcome::ServerError,
            retry(asked, format!("HTTP {}", status.as_u16())),
        ),
        status => (
            Outcome::OtherStatus,
            Step::Fail(TmdbError::UnexpectedStatus {
                url,
                status: status.as_u16(),
            }),
        ),
    })
}

fn transport_retry<T>(err: &reqwest::Error) -> Step<T> {
    let reason = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "cannot connect"
    } else {
        "connection failed mid-response"
    };
    Step::Retry {
        asked: None,
        reason: reason.to_owned(),
        invalid: false,
    }
}

fn parse_base(raw: &str) -> Result<Url, TmdbError> {
    let url =
        Url::parse(raw.trim_end_matches('/')).map_err(|_| TmdbError::InvalidUrl(raw.into()))?;
    if url.cannot_be_a_base() {
        return Err(TmdbError::InvalidUrl(raw.to_owned()));
    }
    Ok(url)
}

fn join(base: &Url, path: &str, query: &[(&str, String)]) -> Result<Url, TmdbError> {
    let raw = format!("{}{path}", base.as_str().trim_end_matches('/'));
    let mut url = Url::parse(&raw).map_err(|_| TmdbError::InvalidUrl(raw.clone()))?;
    if !query.is_empty() {
        url.query_pairs_mut()
            .extend_pairs(query.iter().map(|(key, value)| (*key, value.as_str())));
    }
    Ok(url)
}

/// A URL for errors and logs: without the query, which may carry a search a member typed.
fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_below_the_root_and_escape_the_query() {
        let base = parse_base("http://127.0.0.1:9/3/").unwrap();
        let url = join(
            &base,
            "/search/movie",
            &[("query", "Amélie & co".to_owned())],
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/3/search/movie?query=Am%C3%A9lie+%26+co"
        );
        assert_eq!(redacted(&url), "http://127.0.0.1:9/3/search/movie");
        assert!(parse_base("not a url").is_err());
    }
}
