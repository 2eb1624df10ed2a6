//! Uploaded media: one row per upload, from its signed URLs to the probe's verdict.

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

use crate::domain::{Media, MediaFacts, MediaPurpose, MediaState, MediaWarning};

pub(super) struct MediaRow {
    pub(super) id: Uuid,
    pub(super) show_id: Uuid,
    pub(super) purpose: MediaPurpose,
    pub(super) episode_id: Option<Uuid>,
    pub(super) key: String,
    pub(super) file_name: String,
    pub(super) declared_type: String,
    pub(super) declared_length: i64,
    pub(super) state: MediaState,
    pub(super) upload_id: Option<String>,
    pub(super) part_bytes: Option<i64>,
    pub(super) expires_at: DateTime<Utc>,
    pub(super) source_url: Option<String>,
    pub(super) facts: Option<Json<MediaFacts>>,
    pub(super) warnings: Json<Vec<MediaWarning>>,
    pub(super) error_code: Option<String>,
    pub(super) error_message: Option<String>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
}

impl From<MediaRow> for Media {
    fn from(r: MediaRow) -> Media {
        Media {
            id: r.id,
            show_id: r.show_id,
            purpose: r.purpose,
            episode_id: r.episode_id,
            key: r.key,
            file_name: r.file_name,
            declared_type: r.declared_type,
            declared_length: r.declared_length,
            state: r.state,
            upload_id: r.upload_id,
            part_bytes: r.part_bytes,
            expires_at: r.expires_at,
            source_url: r.source_url,
            facts: r.facts.map(|f| f.0),
            warnings: r.warnings.0,
            error: r.error_code.zip(r.error_message),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Records a new upload (state `uploading`).
pub async fn insert(db: impl PgExecutor<'_>, m: &Media) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into media (id, show_id, purpose, episode_id, key, file_name, declared_type,
            declared_length, state, upload_id, part_bytes, expires_at, source_url)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        m.id,
        m.show_id,
        m.purpose as _,
        m.episode_id,
        m.key,
        m.file_name,
        m.declared_type,
        m.declared_length,
        m.state as _,
        m.upload_id,
        m.part_bytes,
        m.expires_at,
        m.source_url,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// An upload of `show_id`.
pub async fn find(db: impl PgExecutor<'_>, show_id: Uuid, id: Uuid) -> sqlx::Result<Option<Media>> {
    Ok(find_by_id(db, id).await?.filter(|m| m.show_id == show_id))
}

/// An upload, whichever show it belongs to (for jobs and signed upload URLs).
pub async fn find_by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Media>> {
    let row = sqlx::query_as!(
        MediaRow,
        r#"select id, show_id, purpose as "purpose: MediaPurpose", episode_id, key, file_name,
              declared_type, declared_length, state as "state: MediaState", upload_id,
              part_bytes, expires_at, source_url, facts as "facts: Json<MediaFacts>",
              warnings as "warnings: Json<Vec<MediaWarning>>", error_code, error_message,
              created_at, updated_at
           from media where id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(Media::from))
}

/// A show's uploads, newest first.
pub async fn list(db: impl PgExecutor<'_>, show_id: Uuid, limit: i64) -> sqlx::Result<Vec<Media>> {
    let rows = sqlx::query_as!(
        MediaRow,
        r#"select id, show_id, purpose as "purpose: MediaPurpose", episode_id, key, file_name,
              declared_type, declared_length, state as "state: MediaState", upload_id,
              part_bytes, expires_at, source_url, facts as "facts: Json<MediaFacts>",
              warnings as "warnings: Json<Vec<MediaWarning>>", error_code, error_message,
              created_at, updated_at
           from media where show_id = $1 order by created_at desc, id limit $2"#,
        show_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Media::from).collect())
}

/// A show's copies ("copy media": `source_url` set) and its ready uploads, oldest first.
pub async fn copies_and_ready(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Vec<Media>> {
    let rows = sqlx::query_as!(
        MediaRow,
        r#"select id, show_id, purpose as "purpose: MediaPurpose", episode_id, key, file_name,
              declared_type, declared_length, state as "state: MediaState", upload_id,
              part_bytes, expires_at, source_url, facts as "facts: Json<MediaFacts>",
              warnings as "warnings: Json<Vec<MediaWarning>>", error_code, error_message,
              created_at, updated_at
           from media where show_id = $1 and (source_url is not null or state = 'ready')
           order by created_at, id"#,
        show_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Media::from).collect())
}

/// The bytes a show's media hold or have been promised (uploads under way count at their
/// declared length; refused ones not at all).
pub async fn bytes_used(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<i64> {
    let used = sqlx::query_scalar!(
        r#"select coalesce(sum(coalesce((facts->>'length')::bigint, declared_length)), 0)::bigint
              as "used!"
           from media where show_id = $1 and state <> 'refused'"#,
        show_id
    )
    .fetch_one(db)
    .await?;
    Ok(used)
}

/// Moves an upload from `from` to `to`; false when it was not in `from` (a concurrent call
/// moved it first).
pub async fn advance(
    db: impl PgExecutor<'_>,
    id: Uuid,
    from: MediaState,
    to: MediaState,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update media set state = $3, updated_at = now() where id = $1 and state = $2",
        id,
        from as _,
        to as _,
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records what probing found: the upload is ready.
pub async fn mark_ready(
    db: impl PgExecutor<'_>,
    id: Uuid,
    facts: &MediaFacts,
    warnings: &[MediaWarning],
) -> sqlx::Result<()> {
    sqlx::query!(
        "update media set state = 'ready', facts = $2, warnings = $3, error_code = null,
            error_message = null, updated_at = now()
         where id = $1",
        id,
        Json(facts) as _,
        Json(warnings) as _,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records why an upload was refused (its object is removed by the caller).
pub async fn mark_refused(
    db: impl PgExecutor<'_>,
    id: Uuid,
    code: &str,
    message: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update media set state = 'refused', error_code = $2, error_message = $3,
            upload_id = null, updated_at = now()
         where id = $1",
        id,
        code,
        message,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets an upload.
pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from media where id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}

/// What uses the object at `key`: the titles of episodes (live or in the trash) whose
/// enclosure or artwork it is, and the show if it is its artwork.
pub async fn users_of(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    url: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar!(
        r#"select title as "title!" from (
             select title from episodes
               where show_id = $1 and (enclosure_url = $2 or image_url = $2)
             union all
             select title from trashed_episodes
               where show_id = $1 and (enclosure_url = $2 or image_url = $2)
             union all
             select title from shows where id = $1 and image_url = $2
           ) used limit 5"#,
        show_id,
        url
    )
    .fetch_all(db)
    .await
}

/// Fills in what a probed upload is for: its episode's enclosure (URL, length, type and the
/// duration, rounded) or artwork, or the show's artwork. With `replacing`, only if that still
/// names the URL `replacing`. False when nothing was filled (the episode is gone, the upload
/// names no episode, or the URL changed).
pub async fn fill(
    db: impl PgExecutor<'_>,
    media: &Media,
    url: &str,
    facts: &MediaFacts,
    replacing: Option<&str>,
) -> sqlx::Result<bool> {
    let done = match (media.purpose, media.episode_id) {
        (MediaPurpose::EpisodeMedia, Some(episode)) => {
            let duration = facts.duration_seconds.map(|d| d.round() as i32);
            sqlx::query!(
                "update episodes set enclosure_url = $3, enclosure_length = $4,
                    enclosure_type = $5, duration_seconds = coalesce($6, duration_seconds),
                    updated_at = now()
                 where show_id = $1 and id = $2 and ($7::text is null or enclosure_url = $7)",
                media.show_id,
                episode,
                url,
                facts.length,
                facts.content_type,
                duration,
                replacing,
            )
            .execute(db)
            .await?
        }
        (MediaPurpose::EpisodeArtwork, Some(episode)) => {
            sqlx::query!(
                "update episodes set image_url = $3, updated_at = now()
                 where show_id = $1 and id = $2 and ($4::text is null or image_url = $4)",
                media.show_id,
                episode,
                url,
                replacing,
            )
            .execute(db)
            .await?
        }
        (MediaPurpose::ShowArtwork, _) => {
            sqlx::query!(
                "update shows set image_url = $2, updated_at = now()
                 where id = $1 and ($3::text is null or image_url = $3)",
                media.show_id,
                url,
                replacing,
            )
            .execute(db)
            .await?
        }
        _ => return Ok(false),
    };
    Ok(done.rows_affected() == 1)
}

/// What the probe of an uploaded image found that the feed's checks use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFacts {
    /// Width and height in pixels.
    pub size: Option<(u32, u32)>,
    /// The probe's `artwork_not_rgb` message, when the image is not RGB.
    pub not_rgb: Option<String>,
}

/// What the probe found of the upload of `show_id` served at `url`, if there is one.
pub async fn image_facts(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    url: &str,
) -> sqlx::Result<Option<ImageFacts>> {
    let row = sqlx::query!(
        r#"select (facts->>'width')::int as width, (facts->>'height')::int as height,
             (select w->>'message' from jsonb_array_elements(warnings) w
              where w->>'code' = 'artwork_not_rgb' limit 1) as not_rgb
           from media
           where show_id = $1 and state = 'ready' and right($2, length(key) + 1) = '/' || key"#,
        show_id,
        url
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let side = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
        ImageFacts {
            size: side(r.width).zip(side(r.height)),
            not_rgb: r.not_rgb,
        }
    }))
}
