//! Per-client limits, charged by the handlers of the expensive features.

use actix_web::HttpRequest;

use crate::http::ApiError;
use crate::limits::{ClientIp, Feature, RateLimiter, TrustedProxies, forwarded_for};

/// The limiter and whose `X-Forwarded-For` to believe, as app data.
#[derive(Debug)]
pub struct Limits {
    pub limiter: RateLimiter,
    pub proxies: TrustedProxies,
}

impl Limits {
    /// Charges one request of `feature` to the request's real client.
    pub fn charge(&self, req: &HttpRequest, feature: Feature) -> Result<(), ApiError> {
        // No peer address only happens in unit tests' synthetic requests: nobody to charge.
        let Some(peer) = req.peer_addr() else {
            return Ok(());
        };
        let forwarded = forwarded_for(req.headers());
        let client = ClientIp::resolve(peer.ip(), forwarded.as_deref(), &self.proxies);
        self.limiter
            .check(client.key(), feature)
            .map_err(|denied| ApiError::RateLimited {
                retry_after: denied.retry_after,
            })
    }
}
