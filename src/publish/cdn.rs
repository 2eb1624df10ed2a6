//! CloudFront invalidation.
//!
//! A render that wrote objects queues their CDN paths in `cdn_invalidations`, together with one
//! coalesced `invalidate` job due a window later, in the transaction that records the publish.
//! That job sends everything queued by then as one CreateInvalidation, or a single `/*` when the
//! batch is huge, and removes what it sent. CloudFront's in-progress limits (3,000 paths and 15
//! wildcards per distribution) are met by queueing: the call fails with
//! `TooManyInvalidationsInProgress`, the job is retried with backoff, and the paths stay queued.
//!
//! CDN paths are `/{key}`: object keys without the S3 prefix, which the distribution's origin
//! path maps.

use std::time::Duration;

use anyhow::Context;
use aws_sdk_cloudfront::{
    types::{InvalidationBatch, Paths},
    Client,
};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::config::Settings;
use crate::jobs::queue;

/// A batch of more paths than this is sent as one `/*` instead. It keeps a batch well within the
/// 3,000 paths CloudFront allows in progress, and one wildcard costs what one path does.
pub const WILDCARD_THRESHOLD: usize = 1000;

/// How many queued paths (oldest first) one job reads.
pub const BATCH_LIMIT: usize = 3000;

/// The dedup key of the pending `invalidate` job: new paths merge into it.
const DEDUP_KEY: &str = "invalidate";

/// The wildcard that invalidates the whole distribution.
const EVERYTHING: &str = "/*";

/// A CloudFront distribution whose cached copies of changed objects are invalidated.
#[derive(Debug, Clone)]
pub struct Cdn {
    client: Client,
    distribution_id: String,
    window: Duration,
}

impl Cdn {
    /// A client from the standard AWS configuration chain; `endpoint` (`AWS_ENDPOINT_URL`) selects
    /// a stand-in such as moto. CloudFront is global: without a configured region, `us-east-1`.
    pub async fn new(distribution_id: String, window: Duration, endpoint: Option<String>) -> Cdn {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(endpoint) = &endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        let shared = loader.load().await;
        let mut config = aws_sdk_cloudfront::config::Builder::from(&shared);
        if shared.region().is_none() {
            config = config.region(aws_sdk_cloudfront::config::Region::from_static("us-east-1"));
        }
        Cdn {
            client: Client::from_conf(config.build()),
            distribution_id,
            window,
        }
    }

    /// The CDN of `PODPUB_CLOUDFRONT_DISTRIBUTION_ID`; `None` (invalidation off) when it is unset.
    pub async fn from_settings(settings: &Settings) -> Option<Cdn> {
        let id = settings.cloudfront_distribution_id.clone()?;
        let endpoint = settings.aws_endpoint_url.clone();
        Some(Cdn::new(id, settings.invalidation_window, endpoint).await)
    }

    pub fn distribution_id(&self) -> &str {
        &self.distribution_id
    }

    /// Paths changed within this window go into one invalidation.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Sends one CreateInvalidation; returns the invalidation's id.
    async fn create_invalidation(&self, batch: &Batch, reference: &str) -> anyhow::Result<String> {
        let items = batch.items();
        let paths = Paths::builder()
            .quantity(i32::try_from(items.len()).context("too many paths")?)
            .set_items(Some(items))
            .build()?;
        let invalidation = InvalidationBatch::builder()
            .paths(paths)
            .caller_reference(reference)
            .build()?;
        let result = self
            .client
            .create_invalidation()
            .distribution_id(&self.distribution_id)
            .invalidation_batch(invalidation)
            .send()
            .await;
        match result {
            Ok(output) => Ok(output
                .invalidation()
                .map(|i| i.id().to_string())
                .unwrap_or_default()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_too_many_invalidations_in_progress()) =>
            {
                anyhow::bail!(
                    "CloudFront distribution {} has too many invalidations in progress (at most \
                     3,000 paths and 15 wildcards); the paths stay queued and are sent again later",
                    self.distribution_id
                )
            }
            Err(err) => Err(err).with_context(|| {
                format!(
                    "CreateInvalidation on distribution {}",
                    self.distribution_id
                )
            }),
        }
    }
}

/// The CDN path of an object key (relative to the publish root).
pub fn cdn_path(key: &str) -> String {
    format!("/{}", key.trim_start_matches('/'))
}

/// What one invalidation request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// These paths.
    Paths(Vec<String>),
    /// Everything: `/*`.
    Everything,
}

impl Batch {
    /// The paths to send.
    pub fn items(&self) -> Vec<String> {
        match self {
            Batch::Paths(paths) => paths.clone(),
            Batch::Everything => vec![EVERYTHING.to_string()],
        }
    }
}

/// The batching decision: the queued `paths` themselves, or a single `/*` when there are more
/// than `threshold` of them (or one of them is already a wildcard for everything).
pub fn plan(paths: &[String], threshold: usize) -> Batch {
    if paths.len() > threshold || paths.iter().any(|p| p == EVERYTHING) {
        Batch::Everything
    } else {
        Batch::Paths(paths.to_vec())
    }
}

/// The CallerReference of a batch: the time of its newest path and a hash of its paths. Sending
/// the same batch again (a retry after the call succeeded but the job did not finish) gives the
/// same reference, which CloudFront answers with the invalidation it already made.
pub fn caller_reference(paths: &[String], newest: DateTime<Utc>) -> String {
    let mut hash = Sha256::new();
    for path in paths {
        hash.update(path.as_bytes());
        hash.update(b"\n");
    }
    let digest = hex::encode(hash.finalize());
    format!("podpub-{}-{}", newest.timestamp_micros(), &digest[..32])
}

/// Queues the CDN paths of `keys` (object keys that were just written or removed) and one
/// coalesced `invalidate` job, due `window` from now unless a pending one is due earlier. Call it
/// after the writes, inside the transaction that records them.
pub async fn queue_paths(
    tx: &mut PgConnection,
    keys: &[String],
    window: Duration,
    max_attempts: i32,
) -> sqlx::Result<()> {
    let mut paths: Vec<String> = keys.iter().map(|k| cdn_path(k)).collect();
    paths.sort();
    paths.dedup();
    if paths.is_empty() {
        return Ok(());
    }
    // A path that is already queued moves to now: an invalidation sent from an older read of it
    // may predate this write, so only a read that sees the new time may remove it.
    sqlx::query(
        "insert into cdn_invalidations (path) select unnest($1::text[])
         on conflict (path) do update
         set queued_at = greatest(cdn_invalidations.queued_at, excluded.queued_at)",
    )
    .bind(&paths)
    .execute(&mut *tx)
    .await?;
    queue::enqueue_coalesced(
        &mut *tx,
        queue::kind::INVALIDATE,
        DEDUP_KEY,
        window,
        max_attempts,
    )
    .await?;
    Ok(())
}

/// What an `invalidate` job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidateOutcome {
    /// Nothing was queued.
    Nothing,
    /// Another `invalidate` job is in flight; this one was queued again, after it.
    Deferred,
    /// One CreateInvalidation was sent.
    Sent {
        invalidation_id: String,
        /// How many queued paths it covered.
        paths: usize,
        /// Whether it was sent as `/*`.
        wildcard: bool,
    },
}

/// The `invalidate` job `job_id`: sends the queued paths (oldest first, at most [`BATCH_LIMIT`])
/// in one CreateInvalidation and removes them. No transaction is open during the call.
pub async fn run_invalidation(
    cdn: &Cdn,
    pool: &PgPool,
    job_id: Uuid,
    max_attempts: i32,
) -> anyhow::Result<InvalidateOutcome> {
    // One invalidation at a time: a second job would send the same paths again.
    let busy: bool = sqlx::query_scalar(
        "select exists (select 1 from jobs where kind = $1 and state = 'running'
            and id <> $2 and locked_until > now())",
    )
    .bind(queue::kind::INVALIDATE)
    .bind(job_id)
    .fetch_one(pool)
    .await?;
    if busy {
        let delay = cdn.window.max(Duration::from_secs(1));
        queue::enqueue_coalesced(
            pool,
            queue::kind::INVALIDATE,
            DEDUP_KEY,
            delay,
            max_attempts,
        )
        .await?;
        return Ok(InvalidateOutcome::Deferred);
    }

    let rows: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "select path, queued_at, now() from cdn_invalidations order by queued_at, path limit $1",
    )
    .bind(BATCH_LIMIT as i64)
    .fetch_all(pool)
    .await
    .context("reading the queued CDN paths")?;
    let Some(read_at) = rows.first().map(|r| r.2) else {
        return Ok(InvalidateOutcome::Nothing);
    };
    let newest = rows.iter().map(|r| r.1).max().unwrap_or(read_at);
    let paths: Vec<String> = rows.into_iter().map(|r| r.0).collect();
    let batch = plan(&paths, WILDCARD_THRESHOLD);
    let reference = caller_reference(&paths, newest);
    let invalidation_id = cdn.create_invalidation(&batch, &reference).await?;

    // Every path queued at or before the read was written before the call, so the invalidation
    // covers it; a path queued again since then stays for the next one.
    let truncated = match &batch {
        Batch::Everything => {
            sqlx::query("delete from cdn_invalidations where queued_at <= $1")
                .bind(read_at)
                .execute(pool)
                .await
                .context("removing the invalidated CDN paths")?;
            false
        }
        Batch::Paths(sent) => {
            sqlx::query("delete from cdn_invalidations where path = any($1) and queued_at <= $2")
                .bind(sent)
                .bind(read_at)
                .execute(pool)
                .await
                .context("removing the invalidated CDN paths")?;
            sent.len() == BATCH_LIMIT
        }
    };
    tracing::info!(
        distribution = %cdn.distribution_id,
        invalidation = %invalidation_id,
        paths = paths.len(),
        wildcard = batch == Batch::Everything,
        "CDN invalidation created"
    );

    let remaining: bool = sqlx::query_scalar("select exists (select 1 from cdn_invalidations)")
        .fetch_one(pool)
        .await?;
    if remaining {
        let delay = if truncated {
            Duration::ZERO
        } else {
            cdn.window
        };
        queue::enqueue_coalesced(
            pool,
            queue::kind::INVALIDATE,
            DEDUP_KEY,
            delay,
            max_attempts,
        )
        .await?;
    }
    Ok(InvalidateOutcome::Sent {
        invalidation_id,
        wildcard: batch == Batch::Everything,
        paths: paths.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("/show-{i}/feed.xml")).collect()
    }

    #[test]
    fn cdn_paths_are_the_keys_under_the_root() {
        assert_eq!(cdn_path("my-show/feed.xml"), "/my-show/feed.xml");
        assert_eq!(cdn_path("/my-show/feed.xml"), "/my-show/feed.xml");
    }

    #[test]
    fn up_to_the_threshold_the_paths_are_sent_as_they_are() {
        assert_eq!(plan(&[], 1000), Batch::Paths(vec![]));
        let some = paths(3);
        assert_eq!(plan(&some, 1000), Batch::Paths(some.clone()));
        assert_eq!(plan(&some, 3), Batch::Paths(some.clone()));
        assert_eq!(plan(&some, 3).items(), some);
        let many = paths(WILDCARD_THRESHOLD);
        assert_eq!(plan(&many, WILDCARD_THRESHOLD), Batch::Paths(many.clone()));
    }

    #[test]
    fn beyond_the_threshold_one_wildcard_is_sent() {
        assert_eq!(plan(&paths(4), 3), Batch::Everything);
        let many = paths(WILDCARD_THRESHOLD + 1);
        let batch = plan(&many, WILDCARD_THRESHOLD);
        assert_eq!(batch, Batch::Everything);
        assert_eq!(batch.items(), vec!["/*".to_string()]);
        let mut with_wildcard = paths(2);
        with_wildcard.push("/*".into());
        assert_eq!(plan(&with_wildcard, 1000), Batch::Everything);
    }

    #[test]
    fn the_limits_fit_cloudfront() {
        const { assert!(WILDCARD_THRESHOLD < BATCH_LIMIT && BATCH_LIMIT <= 3000) };
    }

    #[test]
    fn the_caller_reference_names_the_batch() {
        let at = DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap();
        let a = caller_reference(&paths(2), at);
        assert_eq!(a, caller_reference(&paths(2), at));
        assert!(a.starts_with("podpub-1700000000123456-"), "{a}");
        assert_ne!(a, caller_reference(&paths(3), at));
        assert_ne!(
            a,
            caller_reference(&paths(2), at + chrono::Duration::microseconds(1))
        );
        assert!(a.len() < 128);
    }
}
