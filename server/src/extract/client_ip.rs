//! `ClientIp`: who is on the other end, for per-client limits. The socket peer, unless that peer is one of
//! `T2M_TRUSTED_PROXIES`; then the right-most `X-Forwarded-For` address no trusted proxy added.

use app::services::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The client's address as far as this server can trust it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let Some(peer) = peer else {
            // Only a router driven in-process (no socket) lacks the peer; all such callers share a bucket.
            return Ok(Self(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
        };
        Ok(Self(resolve(
            peer,
            &parts.headers,
            &state.config.abuse.trusted_proxies,
        )))
    }
}

/// Walks `X-Forwarded-For` from the right while each hop is a trusted proxy; the first address that is not
/// is the client. Anything to its left was written by the client itself and proves nothing.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = normalise(peer);
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A hop that is not an address means the chain is broken here: the last trusted hop is the answer.
        let Ok(ip) = hop.parse::<IpAddr>() else {
            break;
        };
        client = normalise(ip);
        if !is_trusted(&client) {
            break;
        }
    }
    client
}

/// IPv4 clients reaching a dual-stack socket appear as `::ffff:a.b.c.d`; count them as the IPv4 address.
fn normalise(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in xff {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn an_untrusted_peer_cannot_name_another_client() {
        let h = headers(&["1.2.3.4"]);
        assert_eq!(
            resolve(ip("203.0.113.9"), &h, &nets(&["10.0.0.0/8"])),
            ip("203.0.113.9")
        );
        assert_eq!(resolve(ip("127.0.0.1"), &h, &[]), ip("127.0.0.1"));
    }

    #[test]
    fn a_trusted_proxy_names_the_right_most_untrusted_hop() {
        let trusted = nets(&["10.0.0.0/8"]);
        let h = headers(&["6.6.6.6, 198.51.100.7", "10.0.0.2"]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &trusted), ip("198.51.100.7"));
    }

    #[test]
    fn a_chain_of_only_proxies_or_garbage_stops_at_the_last_trusted_hop() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(ip("10.0.0.1"), &headers(&[]), &trusted),
            ip("10.0.0.1")
        );
        let h = headers(&["1.1.1.1, junk, 10.0.0.3"]);
        assert_eq!(resolve(ip("10.0.0.1"), &h, &trusted), ip("10.0.0.3"));
        let mapped = headers(&["::ffff:192.0.2.1"]);
        assert_eq!(resolve(ip("10.0.0.1"), &mapped, &trusted), ip("192.0.2.1"));
    }
}
