//! Per-client limits, charged by the handlers of the expensive features.

use actix_web::HttpRequest;

use super::{ClientIp, Denied, Feature, RateLimiter, TrustedProxies, forwarded_for};

/// The limiter and whose `X-Forwarded-For` to believe, as app data.
#[derive(Debug)]
pub struct Limits {
    pub limiter: RateLimiter,
    pub proxies: TrustedProxies,
}

impl Limits {
    /// Charges one request of `feature` to the request's real client (the handlers turn a
    /// denial into a `rate_limited` problem).
    pub fn charge(&self, req: &HttpRequest, feature: Feature) -> Result<(), Denied> {
        // No peer address only happens in unit tests' synthetic requests: nobody to charge.
        let Some(peer) = req.peer_addr() else {
            return Ok(());
        };
        let forwarded = forwarded_for(req.headers());
        let client = ClientIp::resolve(peer.ip(), forwarded.as_deref(), &self.proxies);
        self.limiter.check(client.key(), feature)
    }
}
