//! CDN paths waiting for a CloudFront invalidation.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// Queues `paths`. A path that is already queued moves to now: an invalidation sent from an
/// older read of it may predate this write, so only a read that sees the new time may remove it.
pub async fn queue(db: impl PgExecutor<'_>, paths: &[String]) -> sqlx::Result<()> {
    sqlx::query(
        "insert into cdn_invalidations (path) select unnest($1::text[])
         on conflict (path) do update
         set queued_at = greatest(cdn_invalidations.queued_at, excluded.queued_at)",
    )
    .bind(paths)
    .execute(db)
    .await?;
    Ok(())
}

/// The oldest queued paths, at most `limit`, each with when it was queued, and the time of the
/// read (the database clock).
pub async fn oldest(
    db: impl PgExecutor<'_>,
    limit: usize,
) -> sqlx::Result<(Vec<(String, DateTime<Utc>)>, Option<DateTime<Utc>>)> {
    let rows: Vec<(String, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
        "select path, queued_at, now() from cdn_invalidations order by queued_at, path limit $1",
    )
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await?;
    let read_at = rows.first().map(|r| r.2);
    Ok((rows.into_iter().map(|r| (r.0, r.1)).collect(), read_at))
}

/// Removes every path queued at or before `read_at` (after a `/*`).
pub async fn remove_all_until(db: impl PgExecutor<'_>, read_at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("delete from cdn_invalidations where queued_at <= $1")
        .bind(read_at)
        .execute(db)
        .await?;
    Ok(())
}

/// Removes `paths` unless they were queued again after `read_at`.
pub async fn remove(
    db: impl PgExecutor<'_>,
    paths: &[String],
    read_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("delete from cdn_invalidations where path = any($1) and queued_at <= $2")
        .bind(paths)
        .bind(read_at)
        .execute(db)
        .await?;
    Ok(())
}

/// Whether any path is still queued.
pub async fn any(db: impl PgExecutor<'_>) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists (select 1 from cdn_invalidations)")
        .fetch_one(db)
        .await
}
