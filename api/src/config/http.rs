//! The HTTP part of the configuration, parsed by clap and handed as is to
//! `http::Application::build`.

use std::net::{Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use super::AllowedOrigins;
use super::parse;

#[derive(Debug, Clone, clap::Args)]
pub struct HttpSettings {
    #[command(flatten)]
    pub bind_addr: BindAddr,
    /// Comma-separated origins a browser may call the API from (`https://app.example.com`), or `*`
    /// [default: none; http(s)://localhost, 127.0.0.1 and [::1] on any port when bound to a
    /// loopback address].
    #[arg(
        long = "cors-allowed-origins",
        env = "CORS_ALLOWED_ORIGINS",
        value_name = "CORS_ALLOWED_ORIGINS",
        value_parser = AllowedOrigins::parse
    )]
    pub allowed_origins: Option<AllowedOrigins>,
    /// Deadline of one request (`120s`, `2m`); past it the client gets 504 and the work is dropped.
    #[arg(long, env = "REQUEST_TIMEOUT", default_value = "120s", value_parser = parse::parse_duration)]
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes or with a KiB/MiB suffix.
    #[arg(long, env = "BODY_LIMIT", default_value = "256KiB", value_parser = parse::byte_size)]
    pub body_limit: usize,
    /// Worker threads; actix's default (one per physical core) when `None`. Not a setting: tests
    /// pin it.
    #[arg(skip)]
    pub workers: Option<usize>,
}

impl HttpSettings {
    /// `CORS_ALLOWED_ORIGINS`, or its default for where the server listens: a server on loopback
    /// is a developer's, whose front end runs on localhost at some port; anywhere else no browser
    /// origin is let in until one is named.
    pub fn allowed_origins(&self) -> AllowedOrigins {
        self.allowed_origins.clone().unwrap_or_else(|| {
            if self.bind_addr.socket_addr().ip().is_loopback() {
                AllowedOrigins::Loopback
            } else {
                AllowedOrigins::Only(Vec::new())
            }
        })
    }
}

/// Where to listen: `BIND_ADDR` wins; otherwise `PORT` (set by hosting platforms, which route to
/// every interface); otherwise the loopback default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct BindAddr {
    /// Address to listen on [default: 127.0.0.1:8080, or 0.0.0.0:$PORT when PORT is set].
    #[arg(long = "bind-addr", env = "BIND_ADDR", value_name = "BIND_ADDR", value_parser = parse::socket_addr)]
    pub address: Option<SocketAddr>,
    /// Port set by platforms such as Render; used (on 0.0.0.0) only when BIND_ADDR is not set.
    #[arg(long, env = "PORT", value_parser = parse::port)]
    pub port: Option<u16>,
}

impl BindAddr {
    pub fn socket_addr(&self) -> SocketAddr {
        match (self.address, self.port) {
            (Some(address), _) => address,
            (None, Some(port)) => SocketAddr::from((Ipv4Addr::UNSPECIFIED, port)),
            (None, None) => SocketAddr::from(([127, 0, 0, 1], 8080)),
        }
    }
}

/// An address given outright (tests bind `127.0.0.1:0`).
impl From<SocketAddr> for BindAddr {
    fn from(address: SocketAddr) -> Self {
        Self {
            address: Some(address),
            port: None,
        }
    }
}

impl FromStr for BindAddr {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        parse::socket_addr(raw).map(Self::from)
    }
}
