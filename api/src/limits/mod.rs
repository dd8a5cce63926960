//! Per-client request limits: who the client is (its real IP behind trusted proxies) and how many
//! requests of each feature it may make per minute, hour and day.

mod charge;
mod client_ip;
mod cloudflare;
mod quota;

pub use charge::{ADMIN_FAILURES_PER_MINUTE, Limits};

pub use client_ip::{ClientIp, TrustedProxies, TrustedProxiesError, forwarded_for};
pub use quota::{Denied, Feature, Limit, RateLimiter};
