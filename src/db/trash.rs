//! The trash: deleted episodes, moved whole to `trashed_episodes` (id, guid, dates, numbering,
//! every field), and deleted shows (their row stays, with status `deleted` and `deleted_at`).

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

use super::episodes::EpisodeRow;
use crate::domain::{Episode, EpisodeExtras, EpisodeStatus, EpisodeType, Viewer};

/// An episode in the trash, exactly as it was, and when it was deleted.
#[derive(Debug, Clone)]
pub struct TrashedEpisode {
    pub episode: Episode,
    pub deleted_at: DateTime<Utc>,
}

/// A deleted show, and whether the viewer may restore or purge it (an owner or an admin).
#[derive(Debug, Clone)]
pub struct TrashedShow {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub deleted_at: DateTime<Utc>,
    pub owned: bool,
}

/// Moves an episode of `show_id` to the trash; false when there is no such live episode.
pub async fn trash_episode(db: impl PgExecutor<'_>, show_id: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let moved = sqlx::query!(
        "with gone as (delete from episodes where show_id = $1 and id = $2 returning *)
         insert into trashed_episodes (id, show_id, guid, title, description, enclosure_url,
            enclosure_length, enclosure_type, duration_seconds, season, episode, episode_type,
            explicit, image_url, transcript_url, transcript_type, chapters_url, status,
            publish_at, extras, created_at, updated_at, description_markdown)
         select id, show_id, guid, title, description, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, episode_type, explicit, image_url,
            transcript_url, transcript_type, chapters_url, status, publish_at, extras,
            created_at, updated_at, description_markdown
         from gone",
        show_id,
        id
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(moved == 1)
}

/// Moves an episode back from the trash, unchanged; `None` when it is not in the trash. A live
/// episode that took its guid meanwhile fails on `episodes_show_guid_key`.
pub async fn restore_episode(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar!(
        "with back as (delete from trashed_episodes where show_id = $1 and id = $2 returning *)
         insert into episodes (id, show_id, guid, title, description, enclosure_url,
            enclosure_length, enclosure_type, duration_seconds, season, episode, episode_type,
            explicit, image_url, transcript_url, transcript_type, chapters_url, status,
            publish_at, extras, created_at, updated_at, description_markdown)
         select id, show_id, guid, title, description, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, episode_type, explicit, image_url,
            transcript_url, transcript_type, chapters_url, status, publish_at, extras,
            created_at, updated_at, description_markdown
         from back
         returning publish_at",
        show_id,
        id
    )
    .fetch_optional(db)
    .await
}

/// Deletes an episode in the trash for good; false when it is not there.
pub async fn purge_episode(db: impl PgExecutor<'_>, show_id: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let gone = sqlx::query!(
        "delete from trashed_episodes where show_id = $1 and id = $2",
        show_id,
        id
    )
    .execute(db)
    .await?
    .rows_affected();
    Ok(gone == 1)
}

/// The episodes of a show in the trash, last deleted first.
pub async fn episodes_of(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
) -> sqlx::Result<Vec<TrashedEpisode>> {
    let rows = sqlx::query!(
        r#"select id, show_id, guid, title, description, description_markdown, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode,
            episode_type as "episode_type: EpisodeType", explicit, image_url, transcript_url,
            transcript_type, chapters_url, status as "status: EpisodeStatus", publish_at,
            extras as "extras: Json<EpisodeExtras>", created_at, updated_at, deleted_at
         from trashed_episodes where show_id = $1
         order by deleted_at desc, id"#,
        show_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TrashedEpisode {
            deleted_at: r.deleted_at,
            episode: Episode::from(EpisodeRow {
                id: r.id,
                show_id: r.show_id,
                guid: r.guid,
                title: r.title,
                description: r.description,
                description_markdown: r.description_markdown,
                enclosure_url: r.enclosure_url,
                enclosure_length: r.enclosure_length,
                enclosure_type: r.enclosure_type,
                duration_seconds: r.duration_seconds,
                season: r.season,
                episode: r.episode,
                episode_type: r.episode_type,
                explicit: r.explicit,
                image_url: r.image_url,
                transcript_url: r.transcript_url,
                transcript_type: r.transcript_type,
                chapters_url: r.chapters_url,
                status: r.status,
                publish_at: r.publish_at,
                extras: r.extras,
                created_at: r.created_at,
                updated_at: r.updated_at,
            }),
        })
        .collect())
}

/// Deleted shows the viewer can see, last deleted first.
pub async fn shows_of(db: impl PgExecutor<'_>, viewer: Viewer) -> sqlx::Result<Vec<TrashedShow>> {
    sqlx::query_as!(
        TrashedShow,
        r#"select s.id, s.slug, s.title, coalesce(s.deleted_at, s.updated_at) as "deleted_at!",
                ($2 or m.role = 'owner') as "owned!"
           from shows s
           left join show_members m on m.show_id = s.id and m.user_id = $1
           where s.status = 'deleted' and ($2 or m.user_id is not null)
           order by 4 desc, s.slug"#,
        viewer.user_id,
        viewer.is_admin
    )
    .fetch_all(db)
    .await
}

/// Deletes, at most `limit` at a time, episodes in the trash since before `before`.
pub async fn purge_episodes_before(
    db: impl PgExecutor<'_>,
    before: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<u64> {
    Ok(sqlx::query!(
        "delete from trashed_episodes where id in
            (select id from trashed_episodes where deleted_at < $1 limit $2)",
        before,
        limit
    )
    .execute(db)
    .await?
    .rows_affected())
}

/// Deleted shows in the trash since before `before`, at most `limit`.
pub async fn shows_deleted_before(
    db: impl PgExecutor<'_>,
    before: DateTime<Utc>,
    limit: i64,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select id from shows where status = 'deleted' and deleted_at < $1
         order by deleted_at limit $2",
        before,
        limit
    )
    .fetch_all(db)
    .await
}
