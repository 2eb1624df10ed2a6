//! RSS 2.0 rendering of a show's feed: a pure function of its input, byte for byte.

mod channel;
mod item;
mod items;
mod listing;
mod live;
mod podcasting;
mod value;
mod writer;

use chrono::{DateTime, Utc};

use self::writer::W;
use super::model::FeedShow;
use crate::domain::{feed_key, last_live_change, Episode};

const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const HEAD: &str = concat!(
    "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"",
    " xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"",
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"",
    " xmlns:atom=\"http://www.w3.org/2005/Atom\"",
);
/// RFC 5005 feed history, declared only by shows with archive pages.
const FH_NS: &str = " xmlns:fh=\"http://purl.org/syndication/history/1.0\"";
const OPEN_CHANNEL: &str = ">\n  <channel>\n";
const TAIL: &str = "  </channel>\n</rss>\n";

/// Whether `ep` belongs in the feed at `as_of`: not a draft, and its publish time has come.
pub fn included(ep: &Episode, as_of: DateTime<Utc>) -> bool {
    ep.included(as_of)
}

/// Renders the RSS feed of `show` as it stands at `as_of`.
///
/// Only [`included`] episodes appear, newest first. The output depends on the data alone:
/// `lastBuildDate` is the latest change or publish time among what is rendered.
pub fn render(show: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>) -> Vec<u8> {
    let mut out = Vec::with_capacity(size_hint(show, episodes, as_of));
    render_into(show, episodes, as_of, &mut out);
    out
}

/// An upper bound on the output size in practice: field lengths plus markup, with room for
/// escaping. Too small and `Vec` doubles; too large and the excess is peak memory.
fn size_hint(show: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>) -> usize {
    let len = |v: &Option<String>| v.as_ref().map_or(0, String::len);
    let item = |e: &Episode| {
        let e = &e.fields;
        let persons: usize = e
            .extras
            .persons
            .iter()
            .map(|p| p.name.len() + len(&p.href) + len(&p.img) + 80)
            .sum();
        2 * e.description.len()
            + 3 * e.title.len()
            + e.guid.len()
            + e.enclosure_url.len()
            + len(&e.image_url)
            + len(&e.transcript_url)
            + len(&e.chapters_url)
            + persons
            + 900
    };
    let items: usize = episodes
        .iter()
        .filter(|e| included(e, as_of))
        .map(item)
        .sum();
    8192 + 2 * show.fields.description.len() + items + items / 16
}

/// Like [`render`], but writes into `out`, which is cleared first so its allocation is reused.
pub fn render_into(show: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>, out: &mut Vec<u8>) {
    render_page_into(show, episodes, as_of, Page::Main, out);
}

/// The object key of a page of the show at `slug`.
pub fn page_key(slug: &str, page: Page) -> String {
    match page {
        Page::Main => feed_key(slug),
        Page::Archive(n) => format!("{slug}/archive/{n}.xml"),
    }
}

/// One document of a show's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The subscription feed: the newest episodes (all, unless the show sets a limit).
    Main,
    /// RFC 5005 archive page `n` (from 1, oldest first); each holds a fixed run of episodes.
    Archive(usize),
}

/// The number of archive pages: only full pages are archived, so a page never changes once
/// written unless one of its episodes does.
pub fn archive_pages(show: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>) -> usize {
    match show.archive_page_size() {
        Some(size) => episodes.iter().filter(|e| included(e, as_of)).count() / size,
        None => 0,
    }
}

/// The URL of archive page `n` of the feed at `feed_url`: `…/archive/{n}.xml` beside it.
pub fn archive_url(feed_url: &str, n: usize) -> String {
    let dir = feed_url.rsplit_once('/').map_or(feed_url, |(dir, _)| dir);
    format!("{dir}/archive/{n}.xml")
}

/// Renders one document of the feed into `out` (cleared first); returns how many items it holds.
pub fn render_page_into(
    show: &FeedShow,
    episodes: &[Episode],
    as_of: DateTime<Utc>,
    page: Page,
    out: &mut Vec<u8>,
) -> usize {
    out.clear();
    let mut eps: Vec<&Episode> = episodes.iter().filter(|e| included(e, as_of)).collect();
    eps.sort_by(|a, b| newest_first(a, b));
    let size = show.archive_page_size();
    let pages = size.map_or(0, |size| eps.len() / size);
    let (eps, links) = match (page, size) {
        (Page::Archive(n), Some(size)) if (1..=pages).contains(&n) => {
            // Newest first: page n holds oldest-first positions (n-1)*size .. n*size.
            let end = eps.len() - (n - 1) * size;
            let links = Links::Archive { n, pages };
            (&eps[end - size..end], links)
        }
        (Page::Archive(_), _) => (&eps[..0], Links::Archive { n: 0, pages }),
        (Page::Main, _) => {
            // The main feed always keeps the episodes no full archive page holds yet.
            let unarchived = size.map_or(0, |size| eps.len() - pages * size);
            let limit = show.item_limit().unwrap_or(eps.len()).max(unarchived);
            (&eps[..limit.min(eps.len())], Links::Main { pages })
        }
    };
    let since = match page {
        // An archive page changes only with its own episodes, not with every edit of the show.
        Page::Archive(_) => DateTime::<Utc>::MIN_UTC,
        Page::Main => show.updated_at,
    };
    let live = &show.fields.extras.live_items;
    let since = match page {
        // A live item's status changing is a change of the main feed.
        Page::Main => since.max(last_live_change(live, as_of).unwrap_or(since)),
        Page::Archive(_) => since,
    };
    let built = eps
        .iter()
        .fold(since, |m, e| m.max(e.fields.publish_at).max(e.updated_at));
    out.extend_from_slice(DECLARATION.as_bytes());
    out.extend_from_slice(stylesheet_pi(page).as_bytes());
    out.extend_from_slice(HEAD.as_bytes());
    if size.is_some() {
        out.extend_from_slice(FH_NS.as_bytes());
    }
    out.extend_from_slice(OPEN_CHANNEL.as_bytes());
    let w = &mut W::new(out);
    channel::channel(w, show, built, links);
    if page == Page::Main {
        live::live_items(w, live, as_of);
    }
    let prefix = show.fields.extras.analytics_prefix.as_deref();
    for ep in eps {
        item::item(w, ep, prefix);
    }
    w.out.extend_from_slice(TAIL.as_bytes());
    eps.len()
}

/// Where the feed stylesheet is published, beside every feed: a key no slug can take.
pub const STYLESHEET_KEY: &str = "_static/feed.xsl";
/// The feed stylesheet (XSLT 1.0): the feed as a readable page, with subscribe links.
pub const STYLESHEET: &str = include_str!("../../../templates/feed/feed.xsl");
/// Its content type; browsers apply XSLT served as XML.
pub const STYLESHEET_CONTENT_TYPE: &str = "text/xsl; charset=utf-8";

/// The `xml-stylesheet` instruction that makes a browser show the page as a readable page. The
/// path is relative, so the stylesheet is fetched from wherever the feed was (browsers refuse a
/// stylesheet from another origin).
fn stylesheet_pi(page: Page) -> &'static str {
    match page {
        Page::Main => "<?xml-stylesheet type=\"text/xsl\" href=\"../_static/feed.xsl\"?>\n",
        Page::Archive(_) => {
            "<?xml-stylesheet type=\"text/xsl\" href=\"../../_static/feed.xsl\"?>\n"
        }
    }
}

/// The order of items: newest first, the guid breaking ties.
pub fn newest_first(a: &Episode, b: &Episode) -> std::cmp::Ordering {
    let (a, b) = (&a.fields, &b.fields);
    (b.publish_at.cmp(&a.publish_at)).then_with(|| a.guid.cmp(&b.guid))
}

/// The RFC 5005 links of a document.
#[derive(Clone, Copy)]
enum Links {
    Main { pages: usize },
    Archive { n: usize, pages: usize },
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod value_tests;
