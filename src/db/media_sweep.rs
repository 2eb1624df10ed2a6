//! The sweep's queries over uploaded media: uploads that expired, refused ones to forget,
//! whether anything still uses each file, and a purged show's files.

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

use super::media::MediaRow;
use crate::domain::{Media, MediaFacts, MediaPurpose, MediaState, MediaWarning};

/// Uploads whose signed URLs expired before they were completed, oldest first.
pub async fn expired_uploads(
    db: impl PgExecutor<'_>,
    now: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<Media>> {
    let rows = sqlx::query_as!(
        MediaRow,
        r#"select id, show_id, purpose as "purpose: MediaPurpose", episode_id, key, file_name,
              declared_type, declared_length, state as "state: MediaState", upload_id,
              part_bytes, expires_at, source_url, facts as "facts: Json<MediaFacts>",
              warnings as "warnings: Json<Vec<MediaWarning>>", error_code, error_message,
              created_at, updated_at
           from media where state = 'uploading' and expires_at < $1
           order by expires_at limit $2"#,
        now,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Media::from).collect())
}

/// Forgets refused uploads last changed before `before`; how many.
pub async fn forget_refused(db: impl PgExecutor<'_>, before: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "delete from media where state = 'refused' and updated_at < $1",
        before
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Records, for every ready upload, since when nothing uses it (as of `now`), or that
/// something does. In use: named by an episode (live or in the trash: its enclosure, artwork
/// or anything in its Podcasting 2.0 details) or by its show (artwork, details).
pub async fn mark_usage(db: impl PgExecutor<'_>, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query!(
        "with usage as (
            select m.id, (
                exists (select 1 from episodes e where e.show_id = m.show_id
                    and (right(e.enclosure_url, length(m.key) + 1) = '/' || m.key
                         or right(e.image_url, length(m.key) + 1) = '/' || m.key
                         or strpos(e.extras::text, m.key) > 0))
                or exists (select 1 from trashed_episodes e where e.show_id = m.show_id
                    and (right(e.enclosure_url, length(m.key) + 1) = '/' || m.key
                         or right(e.image_url, length(m.key) + 1) = '/' || m.key
                         or strpos(e.extras::text, m.key) > 0))
                or exists (select 1 from shows s where s.id = m.show_id
                    and (right(s.image_url, length(m.key) + 1) = '/' || m.key
                         or strpos(s.extras::text, m.key) > 0))
            ) as used
            from media m where m.state = 'ready'
         )
         update media m set unused_since = case when u.used then null
                                                else coalesce(m.unused_since, $1) end
         from usage u
         where u.id = m.id
           and ((u.used and m.unused_since is not null)
                or (not u.used and m.unused_since is null))",
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Ready uploads nothing has used since before `before`: their ids and keys.
pub async fn unused_since_before(
    db: impl PgExecutor<'_>,
    before: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query!(
        "select id, key from media where state = 'ready' and unused_since < $1
         order by unused_since limit $2",
        before,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.key)).collect())
}

/// The keys of a show's media objects, for purging the show.
pub async fn keys_of(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        "select key from media where show_id = $1 and state <> 'refused'",
        show_id
    )
    .fetch_all(db)
    .await
}
