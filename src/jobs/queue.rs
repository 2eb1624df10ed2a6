//! The job queue: one Postgres table, claimed with `FOR UPDATE SKIP LOCKED` and a lease.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use crate::domain::{JobKind, JobState, QueueDepth};

/// The channel `NOTIFY` wakes idle workers on.
pub const CHANNEL: &str = "podpub_jobs";

/// A claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: Uuid,
    pub kind: JobKind,
    pub show_id: Option<Uuid>,
    pub payload: serde_json::Value,
    pub attempts: i32,
    pub max_attempts: i32,
}

/// A job as the API shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct JobStatus {
    pub id: Uuid,
    pub kind: JobKind,
    pub state: JobState,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub run_at: DateTime<Utc>,
    #[serde(skip)]
    pub show_id: Option<Uuid>,
}

/// Queues a render of `show_id`, due now or at `at`; merges into a pending job for the same
/// moment, so a burst of edits renders once. Call inside the transaction of the change.
pub async fn enqueue_render(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    at: Option<DateTime<Utc>>,
    max_attempts: i32,
) -> sqlx::Result<Uuid> {
    let dedup_key = match at {
        None => format!("render:{show_id}"),
        Some(at) => format!("render:{show_id}@{}", at.timestamp_micros()),
    };
    sqlx::query_scalar!(
        "with job as (
            insert into jobs (kind, show_id, dedup_key, run_at, max_attempts)
            values ('render', $1, $2, coalesce($3, now()), $4)
            on conflict (dedup_key) where state = 'queued'
            do update set updated_at = now()
            returning id
         ), wake as (select pg_notify('podpub_jobs', ''))
         select id as \"id!\" from job, wake",
        show_id,
        dedup_key,
        at,
        max_attempts
    )
    .fetch_one(db)
    .await
}

/// Takes the lock that bulk enqueues (of many shows' renders in one transaction) hold until
/// their transaction ends. Two bulk enqueues that took their keys in different orders would
/// otherwise wait for each other's uncommitted jobs: a deadlock.
pub async fn lock_bulk_enqueue(tx: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(727276)")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Whether `err` is Postgres giving up on a deadlock (40P01): the transaction can be tried
/// again.
pub fn is_deadlock(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.code().as_deref() == Some("40P01"))
}

/// Queues a render of every show, each absorbed by a render already pending; returns how many
/// were new. A bulk enqueue: the transaction holds [`lock_bulk_enqueue`].
pub async fn enqueue_render_all(tx: &mut PgConnection, max_attempts: i32) -> sqlx::Result<u64> {
    lock_bulk_enqueue(tx).await?;
    let queued = sqlx::query_scalar!(
        r#"with jobs as (
            insert into jobs (kind, show_id, dedup_key, max_attempts)
            select 'render', id, 'render:' || id, $1 from shows
            on conflict (dedup_key) where state = 'queued' do nothing
            returning id
         ), wake as (select pg_notify('podpub_jobs', ''))
         select count(*) as "n!" from jobs, wake"#,
        max_attempts
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(u64::try_from(queued).unwrap_or(0))
}

/// Queues a job that isn't coalesced.
pub async fn enqueue(
    db: impl PgExecutor<'_>,
    kind: JobKind,
    show_id: Option<Uuid>,
    payload: serde_json::Value,
    max_attempts: i32,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "with job as (
            insert into jobs (kind, show_id, payload, max_attempts) values ($1, $2, $3, $4)
            returning id
         ), wake as (select pg_notify('podpub_jobs', ''))
         select id as \"id!\" from job, wake",
        kind as _,
        show_id,
        payload,
        max_attempts
    )
    .fetch_one(db)
    .await
}

/// Claims the oldest due job, or one whose lease ran out. Never two running jobs of one kind
/// for one show: a race on that is lost quietly, and the caller tries again later.
pub async fn claim(pool: &PgPool, worker: &str, lease: Duration) -> sqlx::Result<Option<Job>> {
    Ok(claim_batch(pool, worker, lease, 1).await?.pop())
}

/// Claims up to `limit` of the oldest due jobs in one statement, at most one per show and kind;
/// when none is due, one job whose lease ran out. Empty when there is nothing to do, or when a
/// race with another worker over a show's running job was lost (try again later).
pub async fn claim_batch(
    pool: &PgPool,
    worker: &str,
    lease: Duration,
    limit: usize,
) -> sqlx::Result<Vec<Job>> {
    let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
    let limit = i64::try_from(limit.max(1)).unwrap_or(i64::MAX);
    // Due jobs first, then expired leases: one query with an OR cannot stop at the first row.
    // Candidates for one show beyond the first stay queued (their locks end with the statement).
    let due = sqlx::query_as!(
        Job,
        "with candidates as (
            select j.id, j.kind, j.show_id, j.run_at from jobs j
            where j.state in ('queued', 'failed') and j.run_at <= now()
              and not exists (
                select 1 from jobs r
                where r.kind = j.kind and r.show_id = j.show_id and r.state = 'running')
            order by j.run_at, j.id
            limit $3
            for update skip locked
         ), picked as (
            select id from (
                select id, show_id, row_number() over (
                    partition by kind, show_id order by run_at, id) as n
                from candidates) c
            where n = 1 or show_id is null
         )
         update jobs set state = 'running', attempts = attempts + 1, locked_by = $1,
            locked_until = now() + make_interval(secs => $2::bigint / 1000.0), updated_at = now()
         where id in (select id from picked)
         returning id, kind as \"kind: JobKind\", show_id, payload, attempts, max_attempts",
        worker,
        lease_ms,
        limit
    )
    .fetch_all(pool)
    .await;
    let claimed = match due {
        Ok(jobs) if jobs.is_empty() => claim_expired(pool, worker, lease_ms).await,
        other => other,
    };
    match claimed {
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("jobs_running_show_key") => {
            Ok(Vec::new())
        }
        other => other,
    }
}

/// With nothing due: a job whose worker died on its last attempt becomes dead, and one whose
/// lease ran out on an earlier attempt is taken over.
async fn claim_expired(pool: &PgPool, worker: &str, lease_ms: i64) -> sqlx::Result<Vec<Job>> {
    sqlx::query!(
        "update jobs set state = 'dead', finished_at = now(), updated_at = now(),
            locked_until = null,
            last_error = coalesce(last_error || '; ', '') || 'lease expired on the last attempt'
         where state = 'running' and locked_until < now() and attempts >= max_attempts"
    )
    .execute(pool)
    .await?;
    sqlx::query_as!(
        Job,
        "update jobs set attempts = attempts + 1, locked_by = $1,
            locked_until = now() + make_interval(secs => $2::bigint / 1000.0),
            updated_at = now()
         where id = (
            select id from jobs
            where state = 'running' and locked_until < now()
            order by locked_until, id
            limit 1
            for update skip locked)
         returning id, kind as \"kind: JobKind\", show_id, payload, attempts, max_attempts",
        worker,
        lease_ms
    )
    .fetch_all(pool)
    .await
}

/// Marks a job done, if this worker still holds it.
pub async fn complete(pool: &PgPool, id: Uuid, worker: &str) -> sqlx::Result<()> {
    // The NOTIFY wakes workers whose next job for this show was waiting for this one.
    sqlx::query!(
        "with done as (
            update jobs set state = 'done', finished_at = now(), updated_at = now(),
                locked_until = null, last_error = null
            where id = $1 and state = 'running' and locked_by = $2
            returning id
         )
         select pg_notify('podpub_jobs', '') from done",
        id,
        worker
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed attempt: retried after an exponential backoff with jitter (capped at ten
/// minutes), or dead once its attempts are used up. Returns the new state; `None` when this
/// worker no longer held the job.
pub async fn fail(
    pool: &PgPool,
    id: Uuid,
    worker: &str,
    error: &str,
) -> sqlx::Result<Option<JobState>> {
    sqlx::query_scalar!(
        "update jobs set
            state = case when attempts >= max_attempts then 'dead' else 'failed' end,
            run_at = now() + least(interval '10 minutes',
                interval '1 second' * power(2, least(attempts, 20))) * (0.5 + random() / 2),
            finished_at = case when attempts >= max_attempts then now() end,
            last_error = $3, locked_until = null, updated_at = now()
         where id = $1 and state = 'running' and locked_by = $2
         returning state as \"state: JobState\"",
        id,
        worker,
        error
    )
    .fetch_optional(pool)
    .await
}

/// Whether a job of `kind` other than `id` is running (and its lease has not run out).
pub async fn another_running(pool: &PgPool, kind: JobKind, id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "select exists (select 1 from jobs where kind = $1 and state = 'running'
            and id <> $2 and locked_until > now())",
    )
    .bind(kind)
    .bind(id)
    .fetch_one(pool)
    .await
}

/// When the next queued job falls due, if any.
/// Counts only jobs `claim` would take: not those waiting for their show's running job, whose
/// end (or lease expiry) is the time to look again.
pub async fn next_due(pool: &PgPool) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar!(
        "select min(at) from (
            select j.run_at as at from jobs j
            where j.state in ('queued', 'failed')
              and not exists (
                select 1 from jobs r
                where r.kind = j.kind and r.show_id = j.show_id and r.state = 'running')
            union all
            select locked_until from jobs where state = 'running'
         ) due"
    )
    .fetch_one(pool)
    .await
}

/// Extends the lease of a job this worker is still running.
pub async fn heartbeat(pool: &PgPool, id: Uuid, worker: &str, lease: Duration) -> sqlx::Result<()> {
    let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
    sqlx::query!(
        "update jobs set locked_until = now() + make_interval(secs => $3::bigint / 1000.0)
         where id = $1 and locked_by = $2 and state = 'running'",
        id,
        worker,
        lease_ms
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn status(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<JobStatus>> {
    sqlx::query_as!(
        JobStatus,
        r#"select id, kind as "kind: JobKind", state as "state: JobState", attempts, last_error,
            run_at, show_id
           from jobs where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await
}

/// Queues a job of `kind`, not tied to a show, due `delay` from now (on the database clock).
/// A pending job with the same `dedup_key` absorbs it and runs at the earlier of the two times.
pub async fn enqueue_coalesced(
    db: impl PgExecutor<'_>,
    kind: JobKind,
    dedup_key: &str,
    delay: Duration,
    max_attempts: i32,
) -> sqlx::Result<Uuid> {
    let delay_ms = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
    sqlx::query_scalar(
        "with job as (
            insert into jobs (kind, dedup_key, run_at, max_attempts)
            values ($1, $2, now() + make_interval(secs => $3::bigint / 1000.0), $4)
            on conflict (dedup_key) where state = 'queued'
            do update set run_at = least(jobs.run_at, excluded.run_at), updated_at = now()
            returning id
         ), wake as (select pg_notify('podpub_jobs', ''))
         select id from job, wake",
    )
    .bind(kind)
    .bind(dedup_key)
    .bind(delay_ms)
    .bind(max_attempts)
    .fetch_one(db)
    .await
}

/// The queue's depth, for `/metrics` and `podpub status`. Done jobs are not counted.
pub async fn depth(db: impl PgExecutor<'_>) -> sqlx::Result<QueueDepth> {
    sqlx::query_as!(
        QueueDepth,
        r#"select
            count(*) filter (where state = 'queued') as "queued!",
            count(*) filter (where state = 'running') as "running!",
            count(*) filter (where state = 'failed') as "failed!",
            count(*) filter (where state = 'dead') as "dead!",
            coalesce(extract(epoch from now() - min(run_at) filter (
                where state in ('queued', 'failed') and run_at <= now()))::bigint, 0)
                as "oldest_due_secs!"
           from jobs where state in ('queued', 'running', 'failed', 'dead')"#
    )
    .fetch_one(db)
    .await
}

/// The newest dead jobs, with their last errors.
pub async fn dead(db: impl PgExecutor<'_>, limit: i64) -> sqlx::Result<Vec<JobStatus>> {
    sqlx::query_as!(
        JobStatus,
        r#"select id, kind as "kind: JobKind", state as "state: JobState", attempts, last_error,
            run_at, show_id
           from jobs where state = 'dead' order by finished_at desc nulls last limit $1"#,
        limit
    )
    .fetch_all(db)
    .await
}
