//! The kinds of value a setting may hold beyond numbers and text, each with its parser.

use std::path::PathBuf;

use super::declare::{Parsed, RawSetting};

/// Where feeds are published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishTarget {
    /// A local directory served by `podpub edge`.
    Dir(PathBuf),
    /// An S3 bucket and key prefix (no leading or trailing slash).
    S3 { bucket: String, prefix: String },
}

impl PublishTarget {
    /// Names the store: the same name means the same objects. An S3 bucket is named with its
    /// endpoint, since a bucket of that name elsewhere is another store.
    pub fn identity(&self, aws_endpoint_url: Option<&str>) -> String {
        match self {
            PublishTarget::Dir(dir) => {
                let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
                format!("file://{}", dir.display())
            }
            PublishTarget::S3 { bucket, prefix } => match aws_endpoint_url {
                Some(endpoint) => format!("s3://{bucket}/{prefix} at {endpoint}"),
                None => format!("s3://{bucket}/{prefix}"),
            },
        }
    }

    /// `file://DIR` or `s3://bucket[/prefix]`.
    pub(super) fn parse(v: &RawSetting) -> Parsed<PublishTarget> {
        let raw = v.required()?;
        if let Some(path) = raw.strip_prefix("file://") {
            if path.is_empty() {
                return Err(v.problem("needs a directory after file://"));
            }
            return Ok(PublishTarget::Dir(PathBuf::from(path)));
        }
        if let Some(rest) = raw.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let valid_bucket = (3..=63).contains(&bucket.len())
                && bucket.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
                });
            if !valid_bucket {
                return Err(v.problem(format!("has an invalid bucket name {bucket:?}")));
            }
            return Ok(PublishTarget::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
            });
        }
        Err(v.problem(format!("must start with file:// or s3:// (got {raw:?})")))
    }
}

/// When the web UI's cookies carry `Secure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecureCookies {
    /// When the request came over https, as a proxy says in `X-Forwarded-Proto`.
    Auto,
    Always,
    Never,
}

impl SecureCookies {
    /// `auto`, or yes or no in any case.
    pub(super) fn parse(v: &RawSetting) -> Parsed<SecureCookies> {
        match v.required()?.to_ascii_lowercase().as_str() {
            "auto" => Ok(SecureCookies::Auto),
            "true" | "1" | "yes" | "on" => Ok(SecureCookies::Always),
            "false" | "0" | "no" | "off" => Ok(SecureCookies::Never),
            other => Err(v.problem(format!("must be auto, true or false (got {other:?})"))),
        }
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    /// `text` or `json`.
    pub(super) fn parse(v: &RawSetting) -> Parsed<LogFormat> {
        match v.required()? {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err(v.problem("must be `text` or `json`")),
        }
    }
}
