//! Private `redis-server` processes on free ports, for tests that take Redis away and bring it back.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reel::cache::RedisCache;

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A private redis-server, killed when dropped.
pub struct RedisServer(Child);

impl RedisServer {
    pub fn start(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (Debian package redis-server) must be on PATH");
        Self(child)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits for the server to accept commands (it needs a moment to start).
pub async fn until_reachable(cache: &RedisCache) {
    for _ in 0..200 {
        if cache.ping().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("redis-server did not come up");
}
