//! "Copy media": what a show's episodes and artwork name by URL, the copies made of them (media
//! rows with a `source_url`), and the switch of a URL to its verified copy.

use sqlx::PgExecutor;
use uuid::Uuid;

use crate::domain::MediaPurpose;

pub use super::media::copies_and_ready;

/// A file a show names by URL: an episode's enclosure or artwork, or the show's artwork.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub purpose: MediaPurpose,
    /// None for the show's artwork.
    pub episode_id: Option<Uuid>,
    /// The episode's title, or the show's.
    pub title: String,
    pub url: String,
    /// The enclosure's declared length and type (artwork declares neither).
    pub length: Option<i64>,
    pub content_type: Option<String>,
}

struct EpisodeFiles {
    id: Uuid,
    title: String,
    enclosure_url: String,
    enclosure_length: i64,
    enclosure_type: String,
    image_url: Option<String>,
}

/// Every file the show and its live episodes name, the show's artwork first, then the
/// episodes newest first (enclosure before artwork).
pub async fn named_files(
    db: impl PgExecutor<'_> + Copy,
    show_id: Uuid,
) -> sqlx::Result<Vec<Named>> {
    let show = sqlx::query!("select title, image_url from shows where id = $1", show_id)
        .fetch_optional(db)
        .await?
        .map(|r| (r.title, r.image_url));
    let episodes = sqlx::query_as!(
        EpisodeFiles,
        "select id, title, enclosure_url, enclosure_length, enclosure_type, image_url
         from episodes where show_id = $1 order by publish_at desc, id desc",
        show_id
    )
    .fetch_all(db)
    .await?;
    let mut named = Vec::with_capacity(episodes.len() * 2 + 1);
    if let Some((title, Some(url))) = show {
        named.push(Named {
            purpose: MediaPurpose::ShowArtwork,
            episode_id: None,
            title,
            url,
            length: None,
            content_type: None,
        });
    }
    for e in episodes {
        named.push(Named {
            purpose: MediaPurpose::EpisodeMedia,
            episode_id: Some(e.id),
            title: e.title.clone(),
            url: e.enclosure_url,
            length: Some(e.enclosure_length),
            content_type: Some(e.enclosure_type),
        });
        if let Some(url) = e.image_url {
            named.push(Named {
                purpose: MediaPurpose::EpisodeArtwork,
                episode_id: Some(e.id),
                title: e.title,
                url,
                length: None,
                content_type: None,
            });
        }
    }
    Ok(named)
}

/// Forgets the refused copies of one file (before it is tried again).
pub async fn forget_refused(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    episode_id: Option<Uuid>,
    purpose: MediaPurpose,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from media where show_id = $1 and episode_id is not distinct from $2
            and purpose = $3 and source_url is not null and state = 'refused'",
        show_id,
        episode_id as _,
        purpose as _,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Makes a copy a plain upload: the file it was made for now names another URL, so a new copy
/// may be made (the old object stays for the sweep).
pub async fn detach(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update media set source_url = null, updated_at = now() where id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records the downloaded file: its final key, type and length; the copy is probed next.
pub async fn downloaded(
    db: impl PgExecutor<'_>,
    id: Uuid,
    key: &str,
    content_type: &str,
    length: i64,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update media set key = $2, declared_type = $3, declared_length = $4,
            state = 'probing', updated_at = now()
         where id = $1",
        id,
        key,
        content_type,
        length,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Whether a copy job of the show waits (queued, or failed and waiting for its retry) or runs.
pub async fn job_state(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<(bool, bool)> {
    let row = sqlx::query!(
        r#"select coalesce(bool_or(state in ('queued', 'failed')), false) as "waiting!",
                  coalesce(bool_or(state = 'running'), false) as "running!"
           from jobs where kind = 'copy_media' and show_id = $1
             and state in ('queued', 'failed', 'running')"#,
        show_id
    )
    .fetch_one(db)
    .await?;
    Ok((row.waiting, row.running))
}
