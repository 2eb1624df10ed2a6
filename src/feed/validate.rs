//! Validation warnings: what podcast directories (Apple Podcasts above all) would reject or
//! mishandle in a feed, shown to the podcaster before and after publishing.
//!
//! Warnings never stop a publish. They are computed on the feed as it renders at a given time, so
//! drafts and scheduled episodes do not count until they are published.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::categories::{self, CategoryCheck};
use super::model::{FeedEpisode, FeedLicense, FeedPerson, FeedShow};
use super::render::included;

/// One problem found in a feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// A stable identifier, one of [`code`].
    pub code: &'static str,
    /// One sentence saying what to fix.
    pub message: String,
    /// The episode concerned; absent for show-level warnings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub episode_guid: Option<String>,
}

/// The stable warning codes. They are part of the API: never rename one.
pub mod code {
    /// The show has no artwork (`itunes:image`); Apple requires it.
    pub const ARTWORK_MISSING: &str = "artwork_missing";
    /// The artwork's size is known and is not square, or outside 1400–3000 px.
    pub const ARTWORK_SIZE: &str = "artwork_size";
    /// The show has no category; Apple requires at least one.
    pub const CATEGORY_MISSING: &str = "category_missing";
    /// A category or subcategory is not on Apple's list, or not spelled exactly as Apple does.
    pub const CATEGORY_UNKNOWN: &str = "category_unknown";
    /// An episode's enclosure type is not one Apple accepts (per episode).
    pub const ENCLOSURE_TYPE_REJECTED: &str = "enclosure_type_rejected";
    /// An episode's enclosure length (file size in bytes) is 0 or unknown (per episode).
    pub const ENCLOSURE_LENGTH_MISSING: &str = "enclosure_length_missing";
    /// The show's or an episode's description is over 4000 bytes.
    pub const DESCRIPTION_TOO_LONG: &str = "description_too_long";
    /// The show's or an episode's title is over 255 characters.
    pub const TITLE_TOO_LONG: &str = "title_too_long";
    /// A serial show has an episode without an episode number (per episode).
    pub const SERIAL_WITHOUT_EPISODE_NUMBERS: &str = "serial_without_episode_numbers";
    /// An episode reuses the enclosure URL of a newer episode (per later duplicate).
    pub const DUPLICATE_ENCLOSURE_URL: &str = "duplicate_enclosure_url";
    /// An episode reuses the guid of a newer episode (per later duplicate).
    pub const DUPLICATE_GUID: &str = "duplicate_guid";
    /// A URL in a `podcast:` tag is not https (per URL).
    pub const PODCAST_TAG_NOT_HTTPS: &str = "podcast_tag_not_https";
    /// The show has no `itunes:author`.
    pub const AUTHOR_MISSING: &str = "author_missing";
    /// The show has no owner email (`itunes:owner`), which Apple uses to verify ownership.
    pub const OWNER_EMAIL_MISSING: &str = "owner_email_missing";
    /// No episode is published yet; Apple refuses a feed without episodes.
    pub const EMPTY_SHOW: &str = "empty_show";
}

/// Smallest artwork side Apple accepts, in pixels.
pub const ARTWORK_MIN_PX: u32 = 1400;
/// Largest artwork side Apple accepts, in pixels.
pub const ARTWORK_MAX_PX: u32 = 3000;
/// Apple's limit on a show or episode description, in bytes.
pub const DESCRIPTION_MAX_BYTES: usize = 4000;
/// Apple's limit on a show or episode title, in characters.
pub const TITLE_MAX_CHARS: usize = 255;

/// The enclosure types Apple Podcasts accepts: mp3, m4a, mp4, mov, m4v and pdf.
///
/// Source: Apple's podcast RSS feed requirements, `<enclosure>` (formerly
/// <https://help.apple.com/itc/podcasts_connect/#/itcb54353390>, now
/// <https://podcasters.apple.com/support/823-podcast-requirements>): "The type values for the
/// supported file formats are: audio/x-m4a, audio/mpeg, video/quicktime, video/mp4, video/x-m4v,
/// and application/pdf."
pub const APPLE_ENCLOSURE_TYPES: &[&str] = &[
    "audio/mpeg",
    "audio/x-m4a",
    "video/mp4",
    "video/quicktime",
    "video/x-m4v",
    "application/pdf",
];

const TYPES_TEXT: &str =
    "audio/mpeg, audio/x-m4a, video/mp4, video/quicktime, video/x-m4v or application/pdf";

/// Warnings for the feed as it would render at `as_of`: only [`included`] episodes count.
///
/// The order is deterministic: show-level warnings first (in the order of [`code`]), then each
/// episode's in render order (newest first, guid breaking ties).
pub fn warnings(show: &FeedShow, episodes: &[FeedEpisode], as_of: DateTime<Utc>) -> Vec<Warning> {
    let mut eps: Vec<&FeedEpisode> = episodes.iter().filter(|e| included(e, as_of)).collect();
    eps.sort_by(|a, b| (b.publish_at.cmp(&a.publish_at)).then_with(|| a.guid.cmp(&b.guid)));
    let mut out = Vec::new();
    show_warnings(show, eps.is_empty(), &mut out);
    let mut seen = Seen {
        urls: HashSet::with_capacity(eps.len()),
        guids: HashSet::with_capacity(eps.len()),
    };
    for ep in eps {
        episode_warnings(show, ep, &mut seen, &mut out);
    }
    out
}

/// Enclosure URLs and guids of the episodes already checked.
struct Seen<'a> {
    urls: HashSet<&'a str>,
    guids: HashSet<&'a str>,
}

fn show_warnings(s: &FeedShow, empty: bool, out: &mut Vec<Warning>) {
    let mut warn = |code, message: String| out.push(Warning::show(code, message));
    match (present(&s.image_url), s.image_size) {
        (None, _) => warn(
            code::ARTWORK_MISSING,
            "Add show artwork: Apple requires a square JPEG or PNG image from 1400×1400 to \
             3000×3000 pixels."
                .into(),
        ),
        (Some(_), Some((w, h))) if !artwork_ok(w, h) => warn(
            code::ARTWORK_SIZE,
            format!(
                "The artwork is {w}×{h} pixels; Apple requires a square image from 1400×1400 to \
                 3000×3000 pixels."
            ),
        ),
        _ => {}
    }
    let cats: Vec<_> = s.categories.iter().filter(|c| !blank(&c.name)).collect();
    if cats.is_empty() {
        warn(
            code::CATEGORY_MISSING,
            "Choose a category: Apple requires at least one category from its list.".into(),
        );
    }
    for c in cats {
        if let Some(message) = category_message(&c.name, present(&c.sub)) {
            warn(code::CATEGORY_UNKNOWN, message);
        }
    }
    if let Some(m) = description_message("show", &s.description) {
        warn(code::DESCRIPTION_TOO_LONG, m);
    }
    if let Some(m) = title_message("show", &s.title) {
        warn(code::TITLE_TOO_LONG, m);
    }
    let mut urls = Vec::new();
    urls.extend(s.funding.iter().map(|f| ("podcast:funding", &*f.url)));
    person_urls(&s.persons, &mut urls);
    urls.extend(license_url(&s.license).map(|u| ("podcast:license", u)));
    urls.extend(s.trailers.iter().map(|t| ("podcast:trailer", &*t.url)));
    let podroll = s.podroll.iter().filter(|r| !blank(&r.feed_guid));
    let podroll = podroll.filter_map(|r| present(&r.feed_url));
    urls.extend(podroll.map(|u| ("podcast:remoteItem feedUrl", u)));
    for (tag, url) in urls.into_iter().filter(|(_, u)| !blank(u) && !is_https(u)) {
        warn(code::PODCAST_TAG_NOT_HTTPS, https_message(tag, url));
    }
    if present(&s.author).is_none() {
        warn(
            code::AUTHOR_MISSING,
            "Add an author (itunes:author): Apple shows it under the show's title.".into(),
        );
    }
    if present(&s.owner_email).is_none() {
        warn(
            code::OWNER_EMAIL_MISSING,
            "Add an owner email (itunes:owner): Apple emails it to verify that you own the show."
                .into(),
        );
    }
    if empty {
        warn(
            code::EMPTY_SHOW,
            "Publish at least one episode: Apple does not accept a feed without episodes.".into(),
        );
    }
}

fn episode_warnings<'a>(
    s: &FeedShow,
    e: &'a FeedEpisode,
    seen: &mut Seen<'a>,
    out: &mut Vec<Warning>,
) {
    let mut warn = |code, message: String| out.push(Warning::episode(code, message, &e.guid));
    let kind = e.enclosure_type.trim();
    if !APPLE_ENCLOSURE_TYPES
        .iter()
        .any(|t| t.eq_ignore_ascii_case(kind))
    {
        let message = match kind {
            "" => format!("Set the media file's type: Apple accepts only {TYPES_TEXT}."),
            _ => format!(
                "Apple does not accept media of type \"{kind}\": use {TYPES_TEXT} (mp3, m4a, \
                 mp4, mov, m4v or pdf)."
            ),
        };
        warn(code::ENCLOSURE_TYPE_REJECTED, message);
    }
    if e.enclosure_length <= 0 {
        warn(
            code::ENCLOSURE_LENGTH_MISSING,
            "Set the media file's length to its size in bytes: it is 0, and apps use it to show \
             and check downloads."
                .into(),
        );
    }
    if let Some(m) = description_message("episode", &e.description) {
        warn(code::DESCRIPTION_TOO_LONG, m);
    }
    if let Some(m) = title_message("episode", &e.title) {
        warn(code::TITLE_TOO_LONG, m);
    }
    if s.serial && e.episode.is_none() {
        warn(
            code::SERIAL_WITHOUT_EPISODE_NUMBERS,
            "Give this episode an episode number: Apple orders the episodes of a serial show by \
             number."
                .into(),
        );
    }
    if !seen.urls.insert(e.enclosure_url.trim()) {
        warn(
            code::DUPLICATE_ENCLOSURE_URL,
            "Give this episode its own media URL: a newer episode already uses it, and Apple \
             ignores an enclosure URL it has seen before."
                .into(),
        );
    }
    if !seen.guids.insert(&e.guid) {
        warn(
            code::DUPLICATE_GUID,
            format!(
                "Remove or re-create this episode: a newer episode has the same guid \"{}\", and \
                 apps treat episodes with one guid as one episode.",
                e.guid
            ),
        );
    }
    let mut urls = Vec::new();
    urls.extend(present(&e.transcript_url).map(|u| ("podcast:transcript", u)));
    urls.extend(present(&e.chapters_url).map(|u| ("podcast:chapters", u)));
    person_urls(&e.persons, &mut urls);
    urls.extend(license_url(&e.license).map(|u| ("podcast:license", u)));
    let alternates = e.alternate_enclosures.iter();
    let sources = alternates
        .filter(|a| !blank(&a.mime_type))
        .flat_map(|a| &a.sources);
    let sources = sources.filter(|u| !is_p2p(u));
    urls.extend(sources.map(|u| ("podcast:alternateEnclosure source", &**u)));
    for (tag, url) in urls.into_iter().filter(|(_, u)| !blank(u) && !is_https(u)) {
        warn(code::PODCAST_TAG_NOT_HTTPS, https_message(tag, url));
    }
}

impl Warning {
    fn show(code: &'static str, message: String) -> Self {
        Warning {
            code,
            message,
            episode_guid: None,
        }
    }

    fn episode(code: &'static str, message: String, guid: &str) -> Self {
        Warning {
            code,
            message,
            episode_guid: Some(guid.to_owned()),
        }
    }
}

fn artwork_ok(w: u32, h: u32) -> bool {
    w == h && (ARTWORK_MIN_PX..=ARTWORK_MAX_PX).contains(&w)
}

/// Why a category is not accepted as written, or `None` when it is.
fn category_message(name: &str, sub: Option<&str>) -> Option<String> {
    let shown = match sub {
        Some(sub) => format!("\"{name} > {sub}\""),
        None => format!("\"{name}\""),
    };
    Some(match categories::check(name, sub) {
        CategoryCheck::Valid => return None,
        CategoryCheck::UnknownCategory => {
            format!("Choose a category from Apple's list: {shown} is not an Apple category.")
        }
        CategoryCheck::UnknownSubcategory => format!(
            "Choose a subcategory from Apple's list, or none: {shown} is not an Apple \
             subcategory."
        ),
        CategoryCheck::WrongCase { name, sub } => {
            let right = sub.map_or(name.to_owned(), |sub| format!("{name} > {sub}"));
            format!(
                "Spell the category \"{right}\", exactly as Apple does (not {shown}), or Apple \
                 will not recognise it."
            )
        }
    })
}

fn description_message(what: &str, text: &str) -> Option<String> {
    let n = text.len();
    (n > DESCRIPTION_MAX_BYTES).then(|| {
        format!(
            "Shorten the {what} description to at most {DESCRIPTION_MAX_BYTES} bytes, Apple's \
             limit: it is {n} bytes."
        )
    })
}

fn title_message(what: &str, text: &str) -> Option<String> {
    let n = text.chars().count();
    (n > TITLE_MAX_CHARS).then(|| {
        format!(
            "Shorten the {what} title to at most {TITLE_MAX_CHARS} characters, Apple's limit: it \
             is {n} characters."
        )
    })
}

fn https_message(tag: &str, url: &str) -> String {
    format!("Use an https URL in {tag}: \"{url}\" is not https, and apps may refuse to fetch it.")
}

/// The URLs of the persons that render (those with a name).
fn person_urls<'a>(persons: &'a [FeedPerson], urls: &mut Vec<(&str, &'a str)>) {
    for p in persons.iter().filter(|p| !blank(&p.name)) {
        urls.extend(present(&p.img).map(|u| ("podcast:person img", u)));
        urls.extend(present(&p.href).map(|u| ("podcast:person href", u)));
    }
}

/// The URL of a licence that renders (one with a name).
fn license_url(license: &Option<FeedLicense>) -> Option<&str> {
    let license = license.as_ref().filter(|l| !blank(&l.name));
    license.and_then(|l| present(&l.url))
}

/// The value, unless it is absent or only whitespace.
fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|v| !blank(v))
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn is_https(url: &str) -> bool {
    starts_with_ignore_case(url.trim(), "https://")
}

/// An `ipfs://` or `magnet:` source, which the podcast namespace allows for alternate
/// enclosures and which has no https form.
fn is_p2p(url: &str) -> bool {
    let url = url.trim();
    starts_with_ignore_case(url, "ipfs://") || starts_with_ignore_case(url, "magnet:")
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

#[cfg(test)]
mod tests;
