//! The `invalidate` job: CloudFront invalidation of the paths that changed.
//!
//! A render that wrote objects queues their CDN paths, together with one coalesced `invalidate`
//! job due a window later, in the transaction that records the publish. That job sends
//! everything queued by then as one CreateInvalidation, or a single `/*` when the batch is huge,
//! and removes what it sent.

use std::time::Duration;

use anyhow::Context;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::queue;
use crate::db::cdn_invalidations;
use crate::domain::JobKind;
use crate::publish::cdn::{caller_reference, cdn_path, plan, Batch, Cdn, WILDCARD_THRESHOLD};

/// How many queued paths (oldest first) one job reads.
pub const BATCH_LIMIT: usize = 3000;

/// The dedup key of the pending `invalidate` job: new paths merge into it.
const DEDUP_KEY: &str = "invalidate";

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
    cdn_invalidations::queue(&mut *tx, &paths).await?;
    queue::enqueue_coalesced(
        &mut *tx,
        JobKind::Invalidate,
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
    if queue::another_running(pool, JobKind::Invalidate, job_id).await? {
        let delay = cdn.window().max(Duration::from_secs(1));
        queue::enqueue_coalesced(pool, JobKind::Invalidate, DEDUP_KEY, delay, max_attempts).await?;
        return Ok(InvalidateOutcome::Deferred);
    }

    let (rows, read_at) = cdn_invalidations::oldest(pool, BATCH_LIMIT)
        .await
        .context("reading the queued CDN paths")?;
    let Some(read_at) = read_at else {
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
            cdn_invalidations::remove_all_until(pool, read_at)
                .await
                .context("removing the invalidated CDN paths")?;
            false
        }
        Batch::Paths(sent) => {
            cdn_invalidations::remove(pool, sent, read_at)
                .await
                .context("removing the invalidated CDN paths")?;
            sent.len() == BATCH_LIMIT
        }
    };
    tracing::info!(
        distribution = %cdn.distribution_id(),
        invalidation = %invalidation_id,
        paths = paths.len(),
        wildcard = batch == Batch::Everything,
        "CDN invalidation created"
    );

    if cdn_invalidations::any(pool).await? {
        let delay = if truncated {
            Duration::ZERO
        } else {
            cdn.window()
        };
        queue::enqueue_coalesced(pool, JobKind::Invalidate, DEDUP_KEY, delay, max_attempts).await?;
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

    #[test]
    fn the_limits_fit_cloudfront() {
        const { assert!(WILDCARD_THRESHOLD < BATCH_LIMIT && BATCH_LIMIT <= 3000) };
    }
}
