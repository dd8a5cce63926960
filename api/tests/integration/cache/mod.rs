//! The caches against real servers.

mod redis;
