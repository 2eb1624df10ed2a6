//! A show's episodes as the UI lists them: one page in a chosen order, and the counts.

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

use super::episodes::EpisodeRow;
use crate::domain::{Episode, EpisodeExtras, EpisodeState, EpisodeStatus, EpisodeType};

/// The orders a list offers: by publish time, by (season, episode) number, or by title in
/// natural order ("Episode 2" before "Episode 10").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpisodeOrder {
    Date,
    Number,
    Title,
}

impl EpisodeOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeOrder::Date => "date",
            EpisodeOrder::Number => "number",
            EpisodeOrder::Title => "title",
        }
    }

    /// The order named `sort` (none: by date) and whether `dir` reverses it (none: each
    /// order's natural way, newest first for dates, 1 upwards and A to Z otherwise). Errors
    /// name the parameter and what it must be.
    pub fn parse(
        sort: Option<&str>,
        dir: Option<&str>,
    ) -> Result<(EpisodeOrder, bool), (&'static str, &'static str)> {
        let order = match sort.unwrap_or_default() {
            "" | "date" => EpisodeOrder::Date,
            "number" => EpisodeOrder::Number,
            "title" => EpisodeOrder::Title,
            _ => return Err(("sort", "must be date, number or title")),
        };
        let descending = match dir.unwrap_or_default() {
            "" => order == EpisodeOrder::Date,
            "asc" => false,
            "desc" => true,
            _ => return Err(("dir", "must be asc or desc")),
        };
        Ok((order, descending))
    }
}

/// Which episodes: those whose title contains `query`, in `state` (any when none).
#[derive(Debug, Clone)]
pub struct EpisodeFilter<'a> {
    pub query: &'a str,
    pub state: Option<EpisodeState>,
    pub now: DateTime<Utc>,
}

/// How many episodes a show has, by state, and how many the filter matches.
#[derive(Debug, Default, Clone, Copy)]
pub struct EpisodeCounts {
    pub total: i64,
    pub published: i64,
    pub scheduled: i64,
    pub drafts: i64,
    pub matching: i64,
}

pub async fn counts(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    filter: &EpisodeFilter<'_>,
) -> sqlx::Result<EpisodeCounts> {
    let row = sqlx::query!(
        r#"select count(*) as "total!",
            count(*) filter (where status = 'published' and publish_at <= $2) as "published!",
            count(*) filter (where status = 'published' and publish_at > $2) as "scheduled!",
            count(*) filter (where status = 'draft') as "drafts!",
            count(*) filter (where title ilike $3
                and case $4::text
                      when 'draft' then status = 'draft'
                      when 'scheduled' then status = 'published' and publish_at > $2
                      when 'published' then status = 'published' and publish_at <= $2
                      else true end) as "matching!"
         from episodes where show_id = $1"#,
        show_id,
        filter.now,
        super::contains_pattern(filter.query),
        filter.state.map(EpisodeState::as_str),
    )
    .fetch_one(db)
    .await?;
    Ok(EpisodeCounts {
        total: row.total,
        published: row.published,
        scheduled: row.scheduled,
        drafts: row.drafts,
        matching: row.matching,
    })
}

/// One page of the episodes `filter` matches, in `order` (`descending` reverses it), `limit`
/// after skipping `offset`. Ties fall back to publish time, then id, so pages never overlap.
pub async fn page(
    db: impl PgExecutor<'_>,
    show_id: Uuid,
    filter: &EpisodeFilter<'_>,
    order: EpisodeOrder,
    descending: bool,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Episode>> {
    let rows = sqlx::query_as!(
        EpisodeRow,
        r#"select id, show_id, guid, title, description, description_markdown, enclosure_url, enclosure_length,
            enclosure_type, duration_seconds, season, episode, episode_type as "episode_type: EpisodeType", explicit,
            image_url, transcript_url, transcript_type, chapters_url,
            status as "status: EpisodeStatus", publish_at, extras as "extras: Json<EpisodeExtras>", created_at, updated_at
         from episodes
         where show_id = $1 and title ilike $2
           and case $3::text
                 when 'draft' then status = 'draft'
                 when 'scheduled' then status = 'published' and publish_at > $4
                 when 'published' then status = 'published' and publish_at <= $4
                 else true end
         order by
           (case when $5 = 'title' and not $6 then title end) collate natural_ci asc,
           (case when $5 = 'title' and $6 then title end) collate natural_ci desc,
           case when $5 = 'number' and not $6 then season end asc nulls last,
           case when $5 = 'number' and not $6 then episode end asc nulls last,
           case when $5 = 'number' and $6 then season end desc nulls last,
           case when $5 = 'number' and $6 then episode end desc nulls last,
           case when $6 then publish_at end desc,
           case when not $6 then publish_at end asc,
           case when $6 then id end desc,
           case when not $6 then id end asc
         limit $7 offset $8"#,
        show_id,
        super::contains_pattern(filter.query),
        filter.state.map(EpisodeState::as_str),
        filter.now,
        order.as_str(),
        descending,
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Episode::from).collect())
}
