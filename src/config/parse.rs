//! Parsers of the table: each makes a field from its variables' values, or says what is wrong.

use std::{fmt, net::SocketAddr, ops::RangeInclusive, str::FromStr, time::Duration};

use ipnet::IpNet;
use secrecy::SecretString;
use url::Url;

use super::declare::{Parsed, Problems, RawSetting};

/// Text as it was set.
pub(super) fn text(v: &RawSetting) -> Parsed<String> {
    v.required().map(str::to_string)
}

/// `None` when unset, else what `parse` makes of the value.
pub(super) fn optional<T>(
    parse: impl Fn(&RawSetting) -> Parsed<T>,
) -> impl Fn(&RawSetting) -> Parsed<Option<T>> {
    move |v| match v.raw {
        None => Ok(None),
        Some(_) => parse(v).map(Some),
    }
}

/// A whole number within `range`.
pub(super) fn number<T>(range: RangeInclusive<T>) -> impl Fn(&RawSetting) -> Parsed<T>
where
    T: FromStr + PartialOrd + fmt::Display,
{
    move |v| {
        let raw = v.required()?;
        match raw.parse::<T>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(v.problem(format!(
                "must be a number from {} to {} (got {raw:?})",
                range.start(),
                range.end()
            ))),
        }
    }
}

/// A duration in milliseconds, within `range`.
pub(super) fn millis(range: RangeInclusive<u64>) -> impl Fn(&RawSetting) -> Parsed<Duration> {
    let number = number(range);
    move |v| number(v).map(Duration::from_millis)
}

/// A duration in seconds, within `range`.
pub(super) fn secs(range: RangeInclusive<u64>) -> impl Fn(&RawSetting) -> Parsed<Duration> {
    let number = number(range);
    move |v| number(v).map(Duration::from_secs)
}

/// A duration in days, within `range`.
pub(super) fn days(range: RangeInclusive<u64>) -> impl Fn(&RawSetting) -> Parsed<Duration> {
    let number = number(range);
    move |v| number(v).map(|days| Duration::from_secs(86_400 * days))
}

/// Yes or no, in any case.
pub(super) fn flag(v: &RawSetting) -> Parsed<bool> {
    match v.required()?.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        other => Err(v.problem(format!("must be true or false (got {other:?})"))),
    }
}

/// A socket address; `example` is shown when it is not one.
pub(super) fn addr(example: &'static str) -> impl Fn(&RawSetting) -> Parsed<SocketAddr> {
    move |v| {
        let raw = v.required()?;
        raw.parse()
            .map_err(|_| v.problem(format!("must be an address like {example} (got {raw:?})")))
    }
}

/// The database's URL, kept secret; empty when unset (commands that need it check that first).
pub(super) fn postgres_url(v: &RawSetting) -> Parsed<SecretString> {
    match v.raw.as_deref() {
        None => Ok(SecretString::from("")),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(SecretString::from(url))
        }
        Some(_) => Err(v.problem("must be a postgres:// URL")),
    }
}

/// An absolute http(s) URL, as written.
pub(super) fn http_url(v: &RawSetting) -> Parsed<String> {
    checked_http_url(v, v.required()?)
}

/// A comma-separated list of absolute http(s) URLs; each bad one is a problem.
pub(super) fn http_urls(v: &RawSetting) -> Parsed<Vec<String>> {
    list(v, |part| checked_http_url(v, part))
}

fn checked_http_url(v: &RawSetting, raw: &str) -> Parsed<String> {
    match Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(raw.to_string())
        }
        _ => Err(v.problem(format!("must be an absolute http(s) URL (got {raw:?})"))),
    }
}

/// The feed objects' media type, one of those podcast apps and directories read as RSS, with
/// `; charset=utf-8` added: the stored `Content-Type`.
pub(super) fn feed_content_type(v: &RawSetting) -> Parsed<String> {
    let raw = v.required()?;
    let kind = raw.trim().to_ascii_lowercase();
    match kind.as_str() {
        "application/rss+xml" | "application/xml" | "text/xml" => {
            Ok(format!("{kind}; charset=utf-8"))
        }
        _ => Err(v.problem(format!(
            "must be application/rss+xml, application/xml or text/xml (got {raw:?})"
        ))),
    }
}

/// The CDN's base URL: absolute http(s) without a query, and without its trailing slash.
pub(super) fn base_url(v: &RawSetting) -> Parsed<String> {
    let raw = v.required()?;
    match Url::parse(raw) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url.host().is_some()
                && url.query().is_none() =>
        {
            Ok(raw.trim_end_matches('/').to_string())
        }
        _ => Err(v.problem(format!("must be an absolute http(s) URL (got {raw:?})"))),
    }
}

/// A CloudFront distribution id (like `E2QWRUHAPOMQZL`): people paste the domain instead.
pub(super) fn distribution_id(v: &RawSetting) -> Parsed<String> {
    let id = v.required()?;
    let valid = id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !valid {
        return Err(v.problem(format!(
            "must be a distribution id like E2QWRUHAPOMQZL, not a domain name (got {id:?})"
        )));
    }
    Ok(id.to_string())
}

/// A comma-separated list of addresses and networks (`10.0.0.0/8, 192.0.2.7`); none when unset.
pub(super) fn networks(v: &RawSetting) -> Parsed<Vec<IpNet>> {
    list(v, |part| {
        part.parse::<IpNet>()
            .or_else(|_| part.parse::<std::net::IpAddr>().map(IpNet::from))
            .map_err(|_| {
                v.problem(format!(
                    "must list addresses or networks like 10.0.0.0/8 (got {part:?})"
                ))
            })
    })
}

/// A secret such as a bearer token: 16 characters or more, none of them blank or a control.
pub(super) fn secret(v: &RawSetting) -> Parsed<SecretString> {
    let raw = v.required()?;
    if raw.chars().count() < 16 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(v.problem("must be 16 characters or more, without spaces"));
    }
    Ok(SecretString::from(raw))
}

/// A Podping endpoint and its token: both or neither.
pub(super) fn podping(
    url: &RawSetting,
    token: &RawSetting,
) -> Parsed<Option<(String, SecretString)>> {
    match (&url.raw, &token.raw) {
        (None, None) => Ok(None),
        (Some(_), Some(secret)) => Ok(Some((http_url(url)?, secret.as_str().into()))),
        (Some(_), None) => Err(token.problem(format!("is needed with {}", url.name))),
        (None, Some(_)) => Err(url.problem(format!("is needed with {}", token.name))),
    }
}

/// The items of a comma-separated list (blanks skipped), with a problem for each bad one.
fn list<T>(v: &RawSetting, item: impl Fn(&str) -> Parsed<T>) -> Parsed<Vec<T>> {
    let raw = v.raw.as_deref().unwrap_or_default();
    let mut problems = Problems::default();
    let items: Vec<T> = raw
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .filter_map(|part| problems.take(item(part)))
        .collect();
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}
