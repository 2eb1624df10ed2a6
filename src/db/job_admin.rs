//! The job queue as the admin pages see it: jobs that failed, and retrying them.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::{JobKind, JobState};

#[derive(Debug, Clone)]
pub struct TroubledJob {
    pub id: Uuid,
    pub kind: JobKind,
    pub state: JobState,
    pub slug: Option<String>,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub run_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Failed (awaiting a retry) and dead jobs, most recent first.
pub async fn troubled(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<TroubledJob>> {
    sqlx::query_as!(
        TroubledJob,
        "select j.id, j.kind as \"kind: JobKind\", j.state as \"state: JobState\",
            s.slug as \"slug?\", j.attempts, j.max_attempts,
            j.last_error, j.run_at, j.updated_at
         from jobs j left join shows s on s.id = j.show_id
         where j.state in ('failed', 'dead')
         order by j.updated_at desc, j.id
         limit $1",
        limit
    )
    .fetch_all(db)
    .await
}

/// Makes a failed or dead job due now, with one more attempt; false if it is neither.
pub async fn retry(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<bool> {
    let retried = sqlx::query_scalar!(
        "with retried as (
            update jobs set state = 'failed', run_at = now(), finished_at = null,
                max_attempts = greatest(max_attempts, attempts + 1), updated_at = now()
            where id = $1 and state in ('failed', 'dead')
            returning id
         )
         select pg_notify('podpub_jobs', '') is not null as \"retried!\" from retried",
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(retried.is_some())
}
