//! Moving a show in: an existing RSS feed, fetched or given, becomes a podpub show, in one
//! transaction with its owner, its episodes and its render jobs. Episode guids and
//! `podcast:guid` are kept, never recomputed. Importing again with the slug of a show the
//! caller may edit updates that show, once the feed is proven to be its podcast
//! ([`same_podcast`]) or the caller confirms the replacement: episodes are matched by guid, so
//! none is duplicated.

mod same_podcast;

use std::collections::HashMap;

use chrono::Utc;
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use self::same_podcast::Identity;
use super::history::{self, Record};
use super::{moves, shows, slug_taken, App, Error, Result};
use crate::db::{self, members};
use crate::domain::history::ChangeKind;
use crate::domain::{Episode, EpisodeFields, Role, Show, ShowFields, Slug, Viewer};
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
    /// An existing show was replaced by a feed not proven to be its podcast, as asked.
    pub replaced: bool,
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

/// What to import, and where.
#[derive(Debug)]
pub struct ImportRequest {
    pub source: Source,
    /// A show's slug: a new show's, or that of a show `who` may edit, to import into it.
    pub slug: Option<String>,
    /// Import into the show at `slug` even if the feed is not proven to be its podcast.
    pub replace: bool,
}

/// Imports a feed as a show owned by `who`, or, when `slug` names a show `who` may edit,
/// into that show.
#[tracing::instrument(skip_all, fields(slug = ?request.slug), err(level = "info"))]
pub async fn import(app: &App, who: Viewer, request: ImportRequest) -> Result<Imported> {
    // Its changes are recorded as the importer's, with the surface that started it.
    let who = who.importing();
    let ImportRequest {
        source,
        slug,
        replace,
    } = request;
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
    let target = Target { slug, replace };
    let stored = store(app, who, read.feed, target, source_url.as_deref()).await?;
    let feed_url = app.feed_url(&stored.show.fields.slug);
    let summary = Summary {
        created: stored.created,
        replaced: stored.replaced,
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
    replaced: bool,
    episodes_created: usize,
    episodes_updated: usize,
    report: Vec<ReportEntry>,
}

/// Where a feed goes: a new show (at `slug`, or one from its title), or the show at `slug`.
struct Target {
    slug: Option<Slug>,
    replace: bool,
}

async fn store(
    app: &App,
    who: Viewer,
    mut feed: ParsedFeed,
    Target { slug, replace }: Target,
    source_url: Option<&str>,
) -> Result<Stored> {
    let mut tx = app.pool.begin().await?;
    let existing = match &slug {
        Some(slug) => existing_show(&mut tx, who, slug).await?,
        None => None,
    };
    let identity = match &existing {
        Some(show) => same_podcast::check(&mut tx, show, &feed, source_url, replace).await?,
        None => Identity::Replaced,
    };
    let created = existing.is_none();
    let show_change;
    let show_id = match existing {
        Some(show) => {
            let mut fields = std::mem::replace(&mut feed.show, show.fields.clone());
            fields.slug = show.fields.slug;
            fields.locked = show.fields.locked;
            fields.extras.item_limit = show.fields.extras.item_limit;
            fields.extras.archive_page_size = show.fields.extras.archive_page_size;
            db::shows::update(&mut *tx, show.id, &fields).await?;
            // `feed.show` holds the show's fields as they were.
            show_change = Record::show(ChangeKind::Update, show.id).diff(&feed.show, &fields);
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
            show_change =
                Record::show(ChangeKind::Create, id).diff(&ShowFields::default(), &feed.show);
            id
        }
    };
    let mut changes = vec![show_change];
    let (episodes_created, episodes_updated) =
        write_episodes(&mut tx, show_id, &feed, &mut changes).await?;
    history::record_all(&mut tx, who, &changes).await?;
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
    // A new or replaced show takes the feed's origin; a proven one keeps the first it had.
    if let Some(origin) = source_url.or(feed.self_url.as_deref()) {
        let overwrite = identity == Identity::Replaced;
        db::shows::record_import_source(&mut *tx, show_id, origin, overwrite).await?;
    }
    let show = shows::reload(&mut tx, show_id).await?;
    super::commit(tx).await?;
    Ok(Stored {
        show,
        created,
        replaced: !created && identity == Identity::Replaced,
        episodes_created,
        episodes_updated,
        report: feed.report.into_entries(),
    })
}

fn taken(slug: &str) -> Error {
    Error::conflict("slug_taken", format!("the slug {slug:?} is already taken"))
}

/// The show a re-import updates: taken by `slug`, editable by `who`, not deleted.
async fn existing_show(tx: &mut PgConnection, who: Viewer, slug: &Slug) -> Result<Option<Show>> {
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
    Ok(Some(show))
}

/// Inserts new episodes and updates those whose guid the show already has, adding what each
/// did to `changes` (recorded in one statement). An update keeps the episode's status, and its
/// date when the feed gave none.
async fn write_episodes<'a>(
    tx: &mut PgConnection,
    show_id: Uuid,
    feed: &'a ParsedFeed,
    changes: &mut Vec<Record<'a>>,
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
                let change =
                    Record::episode(ChangeKind::Update, show_id, old.id, fields.title.clone());
                changes.push(change.diff(&old.fields, &fields));
                updated += 1;
            }
            None => {
                let new = db::episodes::insert(&mut *tx, show_id, &episode.fields).await?;
                let f = &episode.fields;
                let change = Record::episode(ChangeKind::Create, show_id, new.id, &f.title);
                changes.push(change.diff(&EpisodeFields::default(), f));
                created += 1;
            }
        }
    }
    Ok((created, updated))
}

/// A slug made from the title that no show has or reserves yet: `my-show`, else `my-show-2`,
/// and so on.
async fn free_slug(tx: &mut PgConnection, title: &str) -> Result<String> {
    db::shows::lock_slug_choice(&mut *tx).await?;
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
