//! Every setting, declared once: its field, variable, default and parser. The README's settings
//! table lists the same variables and defaults (a test checks).

use std::{net::SocketAddr, time::Duration};

use ipnet::IpNet;
use secrecy::SecretString;

use super::declare::settings;
use super::parse::{
    addr, base_url, days, distribution_id, feed_content_type, flag, http_url, http_urls, millis,
    networks, number, optional, podping, postgres_url, secret, secs, text,
};
use super::values::{LogFormat, PublishTarget, SecureCookies};

settings! {
    /// Every setting podpub reads: from the environment, else the file, else the default.
    /// Secrets are `SecretString`s, redacted in `Debug`.
    #[derive(Clone, Debug)]
    pub struct Settings {
        /// The database (`postgres://` or `postgresql://`); empty for a command that needs none.
        database_url: SecretString = DATABASE_URL or none => postgres_url;
        /// Maximum Postgres connections of this process.
        pool_size: u32 = PODPUB_POOL_SIZE or "10" => number(1..=1000);
        /// How long to wait for a pool connection before failing (the API answers 503).
        acquire_timeout: Duration = PODPUB_ACQUIRE_TIMEOUT_MS or "2000" => millis(1..=600_000);
        /// Address of `serve`.
        listen: SocketAddr = PODPUB_LISTEN or "127.0.0.1:8080" => addr("127.0.0.1:8080");
        /// Address of `edge`.
        edge_listen: SocketAddr =
            PODPUB_EDGE_LISTEN or "127.0.0.1:8081" => addr("127.0.0.1:8081");
        /// Where a `podpub worker` serves `/metrics` and `/healthz`; none by default.
        worker_metrics_listen: Option<SocketAddr> =
            PODPUB_WORKER_METRICS_LISTEN or none => optional(addr("127.0.0.1:9101"));
        /// Absolute base URL of the CDN, without a trailing slash.
        feed_base_url: String = PODPUB_FEED_BASE_URL or "http://127.0.0.1:8081" => base_url;
        /// Where feeds go.
        publish: PublishTarget =
            PODPUB_PUBLISH_URL or "file://.podpub/public" => PublishTarget::parse;
        /// `Cache-Control` stored with each feed object.
        cache_control: String = PODPUB_CACHE_CONTROL or "public, max-age=300" => text;
        /// Media type of feed objects (`application/rss+xml`; `application/xml` lets browsers
        /// apply the feed's stylesheet), stored with `; charset=utf-8`.
        feed_content_type: String =
            PODPUB_FEED_CONTENT_TYPE or "application/rss+xml" => feed_content_type;
        /// Jobs run at once per worker.
        worker_concurrency: usize = PODPUB_WORKER_CONCURRENCY or "4" => number(1..=256);
        /// Queue polling interval, the fallback to LISTEN/NOTIFY.
        poll_interval: Duration = PODPUB_POLL_INTERVAL_MS or "500" => millis(10..=60_000);
        /// Lease on a claimed job, renewed while the job runs.
        job_lease: Duration = PODPUB_JOB_LEASE_SECS or "60" => secs(1..=86_400);
        /// A job running longer than this is stopped and retried.
        job_time_limit: Duration = PODPUB_JOB_TIME_LIMIT_SECS or "300" => secs(1..=86_400);
        /// How long finished jobs and old refresh batches are kept before the worker deletes them.
        job_retention: Duration = PODPUB_JOB_RETENTION_DAYS or "7" => days(1..=3650);
        /// How long deleted shows and episodes stay in the trash, restorable, before the worker
        /// purges them.
        trash_retention: Duration = PODPUB_TRASH_RETENTION_DAYS or "30" => days(1..=3650);
        /// Feed history keeps each show's last this many published feed versions, however old.
        feed_history_min_versions: i64 =
            PODPUB_FEED_HISTORY_MIN_VERSIONS or "50" => number(0..=1_000_000);
        /// Feed history keeps every version younger than this, however many.
        feed_history_days: Duration = PODPUB_FEED_HISTORY_DAYS or "90" => days(0..=36_500);
        /// How long the edit history keeps each change; 0 keeps it forever.
        history_retention: Duration = PODPUB_HISTORY_RETENTION_DAYS or "365" => days(0..=36500);
        /// Attempts before a job is marked dead.
        max_attempts: i32 = PODPUB_MAX_ATTEMPTS or "10" => number(1..=100);
        /// Request body limit; larger bodies get 413.
        max_body_bytes: usize = PODPUB_MAX_BODY_BYTES or "1048576" => number(1024..=(64 << 20));
        /// A request still unanswered after this gets 503 with `Retry-After`.
        request_timeout: Duration = PODPUB_REQUEST_TIMEOUT_SECS or "60" => secs(1..=3600);
        /// A client must send a request's headers within this (and, on a kept-alive connection,
        /// start its next request), or its connection is closed.
        header_read_timeout: Duration =
            PODPUB_HEADER_READ_TIMEOUT_SECS or "30" => secs(1..=600);
        /// A client must send a request's body within this, or it gets 408.
        body_read_timeout: Duration = PODPUB_BODY_READ_TIMEOUT_SECS or "30" => secs(1..=3600);
        /// Where `serve` answers `/metrics` instead of on `PODPUB_LISTEN`; none by default.
        metrics_listen: Option<SocketAddr> =
            PODPUB_METRICS_LISTEN or none => optional(addr("127.0.0.1:9100"));
        /// A bearer token that `/metrics` requires (of `serve` and `worker`); none by default.
        metrics_token: Option<SecretString> = PODPUB_METRICS_TOKEN or none => optional(secret);
        /// Log output format.
        log_format: LogFormat = PODPUB_LOG_FORMAT or "text" => LogFormat::parse;
        /// `AWS_ENDPOINT_URL`: an S3-compatible store instead of AWS (path-style addressing).
        aws_endpoint_url: Option<String> = AWS_ENDPOINT_URL or none => optional(text);
        /// CloudFront distribution whose cached copies of changed feeds are invalidated; `None`
        /// leaves expiry to `Cache-Control`.
        cloudfront_distribution_id: Option<String> =
            PODPUB_CLOUDFRONT_DISTRIBUTION_ID or none => optional(distribution_id);
        /// Paths changed within one window go into one CloudFront invalidation.
        invalidation_window: Duration =
            PODPUB_INVALIDATION_WINDOW_MS or "1000" => millis(0..=600_000);
        /// How long a renamed show's feed names its new URL in `<itunes:new-feed-url>`, and how
        /// long a move out announces the new home before the feed becomes a redirect (by default).
        move_grace_days: u32 = PODPUB_MOVE_GRACE_DAYS or "30" => number(0..=3650);
        /// `import` may fetch from private, loopback and link-local addresses (tests, closed
        /// networks).
        import_allow_private: bool = PODPUB_IMPORT_ALLOW_PRIVATE or "false" => flag;
        /// The largest feed `import` reads, fetched or posted.
        import_max_bytes: usize =
            PODPUB_IMPORT_MAX_BYTES or "20971520" => number(1024..=(32 << 20));
        /// Time limit of an import's fetch, redirects and body included.
        import_timeout: Duration = PODPUB_IMPORT_TIMEOUT_SECS or "30" => secs(1..=600);
        /// `Secure` on the web UI's session cookies.
        secure_cookies: SecureCookies = PODPUB_SECURE_COOKIES or "auto" => SecureCookies::parse;
        /// Proxies whose `X-Forwarded-For` names the client (login throttling); none by default.
        trusted_proxies: Vec<IpNet> = PODPUB_TRUSTED_PROXIES or none => networks;
        /// Password hashes (argon2id, 19 MiB each) computed at once; none: one per core.
        password_hash_concurrency: Option<usize> =
            PODPUB_PASSWORD_HASH_CONCURRENCY or none => optional(number(1..=256));
        /// How long a password-reset link made in Admin → Users works.
        password_reset_expiry: Duration =
            PODPUB_PASSWORD_RESET_EXPIRY_SECS or "86400" => secs(1..=2_592_000);
    }
    with {
        /// Who is told when a feed changes. Each is off unless configured.
        notify: NotifySettings,
        /// Where uploaded media go, and how large they may be.
        media: MediaSettings,
    }
}

settings! {
    /// Services told about changed feeds (each a retried job).
    #[derive(Clone, Debug, Default)]
    pub struct NotifySettings {
        /// WebSub hubs: named in every feed (`atom:link rel="hub"`) and pinged on each change.
        websub_hubs: Vec<String> = PODPUB_WEBSUB_HUBS or none => http_urls;
        /// A Podping endpoint (like `https://podping.cloud/`) and its token.
        podping: Option<(String, SecretString)> =
            PODPUB_PODPING_URL or none, PODPUB_PODPING_TOKEN or none => podping;
        /// Podcast Index's pubnotify endpoint.
        pubnotify_url: Option<String> = PODPUB_PUBNOTIFY_URL or none => optional(http_url);
    }
}

settings! {
    /// Uploaded media: where the CDN serves them, and the limits of uploads.
    #[derive(Clone, Debug)]
    pub struct MediaSettings {
        /// Where the CDN serves uploaded media; none: next to the feeds (PODPUB_FEED_BASE_URL).
        base_url: Option<String> = PODPUB_MEDIA_BASE_URL or none => optional(base_url);
        /// The largest episode audio or video file, in bytes (artwork: 20 MiB).
        max_bytes: u64 = PODPUB_MEDIA_MAX_BYTES or "2147483648" => number(1024..=(5 << 40));
        /// The most bytes of media one show may store; none: no quota.
        show_quota_bytes: Option<u64> =
            PODPUB_MEDIA_SHOW_QUOTA_BYTES or none => optional(number(1..=(1 << 50)));
        /// How long an upload's signed URLs work; one not completed by then is removed.
        upload_expiry: Duration = PODPUB_MEDIA_UPLOAD_EXPIRY_SECS or "3600" => secs(5..=604_800);
        /// The size of each part of a multipart upload; a larger file is sent in parts.
        part_bytes: u64 = PODPUB_MEDIA_PART_BYTES or "16777216" => number((5 << 20)..=(5 << 30));
        /// "Copy media": how long a source may keep podpub waiting (for its answer, or between
        /// two chunks of a download) before that file's copy fails as `copy_stalled`.
        copy_stall: Duration = PODPUB_MEDIA_COPY_STALL_SECS or "30" => secs(1..=600);
        /// How long an object no episode or show uses any more is kept before the sweep.
        sweep_after: Duration = PODPUB_MEDIA_SWEEP_AFTER_DAYS or "30" => days(0..=3650);
    }
}
