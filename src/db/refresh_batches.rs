//! Refreshes of many shows at once: a batch and the (possibly coalesced) jobs it waits on.

use sqlx::PgExecutor;
use uuid::Uuid;

/// How a batch's jobs stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub total: i64,
    pub done: i64,
    /// Failed (perhaps awaiting a retry) or dead.
    pub failed: i64,
}

/// A new batch, started by `created_by` (none: the command line).
pub async fn create(db: impl PgExecutor<'_>, created_by: Option<Uuid>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into refresh_batches (created_by) values ($1) returning id",
        created_by
    )
    .fetch_one(db)
    .await
}

/// Adds a job to a batch (a coalesced job may be added twice: once counts).
pub async fn add_job(db: impl PgExecutor<'_>, batch_id: Uuid, job_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into refresh_batch_jobs (batch_id, job_id) values ($1, $2)
         on conflict do nothing",
        batch_id,
        job_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// How the batch's jobs stand; `None` if there is no such batch.
pub async fn counts(db: impl PgExecutor<'_>, batch_id: Uuid) -> sqlx::Result<Option<Counts>> {
    let row = sqlx::query!(
        r#"select exists (select 1 from refresh_batches where id = $1) as "exists!",
            count(j.id) as "total!",
            count(j.id) filter (where j.state = 'done') as "done!",
            count(j.id) filter (where j.state in ('failed', 'dead')) as "failed!"
           from refresh_batch_jobs b join jobs j on j.id = b.job_id
           where b.batch_id = $1"#,
        batch_id
    )
    .fetch_one(db)
    .await?;
    Ok(row.exists.then_some(Counts {
        total: row.total,
        done: row.done,
        failed: row.failed,
    }))
}
