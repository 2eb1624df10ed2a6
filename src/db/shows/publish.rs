//! What the worker records on a show: the inputs of its last render and how its last publish
//! went.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

/// Records a complete render: its inputs' key, and until when it holds. Ignored when the show
/// has moved on to a newer revision than `revision` since.
pub async fn record_rendered_inputs(
    db: impl PgExecutor<'_>,
    id: Uuid,
    revision: i64,
    inputs: &str,
    until: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set rendered_inputs = $3, rendered_until = $4
         where id = $1 and revision = $2
           and (rendered_inputs is distinct from $3 or rendered_until is distinct from $4)",
        id,
        revision,
        inputs,
        until
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Makes the next render of these shows render in full, as if their inputs had changed.
pub async fn forget_rendered_inputs(db: impl PgExecutor<'_>, ids: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set rendered_inputs = null, rendered_until = null where id = any($1)",
        ids
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A show whose last publish failed or met a conflict.
#[derive(Debug, Clone)]
pub struct Troubled {
    pub slug: String,
    pub publish_error: Option<String>,
    pub publish_conflict: bool,
}

/// Shows whose last publish failed or met another installation's object, conflicts first.
pub async fn troubled(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Troubled>> {
    sqlx::query_as!(
        Troubled,
        "select slug, publish_error, publish_conflict from shows
         where publish_conflict or publish_error is not null
         order by publish_conflict desc, slug"
    )
    .fetch_all(db)
    .await
}

/// Records the outcome of a publish attempt.
pub async fn record_publish_result(
    db: impl PgExecutor<'_>,
    id: Uuid,
    revision: i64,
    error: Option<&str>,
    conflict: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set
            published_revision = case when $3::text is null and not $4
                then greatest(coalesce(published_revision, 0), $2) else published_revision end,
            publish_error = $3, publish_conflict = $4
         where id = $1
           -- A repeat of the recorded outcome writes nothing (unchanged refreshes).
           and (publish_error is distinct from $3 or publish_conflict <> $4
                or ($3::text is null and not $4
                    and coalesce(published_revision, 0) < $2))",
        id,
        revision,
        error,
        conflict
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records why the last publish attempt failed.
pub async fn record_publish_error(
    db: impl PgExecutor<'_>,
    id: Uuid,
    message: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set publish_error = $2 where id = $1",
        id,
        message
    )
    .execute(db)
    .await?;
    Ok(())
}
