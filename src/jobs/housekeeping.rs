//! Deleting what is no longer needed, so the queue and the sign-in tables stay small however
//! long podpub runs: finished jobs and refresh batches past the retention period, expired UI
//! sessions, and failed sign-ins older than the throttling window needs; and the trash, past
//! its retention; and feed versions past theirs.
//!
//! Dead jobs are kept: they wait for a person (`podpub status`, the admin page).

use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::queue;
use crate::db::{self, trash};
use crate::domain::{feed_key, JobKind};

/// The most rows one statement deletes, so a first sweep after months does not hold locks
/// or bloat the WAL in one go; the next sweep goes on.
const BATCH: i64 = 5_000;

/// What one sweep deleted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub jobs: u64,
    pub batches: u64,
    pub sessions: u64,
    pub login_failures: u64,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.jobs + self.batches + self.sessions + self.login_failures
    }
}

/// One pass. Refresh batches go first, so a batch never outlives the jobs it counts.
pub async fn sweep(pool: &PgPool, retention: Duration) -> sqlx::Result<Swept> {
    let secs = retention.as_secs_f64();
    let batches = sqlx::query!(
        "delete from refresh_batches where id in (select id from refresh_batches
             where created_at < now() - make_interval(secs => $1) limit $2)",
        secs,
        BATCH
    )
    .execute(pool)
    .await?
    .rows_affected();
    let jobs = sqlx::query!(
        "delete from jobs where id in (select id from jobs
             where state = 'done' and finished_at < now() - make_interval(secs => $1) limit $2)",
        secs,
        BATCH
    )
    .execute(pool)
    .await?
    .rows_affected();
    let sessions = sqlx::query!(
        "delete from sessions where id_hash in (select id_hash from sessions
             where expires_at < now() limit $1)",
        BATCH
    )
    .execute(pool)
    .await?
    .rows_affected();
    let login_failures = sqlx::query!(
        "delete from login_failures where id in (select id from login_failures
             where at < now() - interval '1 day' limit $1)",
        BATCH
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(Swept {
        jobs,
        batches,
        sessions,
        login_failures,
    })
}

/// Deletes the feed versions past both retentions: not among their show's newest
/// `min_versions` (PODPUB_FEED_HISTORY_MIN_VERSIONS) and older than `days`
/// (PODPUB_FEED_HISTORY_DAYS), whichever keeps more. Returns how many went.
pub async fn prune_feed_history(
    pool: &PgPool,
    min_versions: i64,
    days: Duration,
) -> anyhow::Result<u64> {
    let since = Utc::now() - chrono::Duration::from_std(days)?;
    let mut pruned = 0;
    loop {
        let n = db::feed_versions::prune(pool, min_versions, since, BATCH).await?;
        pruned += n;
        if n < BATCH as u64 {
            return Ok(pruned);
        }
    }
}

/// What one sweep of the trash purged.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub shows: u64,
    pub episodes: u64,
}

/// Purges what has been in the trash for longer than `retention` (PODPUB_TRASH_RETENTION_DAYS):
/// episodes (already out of their feeds), and shows with their feed objects (see
/// [`purge_show`]). Each show is its own transaction, and one restored meanwhile is kept.
pub async fn sweep_trash(
    pool: &PgPool,
    retention: Duration,
    max_attempts: i32,
) -> anyhow::Result<Purged> {
    let before = Utc::now() - chrono::Duration::from_std(retention)?;
    let episodes = trash::purge_episodes_before(pool, before, BATCH).await?;
    let mut shows = 0;
    for id in trash::shows_deleted_before(pool, before, BATCH).await? {
        let mut tx = pool.begin().await?;
        let Some(slug) = db::shows::lock_expired(&mut *tx, id, before).await? else {
            continue;
        };
        purge_show(&mut tx, id, &slug, max_attempts).await?;
        tx.commit().await?;
        shows += 1;
    }
    Ok(Purged { shows, episodes })
}

/// Deletes edit history older than `retention` (PODPUB_HISTORY_RETENTION_DAYS); zero keeps
/// it forever. How many entries went.
pub async fn prune_history(pool: &PgPool, retention: Duration) -> anyhow::Result<u64> {
    if retention.is_zero() {
        return Ok(0);
    }
    let before = Utc::now() - chrono::Duration::from_std(retention)?;
    Ok(db::history::prune(pool, before).await?)
}

/// Deletes a show for good, in the caller's transaction: its row, episodes, trash, members and
/// uploads, and (by a queued purge job) every object it published or had uploaded. Its slug is free at once.
pub async fn purge_show(
    tx: &mut PgConnection,
    id: Uuid,
    slug: &str,
    max_attempts: i32,
) -> sqlx::Result<()> {
    let mut keys = db::publications::keys_of(&mut *tx, id).await?;
    if !keys.contains(&feed_key(slug)) {
        keys.push(feed_key(slug));
    }
    // Its uploaded media go too (their rows go with the show's).
    keys.extend(db::media_sweep::keys_of(&mut *tx, id).await?);
    db::shows::purge(&mut *tx, id).await?;
    let payload = json!({ "keys": keys });
    queue::enqueue(&mut *tx, JobKind::Purge, None, payload, max_attempts).await?;
    Ok(())
}
