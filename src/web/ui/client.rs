//! The client's address, for sign-in throttling: the peer, or behind a trusted proxy the
//! address that proxy reports.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};

use crate::web::AppState;

/// The client's address, for login throttling: the peer, or behind a trusted proxy
/// (PODPUB_TRUSTED_PROXIES) the address that proxy reports in `X-Forwarded-For`.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        let client =
            peer.map(|peer| client_ip(peer, forwarded, &state.app.settings.trusted_proxies));
        Ok(ClientAddr(
            client.map_or_else(|| "unknown".into(), |ip| ip.to_string()),
        ))
    }
}

/// Walks `X-Forwarded-For` from the right while the hop it came from is a trusted proxy: the
/// first address not vouched for by one is the client. Entries a client wrote itself sit to
/// the left of what the proxies appended, so they are never reached.
fn client_ip<'a>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let hops: Vec<&str> = forwarded
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(ip) => client = ip,
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<ipnet::IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn the_client_is_the_first_address_no_trusted_proxy_vouches_for() {
        let lb = nets(&["10.0.0.0/8"]);
        let from = |peer: &str, xff: &[&str], trusted: &[ipnet::IpNet]| {
            client_ip(ip(peer), xff.iter().copied(), trusted)
        };
        assert_eq!(
            from("10.0.0.5", &["203.0.113.9"], &[]),
            ip("10.0.0.5"),
            "no trust"
        );
        assert_eq!(from("10.0.0.5", &["203.0.113.9"], &lb), ip("203.0.113.9"));
        assert_eq!(
            from("198.51.100.1", &["203.0.113.9"], &lb),
            ip("198.51.100.1"),
            "a peer that is no proxy can't name another client"
        );
        assert_eq!(
            from("10.0.0.5", &["1.2.3.4, 203.0.113.9, 10.0.0.7"], &lb),
            ip("203.0.113.9"),
            "two proxies; the client's own 1.2.3.4 is never reached"
        );
        assert_eq!(
            from("10.0.0.5", &["1.2.3.4", "203.0.113.9"], &lb),
            ip("203.0.113.9"),
            "repeated headers read as one list"
        );
        assert_eq!(from("10.0.0.5", &["junk"], &lb), ip("10.0.0.5"));
        assert_eq!(from("10.0.0.5", &[], &lb), ip("10.0.0.5"));
    }
}
