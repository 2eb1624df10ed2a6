//! What a re-import checks to prove a feed is the show's podcast: where the show was first
//! imported from, and whether it already has any of the feed's episodes.

use sqlx::PgExecutor;
use uuid::Uuid;

/// The URL the show was imported from, if it was imported (and recorded).
pub async fn import_source(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!("select import_source_url from shows where id = $1", show_id)
        .fetch_one(db)
        .await
}

/// Records where the show was imported from: always when `overwrite`, else only if nothing was.
pub async fn record_import_source(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    url: &str,
    overwrite: bool,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set import_source_url = case when $3 then $2 \
         else coalesce(import_source_url, $2) end where id = $1",
        show_id,
        url,
        overwrite
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Serialises imports that choose a slug from the title until the transaction ends, so that
/// two at once of one title get `my-show` and `my-show-2`, not a conflict.
pub async fn lock_slug_choice(tx: &mut sqlx::PgConnection) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(727277)")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// How many of `guids` the show's episodes have.
pub async fn shared_episodes(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    guids: &[String],
) -> sqlx::Result<i64> {
    let n = sqlx::query_scalar!(
        "select count(*) from episodes where show_id = $1 and guid = any($2)",
        show_id,
        guids
    )
    .fetch_one(db)
    .await?;
    Ok(n.unwrap_or(0))
}
