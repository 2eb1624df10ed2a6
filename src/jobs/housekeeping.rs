//! Deleting what is no longer needed, so the queue and the sign-in tables stay small however
//! long podpub runs: finished jobs and refresh batches past the retention period, expired UI
//! sessions, and failed sign-ins older than the throttling window needs.
//!
//! Dead jobs are kept: they wait for a person (`podpub status`, the admin page).

use std::time::Duration;

use sqlx::PgPool;

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
