//! Moving a show in: an existing RSS feed, fetched or given, becomes a podpub show. Episode
//! guids and `podcast:guid` are kept, never recomputed; a feed locked with `podcast:locked` is
//! refused. Importing again with the slug of a show the caller may edit updates that show:
//! episodes are matched by guid, so none is duplicated.

pub mod fetch;
pub mod parse;
pub mod report;
mod store;
mod xml;

use chrono::Utc;
use serde::Serialize;
use sqlx::PgPool;
use uuid::Uuid;

use crate::config::Settings;
use crate::db::shows::{Show, Viewer};
use crate::domain::{feed_url, Slug};

pub use self::fetch::{FetchError, FetchLimits};
pub use self::parse::{parse, parse_text, ParseError, ParsedFeed};
pub use self::report::{Report, ReportEntry};

/// Where the feed comes from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Fetched from this URL.
    Url(String),
    /// The feed's bytes, read from a file: its XML declaration names their encoding.
    Xml(Vec<u8>),
    /// The feed as text, posted as a JSON string.
    Text(String),
}

/// Why an import failed; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("the feed is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the slug {0}")]
    InvalidSlug(&'static str),
    #[error("the slug {0:?} is already taken")]
    SlugTaken(String),
    #[error("the show {0:?} is deleted; delete it with ?purge=true to free its slug")]
    ShowDeleted(String),
    #[error("the feed is another podcast: its podcast:guid is {feed}, the show's is {show}")]
    DifferentPodcast { feed: Uuid, show: Uuid },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl ImportError {
    /// The stable error code the API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Fetch(e) => e.code(),
            ImportError::Parse(e) => e.code(),
            ImportError::TooLarge(_) => "feed_too_large",
            ImportError::InvalidSlug(_) => "invalid",
            ImportError::SlugTaken(_) => "slug_taken",
            ImportError::ShowDeleted(_) => "show_deleted",
            ImportError::DifferentPodcast { .. } => "different_podcast",
            ImportError::Database(_) => "internal",
        }
    }
}

/// A finished import.
#[derive(Debug)]
pub struct Imported {
    pub show: Show,
    /// A new show; `false` when an existing one was updated.
    pub created: bool,
    pub summary: ImportSummary,
}

/// What an import did, as the API and the command line report it.
#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
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

/// Imports a feed as a show owned by `owner`, or, when `slug` names a show `owner` may edit,
/// into that show. One transaction: the show, its owner, its episodes and a render job.
#[tracing::instrument(skip_all, fields(slug = ?slug), err(level = "info"))]
pub async fn import_feed(
    pool: &PgPool,
    settings: &Settings,
    owner: Viewer,
    source: Source,
    slug: Option<String>,
) -> Result<Imported, ImportError> {
    let slug = slug
        .map(|s| Slug::parse(s.trim()).map_err(ImportError::InvalidSlug))
        .transpose()?;
    let max = settings.import_max_bytes;
    let now = Utc::now();
    let (feed, source_url) = match source {
        Source::Url(url) => {
            let fetched = fetch::fetch(&url, &FetchLimits::from_settings(settings)).await?;
            let feed = parse(&fetched.bytes, Some(&fetched.url), now)?;
            (feed, Some(fetched.url))
        }
        Source::Xml(bytes) if bytes.len() > max => return Err(ImportError::TooLarge(max)),
        Source::Text(text) if text.len() > max => return Err(ImportError::TooLarge(max)),
        Source::Xml(bytes) => (parse(&bytes, None, now)?, None),
        Source::Text(text) => (parse_text(text, None, now)?, None),
    };
    let items = feed.items;
    let stored = store::store(pool, settings, owner, feed, slug, source_url.as_deref()).await?;
    let feed_url = feed_url(&settings.feed_base_url, &stored.show.fields.slug);
    let next_steps = next_steps(source_url.as_deref(), &feed_url);
    let summary = ImportSummary {
        created: stored.created,
        source_url,
        feed_url,
        items,
        episodes_created: stored.episodes_created,
        episodes_updated: stored.episodes_updated,
        items_skipped: items - stored.episodes_created - stored.episodes_updated,
        report: stored.report.into_entries(),
        next_steps,
    };
    Ok(Imported {
        show: stored.show,
        created: stored.created,
        summary,
    })
}

fn next_steps(source_url: Option<&str>, feed_url: &str) -> String {
    let old = source_url.unwrap_or("the old feed URL");
    format!(
        "Check the show and its episodes, then at the old host redirect {old} permanently \
         (HTTP 301) to {feed_url}, or put <itunes:new-feed-url>{feed_url}</itunes:new-feed-url> \
         in the old feed. Keep the redirect in place for good: apps that check rarely still \
         need it."
    )
}
