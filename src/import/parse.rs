//! An RSS 2.0 feed read into podpub's show and episode fields, as podcastparser reads it where
//! the two can agree: guids verbatim, items without an enclosure skipped, and a report of
//! everything that did not carry over as it was.

mod channel;
mod dates;
mod item;
mod items;
mod listing;
mod live;
mod podcasting;
mod value;
mod values;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use url::Url;
use uuid::Uuid;

use super::report::{code, Report};
use super::xml::{self, Element, Ns};
use crate::domain::{EpisodeFields, ShowFields};

pub use self::dates::parse_date;
use self::values::{basename, Ctx};

/// Why a document cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the feed is empty")]
    Empty,
    #[error("the feed's encoding {0:?} is not supported (use UTF-8)")]
    UnsupportedEncoding(String),
    #[error("the feed is not well-formed XML: line {line}, column {column}: {message}")]
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("this is {0}, not an RSS 2.0 feed")]
    NotRss(String),
    #[error("the RSS document has no <channel>")]
    NoChannel,
    #[error("the feed says it has moved to {0}; import that one")]
    Moved(String),
    #[error("{}", locked_message(.0))]
    Locked(Option<String>),
    #[error("<{element}> at line {line}, column {column} has more than {limit} attributes")]
    TooManyAttributes {
        element: String,
        limit: usize,
        line: usize,
        column: usize,
    },
    #[error("the feed has more than {limit} elements")]
    TooManyElements { limit: usize },
    #[error("the feed declares more than {limit} namespaces")]
    TooManyNamespaces { limit: usize },
    #[error("item {item} holds more than {limit} elements")]
    TooManyItemElements { item: usize, limit: usize },
    #[error("the feed has more than {limit} items")]
    TooManyItems { limit: usize },
}

fn locked_message(owner: &Option<String>) -> String {
    let base = "the feed is locked against moving (<podcast:locked>yes</podcast:locked>)";
    match owner {
        Some(owner) => {
            format!("{base}; its owner {owner} must unlock it at the current host first")
        }
        None => format!("{base}; its owner must unlock it at the current host first"),
    }
}

impl ParseError {
    /// The stable error code the API answers with.
    pub fn code(&self) -> &'static str {
        match self {
            ParseError::Empty => "feed_empty",
            ParseError::UnsupportedEncoding(_) => "feed_encoding_unsupported",
            ParseError::Malformed { .. } => "feed_malformed",
            ParseError::NotRss(_) => "feed_not_rss",
            ParseError::NoChannel => "feed_without_channel",
            ParseError::Moved(_) => "feed_moved",
            ParseError::Locked(_) => "feed_locked",
            ParseError::TooManyAttributes { .. } => "feed_too_many_attributes",
            ParseError::TooManyElements { .. } => "feed_too_many_elements",
            ParseError::TooManyNamespaces { .. } => "feed_too_many_namespaces",
            ParseError::TooManyItemElements { .. } => "feed_item_too_many_elements",
            ParseError::TooManyItems { .. } => "feed_too_many_items",
        }
    }
}

/// What a feed holds, ready to be stored.
#[derive(Debug)]
pub struct ParsedFeed {
    /// The show's fields; the slug is left empty.
    pub show: ShowFields,
    /// `podcast:guid`, when the feed has a valid one.
    pub podcast_guid: Option<Uuid>,
    /// `atom:link rel="self"`.
    pub self_url: Option<String>,
    /// Episodes in document order, guids unique.
    pub episodes: Vec<ParsedEpisode>,
    /// How many `<item>`s the feed has, skipped ones included.
    pub items: usize,
    pub report: Report,
}

/// One item read as an episode.
#[derive(Debug)]
pub struct ParsedEpisode {
    pub fields: EpisodeFields,
    /// Whether `publish_at` is the item's own date (else it stands in for a missing one).
    pub dated: bool,
}

/// Reads a feed. `url` is where it came from: relative URLs resolve against it, and it names a
/// show without a title. Items without a usable date get `now`, one second apart, newest first.
pub fn parse(
    bytes: &[u8],
    url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ParsedFeed, ParseError> {
    let mut report = Report::default();
    let doc = xml::parse_document(bytes, &mut report)?;
    read(doc, report, url, now)
}

/// Like [`parse`], for a feed that is already text (posted as a JSON string, say): whatever
/// encoding its XML declaration names no longer applies.
pub fn parse_text(
    text: String,
    url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ParsedFeed, ParseError> {
    let mut report = Report::default();
    let doc = xml::parse_text_document(text, &mut report)?;
    read(doc, report, url, now)
}

fn read(
    doc: xml::Document,
    mut report: Report,
    url: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ParsedFeed, ParseError> {
    let root = &doc.root;
    check_root(root)?;
    let Some(channel) = root.child(&Ns::Rss, "channel") else {
        let moved = root
            .child(&Ns::Rss, "redirect")
            .and_then(|r| r.child(&Ns::Rss, "newLocation"));
        return Err(match moved {
            Some(to) => ParseError::Moved(to.text.trim().to_string()),
            None => ParseError::NoChannel,
        });
    };
    if let Some(locked) = channel.child(&Ns::Podcast, "locked") {
        if matches!(
            locked.text.trim().to_ascii_lowercase().as_str(),
            "yes" | "true"
        ) {
            let owner = locked
                .attr("owner")
                .map(str::trim)
                .filter(|o| !o.is_empty());
            return Err(ParseError::Locked(owner.map(str::to_string)));
        }
    }
    let source = url.and_then(|u| Url::parse(u).ok());
    let base = [root.attr("xml:base"), channel.attr("xml:base")]
        .into_iter()
        .flatten()
        .fold(source.clone(), |base, b| match &base {
            Some(base) => base.join(b.trim()).ok(),
            None => Url::parse(b.trim()).ok(),
        })
        .or(source);
    let fallback_title = url
        .and_then(basename)
        .unwrap_or_else(|| "Untitled show".into());
    let mut ctx = Ctx::new(&mut report, base);
    let ch = channel::read(&mut ctx, &doc, channel, &fallback_title);
    let (mut episodes, mut guids, mut items) = (Vec::new(), HashSet::new(), 0);
    for el in channel.children.iter().filter(|c| c.is(&Ns::Rss, "item")) {
        items += 1;
        let Some(item) = item::read(&mut ctx, &doc, el, items) else {
            continue;
        };
        if !guids.insert(item.fields.guid.clone()) {
            let message = format!("item {items} repeats the guid of an earlier item; skipped");
            ctx.note(code::ITEM_SKIPPED_DUPLICATE_GUID, message);
            continue;
        }
        let mut fields = item.fields;
        if !item.dated {
            fields.publish_at = now - Duration::seconds(items as i64);
        }
        episodes.push(ParsedEpisode {
            fields,
            dated: item.dated,
        });
    }
    ctx.finish();
    Ok(ParsedFeed {
        show: ch.fields,
        podcast_guid: ch.podcast_guid,
        self_url: ch.self_url,
        episodes,
        items,
        report,
    })
}

fn check_root(root: &Element) -> Result<(), ParseError> {
    let found = match (&root.ns, root.name.as_str()) {
        (Ns::Rss, "rss") => return Ok(()),
        (Ns::Atom, "feed") => "an Atom feed".to_string(),
        (_, "RDF") => "an RSS 1.0 (RDF) feed".to_string(),
        (_, "html") => "an HTML page".to_string(),
        (_, name) => format!("an XML document with the root <{name}>"),
    };
    Err(ParseError::NotRss(found))
}

#[cfg(test)]
mod items_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod value_tests;
