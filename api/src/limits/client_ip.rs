//! The real client address behind load balancers. `X-Forwarded-For` is believed only as far as
//! it was written by proxies we trust: anyone else can put any address in it and pick their own
//! rate-limit key.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use actix_web::http::header::HeaderMap;

/// Addresses (single IPs or CIDR blocks) whose `X-Forwarded-For` entries are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    fn contains(self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_matches(
                u128::from(u32::from(net)),
                u128::from(u32::from(ip)),
                self.prefix,
                32,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_matches(u128::from(net), u128::from(ip), self.prefix, 128)
            }
            // An IPv4 client seen through an IPv6 socket arrives as ::ffff:a.b.c.d.
            (IpAddr::V4(_), IpAddr::V6(v6)) => v6
                .to_ipv4_mapped()
                .is_some_and(|v4| self.contains(IpAddr::V4(v4))),
            (IpAddr::V6(_), IpAddr::V4(_)) => false,
        }
    }
}

fn prefix_matches(net: u128, ip: u128, prefix: u8, bits: u8) -> bool {
    let host_bits = u32::from(bits - prefix);
    let mask = if host_bits >= 128 {
        0
    } else {
        u128::MAX << host_bits
    };
    (net ^ ip) & mask & (u128::MAX >> (128 - u32::from(bits))) == 0
}

/// Why a trusted-proxy entry was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an IP address or CIDR block (e.g. 10.0.0.0/8, ::1)")]
pub struct TrustedProxiesError(String);

impl FromStr for TrustedProxies {
    type Err = TrustedProxiesError;

    /// A comma-separated list; empty means no proxy is trusted.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        raw.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            // `cloudflare` stands for Cloudflare's published edge ranges.
            .flat_map(|entry| match entry {
                "cloudflare" => super::cloudflare::RANGES.to_vec(),
                entry => vec![entry],
            })
            .map(|entry| {
                let bad = || TrustedProxiesError(entry.to_owned());
                let (address, prefix) = match entry.split_once('/') {
                    Some((address, prefix)) => (address, Some(prefix)),
                    None => (entry, None),
                };
                let network: IpAddr = address.parse().map_err(|_| bad())?;
                let bits = if network.is_ipv4() { 32 } else { 128 };
                let prefix = match prefix {
                    Some(prefix) => prefix
                        .parse::<u8>()
                        .ok()
                        .filter(|&p| p <= bits)
                        .ok_or_else(bad)?,
                    None => bits,
                };
                Ok(Cidr { network, prefix })
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|cidr| cidr.contains(ip))
    }
}

/// Every `X-Forwarded-For` line of a request as one list, in order (RFC 9110 5.3: repeated
/// fields are one comma-separated list). Reading only the first line would read the one the
/// client wrote and skip what an appending proxy added below it. A line that is not text stays
/// in the list as an entry that is no address, so the walk stops there.
pub fn forwarded_for(headers: &HeaderMap) -> Option<String> {
    let lines: Vec<String> = headers
        .get_all("x-forwarded-for")
        .map(|line| String::from_utf8_lossy(line.as_bytes()).into_owned())
        .collect();
    (!lines.is_empty()).then(|| lines.join(", "))
}

/// The address a request is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The rate-limit key: an IPv4 address, or an IPv6 client's /64. One subscriber gets a whole
    /// /64 (often more), so keying by /128 would give each a few quintillion buckets; an IPv4
    /// client reached over an IPv6 socket (`::ffff:a.b.c.d`) is its IPv4 address.
    pub fn key(self) -> IpAddr {
        match self.0 {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
            },
        }
    }

    /// The peer itself, unless it is a trusted proxy: then the right-most `X-Forwarded-For`
    /// entry not written by a trusted proxy (each proxy appends the address it saw).
    pub fn resolve(peer: IpAddr, forwarded_for: Option<&str>, trusted: &TrustedProxies) -> Self {
        if !trusted.trusts(peer) {
            return Self(peer);
        }
        let hops = forwarded_for
            .unwrap_or_default()
            .rsplit(',')
            .map(str::trim)
            .filter(|hop| !hop.is_empty());
        let mut client = peer;
        for hop in hops {
            match hop_address(hop) {
                Some(ip) => {
                    client = ip;
                    if !trusted.trusts(ip) {
                        break;
                    }
                }
                // Garbage in the header: stop at the last address a trusted proxy vouched for.
                None => break,
            }
        }
        Self(client)
    }
}

/// An entry's address: `a.b.c.d`, `v6`, or with the port some proxies add (`a.b.c.d:port`,
/// `[v6]:port`, `[v6]`). Treating those as garbage would charge every client behind such a
/// proxy to the proxy, one bucket for all of them.
fn hop_address(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = hop.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    let bracketed = hop.strip_prefix('[')?.strip_suffix(']')?;
    bracketed.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(raw: &str) -> IpAddr {
        raw.parse().unwrap()
    }

    fn proxies(raw: &str) -> TrustedProxies {
        raw.parse().unwrap()
    }

    #[test]
    fn parses_addresses_and_blocks() {
        let trusted = proxies("10.0.0.0/8, 192.168.1.7, ::1, fd00::/8");
        assert!(trusted.trusts(ip("10.200.3.4")));
        assert!(trusted.trusts(ip("192.168.1.7")));
        assert!(!trusted.trusts(ip("192.168.1.8")));
        assert!(trusted.trusts(ip("::1")));
        assert!(trusted.trusts(ip("fd12::5")));
        assert!(!trusted.trusts(ip("fe80::1")));
        assert!(trusted.trusts(ip("::ffff:10.1.1.1")));
        assert!(proxies("").0.is_empty());
        assert!(proxies("0.0.0.0/0").trusts(ip("203.0.113.9")));
    }

    #[test]
    fn rejects_what_is_not_an_address() {
        for bad in [
            "10.0.0.0/33",
            "::/129",
            "example.com",
            "10.0.0/8",
            "1.2.3.4/x",
        ] {
            assert_eq!(
                bad.parse::<TrustedProxies>(),
                Err(TrustedProxiesError(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let client = ClientIp::resolve(
            ip("203.0.113.9"),
            Some("198.51.100.1"),
            &proxies("10.0.0.0/8"),
        );
        assert_eq!(client, ClientIp(ip("203.0.113.9")));
    }

    #[test]
    fn a_trusted_peer_names_the_right_most_untrusted_hop() {
        let trusted = proxies("10.0.0.0/8");
        // The client forged the first entry; our two proxies appended the rest.
        let header = "1.1.1.1, 198.51.100.7, 10.0.0.3";
        let client = ClientIp::resolve(ip("10.0.0.2"), Some(header), &trusted);
        assert_eq!(client, ClientIp(ip("198.51.100.7")));
    }

    /// On Render behind Cloudflare: the peer is Render's proxy, the last hop Cloudflare's edge.
    #[test]
    fn behind_render_and_cloudflare_both_hops_are_trusted() {
        let header = "198.51.100.7, 172.70.1.2";
        // Render's range alone stops at the edge: every user would share its key.
        let render_only = ClientIp::resolve(ip("10.1.2.3"), Some(header), &proxies("10.0.0.0/8"));
        assert_eq!(render_only, ClientIp(ip("172.70.1.2")));
        let both = proxies("10.0.0.0/8,cloudflare");
        let client = ClientIp::resolve(ip("10.1.2.3"), Some(header), &both);
        assert_eq!(client, ClientIp(ip("198.51.100.7")));
        let v6 = ClientIp::resolve(ip("10.1.2.3"), Some("2001:db8::7, 2606:4700::1"), &both);
        assert_eq!(v6, ClientIp(ip("2001:db8::7")));
        // A forged first entry is still not believed: only Cloudflare's own hop is.
        let forged = ClientIp::resolve(
            ip("10.1.2.3"),
            Some("1.1.1.1, 198.51.100.7, 172.70.1.2"),
            &both,
        );
        assert_eq!(forged, ClientIp(ip("198.51.100.7")));
        // Every published range parses.
        assert_eq!(
            proxies("cloudflare").0.len(),
            super::super::cloudflare::RANGES.len()
        );
    }

    #[test]
    fn a_trusted_peer_without_the_header_is_the_client() {
        let client = ClientIp::resolve(ip("10.0.0.2"), None, &proxies("10.0.0.0/8"));
        assert_eq!(client, ClientIp(ip("10.0.0.2")));
    }

    fn header_lines(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(
                actix_web::http::header::HeaderName::from_static("x-forwarded-for"),
                actix_web::http::header::HeaderValue::from_str(line).unwrap(),
            );
        }
        headers
    }

    #[test]
    fn every_forwarded_for_line_is_read_in_order() {
        // The client wrote the first line; the trusted proxy appended its own line below.
        let headers = header_lines(&["198.51.100.66", "203.0.113.9"]);
        let joined = forwarded_for(&headers);
        assert_eq!(joined.as_deref(), Some("198.51.100.66, 203.0.113.9"));
        let client = ClientIp::resolve(ip("10.0.0.2"), joined.as_deref(), &proxies("10.0.0.0/8"));
        assert_eq!(client, ClientIp(ip("203.0.113.9")));
        assert_eq!(forwarded_for(&HeaderMap::new()), None);
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let one = ClientIp(ip("2001:db8:1:2:aaaa::1")).key();
        let other = ClientIp(ip("2001:db8:1:2:ffff:1:2:3")).key();
        let neighbour = ClientIp(ip("2001:db8:1:3::1")).key();
        assert_eq!(one, other);
        assert_eq!(one, ip("2001:db8:1:2::"));
        assert_ne!(one, neighbour);
        assert_eq!(ClientIp(ip("203.0.113.9")).key(), ip("203.0.113.9"));
        // Not every IPv4 client in ::ffff:0:0/96's one /64.
        assert_eq!(ClientIp(ip("::ffff:203.0.113.9")).key(), ip("203.0.113.9"));
        assert_ne!(
            ClientIp(ip("::ffff:203.0.113.9")).key(),
            ClientIp(ip("::ffff:203.0.113.10")).key()
        );
    }

    #[test]
    fn ports_are_stripped_not_taken_for_garbage() {
        let trusted = proxies("10.0.0.0/8");
        for (entry, expected) in [
            ("203.0.113.9:41234", "203.0.113.9"),
            ("[2001:db8::7]:443", "2001:db8::7"),
            ("[2001:db8::7]", "2001:db8::7"),
        ] {
            let header = format!("{entry}, 10.0.0.3");
            let client = ClientIp::resolve(ip("10.0.0.2"), Some(&header), &trusted);
            assert_eq!(client, ClientIp(ip(expected)), "{entry}");
        }
        // Still garbage: a name, a port alone, an unclosed bracket.
        for entry in ["proxy.example", ":80", "[2001:db8::7", "1.2.3.4:99999"] {
            let header = format!("{entry}, 10.0.0.3");
            let client = ClientIp::resolve(ip("10.0.0.2"), Some(&header), &trusted);
            assert_eq!(client, ClientIp(ip("10.0.0.3")), "{entry}");
        }
    }

    #[test]
    fn garbage_stops_at_the_last_vouched_address() {
        let trusted = proxies("10.0.0.0/8");
        let client = ClientIp::resolve(ip("10.0.0.2"), Some("nonsense, 10.0.0.9"), &trusted);
        assert_eq!(client, ClientIp(ip("10.0.0.9")));
    }
}
