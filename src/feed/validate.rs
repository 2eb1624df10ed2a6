//! Validation warnings: what podcast directories (Apple Podcasts above all) would reject or
//! mishandle in a feed, shown to the podcaster before and after publishing.
//!
//! Warnings never stop a publish. They are computed on the feed as it renders at a given time, so
//! drafts and scheduled episodes do not count until they are published.

mod items;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::categories::{self, CategoryCheck};
use super::model::FeedShow;
use super::render::{included, newest_first};
use crate::domain::{is_p2p, Episode, License, Person, ShowType};

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
    /// The artwork was measured and is not RGB (CMYK, grayscale...); Apple refuses it.
    pub const ARTWORK_NOT_RGB: &str = "artwork_not_rgb";
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
    /// A URL apps follow from a `podcast:` tag, or the `itunes:new-feed-url` of a move, is not
    /// https (per URL).
    pub const PODCAST_TAG_NOT_HTTPS: &str = "podcast_tag_not_https";
    /// The show has no `itunes:author`.
    pub const AUTHOR_MISSING: &str = "author_missing";
    /// The show has no owner email (`itunes:owner`), which Apple uses to verify ownership.
    pub const OWNER_EMAIL_MISSING: &str = "owner_email_missing";
    /// No episode is published yet; Apple refuses a feed without episodes.
    pub const EMPTY_SHOW: &str = "empty_show";
    pub use super::value::{
        VALUE_RECIPIENT_NO_ADDRESS, VALUE_SPLITS_ZERO, VALUE_TIME_SPLIT_PAST_END,
    };
    /// A soundbite ends after the episode's `duration_seconds` (per soundbite).
    pub const SOUNDBITE_PAST_END: &str = "soundbite_past_end";
    /// A soundbite is shorter than 15 or longer than 120 seconds, the spec's recommendation.
    pub const SOUNDBITE_LENGTH: &str = "soundbite_length";
    /// A list feed (medium `podcastL`, `musicL`...) has no remote items to list.
    pub const LIST_WITHOUT_ITEMS: &str = "list_without_items";
    /// A list feed has episodes of its own, which apps ignore.
    pub const LIST_WITH_EPISODES: &str = "list_with_episodes";
    /// A `socialInteract` protocol is not on the namespace's list (per thread).
    pub const SOCIAL_PROTOCOL_UNKNOWN: &str = "social_protocol_unknown";
    /// Several `socialInteract` threads, and not each with a priority to order them by.
    pub const SOCIAL_PRIORITY_MISSING: &str = "social_priority_missing";
    /// `podcast:publisher` without the `feedUrl` that the namespace highly recommends.
    pub const PUBLISHER_FEED_URL_MISSING: &str = "publisher_feed_url_missing";
    pub use super::live::{
        LIVE_ITEM_CONTENT_LINK_MISSING, LIVE_ITEM_ENCLOSURE_MISSING, LIVE_ITEM_END_MISSING,
        LIVE_ITEM_OVERDUE, LIVE_ITEM_START_MISSING,
    };
}

/// Smallest artwork side Apple accepts, in pixels.
pub const ARTWORK_MIN_PX: u32 = 1400;
/// Largest artwork side Apple accepts, in pixels.
pub const ARTWORK_MAX_PX: u32 = 3000;
/// Apple's limit on a show or episode description, in bytes.
pub const DESCRIPTION_MAX_BYTES: usize = crate::domain::notes::NOTES_MAX_BYTES;
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
pub fn warnings(show: &FeedShow, episodes: &[Episode], as_of: DateTime<Utc>) -> Vec<Warning> {
    let mut eps: Vec<&Episode> = episodes.iter().filter(|e| included(e, as_of)).collect();
    eps.sort_by(|a, b| newest_first(a, b));
    let mut out = Out {
        list: Vec::new(),
        guid: None,
    };
    show_warnings(show, eps.is_empty(), &mut out);
    live::warnings(&mut out, &show.fields.extras.live_items, as_of);
    let (mut urls, mut guids) = (HashSet::new(), HashSet::new());
    for e in eps.iter().map(|e| &e.fields) {
        out.guid = Some(&e.guid);
        episode_warnings(show, e, &mut out);
        items::episode_warnings(e, &mut out);
        out.add_if(
            !urls.insert(e.enclosure_url.trim()),
            code::DUPLICATE_ENCLOSURE_URL,
            || {
                "Give this episode its own media URL: another episode already uses it, and Apple \
             ignores an enclosure URL it has seen before."
            },
        );
        out.add_if(!guids.insert(&*e.guid), code::DUPLICATE_GUID, || {
            format!(
                "Remove or re-create this episode: another episode has the same guid \"{}\", and \
                 apps treat episodes with one guid as one episode.",
                e.guid
            )
        });
        let mut tags = Vec::new();
        tags.extend(present(&e.transcript_url).map(|u| ("podcast:transcript", u)));
        tags.extend(present(&e.chapters_url).map(|u| ("podcast:chapters", u)));
        person_urls(&e.extras.persons, &mut tags);
        tags.extend(license_url(&e.extras.license).map(|u| ("podcast:license", u)));
        let alternates = e
            .extras
            .alternate_enclosures
            .iter()
            .filter(|a| !blank(&a.mime_type));
        let sources = alternates.flat_map(|a| &a.sources).filter(|u| !is_p2p(u));
        tags.extend(sources.map(|u| ("podcast:alternateEnclosure source", &**u)));
        tags.extend(items::urls(e));
        listing::social_urls(&e.extras.social_interact, &mut tags);
        not_https(&mut out, tags);
        value::warnings(&mut out, &e.extras.value, e.duration_seconds);
        listing::episode(&e.extras.social_interact, &mut out);
    }
    out.list
}

/// Collects warnings, each about the episode being checked, if any.
struct Out<'a> {
    list: Vec<Warning>,
    guid: Option<&'a str>,
}

impl Out<'_> {
    fn add_if<M: Into<String>>(&mut self, cond: bool, code: &'static str, msg: impl FnOnce() -> M) {
        if cond {
            self.list.push(Warning {
                code,
                message: msg().into(),
                episode_guid: self.guid.map(str::to_owned),
            });
        }
    }
}

fn show_warnings(show: &FeedShow, empty: bool, out: &mut Out) {
    let s = &show.fields;
    let x = &s.extras;
    let image = present(&s.image_url);
    out.add_if(image.is_none(), code::ARTWORK_MISSING, || {
        "Add show artwork: Apple requires a square JPEG or PNG image from 1400×1400 to 3000×3000 \
         pixels."
    });
    if let (Some(_), Some((w, h))) = (image, show.image_size) {
        let ok = w == h && (ARTWORK_MIN_PX..=ARTWORK_MAX_PX).contains(&w);
        out.add_if(!ok, code::ARTWORK_SIZE, || {
            format!(
                "Resize the artwork: it is {w}×{h} pixels, and Apple requires a square image from \
                 1400×1400 to 3000×3000 pixels."
            )
        });
    }
    if let (Some(_), Some(why)) = (image, &show.image_not_rgb) {
        out.add_if(true, code::ARTWORK_NOT_RGB, || {
            format!("{why} Save it as an RGB JPEG or PNG and upload it again.")
        });
    }
    let cats: Vec<_> = s.categories.iter().filter(|c| !blank(&c.name)).collect();
    out.add_if(cats.is_empty(), code::CATEGORY_MISSING, || {
        "Choose a category: Apple requires at least one category from its list."
    });
    for c in cats {
        let message = category_message(&c.name, present(&c.sub));
        out.add_if(message.is_some(), code::CATEGORY_UNKNOWN, || {
            message.unwrap_or_default()
        });
    }
    lengths(out, "show", &s.title, &s.description);
    let mut tags = Vec::new();
    tags.extend(s.funding.iter().map(|f| ("podcast:funding", &*f.url)));
    person_urls(&x.persons, &mut tags);
    tags.extend(license_url(&x.license).map(|u| ("podcast:license", u)));
    tags.extend(x.trailers.iter().map(|t| ("podcast:trailer", &*t.url)));
    tags.extend(x.images.iter().map(|i| ("podcast:image", &*i.href)));
    let podroll = x.podroll.iter().filter(|r| !blank(&r.feed_guid));
    let podroll = podroll.filter_map(|r| present(&r.feed_url));
    tags.extend(podroll.map(|u| ("podcast:remoteItem feedUrl", u)));
    listing::show_urls(x, &mut tags);
    // Apps download every episode through the analytics prefix.
    tags.extend(present(&x.analytics_prefix).map(|u| ("the analytics prefix", u)));
    // Apps move their subscribers to the URL a move announces.
    tags.extend(present(&show.new_feed_url).map(|u| ("itunes:new-feed-url", u)));
    not_https(out, tags);
    out.add_if(present(&s.author).is_none(), code::AUTHOR_MISSING, || {
        "Add an author (itunes:author): Apple shows it under the show's title."
    });
    out.add_if(
        present(&s.owner_email).is_none(),
        code::OWNER_EMAIL_MISSING,
        || "Add an owner email (itunes:owner): Apple emails it to verify that you own the show.",
    );
    out.add_if(empty && !listing::is_list(x), code::EMPTY_SHOW, || {
        "Publish at least one episode: Apple does not accept a feed without episodes."
    });
    value::warnings(out, &x.value, None);
    listing::show(x, !empty, out);
}

/// The checks that need only the episode itself.
fn episode_warnings(s: &FeedShow, e: &crate::domain::EpisodeFields, out: &mut Out) {
    let kind = e.enclosure_type.trim();
    let accepted = APPLE_ENCLOSURE_TYPES
        .iter()
        .any(|t| t.eq_ignore_ascii_case(kind));
    out.add_if(!accepted, code::ENCLOSURE_TYPE_REJECTED, || match kind {
        "" => format!("Set the media file's type: Apple accepts only {TYPES_TEXT}."),
        _ => format!("Use a media file Apple accepts ({TYPES_TEXT}): not \"{kind}\"."),
    });
    out.add_if(e.enclosure_length <= 0, code::ENCLOSURE_LENGTH_MISSING, || {
        "Set the media file's length to its size in bytes: it is 0, and apps use it to show and \
         check downloads."
    });
    lengths(out, "episode", &e.title, &e.description);
    let unnumbered = s.fields.show_type == ShowType::Serial && e.episode.is_none();
    out.add_if(unnumbered, code::SERIAL_WITHOUT_EPISODE_NUMBERS, || {
        "Give this episode an episode number: Apple orders the episodes of a serial show by \
         number."
    });
}

/// Apple's title and description limits.
fn lengths(out: &mut Out, what: &str, title: &str, description: &str) {
    let n = description.len();
    out.add_if(
        n > DESCRIPTION_MAX_BYTES,
        code::DESCRIPTION_TOO_LONG,
        || {
            format!(
                "Shorten the {what} description to at most {DESCRIPTION_MAX_BYTES} bytes, Apple's \
             limit: it is {n} bytes."
            )
        },
    );
    let n = title.chars().count();
    out.add_if(n > TITLE_MAX_CHARS, code::TITLE_TOO_LONG, || {
        format!(
            "Shorten the {what} title to at most {TITLE_MAX_CHARS} characters, Apple's limit: it \
             is {n} characters."
        )
    });
}

fn not_https(out: &mut Out, tags: Vec<(&str, &str)>) {
    for (tag, url) in tags.into_iter().filter(|(_, u)| !blank(u) && !is_https(u)) {
        out.add_if(true, code::PODCAST_TAG_NOT_HTTPS, || {
            format!("Use an https URL in {tag}: \"{url}\" is not https, and apps may refuse it.")
        });
    }
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

/// The URLs of the persons that render (those with a name).
fn person_urls<'a>(persons: &'a [Person], urls: &mut Vec<(&str, &'a str)>) {
    for p in persons.iter().filter(|p| !blank(&p.name)) {
        urls.extend(present(&p.img).map(|u| ("podcast:person img", u)));
        urls.extend(present(&p.href).map(|u| ("podcast:person href", u)));
    }
}

/// The URL of a licence that renders (one with a name).
fn license_url(license: &Option<License>) -> Option<&str> {
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

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    let head = s.as_bytes().get(..prefix.len());
    head.is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

mod listing;
mod live;
#[cfg(test)]
mod tests;
mod value;
