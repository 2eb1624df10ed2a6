//! Episodes of a show.

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

use crate::domain::{
    Episode, EpisodeExtras, EpisodeFields, EpisodeState, EpisodeStatus, EpisodeType, Viewer,
};

pub(super) struct EpisodeRow {
    pub(super) id: Uuid,
    pub(super) show_id: Uuid,
    pub(super) guid: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) description_markdown: Option<String>,
    pub(super) enclosure_url: String,
    pub(super) enclosure_length: i64,
    pub(super) enclosure_type: String,
    pub(super) duration_seconds: Option<i32>,
    pub(super) season: Option<i32>,
    pub(super) episode: Option<i32>,
    pub(super) episode_type: EpisodeType,
    pub(super) explicit: Option<bool>,
    pub(super) image_url: Option<String>,
    pub(super) transcript_url: Option<String>,
    pub(super) transcript_type: Option<String>,
    pub(super) chapters_url: Option<String>,
    pub(super) status: EpisodeStatus,
    pub(super) publish_at: DateTime<Utc>,
    pub(super) extras: Json<EpisodeExtras>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
}

impl From<EpisodeRow> for Episode {
    fn from(r: EpisodeRow) -> Episode {
        Episode {
            id: r.id,
            show_id: r.show_id,
            fields: EpisodeFields {
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
                extras: r.extras.0,
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Which episodes to list: a page of at most `limit`, after a `(publish_at, id)` cursor.
#[derive(Debug, Clone)]
pub struct EpisodePage {
    pub state: Option<EpisodeState>,
    pub limit: i64,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub now: DateTime<Utc>,
}

/// A page of the episodes of the show at `slug`, newest first, if the viewer may see it: one
/// query, membership check included, that walks `episodes_show_publish_idx` from the cursor. Empty both for an empty page and for a show the viewer
/// can't see; `shows::find_visible_id` tells them apart.
pub async fn list_visible(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    slug: &str,
    page: &EpisodePage,
) -> sqlx::Result<Vec<Episode>> {
    let (after_at, after_id) = page.after.unzip();
    let rows = sqlx::query_as!(
        EpisodeRow,
        "select e.id, e.show_id, e.guid, e.title, e.description, e.description_markdown, e.enclosure_url,
            e.enclosure_length, e.enclosure_type, e.duration_seconds, e.season, e.episode,
            e.episode_type as \"episode_type: EpisodeType\", e.explicit, e.image_url, e.transcript_url, e.transcript_type,
            e.chapters_url, e.status as \"status: EpisodeStatus\", e.publish_at,
            e.extras as \"extras: Json<EpisodeExtras>\", e.created_at, e.updated_at
         from episodes e
         where e.show_id = (select s.id from shows s where s.slug = $1
             and ($3 or exists
                 (select 1 from show_members m where m.show_id = s.id and m.user_id = $2)))
           and (e.publish_at, e.id)
               < (coalesce($4::timestamptz, 'infinity'), coalesce($5::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff'))
           and case $6::text
                 when 'draft' then e.status = 'draft'
                 when 'scheduled' then e.status = 'published' and e.publish_at > $7
                 when 'published' then e.status = 'published' and e.publish_at <= $7
                 else true end
         order by e.publish_at desc, e.id desc
         limit $8",
        slug,
        viewer.user_id,
        viewer.is_admin,
        after_at,
        after_id,
        page.state.map(EpisodeState::as_str),
        page.now,
        page.limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Episode::from).collect())
}

/// Every episode of a show, for rendering.
pub async fn all_for_show(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Vec<Episode>> {
    let rows = sqlx::query_as!(
        EpisodeRow,
        "select id, show_id, guid, title, description, description_markdown, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, episode_type as \"episode_type: EpisodeType\", explicit,
            image_url, transcript_url, transcript_type, chapters_url,
            status as \"status: EpisodeStatus\", publish_at, extras as \"extras: Json<EpisodeExtras>\", created_at, updated_at
         from episodes where show_id = $1
         order by publish_at desc, id desc",
        show_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Episode::from).collect())
}

pub async fn find(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    id: Uuid,
) -> sqlx::Result<Option<Episode>> {
    let row = sqlx::query_as!(
        EpisodeRow,
        "select id, show_id, guid, title, description, description_markdown, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, episode_type as \"episode_type: EpisodeType\", explicit,
            image_url, transcript_url, transcript_type, chapters_url,
            status as \"status: EpisodeStatus\", publish_at, extras as \"extras: Json<EpisodeExtras>\", created_at, updated_at
         from episodes where show_id = $1 and id = $2",
        show_id,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(Episode::from))
}

/// Inserts an episode and returns it; a duplicate guid fails on `episodes_show_guid_key`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    f: &EpisodeFields,
) -> sqlx::Result<Episode> {
    let row = sqlx::query_as!(
        EpisodeRow,
        "insert into episodes (show_id, guid, title, description, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, episode_type, explicit, image_url,
            transcript_url, transcript_type, chapters_url, status, publish_at, extras,
            description_markdown)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19, $20)
         returning id, show_id, guid, title, description, description_markdown, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, episode_type as \"episode_type: EpisodeType\", explicit,
            image_url, transcript_url, transcript_type, chapters_url,
            status as \"status: EpisodeStatus\", publish_at, extras as \"extras: Json<EpisodeExtras>\", created_at, updated_at",
        show_id,
        f.guid,
        f.title,
        f.description,
        f.enclosure_url,
        f.enclosure_length,
        f.enclosure_type,
        f.duration_seconds,
        f.season,
        f.episode,
        f.episode_type as _,
        f.explicit,
        f.image_url,
        f.transcript_url,
        f.transcript_type,
        f.chapters_url,
        f.status as _,
        f.publish_at,
        Json(&f.extras) as _,
        f.description_markdown
    )
    .fetch_one(db)
    .await?;
    Ok(Episode::from(row))
}

/// Writes every field except the guid, which never changes, and returns the episode.
pub async fn update(db: impl PgExecutor<'_>, id: Uuid, f: &EpisodeFields) -> sqlx::Result<Episode> {
    let row = sqlx::query_as!(
        EpisodeRow,
        "update episodes set title = $2, description = $3, enclosure_url = $4,
            enclosure_length = $5, enclosure_type = $6, duration_seconds = $7, season = $8,
            episode = $9, episode_type = $10, explicit = $11, image_url = $12,
            transcript_url = $13, transcript_type = $14, chapters_url = $15, status = $16,
            publish_at = $17, extras = $18, description_markdown = $19, updated_at = now()
         where id = $1
         returning id, show_id, guid, title, description, description_markdown, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, episode_type as \"episode_type: EpisodeType\", explicit,
            image_url, transcript_url, transcript_type, chapters_url,
            status as \"status: EpisodeStatus\", publish_at, extras as \"extras: Json<EpisodeExtras>\", created_at, updated_at",
        id,
        f.title,
        f.description,
        f.enclosure_url,
        f.enclosure_length,
        f.enclosure_type,
        f.duration_seconds,
        f.season,
        f.episode,
        f.episode_type as _,
        f.explicit,
        f.image_url,
        f.transcript_url,
        f.transcript_type,
        f.chapters_url,
        f.status as _,
        f.publish_at,
        Json(&f.extras) as _,
        f.description_markdown
    )
    .fetch_one(db)
    .await?;
    Ok(Episode::from(row))
}

pub async fn delete(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from episodes where id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}
