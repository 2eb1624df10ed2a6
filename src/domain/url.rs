//! URLs that podcast apps will follow: absolute http(s) only.

use std::net::IpAddr;

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
        if raw.len() > 2048 {
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
            Some(Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
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

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private(IpAddr::V4(v4)))
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
    }
}
