//! Fetching a feed to import: http(s) only, bounded in time, size and redirects, and never from
//! a private, loopback or link-local address unless the settings allow it. Every address a
//! name resolves to is checked when podpub connects, so a redirect or a DNS answer cannot
//! lead it inside the network.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use reqwest::{
    dns::{Addrs, Name, Resolve, Resolving},
    header, redirect, StatusCode,
};
use url::{Host, Url};

use crate::config::Settings;
use crate::domain::{is_public, HttpUrl, UrlError};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The limits of one fetch.
#[derive(Debug, Clone)]
pub struct FetchLimits {
    pub max_bytes: usize,
    pub timeout: Duration,
    pub allow_private: bool,
}

impl FetchLimits {
    pub fn from_settings(settings: &Settings) -> FetchLimits {
        FetchLimits {
            max_bytes: settings.import_max_bytes,
            timeout: settings.import_timeout,
            allow_private: settings.import_allow_private,
        }
    }
}

/// A fetched feed and the URL it was finally fetched from.
#[derive(Debug)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub url: String,
}

/// Why a feed could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("the feed URL {0}")]
    InvalidUrl(UrlError),
    #[error("{0} is a private, loopback or link-local address; podpub does not fetch from those")]
    PrivateAddress(String),
    #[error("the feed is larger than {0} bytes")]
    TooLarge(usize),
    #[error("fetching the feed took longer than {0} s")]
    Timeout(u64),
    #[error("the feed URL redirects more than {MAX_REDIRECTS} times")]
    TooManyRedirects,
    #[error("the feed's server answered {0}")]
    Status(u16),
    #[error("the feed could not be fetched: {0}")]
    Unreachable(String),
}

impl FetchError {
    /// The stable error code the API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl(_) => "invalid_url",
            FetchError::PrivateAddress(_) => "private_address",
            FetchError::TooLarge(_) => "feed_too_large",
            FetchError::Timeout(_) => "fetch_timeout",
            FetchError::TooManyRedirects => "too_many_redirects",
            FetchError::Status(_) => "upstream_status",
            FetchError::Unreachable(_) => "fetch_failed",
        }
    }
}

/// Fetches `raw_url`, following up to [`MAX_REDIRECTS`] redirects.
pub async fn fetch(raw_url: &str, limits: &FetchLimits) -> Result<Fetched, FetchError> {
    let url = parse(raw_url)?;
    let client = client(limits, "feed import")?;
    let secs = limits.timeout.as_secs();
    tokio::time::timeout(limits.timeout, follow(&client, url, limits))
        .await
        .unwrap_or(Err(FetchError::Timeout(secs)))
}

/// Follows the redirects from `raw_url` without downloading anything, under the same guard,
/// until it reaches `target` (whatever the scheme: trackers may send apps to the http form) or
/// a response that is not a redirect. `None` when it reached `target`, else the URL it stopped
/// at. How podpub checks that an analytics prefix leads to the media.
pub async fn follow_to(
    raw_url: &str,
    target: &str,
    limits: &FetchLimits,
) -> Result<Option<String>, FetchError> {
    let (url, target) = (parse(raw_url)?, parse(target)?);
    let client = client(limits, "analytics prefix check")?;
    let secs = limits.timeout.as_secs();
    let walk = async {
        let bare = |u: &Url| {
            u.as_str()
                .split_once("://")
                .map(|(_, rest)| rest.to_string())
        };
        let mut url = url;
        for _ in 0..=MAX_REDIRECTS {
            if bare(&url) == bare(&target) {
                return Ok(None);
            }
            check_literal_host(&url, limits.allow_private)?;
            let mut response = client.head(url.clone()).send().await.map_err(send_error)?;
            if matches!(response.status().as_u16(), 405 | 501) {
                // No HEAD: a GET of the first byte, whose body is never read.
                let get = client.get(url.clone()).header(header::RANGE, "bytes=0-0");
                response = get.send().await.map_err(send_error)?;
            }
            match next_hop(&url, &response)? {
                Some(next) => url = next,
                None => return Ok(Some(url.to_string())),
            }
        }
        Err(FetchError::TooManyRedirects)
    };
    tokio::time::timeout(limits.timeout, walk)
        .await
        .unwrap_or(Err(FetchError::Timeout(secs)))
}

/// Opens `raw_url` to stream its body, following up to [`MAX_REDIRECTS`] redirects under the
/// same guard: the final response, once it answered 2xx. `limits.timeout` bounds the wait for
/// each answer's headers; the caller bounds the body (its size and stalls). How "copy media"
/// downloads files too large to hold in memory.
pub async fn open(
    raw_url: &str,
    limits: &FetchLimits,
    purpose: &str,
) -> Result<reqwest::Response, FetchError> {
    let mut url = parse(raw_url)?;
    let client = client(limits, purpose)?;
    let secs = limits.timeout.as_secs();
    for _ in 0..=MAX_REDIRECTS {
        check_literal_host(&url, limits.allow_private)?;
        let send = client.get(url.clone()).send();
        let response = tokio::time::timeout(limits.timeout, send)
            .await
            .map_err(|_| FetchError::Timeout(secs))?
            .map_err(send_error)?;
        match next_hop(&url, &response)? {
            Some(next) => url = next,
            None if response.status().is_success() => return Ok(response),
            None => return Err(FetchError::Status(response.status().as_u16())),
        }
    }
    Err(FetchError::TooManyRedirects)
}

/// Where a redirect sends the client next (an http(s) URL), or `None` for any other response.
fn next_hop(url: &Url, response: &reqwest::Response) -> Result<Option<Url>, FetchError> {
    let status = response.status();
    if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
        return Ok(None);
    }
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .ok_or(FetchError::Status(status.as_u16()))?;
    let next = url
        .join(location.trim())
        .map_err(|_| FetchError::InvalidUrl(UrlError::Invalid))?;
    HttpUrl::parse(next.as_str()).map_err(FetchError::InvalidUrl)?;
    Ok(Some(next))
}

fn parse(raw_url: &str) -> Result<Url, FetchError> {
    let url = HttpUrl::parse(raw_url).map_err(FetchError::InvalidUrl)?;
    Url::parse(url.as_str()).map_err(|_| FetchError::InvalidUrl(UrlError::Invalid))
}

/// A client that connects only where the guard allows, and follows no redirect by itself.
fn client(limits: &FetchLimits, purpose: &str) -> Result<reqwest::Client, FetchError> {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .no_proxy()
        .connect_timeout(CONNECT_TIMEOUT)
        .dns_resolver(Arc::new(Guard {
            allow_private: limits.allow_private,
        }))
        .user_agent(format!("podpub/{} ({purpose})", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| FetchError::Unreachable(e.to_string()))
}

async fn follow(
    client: &reqwest::Client,
    mut url: Url,
    limits: &FetchLimits,
) -> Result<Fetched, FetchError> {
    let mut redirects = 0;
    loop {
        check_literal_host(&url, limits.allow_private)?;
        let response = client
            .get(url.clone())
            .header(
                header::ACCEPT,
                "application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
            )
            .send()
            .await
            .map_err(send_error)?;
        if let Some(next) = next_hop(&url, &response)? {
            redirects += 1;
            if redirects > MAX_REDIRECTS {
                return Err(FetchError::TooManyRedirects);
            }
            url = next;
            continue;
        }
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::Status(status.as_u16()));
        }
        let bytes = read_body(response, limits.max_bytes).await?;
        return Ok(Fetched {
            bytes,
            url: url.to_string(),
        });
    }
}

/// Reads the body a chunk at a time, stopping as soon as it is over `max` bytes.
async fn read_body(mut response: reqwest::Response, max: usize) -> Result<Vec<u8>, FetchError> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(FetchError::TooLarge(max));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(send_error)? {
        if body.len() + chunk.len() > max {
            return Err(FetchError::TooLarge(max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn send_error(err: reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<Refused>() {
            return FetchError::PrivateAddress(refused.0.clone());
        }
        source = e.source();
    }
    let mut message = err.to_string();
    let mut cause = std::error::Error::source(&err);
    while let Some(e) = cause {
        message = format!("{message}: {e}");
        cause = e.source();
    }
    FetchError::Unreachable(message)
}

/// Hosts written as addresses are never resolved, so they are checked here.
fn check_literal_host(url: &Url, allow_private: bool) -> Result<(), FetchError> {
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if !allow_private && !is_public(ip) {
        return Err(FetchError::PrivateAddress(ip.to_string()));
    }
    Ok(())
}

/// A name that resolved to an address podpub will not connect to.
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} resolves to a private address", self.0)
    }
}

impl std::error::Error for Refused {}

/// Resolves names with the system resolver and refuses private answers.
struct Guard {
    allow_private: bool,
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private && addrs.iter().any(|a| !is_public(a.ip())) {
                return Err(Box::new(Refused(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bad_urls_and_private_hosts_are_refused_before_any_request() {
        let limits = FetchLimits {
            max_bytes: 1024,
            timeout: Duration::from_secs(5),
            allow_private: false,
        };
        let err = fetch("ftp://example.com/feed", &limits).await.unwrap_err();
        assert_eq!(err, FetchError::InvalidUrl(UrlError::Scheme));
        let err = fetch("http://169.254.169.254/latest", &limits)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "private_address");
        let err = fetch("http://localhost:9/feed", &limits).await.unwrap_err();
        assert_eq!(err.code(), "private_address", "{err}");
    }
}
