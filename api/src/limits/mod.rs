//! Per-client request limits: who the client is (its real IP behind trusted proxies), how many
//! requests of each feature it may make per minute, hour and day, where that is counted (this
//! process, or Redis for every replica), and the headers that tell the client where it stands.

mod backend;
mod charge;
mod client_ip;
mod cloudflare;
pub mod headers;
mod quota;
mod shared;

pub use backend::QuotaBackend;
pub use charge::{ADMIN_FAILURES_PER_MINUTE, Limits};
pub use headers::add_headers;

pub use client_ip::{ClientIp, TrustedProxies, TrustedProxiesError, forwarded_for};
pub use quota::{Denied, Feature, Limit, RateLimiter, Standing};
