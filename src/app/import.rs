//! Moving a show in: an existing RSS feed, fetched or given, becomes a podpub show, in one
//! transaction with its owner, its episodes and its render jobs. Episode guids and
//! `podcast:guid` are kept, never recomputed. Importing again with the slug of a show the
//! caller may edit updates that show: episodes are matched by guid, so none is duplicated.

use std::collections::HashMap;

use chrono::Utc;
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{moves, shows, slug_taken, App, Error, Result};
use crate::db::{self, members};
use crate::domain::{Episode, Role, Show, Slug, Viewer};
use crate::feed::guid::podcast_guid;
use crate::import::{self, report::code, FetchLimits, ParsedFeed};
pub use crate::import::{Failure, FetchError, ParseError, ReportEntry, Source};
use crate::jobs::queue;

/// A finished import.
#[derive(Debug)]
pub struct Imported {
    pub show: Show,
    /// A new show; `false` when an existing one was updated.
    pub created: bool,
    pub summary: Summary,
}

/// What an import did, as the API and the command line report it.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub created: bool,
    /// The URL the feed was fetched from, after redirects.
    pub source_url: Option<String>,
    pub feed_url: String,
    pub items: usize,
    pub episodes_created: usize,
    pub episodes_updated: usize,
    pub items_skipped: usize,
    pub report: Vec<ReportEntry>,
    /// What to do at the old host so that listeners follow the show.
    pub next_steps: String,
}

/// Imports a feed as a show owned by `who`, or, when `slug` names a show `who` may edit,
/// into that show.
#[tracing::instrument(skip_all, fields(slug = ?slug), err(level = "info"))]
pub async fn import(
    app: &App,
    who: Viewer,
    source: Source,
    slug: Option<String>,
) -> Result<Imported> {
    let slug = slug
        .map(|s| Slug::parse(s.trim()).map_err(|why| Error::field("slug", why)))
        .transpose()?;
    let limits = FetchLimits::from_settings(&app.settings);
    let read =
        import::read(source, &limits, Utc::now())
            .await
            .map_err(|failure| match failure {
                Failure::Internal(err) => Error::Internal(err),
                failure => Error::Import(failure),
            })?;
    let source_url = read.source_url;
    let items = read.feed.items;
    let stored = store(app, who, read.feed, slug, source_url.as_deref()).await?;
    let feed_url = app.feed_url(&stored.show.fields.slug);
    let summary = Summary {
        created: stored.created,
        next_steps: import::next_steps(source_url.as_deref(), &feed_url),
        source_url,
        feed_url,
        items,
        episodes_created: stored.episodes_created,
        episodes_updated: stored.episodes_updated,
        items_skipped: items - stored.episodes_created - stored.episodes_updated,
        report: stored.report,
    };
    Ok(Imported {
        show: stored.show,
        created: stored.created,
        summary,
    })
}

/// What was written.
struct Stored {
    show: Show,
    created: bool,
    episodes_created: usize,
    episodes_updated: usize,
    report: Vec<ReportEntry>,
}

async fn store(
    app: &App,
    who: Viewer,
    mut feed: ParsedFeed,
    slug: Option<Slug>,
    source_url: Option<&str>,
) -> Result<Stored> {
    let mut tx = app.pool.begin().await?;
    let existing = match &slug {
        Some(slug) => existing_show(&mut tx, who, slug, feed.podcast_guid).await?,
        None => None,
    };
    let created = existing.is_none();
    let show_id = match existing {
        Some(show) => {
            let mut fields = std::mem::replace(&mut feed.show, show.fields.clone());
            fields.slug = show.fields.slug;
            fields.locked = show.fields.locked;
            fields.extras.item_limit = show.fields.extras.item_limit;
            fields.extras.archive_page_size = show.fields.extras.archive_page_size;
            db::shows::update(&mut *tx, show.id, &fields).await?;
            show.id
        }
        None => {
            let slug = match slug {
                Some(slug) => slug.to_string(),
                None => free_slug(&mut tx, &feed.show.title).await?,
            };
            feed.show.slug = slug.clone();
            let guid = match feed.podcast_guid {
                Some(guid) => guid,
                None => {
                    let own = app.feed_url(&slug);
                    let from = feed
                        .self_url
                        .as_deref()
                        .or(source_url)
                        .unwrap_or(&own)
                        .to_string();
                    let message =
                        format!("the feed has no podcast:guid; it was computed from {from}");
                    feed.report.add(code::PODCAST_GUID_DERIVED, message);
                    podcast_guid(&from)
                }
            };
            let id = db::shows::insert(&mut *tx, &feed.show, guid)
                .await
                .map_err(slug_taken(&slug))?;
            // After the insert, which waits for a rename that is freeing this slug to commit.
            match moves::ensure_not_reserved(&mut tx, &slug, id).await {
                Err(Error::Conflict { .. }) => return Err(taken(&slug)),
                other => other?,
            }
            members::add(&mut *tx, id, who.user_id, Role::Owner).await?;
            id
        }
    };
    let (episodes_created, episodes_updated) = write_episodes(&mut tx, show_id, &feed).await?;
    let attempts = app.max_attempts();
    queue::enqueue_render(&mut *tx, show_id, None, attempts).await?;
    let now = Utc::now();
    let next = feed
        .episodes
        .iter()
        .map(|e| e.fields.publish_at)
        .filter(|at| *at > now)
        .min();
    if let Some(at) = next {
        queue::enqueue_render(&mut *tx, show_id, Some(at), attempts).await?;
    }
    let show = shows::reload(&mut tx, show_id).await?;
    super::commit(tx).await?;
    Ok(Stored {
        show,
        created,
        episodes_created,
        episodes_updated,
        report: feed.report.into_entries(),
    })
}

fn taken(slug: &str) -> Error {
    Error::conflict("slug_taken", format!("the slug {slug:?} is already taken"))
}

/// The show a re-import updates: taken by `slug`, editable by `who`, of the same podcast.
async fn existing_show(
    tx: &mut PgConnection,
    who: Viewer,
    slug: &Slug,
    feed_guid: Option<Uuid>,
) -> Result<Option<Show>> {
    if db::shows::id_by_slug(&mut *tx, slug.as_str())
        .await?
        .is_none()
    {
        return Ok(None);
    }
    let Some((id, _)) = db::shows::lock_visible(&mut *tx, who, slug.as_str()).await? else {
        return Err(taken(slug.as_str()));
    };
    let show = shows::reload(tx, id).await?;
    if show.is_deleted() {
        return Err(Error::conflict(
            "show_deleted",
            format!(
                "the show {:?} is deleted; delete it with ?purge=true to free its slug",
                slug.as_str()
            ),
        ));
    }
    match feed_guid {
        Some(feed) if feed != show.podcast_guid => Err(Error::conflict(
            "different_podcast",
            format!(
                "the feed is another podcast: its podcast:guid is {feed}, the show's is {}",
                show.podcast_guid
            ),
        )),
        _ => Ok(Some(show)),
    }
}

/// Inserts new episodes and updates those whose guid the show already has. An update keeps
/// the episode's status, and its date when the feed gave none.
async fn write_episodes(
    tx: &mut PgConnection,
    show_id: Uuid,
    feed: &ParsedFeed,
) -> Result<(usize, usize)> {
    let stored: HashMap<String, Episode> = db::episodes::all_for_show(&mut *tx, show_id)
        .await?
        .into_iter()
        .map(|e| (e.fields.guid.clone(), e))
        .collect();
    let (mut created, mut updated) = (0, 0);
    for episode in &feed.episodes {
        match stored.get(&episode.fields.guid) {
            Some(old) => {
                let mut fields = episode.fields.clone();
                fields.status = old.fields.status;
                if !episode.dated {
                    fields.publish_at = old.fields.publish_at;
                }
                db::episodes::update(&mut *tx, old.id, &fields).await?;
                updated += 1;
            }
            None => {
                db::episodes::insert(&mut *tx, show_id, &episode.fields).await?;
                created += 1;
            }
        }
    }
    Ok((created, updated))
}

/// A slug made from the title that no show has or reserves yet: `my-show`, else `my-show-2`,
/// and so on.
async fn free_slug(tx: &mut PgConnection, title: &str) -> Result<String> {
    let base = import::slug_from_title(title);
    for n in 1..=50 {
        let candidate = match n {
            1 => base.clone(),
            n => format!("{base}-{n}"),
        };
        let taken = db::shows::id_by_slug(&mut *tx, &candidate).await?.is_some()
            || db::redirects::holder(&mut *tx, &candidate).await?.is_some();
        if !taken {
            return Ok(candidate);
        }
    }
    Ok(format!(
        "{base}-{}",
        &Uuid::new_v4().simple().to_string()[..8]
    ))
}
