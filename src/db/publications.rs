//! What is in the object store, as far as this installation knows.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::ObjectKind;

/// One published object.
#[derive(Debug, Clone)]
pub struct Publication {
    pub key: String,
    pub show_id: Option<Uuid>,
    pub kind: ObjectKind,
    pub revision: i64,
    pub sha256: String,
    pub etag: String,
    pub bytes: i64,
    pub episode_count: i32,
    pub redirect_location: Option<String>,
    pub published_at: DateTime<Utc>,
}

pub async fn find(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<Option<Publication>> {
    sqlx::query_as!(
        Publication,
        r#"select key, show_id, kind as "kind: ObjectKind", revision, sha256, etag, bytes,
            episode_count, redirect_location, published_at
         from publications where key = $1"#,
        key
    )
    .fetch_optional(db)
    .await
}

/// The show's published feed object, if any.
pub async fn feed_of(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Option<Publication>> {
    sqlx::query_as!(
        Publication,
        r#"select key, show_id, kind as "kind: ObjectKind", revision, sha256, etag, bytes,
            episode_count, redirect_location, published_at
         from publications where show_id = $1 and kind = 'feed'
         order by published_at desc limit 1"#,
        show_id
    )
    .fetch_optional(db)
    .await
}

/// Every object a show owns.
pub async fn of_show(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Vec<Publication>> {
    sqlx::query_as!(
        Publication,
        r#"select key, show_id, kind as "kind: ObjectKind", revision, sha256, etag, bytes,
            episode_count, redirect_location, published_at
         from publications where show_id = $1 order by key"#,
        show_id
    )
    .fetch_all(db)
    .await
}

/// Keys of every object a show owns.
pub async fn keys_of(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!("select key from publications where show_id = $1", show_id)
        .fetch_all(db)
        .await
}

/// Records a write; never moves a key back to an older revision.
pub async fn record(db: impl PgExecutor<'_>, p: &Publication) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into publications (key, show_id, kind, revision, sha256, etag, bytes,
            episode_count, redirect_location, published_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (key) do update set show_id = excluded.show_id, kind = excluded.kind,
            revision = excluded.revision, sha256 = excluded.sha256, etag = excluded.etag,
            bytes = excluded.bytes, episode_count = excluded.episode_count,
            redirect_location = excluded.redirect_location, published_at = excluded.published_at
         where publications.revision <= excluded.revision",
        p.key,
        p.show_id,
        p.kind as _,
        p.revision,
        p.sha256,
        p.etag,
        p.bytes,
        p.episode_count,
        p.redirect_location,
        p.published_at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets what the shows' objects hold, so that their next render uploads every object again
/// (fenced as always), even bytes that look unchanged: for a bucket that was emptied or restored.
pub async fn forget_hashes(db: impl PgExecutor<'_>, show_ids: &[Uuid]) -> sqlx::Result<()> {
    sqlx::query!(
        "update publications set sha256 = '' where show_id = any($1)",
        show_ids
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn forget(db: impl PgExecutor<'_>, key: &str) -> sqlx::Result<()> {
    sqlx::query!("delete from publications where key = $1", key)
        .execute(db)
        .await?;
    Ok(())
}

/// Records `identity` as where this installation publishes, and returns the one before when
/// it was somewhere else: the new store then holds none of the objects this table remembers
/// (the caller forgets their hashes and queues every show). The first record returns none.
pub async fn adopt_target(
    tx: &mut sqlx::PgConnection,
    identity: &str,
) -> sqlx::Result<Option<String>> {
    let before = sqlx::query_scalar!("select publish_target from instance for update")
        .fetch_one(&mut *tx)
        .await?;
    if before.as_deref() == Some(identity) {
        return Ok(None);
    }
    sqlx::query!("update instance set publish_target = $1", identity)
        .execute(&mut *tx)
        .await?;
    Ok(before)
}

/// Forgets what every object holds, so that the next render of each show uploads all its
/// objects again (fenced as always).
pub async fn forget_all_hashes(db: impl PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query!("update publications set sha256 = ''")
        .execute(db)
        .await?;
    Ok(())
}

/// This installation's id, stamped on every object it writes.
pub async fn installation_id(db: impl PgExecutor<'_>) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!("select installation_id from instance")
        .fetch_one(db)
        .await
}

/// Records `headers` (the Content-Type and Cache-Control objects are written with), and
/// returns the ones before when they differed: the objects stored then still carry those (the
/// caller forgets their hashes and queues every show). Not recorded yet counts as
/// `unrecorded`: what the versions before this record wrote.
pub async fn adopt_headers(
    tx: &mut sqlx::PgConnection,
    headers: &str,
    unrecorded: &str,
) -> sqlx::Result<Option<String>> {
    let recorded = sqlx::query_scalar!("select object_headers from instance for update")
        .fetch_one(&mut *tx)
        .await?;
    if recorded.as_deref() == Some(headers) {
        return Ok(None);
    }
    sqlx::query!("update instance set object_headers = $1", headers)
        .execute(&mut *tx)
        .await?;
    let before = recorded.unwrap_or_else(|| unrecorded.to_string());
    Ok((before != headers).then_some(before))
}
