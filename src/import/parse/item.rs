//! An `<item>`: one episode, or a reported reason why not.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Utc};
use url::Url;

use crate::domain::{EpisodeExtras, HttpUrl};
use crate::domain::{EpisodeFields, EpisodeStatus, EpisodeType};
use crate::import::report::code;
use crate::import::xml::{Document, Element, Ns};

use super::{
    dates::parse_date,
    items, podcasting,
    values::{basename, duration_seconds, guess_media_type, Ctx},
};

/// Guids podpub keeps verbatim, up to this many characters.
const MAX_GUID: usize = 2048;

/// An item read as an episode.
pub struct Item {
    pub fields: EpisodeFields,
    /// Whether `publish_at` came from the feed; if not, the caller sets it.
    pub dated: bool,
}

/// An enclosure as written: `<enclosure>`, `media:content` or `atom:link rel="enclosure"`.
struct Candidate<'e> {
    url: String,
    length: Option<&'e str>,
    mime_type: Option<&'e str>,
}

/// The elements of an item that matter, found in one pass.
#[derive(Default)]
struct Parts<'e> {
    title: Option<&'e Element>,
    itunes_title: Option<&'e Element>,
    guid: Option<&'e Element>,
    link: Option<&'e Element>,
    description: Option<&'e Element>,
    content: Option<&'e Element>,
    summary: Option<&'e Element>,
    enclosures: Vec<Candidate<'e>>,
    media: Vec<Candidate<'e>>,
    atom: Vec<Candidate<'e>>,
    thumbnail: Option<&'e str>,
    rest: Vec<&'e Element>,
}

fn resolve(base: &Option<Url>, raw: &str) -> String {
    let raw = raw.trim();
    let joined = base.as_ref().and_then(|b| b.join(raw).ok());
    joined.map_or_else(|| raw.to_string(), String::from)
}

fn parts<'e>(base: &Option<Url>, el: &'e Element) -> Parts<'e> {
    let mut p = Parts::default();
    let candidate = |e: &'e Element, size: &str| {
        e.attr("url").map(|url| Candidate {
            url: resolve(base, url),
            length: e.attr(size),
            mime_type: e.attr("type"),
        })
    };
    for c in &el.children {
        match (&c.ns, c.name.as_str()) {
            (Ns::Rss, "title") => p.title = Some(c),
            (Ns::Itunes, "title") => p.itunes_title = Some(c),
            (Ns::Rss, "guid") => p.guid = Some(c),
            (Ns::Rss, "link") => p.link = Some(c),
            (Ns::Rss, "description") => p.description = Some(c),
            (Ns::Content, "encoded") => p.content = Some(c),
            (Ns::Itunes, "summary") => p.summary = Some(c),
            (Ns::Rss, "enclosure") => p.enclosures.extend(candidate(c, "length")),
            (Ns::Media, "content") => p.media.extend(candidate(c, "fileSize")),
            (Ns::Media, "thumbnail") => p.thumbnail = p.thumbnail.or(c.attr("url")),
            (Ns::Media, "group") => {
                for g in &c.children {
                    match g.name.as_str() {
                        "content" if g.ns == Ns::Media => p.media.extend(candidate(g, "fileSize")),
                        "thumbnail" if g.ns == Ns::Media => {
                            p.thumbnail = p.thumbnail.or(g.attr("url"))
                        }
                        _ => p.rest.push(g),
                    }
                }
            }
            (Ns::Atom, "link") if c.attr("rel").map(str::trim) == Some("enclosure") => {
                p.atom.extend(c.attr("href").map(|href| Candidate {
                    url: resolve(base, href),
                    length: c.attr("length"),
                    mime_type: c.attr("type"),
                }));
            }
            _ => p.rest.push(c),
        }
    }
    p
}

/// Reads item number `n` (from 1); `None` if it was skipped, which the report says.
pub fn read(ctx: &mut Ctx, doc: &Document, el: &Element, n: usize) -> Option<Item> {
    ctx.guid.clear();
    let p = parts(&ctx.base, el);
    let label = p.title.or(p.itunes_title).map_or_else(
        || format!("item {n}"),
        |t| {
            format!(
                "item {n} ({:?})",
                t.text.split_whitespace().collect::<Vec<_>>().join(" ")
            )
        },
    );
    let mut urls: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    for c in p.enclosures.iter().chain(&p.media).chain(&p.atom) {
        if seen.insert(c.url.as_str()) {
            urls.push(&c.url);
        }
    }
    let (guid, link_is_guid) = guid(ctx, &p, &urls, &label)?;
    ctx.guid = guid.clone();
    if let Some(link) = p.link.filter(|_| !link_is_guid) {
        ctx.unread("item", link);
    }
    let Some(enclosure) = choose(&p) else {
        ctx.note(
            code::ITEM_SKIPPED_NO_ENCLOSURE,
            format!("{label} has no enclosure; skipped"),
        );
        return None;
    };
    let Ok(enclosure_url) = HttpUrl::parse(&enclosure.url) else {
        let message = format!(
            "{label}: the enclosure {:?} is not an absolute http(s) URL; skipped",
            enclosure.url
        );
        ctx.note(code::ITEM_SKIPPED_INVALID_ENCLOSURE, message);
        return None;
    };
    let enclosure_url = enclosure_url.as_str().to_string();
    let others: Vec<&str> = urls
        .iter()
        .copied()
        .filter(|u| *u != enclosure.url)
        .collect();
    if !others.is_empty() {
        let message = format!(
            "{label}: kept the enclosure {enclosure_url}, dropped {}",
            others.join(", ")
        );
        ctx.note(code::EXTRA_ENCLOSURES_DROPPED, message);
    }
    let title = p
        .title
        .or(p.itunes_title)
        .and_then(|t| ctx.line("title", &t.text, 1000));
    let title = match title {
        Some(title) => title,
        None => match basename(&enclosure_url).filter(|_| urls.len() == 1) {
            Some(name) => {
                ctx.note(
                    code::TITLE_DERIVED,
                    format!("{label} has no title; it is called {name:?} after its file"),
                );
                name
            }
            None => {
                ctx.note(
                    code::ITEM_SKIPPED_NO_TITLE,
                    format!("{label} has no title; skipped"),
                );
                return None;
            }
        },
    };
    let description = [p.content, p.description, p.summary]
        .into_iter()
        .flatten()
        .map(|e| doc.markup(e))
        .find(|d| !d.trim().is_empty())
        .unwrap_or_default();
    let mime_type = match enclosure.mime_type.and_then(|t| ctx.media_type(t)) {
        Some(t) => t,
        None => {
            let guess = guess_media_type(&enclosure_url);
            let was = enclosure.mime_type.unwrap_or("").trim();
            ctx.note(
                code::ENCLOSURE_TYPE_GUESSED,
                format!("{label}: enclosure type {was:?} replaced by {guess}"),
            );
            guess.to_string()
        }
    };
    let length = enclosure
        .length
        .and_then(|l| ctx.number("enclosure.length", l, 0..=(1 << 50)));
    let mut fields = EpisodeFields {
        guid,
        title,
        description_markdown: None,
        description: ctx.long("description", &description, 100_000),
        enclosure_url,
        enclosure_length: length.unwrap_or(0),
        enclosure_type: mime_type,
        duration_seconds: None,
        season: None,
        episode: None,
        episode_type: EpisodeType::Full,
        explicit: None,
        image_url: None,
        transcript_url: None,
        transcript_type: None,
        chapters_url: None,
        status: EpisodeStatus::Published,
        publish_at: DateTime::<Utc>::UNIX_EPOCH,
        extras: EpisodeExtras::default(),
    };
    let dated = rest(ctx, &p, &mut fields, &label);
    if fields.image_url.is_none() {
        fields.image_url = p.thumbnail.and_then(|u| ctx.url("image_url", u));
    }
    Some(Item { fields, dated })
}

/// The item's guid as written; else its link, else its one enclosure URL, as podcastparser does.
/// Also says whether the link became the guid.
fn guid(ctx: &mut Ctx, p: &Parts, urls: &[&str], label: &str) -> Option<(String, bool)> {
    let written: String = p
        .guid
        .map(|g| g.text.trim().chars().filter(|c| !c.is_control()).collect())
        .unwrap_or_default();
    let (guid, from_link) = if !written.is_empty() {
        (written, false)
    } else if let Some(link) = p.link.map(|l| l.text.trim()).filter(|l| !l.is_empty()) {
        let link = resolve(&ctx.base, link);
        ctx.guid = link.clone();
        ctx.note(
            code::GUID_DERIVED,
            format!("{label} has no guid; its link is its guid"),
        );
        (link, true)
    } else if let [url] = urls {
        ctx.guid = url.to_string();
        ctx.note(
            code::GUID_DERIVED,
            format!("{label} has no guid; its enclosure URL is its guid"),
        );
        (url.to_string(), false)
    } else {
        let why = match urls.len() {
            0 => "no guid, link or enclosure",
            _ => "no guid or link, and several enclosures",
        };
        ctx.note(
            code::ITEM_SKIPPED_NO_GUID,
            format!("{label} has {why}; skipped"),
        );
        return None;
    };
    if guid.chars().count() > MAX_GUID {
        let message = format!("{label}: its guid is longer than {MAX_GUID} characters; skipped");
        ctx.note(code::ITEM_SKIPPED_INVALID_GUID, message);
        return None;
    }
    Some((guid, from_link))
}

/// The enclosure to keep: `<enclosure>` before `media:content` before `atom:link`, and audio or
/// video before anything else.
fn choose<'a, 'e>(p: &'a Parts<'e>) -> Option<&'a Candidate<'e>> {
    let list = [&p.enclosures, &p.media, &p.atom]
        .into_iter()
        .find(|l| !l.is_empty())?;
    let playable = |c: &&Candidate| {
        c.mime_type
            .map(|t| t.trim().to_ascii_lowercase())
            .is_some_and(|t| t.starts_with("audio/") || t.starts_with("video/"))
    };
    list.iter().find(playable).or(list.first())
}

/// The remaining elements; returns whether the item had a usable pubDate.
fn rest(ctx: &mut Ctx, p: &Parts, f: &mut EpisodeFields, label: &str) -> bool {
    let mut dated = false;
    let (mut p_season, mut p_episode) = (None, None);
    for el in &p.rest {
        match (&el.ns, el.name.as_str()) {
            (Ns::Rss, "pubDate") => match parse_date(&el.text) {
                Some(at) if (1900..=9999).contains(&at.year()) => {
                    f.publish_at = at;
                    dated = true;
                }
                _ => {
                    let raw = el.text.trim();
                    ctx.note(
                        code::DATE_INVALID,
                        format!("{label}: pubDate {raw:?} is not a date; the import time is used"),
                    );
                }
            },
            (Ns::Itunes, "duration") => {
                let raw = el.text.trim();
                match duration_seconds(raw).filter(|s| *s <= 100 * 24 * 3600) {
                    Some(s) => f.duration_seconds = Some(s as i32),
                    None if raw.is_empty() => {}
                    None => {
                        ctx.dropped("duration_seconds", raw, "must be seconds, MM:SS or H:MM:SS")
                    }
                }
            }
            (Ns::Itunes, "season") => {
                f.season = ctx
                    .number("season", &el.text, 0..=1_000_000)
                    .map(|n| n as i32)
            }
            (Ns::Itunes, "episode") => {
                f.episode = ctx
                    .number("episode", &el.text, 0..=1_000_000)
                    .map(|n| n as i32)
            }
            (Ns::Podcast, "season") => {
                p_season = Some(el.text.as_str());
                items::number_attrs(ctx, el, &mut f.extras);
            }
            (Ns::Podcast, "episode") => {
                p_episode = Some(el.text.trim().trim_end_matches(".0"));
                items::number_attrs(ctx, el, &mut f.extras);
            }
            (Ns::Itunes, "episodeType") => {
                let t = el.text.trim().to_ascii_lowercase();
                match t.parse() {
                    Ok(t) => f.episode_type = t,
                    Err(_) => ctx.dropped("episode_type", &t, "must be full, trailer or bonus"),
                }
            }
            (Ns::Itunes, "explicit") => f.explicit = ctx.yes_no("explicit", &el.text),
            (Ns::Itunes, "block") => {
                f.extras.itunes_block = ctx.yes_no("itunes_block", &el.text) == Some(true)
            }
            (Ns::Itunes, "image") => {
                f.image_url = el.attr("href").and_then(|h| ctx.url("image_url", h))
            }
            (Ns::Podcast, "transcript")
                if f.transcript_url.is_none()
                    && el.attr("language").is_none()
                    && el.attr("rel").is_none() =>
            {
                f.transcript_url = el.attr("url").and_then(|u| ctx.url("transcript_url", u));
                if f.transcript_url.is_some() {
                    f.transcript_type = el
                        .attr("type")
                        .and_then(|t| ctx.line("transcript_type", t, 100));
                }
            }
            (Ns::Podcast, "chapters") => {
                f.chapters_url = el.attr("url").and_then(|u| ctx.url("chapters_url", u))
            }
            (Ns::Podcast, _) if podcasting::item(ctx, el, &mut f.extras) => {}
            _ => ctx.unread("item", el),
        }
    }
    if f.season.is_none() {
        f.season = p_season
            .and_then(|s| ctx.number("season", s, 0..=1_000_000))
            .map(|n| n as i32);
    }
    if f.season.is_none() {
        if let Some(name) = f.extras.season_name.take() {
            ctx.dropped("season_name", &name, "there is no season number");
        }
    }
    // A number that is not whole (100.5) is podcast:episode's alone.
    let decimal = p_episode
        .filter(|s| s.contains('.'))
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|n| n.is_finite() && (0.0..1e9).contains(n) && n.fract() != 0.0);
    if decimal.is_some() {
        f.extras.episode_number = decimal;
    } else if f.episode.is_none() {
        f.episode = p_episode
            .and_then(|s| ctx.number("episode", s, 0..=1_000_000))
            .map(|n| n as i32);
    }
    if !dated && !p.rest.iter().any(|e| e.is(&Ns::Rss, "pubDate")) {
        ctx.note(
            code::DATE_MISSING,
            format!("{label} has no pubDate; the import time is used"),
        );
    }
    dated
}
