//! Settings: loaded once from an optional TOML file and the environment, validated at start.

use std::{collections::BTreeMap, fmt, net::SocketAddr, path::PathBuf, time::Duration};

use serde::Deserialize;
use url::Url;

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
}

/// Services told about changed feeds (each a retried job).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifySettings {
    /// WebSub hubs: named in every feed (`atom:link rel="hub"`) and pinged on each change.
    pub websub_hubs: Vec<String>,
    /// A Podping endpoint (like `https://podping.cloud/`) and its token.
    pub podping: Option<(String, String)>,
    /// Podcast Index's pubnotify endpoint.
    pub pubnotify_url: Option<String>,
}

/// When the web UI's cookies carry `Secure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecureCookies {
    /// When the request came over https, as a proxy says in `X-Forwarded-Proto`.
    Auto,
    Always,
    Never,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Every setting podpub reads. Secrets are redacted in `Debug`.
#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub pool_size: u32,
    pub acquire_timeout: Duration,
    pub listen: SocketAddr,
    pub edge_listen: SocketAddr,
    /// Where a `podpub worker` serves `/metrics` and `/healthz`; none by default.
    pub worker_metrics_listen: Option<SocketAddr>,
    /// Absolute base URL of the CDN, without a trailing slash.
    pub feed_base_url: String,
    pub publish: PublishTarget,
    pub cache_control: String,
    pub worker_concurrency: usize,
    pub poll_interval: Duration,
    pub job_lease: Duration,
    /// A job running longer than this is stopped and retried.
    pub job_time_limit: Duration,
    /// How long finished jobs and old refresh batches are kept before the worker deletes them.
    pub job_retention: Duration,
    pub max_attempts: i32,
    pub max_body_bytes: usize,
    /// A request still unanswered after this gets 503 with `Retry-After`.
    pub request_timeout: Duration,
    pub log_format: LogFormat,
    /// `AWS_ENDPOINT_URL`: an S3-compatible store instead of AWS (path-style addressing).
    pub aws_endpoint_url: Option<String>,
    /// CloudFront distribution whose cached copies of changed feeds are invalidated; `None`
    /// leaves expiry to `Cache-Control`.
    pub cloudfront_distribution_id: Option<String>,
    /// Paths changed within one window go into one CloudFront invalidation.
    pub invalidation_window: Duration,
    /// How long a renamed show's feed names its new URL in `<itunes:new-feed-url>`, and how
    /// long a move out announces the new home before the feed becomes a redirect (by default).
    pub move_grace_days: u32,
    /// Who is told when a feed changes. Each is off unless configured.
    pub notify: NotifySettings,
    /// `import` may fetch from private, loopback and link-local addresses (tests, closed networks).
    pub import_allow_private: bool,
    /// The largest feed `import` reads, fetched or posted.
    pub import_max_bytes: usize,
    /// Time limit of an import's fetch, redirects and body included.
    pub import_timeout: Duration,
    /// `Secure` on the web UI's session cookies.
    pub secure_cookies: SecureCookies,
    /// Proxies whose `X-Forwarded-For` names the client (login throttling); none by default.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("pool_size", &self.pool_size)
            .field("listen", &self.listen)
            .field("edge_listen", &self.edge_listen)
            .field("worker_metrics_listen", &self.worker_metrics_listen)
            .field("feed_base_url", &self.feed_base_url)
            .field("publish", &self.publish)
            .field("worker_concurrency", &self.worker_concurrency)
            .field(
                "cloudfront_distribution_id",
                &self.cloudfront_distribution_id,
            )
            .finish_non_exhaustive()
    }
}

fn redact_url(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("REDACTED"));
            url.to_string()
        }
        _ => raw.to_string(),
    }
}

/// The settings file: the same names as the environment, lower case, without `PODPUB_`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    pool_size: Option<toml::Value>,
    acquire_timeout_ms: Option<toml::Value>,
    listen: Option<String>,
    edge_listen: Option<String>,
    worker_metrics_listen: Option<String>,
    feed_base_url: Option<String>,
    publish_url: Option<String>,
    cache_control: Option<String>,
    worker_concurrency: Option<toml::Value>,
    poll_interval_ms: Option<toml::Value>,
    job_lease_secs: Option<toml::Value>,
    job_time_limit_secs: Option<toml::Value>,
    job_retention_days: Option<toml::Value>,
    max_attempts: Option<toml::Value>,
    max_body_bytes: Option<toml::Value>,
    request_timeout_secs: Option<toml::Value>,
    log_format: Option<String>,
    cloudfront_distribution_id: Option<String>,
    invalidation_window_ms: Option<toml::Value>,
    move_grace_days: Option<toml::Value>,
    websub_hubs: Option<String>,
    podping_url: Option<String>,
    podping_token: Option<String>,
    pubnotify_url: Option<String>,
    import_allow_private: Option<toml::Value>,
    import_max_bytes: Option<toml::Value>,
    import_timeout_secs: Option<toml::Value>,
    secure_cookies: Option<String>,
    trusted_proxies: Option<String>,
}

/// A configuration problem, one line per bad setting.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration:\n  {}", .0.join("\n  "))]
pub struct ConfigError(pub Vec<String>);

impl Settings {
    /// Loads from `PODPUB_CONFIG` (or `config_path`) and the process environment.
    pub fn load(
        config_path: Option<PathBuf>,
        needs_database: bool,
    ) -> Result<Settings, ConfigError> {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        let path = config_path.or_else(|| env.get("PODPUB_CONFIG").map(PathBuf::from));
        let file = match path {
            None => FileSettings::default(),
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    ConfigError(vec![format!("config file {}: {e}", path.display())])
                })?;
                toml::from_str(&text).map_err(|e| {
                    let msg = e.message().to_string();
                    ConfigError(vec![format!("config file {}: {msg}", path.display())])
                })?
            }
        };
        Self::from_sources(file, &env, needs_database)
    }

    /// Builds settings from environment-style pairs only (used by tests and tools).
    pub fn from_env_map(env: &BTreeMap<String, String>) -> Result<Settings, ConfigError> {
        Self::from_sources(FileSettings::default(), env, true)
    }

    fn from_sources(
        file: FileSettings,
        env: &BTreeMap<String, String>,
        needs_database: bool,
    ) -> Result<Settings, ConfigError> {
        let mut s = Sources {
            env,
            errors: Vec::new(),
        };
        let toml_str = |v: Option<toml::Value>| {
            v.map(|v| match v {
                toml::Value::String(s) => s,
                other => other.to_string(),
            })
        };
        let database_url = s.string("DATABASE_URL", file.database_url);
        let database_url = match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => url,
            Some(_) => {
                s.problem("DATABASE_URL", "must be a postgres:// URL");
                String::new()
            }
            None if !needs_database => String::new(),
            None => {
                s.problem(
                    "DATABASE_URL",
                    "is not set (make run starts a local Postgres and sets it)",
                );
                String::new()
            }
        };
        let aws_endpoint_url = s.string("AWS_ENDPOINT_URL", None);
        let settings = Settings {
            aws_endpoint_url,
            database_url,
            pool_size: s.number("PODPUB_POOL_SIZE", toml_str(file.pool_size), 10, 1..=1000),
            acquire_timeout: Duration::from_millis(s.number(
                "PODPUB_ACQUIRE_TIMEOUT_MS",
                toml_str(file.acquire_timeout_ms),
                2000,
                1..=600_000,
            )),
            listen: s.addr("PODPUB_LISTEN", file.listen, "127.0.0.1:8080"),
            edge_listen: s.addr("PODPUB_EDGE_LISTEN", file.edge_listen, "127.0.0.1:8081"),
            worker_metrics_listen: s.optional_addr(
                "PODPUB_WORKER_METRICS_LISTEN",
                file.worker_metrics_listen,
                "127.0.0.1:9101",
            ),
            feed_base_url: s.base_url(file.feed_base_url),
            publish: s.publish_target(file.publish_url),
            cache_control: s
                .string("PODPUB_CACHE_CONTROL", file.cache_control)
                .unwrap_or_else(|| "public, max-age=300".into()),
            worker_concurrency: s.number(
                "PODPUB_WORKER_CONCURRENCY",
                toml_str(file.worker_concurrency),
                4,
                1..=256,
            ),
            poll_interval: Duration::from_millis(s.number(
                "PODPUB_POLL_INTERVAL_MS",
                toml_str(file.poll_interval_ms),
                500,
                10..=60_000,
            )),
            job_lease: Duration::from_secs(s.number(
                "PODPUB_JOB_LEASE_SECS",
                toml_str(file.job_lease_secs),
                60,
                1..=86_400,
            )),
            job_time_limit: Duration::from_secs(s.number(
                "PODPUB_JOB_TIME_LIMIT_SECS",
                toml_str(file.job_time_limit_secs),
                300,
                1..=86_400,
            )),
            job_retention: Duration::from_secs(
                86_400
                    * s.number(
                        "PODPUB_JOB_RETENTION_DAYS",
                        toml_str(file.job_retention_days),
                        7,
                        1..=3650,
                    ),
            ),
            max_attempts: s.number(
                "PODPUB_MAX_ATTEMPTS",
                toml_str(file.max_attempts),
                10,
                1..=100,
            ),
            max_body_bytes: s.number(
                "PODPUB_MAX_BODY_BYTES",
                toml_str(file.max_body_bytes),
                1 << 20,
                1024..=(64 << 20),
            ),
            request_timeout: Duration::from_secs(s.number(
                "PODPUB_REQUEST_TIMEOUT_SECS",
                toml_str(file.request_timeout_secs),
                60,
                1..=3600,
            )),
            log_format: match s.string("PODPUB_LOG_FORMAT", file.log_format).as_deref() {
                None | Some("text") => LogFormat::Text,
                Some("json") => LogFormat::Json,
                Some(_) => {
                    s.problem("PODPUB_LOG_FORMAT", "must be `text` or `json`");
                    LogFormat::Text
                }
            },
            cloudfront_distribution_id: s.distribution_id(file.cloudfront_distribution_id),
            invalidation_window: Duration::from_millis(s.number(
                "PODPUB_INVALIDATION_WINDOW_MS",
                toml_str(file.invalidation_window_ms),
                1000,
                0..=600_000,
            )),
            move_grace_days: s.number(
                "PODPUB_MOVE_GRACE_DAYS",
                toml_str(file.move_grace_days),
                30,
                0..=3650,
            ),
            notify: NotifySettings {
                websub_hubs: s
                    .string("PODPUB_WEBSUB_HUBS", file.websub_hubs)
                    .map(|list| {
                        list.split(',')
                            .map(str::trim)
                            .filter(|h| !h.is_empty())
                            .filter_map(|h| s.http_url("PODPUB_WEBSUB_HUBS", h))
                            .collect()
                    })
                    .unwrap_or_default(),
                podping: match (
                    s.string("PODPUB_PODPING_URL", file.podping_url),
                    s.string("PODPUB_PODPING_TOKEN", file.podping_token),
                ) {
                    (None, None) => None,
                    (Some(url), Some(token)) => s
                        .http_url("PODPUB_PODPING_URL", &url)
                        .map(|url| (url, token)),
                    (Some(_), None) => {
                        s.problem("PODPUB_PODPING_TOKEN", "is needed with PODPUB_PODPING_URL");
                        None
                    }
                    (None, Some(_)) => {
                        s.problem("PODPUB_PODPING_URL", "is needed with PODPUB_PODPING_TOKEN");
                        None
                    }
                },
                pubnotify_url: s
                    .string("PODPUB_PUBNOTIFY_URL", file.pubnotify_url)
                    .and_then(|url| s.http_url("PODPUB_PUBNOTIFY_URL", &url)),
            },
            import_allow_private: s.flag(
                "PODPUB_IMPORT_ALLOW_PRIVATE",
                toml_str(file.import_allow_private),
            ),
            import_max_bytes: s.number(
                "PODPUB_IMPORT_MAX_BYTES",
                toml_str(file.import_max_bytes),
                20 << 20,
                1024..=(32 << 20),
            ),
            import_timeout: Duration::from_secs(s.number(
                "PODPUB_IMPORT_TIMEOUT_SECS",
                toml_str(file.import_timeout_secs),
                30,
                1..=600,
            )),
            secure_cookies: match s
                .string("PODPUB_SECURE_COOKIES", file.secure_cookies)
                .map(|v| v.to_ascii_lowercase())
                .as_deref()
            {
                None | Some("auto") => SecureCookies::Auto,
                Some("true" | "1" | "yes" | "on") => SecureCookies::Always,
                Some("false" | "0" | "no" | "off") => SecureCookies::Never,
                Some(other) => {
                    s.problem(
                        "PODPUB_SECURE_COOKIES",
                        &format!("must be auto, true or false (got {other:?})"),
                    );
                    SecureCookies::Auto
                }
            },
            trusted_proxies: s.networks("PODPUB_TRUSTED_PROXIES", file.trusted_proxies),
        };
        if s.errors.is_empty() {
            Ok(settings)
        } else {
            Err(ConfigError(s.errors))
        }
    }
}

struct Sources<'a> {
    env: &'a BTreeMap<String, String>,
    errors: Vec<String>,
}

impl Sources<'_> {
    fn problem(&mut self, name: &str, what: &str) {
        self.errors.push(format!("{name} {what}"));
    }

    fn string(&self, name: &str, file: Option<String>) -> Option<String> {
        self.env
            .get(name)
            .cloned()
            .or(file)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn number<T>(
        &mut self,
        name: &str,
        file: Option<String>,
        default: T,
        range: std::ops::RangeInclusive<T>,
    ) -> T
    where
        T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
    {
        let Some(raw) = self.string(name, file) else {
            return default;
        };
        match raw.parse::<T>() {
            Ok(v) if range.contains(&v) => v,
            _ => {
                let what = format!(
                    "must be a number from {} to {} (got {raw:?})",
                    range.start(),
                    range.end()
                );
                self.problem(name, &what);
                default
            }
        }
    }

    /// An absolute http(s) URL, or a problem.
    fn http_url(&mut self, name: &str, raw: &str) -> Option<String> {
        match Url::parse(raw) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
                Some(raw.to_string())
            }
            _ => {
                self.problem(
                    name,
                    &format!("must be an absolute http(s) URL (got {raw:?})"),
                );
                None
            }
        }
    }

    /// A yes/no setting, off unless set.
    fn flag(&mut self, name: &str, file: Option<String>) -> bool {
        match self
            .string(name, file)
            .map(|v| v.to_ascii_lowercase())
            .as_deref()
        {
            None | Some("false" | "0" | "no" | "off") => false,
            Some("true" | "1" | "yes" | "on") => true,
            Some(other) => {
                self.problem(name, &format!("must be true or false (got {other:?})"));
                false
            }
        }
    }

    /// A comma-separated list of addresses and networks (`10.0.0.0/8, 192.0.2.7`).
    fn networks(&mut self, name: &str, file: Option<String>) -> Vec<ipnet::IpNet> {
        let raw = self.string(name, file).unwrap_or_default();
        let mut nets = Vec::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let net = part
                .parse::<ipnet::IpNet>()
                .or_else(|_| part.parse::<std::net::IpAddr>().map(ipnet::IpNet::from));
            match net {
                Ok(net) => nets.push(net),
                Err(_) => self.problem(
                    name,
                    &format!("must list addresses or networks like 10.0.0.0/8 (got {part:?})"),
                ),
            }
        }
        nets
    }

    fn addr(&mut self, name: &str, file: Option<String>, default: &str) -> SocketAddr {
        self.optional_addr(name, file, default)
            .unwrap_or_else(|| default.parse().expect("default address parses"))
    }

    /// An address, if set; a bad one is a problem (and `None`).
    fn optional_addr(
        &mut self,
        name: &str,
        file: Option<String>,
        example: &str,
    ) -> Option<SocketAddr> {
        let raw = self.string(name, file)?;
        let addr = raw.parse().ok();
        if addr.is_none() {
            self.problem(
                name,
                &format!("must be an address like {example} (got {raw:?})"),
            );
        }
        addr
    }

    fn base_url(&mut self, file: Option<String>) -> String {
        let name = "PODPUB_FEED_BASE_URL";
        let raw = self
            .string(name, file)
            .unwrap_or_else(|| "http://127.0.0.1:8081".into());
        match Url::parse(&raw) {
            Ok(url)
                if matches!(url.scheme(), "http" | "https")
                    && url.host().is_some()
                    && url.query().is_none() =>
            {
                raw.trim_end_matches('/').to_string()
            }
            _ => {
                self.problem(
                    name,
                    &format!("must be an absolute http(s) URL (got {raw:?})"),
                );
                String::new()
            }
        }
    }

    /// A CloudFront distribution id (like `E2QWRUHAPOMQZL`), if set.
    fn distribution_id(&mut self, file: Option<String>) -> Option<String> {
        let name = "PODPUB_CLOUDFRONT_DISTRIBUTION_ID";
        let id = self.string(name, file)?;
        let valid = id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !valid {
            self.problem(
                name,
                &format!(
                    "must be a distribution id like E2QWRUHAPOMQZL, not a domain name (got {id:?})"
                ),
            );
        }
        Some(id)
    }

    fn publish_target(&mut self, file: Option<String>) -> PublishTarget {
        let name = "PODPUB_PUBLISH_URL";
        let raw = self
            .string(name, file)
            .unwrap_or_else(|| "file://.podpub/public".into());
        if let Some(path) = raw.strip_prefix("file://") {
            if path.is_empty() {
                self.problem(name, "needs a directory after file://");
            }
            return PublishTarget::Dir(PathBuf::from(path));
        }
        if let Some(rest) = raw.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let valid_bucket = (3..=63).contains(&bucket.len())
                && bucket.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
                });
            if !valid_bucket {
                self.problem(name, &format!("has an invalid bucket name {bucket:?}"));
            }
            return PublishTarget::S3 {
                bucket: bucket.to_string(),
                prefix: prefix.trim_matches('/').to_string(),
            };
        }
        self.problem(
            name,
            &format!("must start with file:// or s3:// (got {raw:?})"),
        );
        PublishTarget::Dir(PathBuf::from(".podpub/public"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_are_the_local_embedded_mode() {
        let s =
            Settings::from_env_map(&env(&[("DATABASE_URL", "postgres://x@localhost/db")])).unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.edge_listen.to_string(), "127.0.0.1:8081");
        assert_eq!(s.feed_base_url, "http://127.0.0.1:8081");
        assert_eq!(s.publish, PublishTarget::Dir(".podpub/public".into()));
        assert_eq!(s.pool_size, 10);
    }

    #[test]
    fn every_bad_setting_is_reported_on_its_own_line() {
        let err = Settings::from_env_map(&env(&[
            ("PODPUB_POOL_SIZE", "zero"),
            ("PODPUB_FEED_BASE_URL", "javascript:alert(1)"),
            ("PODPUB_PUBLISH_URL", "ftp://x"),
        ]))
        .unwrap_err();
        let text = err.to_string();
        assert_eq!(err.0.len(), 4, "{text}");
        assert!(text.contains("DATABASE_URL is not set"));
        assert!(text.contains("PODPUB_POOL_SIZE must be a number"));
        assert!(text.contains("PODPUB_FEED_BASE_URL"));
        assert!(text.contains("PODPUB_PUBLISH_URL must start with"));
    }

    #[test]
    fn notifications_are_off_unless_configured_and_checked_when_they_are() {
        let db = ("DATABASE_URL", "postgres://x@localhost/db");
        let s = Settings::from_env_map(&env(&[db])).unwrap();
        assert_eq!(s.notify, NotifySettings::default());
        let s = Settings::from_env_map(&env(&[
            db,
            (
                "PODPUB_WEBSUB_HUBS",
                "https://pubsubhubbub.appspot.com/, https://hub.example/",
            ),
            ("PODPUB_PODPING_URL", "https://podping.cloud/"),
            ("PODPUB_PODPING_TOKEN", "secret"),
            (
                "PODPUB_PUBNOTIFY_URL",
                "https://api.podcastindex.org/api/1.0/hub/pubnotify",
            ),
        ]))
        .unwrap();
        assert_eq!(
            s.notify.websub_hubs,
            ["https://pubsubhubbub.appspot.com/", "https://hub.example/"]
        );
        assert_eq!(
            s.notify.podping,
            Some(("https://podping.cloud/".into(), "secret".into()))
        );
        assert!(s.notify.pubnotify_url.is_some());
        let err = Settings::from_env_map(&env(&[
            db,
            ("PODPUB_WEBSUB_HUBS", "https://ok.example/,javascript:x"),
            ("PODPUB_PODPING_URL", "https://podping.cloud/"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("PODPUB_WEBSUB_HUBS must be an absolute"),
            "{err}"
        );
        assert!(err.contains("PODPUB_PODPING_TOKEN is needed"), "{err}");
    }

    #[test]
    fn s3_publish_url_splits_bucket_and_prefix() {
        let s = Settings::from_env_map(&env(&[
            ("DATABASE_URL", "postgres://x@localhost/db"),
            ("PODPUB_PUBLISH_URL", "s3://feeds-bucket/prod/feeds/"),
            ("PODPUB_FEED_BASE_URL", "https://feeds.example.com/"),
        ]))
        .unwrap();
        assert_eq!(
            s.publish,
            PublishTarget::S3 {
                bucket: "feeds-bucket".into(),
                prefix: "prod/feeds".into()
            }
        );
        assert_eq!(s.feed_base_url, "https://feeds.example.com");
    }

    #[test]
    fn the_toml_file_uses_the_same_names_and_the_environment_wins() {
        let file: FileSettings = toml::from_str(
            "database_url = \"postgres://f@h/db\"\npool_size = 20\nlisten = \"127.0.0.1:9000\"",
        )
        .unwrap();
        let s = Settings::from_sources(file, &env(&[("PODPUB_LISTEN", "127.0.0.1:9100")]), true)
            .unwrap();
        assert_eq!(s.pool_size, 20);
        assert_eq!(s.database_url, "postgres://f@h/db");
        assert_eq!(s.listen.to_string(), "127.0.0.1:9100");
        assert!(toml::from_str::<FileSettings>("colour = \"red\"").is_err());
    }

    #[test]
    fn cloudfront_invalidation_is_off_unless_a_distribution_is_set() {
        let s =
            Settings::from_env_map(&env(&[("DATABASE_URL", "postgres://x@localhost/db")])).unwrap();
        assert_eq!(s.cloudfront_distribution_id, None);
        assert_eq!(s.invalidation_window, Duration::from_millis(1000));

        let s = Settings::from_env_map(&env(&[
            ("DATABASE_URL", "postgres://x@localhost/db"),
            ("PODPUB_CLOUDFRONT_DISTRIBUTION_ID", " E2QWRUHAPOMQZL "),
            ("PODPUB_INVALIDATION_WINDOW_MS", "0"),
        ]))
        .unwrap();
        assert_eq!(
            s.cloudfront_distribution_id.as_deref(),
            Some("E2QWRUHAPOMQZL")
        );
        assert_eq!(s.invalidation_window, Duration::ZERO);

        let file: FileSettings = toml::from_str(
            "cloudfront_distribution_id = \"EDFDVBD6EXAMPLE\"\ninvalidation_window_ms = 250",
        )
        .unwrap();
        let s = Settings::from_sources(
            file,
            &env(&[("DATABASE_URL", "postgres://x@localhost/db")]),
            true,
        )
        .unwrap();
        assert_eq!(
            s.cloudfront_distribution_id.as_deref(),
            Some("EDFDVBD6EXAMPLE")
        );
        assert_eq!(s.invalidation_window, Duration::from_millis(250));
    }

    #[test]
    fn bad_cloudfront_settings_are_reported() {
        let err = Settings::from_env_map(&env(&[
            ("DATABASE_URL", "postgres://x@localhost/db"),
            (
                "PODPUB_CLOUDFRONT_DISTRIBUTION_ID",
                "d111111abcdef8.cloudfront.net",
            ),
            ("PODPUB_INVALIDATION_WINDOW_MS", "600001"),
        ]))
        .unwrap_err();
        let [id, window] = &err.0[..] else {
            panic!("two problems expected: {err}")
        };
        assert!(id.starts_with("PODPUB_CLOUDFRONT_DISTRIBUTION_ID must be a distribution id"));
        assert!(
            window.starts_with("PODPUB_INVALIDATION_WINDOW_MS must be a number from 0 to 600000")
        );
    }

    #[test]
    fn imports_fetch_only_public_addresses_unless_allowed() {
        let db = ("DATABASE_URL", "postgres://x@localhost/db");
        let s = Settings::from_env_map(&env(&[db])).unwrap();
        assert!(!s.import_allow_private);
        assert_eq!(s.import_max_bytes, 20 << 20);
        assert_eq!(s.import_timeout, Duration::from_secs(30));
        let s =
            Settings::from_env_map(&env(&[db, ("PODPUB_IMPORT_ALLOW_PRIVATE", "TRUE")])).unwrap();
        assert!(s.import_allow_private);
        let err = Settings::from_env_map(&env(&[db, ("PODPUB_IMPORT_ALLOW_PRIVATE", "maybe")]))
            .unwrap_err();
        assert!(err.0[0].starts_with("PODPUB_IMPORT_ALLOW_PRIVATE must be true or false"));
    }

    #[test]
    fn a_worker_listens_for_metrics_only_when_told_where() {
        let db = ("DATABASE_URL", "postgres://x@localhost/db");
        let s = Settings::from_env_map(&env(&[db])).unwrap();
        assert_eq!(s.worker_metrics_listen, None);
        let at = ("PODPUB_WORKER_METRICS_LISTEN", "127.0.0.1:9102");
        let s = Settings::from_env_map(&env(&[db, at])).unwrap();
        assert_eq!(
            s.worker_metrics_listen,
            Some("127.0.0.1:9102".parse().unwrap())
        );
        let bad = ("PODPUB_WORKER_METRICS_LISTEN", "port 9102");
        let err = Settings::from_env_map(&env(&[db, bad]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("PODPUB_WORKER_METRICS_LISTEN must be an address"),
            "{err}"
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_and_networks() {
        let db = ("DATABASE_URL", "postgres://x@localhost/db");
        let s = Settings::from_env_map(&env(&[db])).unwrap();
        assert!(s.trusted_proxies.is_empty());
        let list = ("PODPUB_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,fd00::/8");
        let s = Settings::from_env_map(&env(&[db, list])).unwrap();
        let shown: Vec<String> = s.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32", "fd00::/8"]);
        let err = Settings::from_env_map(&env(&[db, ("PODPUB_TRUSTED_PROXIES", "10.0.0.0/33")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("PODPUB_TRUSTED_PROXIES must list"), "{err}");
    }

    #[test]
    fn secure_cookies_follow_the_proxy_unless_set() {
        let db = ("DATABASE_URL", "postgres://x@localhost/db");
        let s = Settings::from_env_map(&env(&[db])).unwrap();
        assert_eq!(s.secure_cookies, SecureCookies::Auto);
        let s = Settings::from_env_map(&env(&[db, ("PODPUB_SECURE_COOKIES", "true")])).unwrap();
        assert_eq!(s.secure_cookies, SecureCookies::Always);
        let err = Settings::from_env_map(&env(&[db, ("PODPUB_SECURE_COOKIES", "maybe")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("PODPUB_SECURE_COOKIES must be auto"), "{err}");
    }

    #[test]
    fn password_is_redacted_in_debug() {
        let s =
            Settings::from_env_map(&env(&[("DATABASE_URL", "postgres://u:secret@h/db")])).unwrap();
        assert!(!format!("{s:?}").contains("secret"));
    }
}
