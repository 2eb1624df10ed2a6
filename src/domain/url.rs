//! URLs that podcast apps will follow: absolute http(s) only.

use std::net::{IpAddr, Ipv4Addr};

use url::{Host, Url};

/// Why a URL was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    Invalid,
    Scheme,
    TooLong,
    Credentials,
    PrivateAddress,
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UrlError::Invalid => "must be an absolute URL",
            UrlError::Scheme => "must be an http or https URL",
            UrlError::TooLong => "must be at most 2048 characters",
            UrlError::Credentials => "must not contain a user name or password",
            UrlError::PrivateAddress => "must not point to a private or loopback address",
        })
    }
}

/// An absolute `http` or `https` URL of at most 2048 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl(Url);

impl HttpUrl {
    /// Parses a URL that will be published in a feed.
    pub fn parse(raw: &str) -> Result<HttpUrl, UrlError> {
        let raw = raw.trim();
        if raw.len() > super::limits::URL {
            return Err(UrlError::TooLong);
        }
        if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(UrlError::Invalid);
        }
        let url = Url::parse(raw).map_err(|_| UrlError::Invalid)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlError::Scheme);
        }
        if url.host().is_none() {
            return Err(UrlError::Invalid);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Credentials);
        }
        Ok(HttpUrl(url))
    }

    /// Parses a URL that podpub itself will fetch: also refuses private and loopback hosts.
    pub fn parse_public(raw: &str) -> Result<HttpUrl, UrlError> {
        let url = Self::parse(raw)?;
        let private = match url.0.host() {
            Some(Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
            Some(Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
            None => true,
        };
        if private {
            return Err(UrlError::PrivateAddress);
        }
        Ok(url)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Whether podpub may connect to `ip` on a user's behalf: a globally routable unicast address.
/// The one public-address policy: URLs podpub will fetch and the addresses their names resolve
/// to are both held to it.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (18..20).contains(&b)))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address.
            let embedded = |hi: u16, lo: u16| {
                let [a, b] = hi.to_be_bytes();
                let [c, d] = lo.to_be_bytes();
                is_public(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
            };
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return embedded(s[6], s[7]);
            }
            if s[0] == 0x2002 {
                return embedded(s[1], s[2]);
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || s[..6] == [0, 0, 0, 0, 0, 0])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_are_accepted() {
        assert!(HttpUrl::parse("https://cdn.example.com/ep1.mp3?x=1").is_ok());
        assert_eq!(HttpUrl::parse("javascript:alert(1)"), Err(UrlError::Scheme));
        assert_eq!(HttpUrl::parse("/relative.mp3"), Err(UrlError::Invalid));
        assert_eq!(HttpUrl::parse("ftp://x/y"), Err(UrlError::Scheme));
        assert_eq!(
            HttpUrl::parse("https://u:p@x/y"),
            Err(UrlError::Credentials)
        );
        assert_eq!(HttpUrl::parse("https://x/a\u{0}b"), Err(UrlError::Invalid));
    }

    #[test]
    fn fetched_urls_must_be_public() {
        for bad in [
            "http://127.0.0.1/",
            "http://10.1.2.3/",
            "http://[::1]/",
            "http://localhost/",
        ] {
            assert_eq!(
                HttpUrl::parse_public(bad),
                Err(UrlError::PrivateAddress),
                "{bad}"
            );
        }
        assert!(HttpUrl::parse_public("https://feeds.example.com/rss").is_ok());
        // Multicast and documentation ranges are no more fetchable than private ones.
        for bad in [
            "http://224.0.0.1/",
            "http://[ff02::1]/",
            "http://192.0.2.7/",
        ] {
            assert_eq!(
                HttpUrl::parse_public(bad),
                Err(UrlError::PrivateAddress),
                "{bad}"
            );
        }
    }

    #[test]
    fn only_public_unicast_addresses_are_fetched_from() {
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "64:ff9b::a00:1",
            "2002:c0a8:101::1",
            "::127.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700::1111",
            "64:ff9b::5db8:d822",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
