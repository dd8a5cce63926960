//! Per-client limits, charged by the handlers of the expensive features, and the lock-out of
//! clients that keep failing the admin routes' `Authorization`.

use std::net::IpAddr;

use actix_web::http::header::HeaderValue;
use actix_web::{HttpMessage, HttpRequest};

use super::headers::{self, RateLimitHeaders};
use super::{
    ClientIp, Denied, Feature, Limit, QuotaBackend, RateLimiter, TrustedProxies, forwarded_for,
};

/// Failed admin attempts a client may make a minute (a burst of them, then one every 12 s).
pub const ADMIN_FAILURES_PER_MINUTE: u32 = 5;

/// The limiter and whose `X-Forwarded-For` to believe, as app data.
#[derive(Debug)]
pub struct Limits {
    quotas: QuotaBackend,
    pub proxies: TrustedProxies,
    /// The policies' names and `RateLimit-Policy`, the same for every response.
    names: Vec<String>,
    policy: Option<HeaderValue>,
    /// Failed admin attempts per client: its own limiter, so it is never relaxed with
    /// `RATE_LIMITS`.
    admin_failures: RateLimiter,
}

impl Limits {
    pub fn new(quotas: QuotaBackend, proxies: TrustedProxies) -> Self {
        let limits = quotas.limits();
        let policy = (!limits.is_empty())
            .then(|| HeaderValue::from_str(&headers::policy(limits)).ok())
            .flatten();
        Self {
            names: headers::names(limits),
            policy,
            quotas,
            proxies,
            admin_failures: RateLimiter::new(vec![Limit::per_minute(ADMIN_FAILURES_PER_MINUTE)]),
        }
    }

    /// Charges one request of `feature` to the request's real client (the handlers turn a
    /// denial into a `rate_limited` problem), and leaves the rate-limit headers for the response
    /// in the request (`headers::add_headers` puts them on, whatever the response).
    pub async fn charge(&self, req: &HttpRequest, feature: Feature) -> Result<(), Denied> {
        let Some(client) = self.client(req) else {
            return Ok(());
        };
        let standing = self.quotas.charge(client, feature).await;
        let current = headers::current(self.quotas.limits(), &self.names, &standing)
            .and_then(|value| HeaderValue::from_str(&value).ok());
        if let (Some(policy), Some(current)) = (&self.policy, current) {
            req.extensions_mut().insert(RateLimitHeaders {
                policy: policy.clone(),
                current,
            });
        }
        standing.verdict()
    }

    /// Refuses a client that used up its failed admin attempts, whatever token it sends now:
    /// while it is locked out a right guess looks like a wrong one, so guessing gains nothing.
    pub fn admin_locked(&self, req: &HttpRequest) -> Result<(), Denied> {
        match self.client(req) {
            Some(client) => self.admin_failures.peek(client, Feature::FailedAdminAuth),
            None => Ok(()),
        }
    }

    /// Counts a failed admin attempt against the request's client.
    pub fn admin_failed(&self, req: &HttpRequest) {
        if let Some(client) = self.client(req) {
            // A denial here only means the client is (still) locked out: nothing more to do.
            let _ = self.admin_failures.check(client, Feature::FailedAdminAuth);
        }
    }

    /// The request's real client as a limiter key. No peer address only happens in unit tests'
    /// synthetic requests: nobody to charge.
    fn client(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?;
        let forwarded = forwarded_for(req.headers());
        Some(ClientIp::resolve(peer.ip(), forwarded.as_deref(), &self.proxies).key())
    }
}
