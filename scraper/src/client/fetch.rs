//! One page, politely: wait for the shared limits, send, classify the answer, retry what a retry
//! can fix within the attempt and time budget, and turn everything else into a typed error.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use model::{Film, FilmKey, Username};
use rand::Rng;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tokio::time::Instant;

use super::metrics::{Outcome, RequestKind};
use super::retry::{backoff, parse_retry_after};
use super::{Client, ClientError};

/// How long to wait after a 429 that named no (readable) `Retry-After`.
pub const UNSTATED_RETRY_AFTER: Duration = Duration::from_secs(60);
use crate::parse::members::{MembersPage, parse_members};

/// What a page is about, which decides what a 404 or a private profile means.
#[derive(Clone, Copy)]
pub(crate) enum Target<'a> {
    Member(&'a Username, RequestKind),
    Film(&'a FilmKey),
    PopularMembers,
}

impl Target<'_> {
    fn kind(self) -> RequestKind {
        match self {
            Target::Member(_, kind) => kind,
            Target::Film(_) => RequestKind::FilmPage,
            Target::PopularMembers => RequestKind::MembersPage,
        }
    }

    fn not_found(self, url: &str) -> ClientError {
        match self {
            Target::Member(user, _) => ClientError::MemberNotFound(user.clone()),
            Target::Film(slug) => ClientError::FilmNotFound(slug.clone()),
            Target::PopularMembers => ClientError::UnexpectedStatus {
                url: url.to_owned(),
                status: 404,
            },
        }
    }
}

/// One scrape's bookkeeping: the requests it cost, and a stop flag so that after a challenge no
/// further page of the same scrape is even sent.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    requests: AtomicU32,
    stopped: AtomicBool,
}

impl Tally {
    pub(crate) fn requests(&self) -> u32 {
        self.requests.load(Ordering::Relaxed)
    }
}

enum Attempt {
    Page(String),
    Fail(ClientError),
    Retry {
        outcome: Outcome,
        /// What the server asked for with `Retry-After`.
        asked: Option<Duration>,
        reason: String,
    },
}

impl Client {
    /// A film's page, parsed.
    #[tracing::instrument(skip(self), fields(film.key = %slug))]
    pub async fn fetch_film(&self, slug: &FilmKey) -> Result<Film, ClientError> {
        self.fetch_film_counted(slug, &Tally::default()).await
    }

    pub(crate) async fn fetch_film_counted(
        &self,
        slug: &FilmKey,
        tally: &Tally,
    ) -> Result<Film, ClientError> {
        let path = format!("/film/{}/", slug.as_str());
        let (url, body) = self.get_page(&path, Target::Film(slug), tally).await?;
        crate::parse::film::parse_film(&body).map_err(|err| ClientError::Parse {
            url,
            message: err.to_string(),
        })
    }

    /// One page of this week's popular members, to seed the general model's members.
    #[tracing::instrument(skip(self))]
    pub async fn fetch_popular_members(&self, page: u32) -> Result<MembersPage, ClientError> {
        let path = format!("/members/popular/this/week/page/{}/", page.max(1));
        let (url, body) = self
            .get_page(&path, Target::PopularMembers, &Tally::default())
            .await?;
        parse_members(&body).map_err(|err| ClientError::Parse {
            url,
            message: err.to_string(),
        })
    }

    /// The body of `path`, after as many attempts as the budget allows. Returns the URL too, for
    /// error messages.
    pub(crate) async fn get_page(
        &self,
        path: &str,
        target: Target<'_>,
        tally: &Tally,
    ) -> Result<(String, String), ClientError> {
        let config = &self.shared.config;
        let url = format!("{}{}", self.base.as_str().trim_end_matches('/'), path);
        let parsed = reqwest::Url::parse(&url).map_err(|_| ClientError::InvalidUrl(url.clone()))?;
        let started = Instant::now();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let (outcome, asked, reason) = match self.attempt(&parsed, &url, target, tally).await {
                Attempt::Page(body) => return Ok((url, body)),
                Attempt::Fail(err) => return Err(err),
                Attempt::Retry {
                    outcome,
                    asked,
                    reason,
                } => (outcome, asked, reason),
            };
            tracing::debug!(url = %url, attempts, outcome = outcome.as_str(), %reason, "retrying");
            let unavailable = || ClientError::UpstreamUnavailable {
                url: url.clone(),
                attempts,
                last: reason.clone(),
            };
            if attempts >= config.max_attempts {
                // A 429 to the last attempt says when Letterboxd will serve again: pass it on.
                return Err(if outcome == Outcome::RateLimited {
                    ClientError::RateLimited {
                        url: url.clone(),
                        retry_after: asked.unwrap_or(UNSTATED_RETRY_AFTER),
                    }
                } else {
                    unavailable()
                });
            }
            let jitter = rand::rng().random::<f64>();
            let wait = backoff(attempts, config.backoff_base, config.backoff_max, jitter)
                .max(asked.unwrap_or_default());
            let remaining = config.max_retry_time.saturating_sub(started.elapsed());
            if wait > remaining {
                return Err(match asked {
                    Some(retry_after) if retry_after > remaining => ClientError::RateLimited {
                        url: url.clone(),
                        retry_after,
                    },
                    _ if outcome == Outcome::RateLimited => ClientError::RateLimited {
                        url: url.clone(),
                        retry_after: asked.unwrap_or(UNSTATED_RETRY_AFTER),
                    },
                    _ => unavailable(),
                });
            }
            if let Some(asked) = asked {
                // Letterboxd asked the client, not this request, to slow down.
                self.shared.politeness.pause_for(asked);
            }
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        parsed: &reqwest::Url,
        url: &str,
        target: Target<'_>,
        tally: &Tally,
    ) -> Attempt {
        let shared = &self.shared;
        let _permit = shared.politeness.admit().await;
        // Checked after the wait: a challenge met meanwhile stops this request before it is sent.
        if tally.stopped.load(Ordering::Relaxed) || shared.politeness.is_blocked() {
            return Attempt::Fail(ClientError::UpstreamBlocked {
                url: url.to_owned(),
            });
        }
        tally.requests.fetch_add(1, Ordering::Relaxed);
        let kind = target.kind();
        let (outcome, result) = match self.http.get(parsed.clone()).send().await {
            Err(err) => (
                Outcome::Transport,
                Attempt::Retry {
                    outcome: Outcome::Transport,
                    asked: None,
                    reason: transport_reason(&err),
                },
            ),
            Ok(response) => self.classify(response, url, target).await,
        };
        if outcome == Outcome::Blocked {
            tally.stopped.store(true, Ordering::Relaxed);
            shared.politeness.mark_blocked();
            tracing::warn!(url, "Cloudflare challenge: stopping");
        }
        shared.counters.record(kind, outcome);
        result
    }

    async fn classify(
        &self,
        response: reqwest::Response,
        url: &str,
        target: Target<'_>,
    ) -> (Outcome, Attempt) {
        let status = response.status();
        let headers = response.headers().clone();
        let blocked = || {
            (
                Outcome::Blocked,
                Attempt::Fail(ClientError::UpstreamBlocked {
                    url: url.to_owned(),
                }),
            )
        };
        if is_challenge_header(&headers) {
            return blocked();
        }
        let body = match response.text().await {
            Ok(body) => body,
            Err(err) => {
                let retry = Attempt::Retry {
                    outcome: Outcome::Transport,
                    asked: None,
                    reason: transport_reason(&err),
                };
                return (Outcome::Transport, retry);
            }
        };
        if is_challenge_page(&body) {
            return blocked();
        }
        let asked = headers
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| parse_retry_after(value, SystemTime::now()));
        let retry = |outcome, reason: String| {
            (
                outcome,
                Attempt::Retry {
                    outcome,
                    asked,
                    reason,
                },
            )
        };
        match status {
            StatusCode::TOO_MANY_REQUESTS => retry(Outcome::RateLimited, "HTTP 429".to_owned()),
            StatusCode::NOT_FOUND => (Outcome::NotFound, Attempt::Fail(target.not_found(url))),
            status if status.is_server_error() => {
                retry(Outcome::ServerError, format!("HTTP {}", status.as_u16()))
            }
            status if status.is_success() => {
                if !is_complete_html(&body) {
                    return retry(Outcome::Truncated, "truncated HTML".to_owned());
                }
                if let Target::Member(user, _) = target
                    && is_private_profile(&body)
                {
                    let private = ClientError::ProfilePrivate(user.clone());
                    return (Outcome::Private, Attempt::Fail(private));
                }
                (Outcome::Ok, Attempt::Page(body))
            }
            status => (
                Outcome::OtherStatus,
                Attempt::Fail(ClientError::UnexpectedStatus {
                    url: url.to_owned(),
                    status: status.as_u16(),
                }),
            ),
        }
    }
}

fn transport_reason(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "timed out".to_owned()
    } else if err.is_connect() {
        "cannot connect".to_owned()
    } else {
        "connection failed mid-response".to_owned()
    }
}

/// Cloudflare marks the challenges it serves (its "managed challenge" and "JS challenge").
fn is_challenge_header(headers: &HeaderMap) -> bool {
    headers
        .get("cf-mitigated")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("challenge"))
}

/// A challenge page without the header (older Cloudflare, or a proxy that strips it). The markers
/// are the challenge script's own; Letterboxd's pages carry none of them.
pub(crate) fn is_challenge_page(body: &str) -> bool {
    let head = &body[..floor_char_boundary(body, 8192)];
    head.contains("window._cf_chl_opt")
        || head.contains("challenges.cloudflare.com/cdn-cgi/challenge-platform")
        || head.contains("<title>Just a moment...</title>")
}

/// Every Letterboxd page ends with `</html>`; a page that does not was cut off on the way.
pub(crate) fn is_complete_html(body: &str) -> bool {
    let tail = &body[floor_char_boundary(body, body.len().saturating_sub(64))..];
    tail.to_ascii_lowercase().contains("</html>")
}

/// How a member page says the profile is not public: the class the simulated server marks it
/// with (a class, not text, so no film title can trip it).
pub(crate) fn is_private_profile(body: &str) -> bool {
    body.contains("js-profile-private")
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_challenges_and_truncation() {
        let challenge = "<!DOCTYPE html><html><head><title>Just a moment...</title></head>";
        assert!(is_challenge_page(challenge));
        assert!(!is_challenge_page("<html><title>Letterboxd</title></html>"));
        assert!(is_complete_html("<html><body>x</body></html>\n"));
        assert!(!is_complete_html("<html><body><ul><li class=\"gridi"));
        assert!(is_complete_html("<html>é</HTML>"));
        let mut headers = HeaderMap::new();
        headers.insert("cf-mitigated", "challenge".parse().unwrap());
        assert!(is_challenge_header(&headers));
    }

    #[test]
    fn real_pages_are_neither_challenges_nor_truncated() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/fixtures/letterboxd/current");
        for entry in std::fs::read_dir(dir).unwrap() {
            let body = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert!(!is_challenge_page(&body));
            assert!(is_complete_html(&body));
            assert!(!is_private_profile(&body));
        }
    }
}
