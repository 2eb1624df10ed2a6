//! The renderer's input: a show and its episodes as the feed sees them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An Apple category, optionally with one subcategory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedCategory {
    pub name: String,
    pub sub: Option<String>,
}

/// A `podcast:funding` link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedFunding {
    pub url: String,
    pub label: String,
}

/// A `podcast:person`: someone who takes part in the show or an episode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedPerson {
    pub name: String,
    /// Podcast Taxonomy Project role, e.g. `host`, `guest`.
    pub role: Option<String>,
    /// Podcast Taxonomy Project group, e.g. `cast`.
    pub group: Option<String>,
    pub img: Option<String>,
    pub href: Option<String>,
}

/// A `podcast:location`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedLocation {
    pub name: String,
    /// A `geo:` URI (RFC 5870).
    pub geo: Option<String>,
    /// An OpenStreetMap reference such as `R113314`.
    pub osm: Option<String>,
}

/// A `podcast:license`: an SPDX identifier, or a name with a URL to the licence text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedLicense {
    pub name: String,
    pub url: Option<String>,
}

/// A `podcast:trailer` of the show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedTrailer {
    pub title: String,
    pub url: String,
    pub pubdate: DateTime<Utc>,
    pub length: Option<i64>,
    pub mime_type: Option<String>,
    pub season: Option<i32>,
}

/// A `podcast:txt` record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedTxt {
    pub purpose: Option<String>,
    pub value: String,
}

/// A `podcast:remoteItem` in the show's `podcast:podroll`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedRemoteItem {
    pub feed_guid: String,
    pub feed_url: Option<String>,
}

/// A `podcast:alternateEnclosure` with its `podcast:source` URIs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedAlternateEnclosure {
    pub mime_type: String,
    pub length: Option<i64>,
    pub bitrate: Option<f64>,
    pub height: Option<i32>,
    pub lang: Option<String>,
    pub title: Option<String>,
    pub rel: Option<String>,
    pub default: bool,
    pub sources: Vec<String>,
}

/// Everything about a show that appears in its feed.
#[derive(Debug, Clone, Default)]
pub struct FeedShow {
    pub title: String,
    /// HTML allowed.
    pub description: String,
    pub author: Option<String>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    /// e.g. `en-us`
    pub language: String,
    pub categories: Vec<FeedCategory>,
    pub explicit: bool,
    /// `true` for `serial`, `false` for `episodic`.
    pub serial: bool,
    pub image_url: Option<String>,
    pub link: Option<String>,
    pub copyright: Option<String>,
    pub locked: bool,
    pub complete: bool,
    pub block: bool,
    pub funding: Vec<FeedFunding>,
    pub podcast_guid: Uuid,
    /// Absolute URL of this feed (`atom:link rel="self"`).
    pub feed_url: String,
    /// Set while a move is announced (`itunes:new-feed-url`).
    pub new_feed_url: Option<String>,
    /// WebSub hubs that are told of changes (`atom:link rel="hub"`, main feed only).
    pub hubs: Vec<String>,
    pub updated_at: DateTime<Utc>,
    /// `podcast:medium`; empty means `podcast`.
    pub medium: String,
    pub persons: Vec<FeedPerson>,
    pub location: Option<FeedLocation>,
    pub license: Option<FeedLicense>,
    pub trailers: Vec<FeedTrailer>,
    pub txt: Vec<FeedTxt>,
    pub podroll: Vec<FeedRemoteItem>,
    /// Emits `<podcast:podping usesPodping="true"/>`.
    pub podping: bool,
    /// Artwork size in pixels, when known (for validation only).
    pub image_size: Option<(u32, u32)>,
    /// At most this many (newest) episodes in the main feed; `None` means all.
    pub item_limit: Option<usize>,
    /// When set, older episodes are also published as RFC 5005 archive pages of this size.
    pub archive_page_size: Option<usize>,
}

/// Everything about an episode that appears in its feed.
#[derive(Debug, Clone, Default)]
pub struct FeedEpisode {
    pub guid: String,
    pub title: String,
    /// HTML allowed.
    pub description: String,
    pub enclosure_url: String,
    pub enclosure_length: i64,
    pub enclosure_type: String,
    pub duration_seconds: Option<i32>,
    pub season: Option<i32>,
    pub episode: Option<i32>,
    /// `full`, `trailer` or `bonus`.
    pub episode_type: String,
    pub explicit: Option<bool>,
    pub image_url: Option<String>,
    pub transcript_url: Option<String>,
    pub transcript_type: Option<String>,
    pub chapters_url: Option<String>,
    pub draft: bool,
    pub publish_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub persons: Vec<FeedPerson>,
    pub location: Option<FeedLocation>,
    pub license: Option<FeedLicense>,
    pub txt: Vec<FeedTxt>,
    pub alternate_enclosures: Vec<FeedAlternateEnclosure>,
}
