//! The rate-limit headers of the IETF httpapi draft, in its structured-field form, on every
//! response of a limited route (successful or 429):
//! - `RateLimit-Policy: "min";q=10;w=60, "h";q=50;w=3600, "day";q=250;w=86400`: every limit,
//!   `q` requests per `w` seconds;
//! - `RateLimit: "min";r=7;t=42`: the limit closest to exhaustion, with `r` requests left in it
//!   and `t` seconds until all of its quota is back.
//!
//! The limits are GCRA cells, so quota comes back one request at a time (one every `w / q`
//! seconds) rather than all at once at a window's end; `t` is when the last of it is back. A 429
//! also carries `Retry-After`: when the next request fits, which is sooner than `t`.

use std::cmp::Reverse;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use super::{Limit, Standing};

pub const RATELIMIT: HeaderName = HeaderName::from_static("ratelimit");
pub const RATELIMIT_POLICY: HeaderName = HeaderName::from_static("ratelimit-policy");

/// The two header values for one charged request, left in the request's extensions by
/// `Limits::charge` for [`add_headers`] to copy onto the response.
#[derive(Debug, Clone)]
pub struct RateLimitHeaders {
    pub policy: HeaderValue,
    pub current: HeaderValue,
}

/// The policies' names: the unit of their window (`min`, `h`, `day`, `s`, else `<w>s`), with the
/// limit's position added when two limits share a window.
pub fn names(limits: &[Limit]) -> Vec<String> {
    let unit = |limit: &Limit| match limit.period.as_secs() {
        1 => "s".to_owned(),
        60 => "min".to_owned(),
        3_600 => "h".to_owned(),
        86_400 => "day".to_owned(),
        secs => format!("{secs}s"),
    };
    limits
        .iter()
        .enumerate()
        .map(|(i, limit)| {
            let shared = limits
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && other.period == limit.period);
            if shared {
                format!("{}-{}", unit(limit), i + 1)
            } else {
                unit(limit)
            }
        })
        .collect()
}

/// `RateLimit-Policy`'s value.
pub fn policy(limits: &[Limit]) -> String {
    names(limits)
        .iter()
        .zip(limits)
        .map(|(name, limit)| {
            format!(
                "\"{name}\";q={};w={}",
                limit.requests,
                limit.period.as_secs()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Requests left in `limit` when its theoretical arrival time is `horizon` ahead of now.
pub fn remaining(limit: Limit, horizon: Duration) -> u64 {
    let left = limit.period.saturating_sub(horizon).as_nanos();
    let fits = left / limit.interval().as_nanos().max(1);
    u64::try_from(fits)
        .unwrap_or(u64::MAX)
        .min(u64::from(limit.requests))
}

/// Whole seconds, rounded up: a client waiting that long never comes back too early.
pub fn seconds_up(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// `RateLimit`'s value: the limit with the fewest requests left (on a tie, the one whose quota
/// takes longest to come back).
pub fn current(limits: &[Limit], names: &[String], standing: &Standing) -> Option<String> {
    limits
        .iter()
        .zip(names)
        .zip(&standing.horizons)
        .map(|((&limit, name), &horizon)| (name, remaining(limit, horizon), seconds_up(horizon)))
        .min_by_key(|&(_, r, t)| (r, Reverse(t)))
        .map(|(name, r, t)| format!("\"{name}\";r={r};t={t}"))
}

/// Copies the headers a charge left in the request onto its response, whatever its status.
pub async fn add_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let mut response = next.call(req).await?;
    let headers = response
        .request()
        .extensions()
        .get::<RateLimitHeaders>()
        .cloned();
    if let Some(RateLimitHeaders { policy, current }) = headers {
        let map = response.headers_mut();
        map.insert(RATELIMIT_POLICY, policy);
        map.insert(RATELIMIT, current);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Vec<Limit> {
        vec![
            Limit::per_minute(10),
            Limit::per_hour(50),
            Limit::per_day(250),
        ]
    }

    #[test]
    fn the_policy_lists_every_limit_by_its_window() {
        assert_eq!(
            policy(&defaults()),
            r#""min";q=10;w=60, "h";q=50;w=3600, "day";q=250;w=86400"#
        );
        let odd = [
            Limit::per_minute(3),
            Limit::per_minute(5),
            Limit {
                requests: 2,
                period: Duration::from_secs(90),
            },
        ];
        assert_eq!(
            policy(&odd),
            r#""min-1";q=3;w=60, "min-2";q=5;w=60, "90s";q=2;w=90"#
        );
    }

    #[test]
    fn remaining_counts_whole_requests_left_in_the_window() {
        let minute = Limit::per_minute(10);
        assert_eq!(remaining(minute, Duration::ZERO), 10);
        assert_eq!(remaining(minute, Duration::from_secs(6)), 9);
        // Half an interval refilled is not one more request yet.
        assert_eq!(remaining(minute, Duration::from_secs(9)), 8);
        assert_eq!(remaining(minute, Duration::from_secs(60)), 0);
        // A limit that does not divide its window in whole milliseconds: 7 an hour is one
        // every 514,285 ms, and one charge leaves six.
        let hour = Limit::per_hour(7);
        assert_eq!(remaining(hour, hour.interval()), 6);
        assert_eq!(remaining(hour, hour.interval() * 7), 0);
    }

    #[test]
    fn the_current_limit_is_the_one_closest_to_exhaustion() {
        let limits = defaults();
        let names = names(&limits);
        // Ten requests in a row: the minute is used up, the hour has 40 left.
        let standing = Standing {
            horizons: vec![
                Duration::from_secs(60),
                Duration::from_secs(720),
                Duration::from_secs(3_456),
            ],
            wait: Duration::from_secs(6),
        };
        assert_eq!(
            current(&limits, &names, &standing).as_deref(),
            Some(r#""min";r=0;t=60"#)
        );
        // A fresh client: every quota whole, the minute the smallest.
        let fresh = Standing {
            horizons: vec![Duration::ZERO; 3],
            wait: Duration::ZERO,
        };
        assert_eq!(
            current(&limits, &names, &fresh).as_deref(),
            Some(r#""min";r=10;t=0"#)
        );
        // Part of a second rounds up.
        let partial = Standing {
            horizons: vec![
                Duration::from_millis(5_500),
                Duration::from_secs(3_600),
                Duration::ZERO,
            ],
            wait: Duration::ZERO,
        };
        assert_eq!(
            current(&limits, &names, &partial).as_deref(),
            Some(r#""h";r=0;t=3600"#)
        );
        assert_eq!(current(&[], &[], &Standing::default()), None);
    }
}
