//! Podcasting 2.0 details of shows and episodes, as the API writes them and the database keeps them.

mod analytics;
mod check;
mod items;
mod listing;
mod listing_check;
mod live;
mod value;
mod value_check;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use self::analytics::{analytics_prefix, check_analytics_prefix, prefixed};
pub use self::check::{check_episode_extras, check_show_extras, is_p2p};
pub use self::items::integrity as check_integrity;
pub use self::items::{ContentLink, Integrity, PodcastImage, Soundbite, Transcript};
pub use self::listing::*;
pub use self::live::{
    check_live_items, last_live_change, next_live_change, LiveEnclosure, LiveItem, LiveStatus,
};
pub use self::value::*;
pub use self::value_check::check_values;
use super::{text_enum, Funding};

text_enum! {
    /// `podcast:medium`: what the feed is; the `L` forms are lists of such feeds.
    pub enum Medium {
        Podcast = "podcast",
        Music = "music",
        Video = "video",
        Film = "film",
        Audiobook = "audiobook",
        Newsletter = "newsletter",
        Blog = "blog",
        Publisher = "publisher",
        Course = "course",
        Mixed = "mixed",
        PodcastL = "podcastL",
        MusicL = "musicL",
        VideoL = "videoL",
        FilmL = "filmL",
        AudiobookL = "audiobookL",
        NewsletterL = "newsletterL",
        BlogL = "blogL",
        PublisherL = "publisherL",
        CourseL = "courseL",
    }
}

/// `podcast:person`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub img: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

/// `podcast:location`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osm: Option<String>,
    /// `subject` (what the content is about; the default) or `creator` (where it is made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<LocationRel>,
    /// ISO 3166-1 alpha-2 country code, such as `US`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

text_enum! {
    /// `podcast:location`'s `rel`.
    pub enum LocationRel {
        Subject = "subject",
        Creator = "creator",
    }
}

/// `podcast:license`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct License {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `podcast:trailer`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Trailer {
    pub title: String,
    pub url: String,
    pub pubdate: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<i64>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<i32>,
}

/// `podcast:txt`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Txt {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    pub value: String,
}

/// A `podcast:remoteItem` of the podroll.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteItem {
    pub feed_guid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
}

/// `podcast:alternateEnclosure` and its sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlternateEnclosure {
    #[serde(rename = "type")]
    pub mime_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitrate: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
    /// RFC 6381 codecs, such as `avc1.4d401e,mp4a.40.2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codecs: Option<String>,
    #[serde(default)]
    pub default: bool,
    pub sources: Vec<String>,
    /// The `contentType` of the sources that declare one, by URI: the file's type when the
    /// transport is another (a torrent, IPFS).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub content_types: std::collections::BTreeMap<String, String>,
    // items group
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<Integrity>,
}

/// A show's Podcasting 2.0 details and feed options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ShowExtras {
    /// At most this many (newest) episodes in the main feed; `None` means all.
    pub item_limit: Option<u32>,
    /// Also publish RFC 5005 archive pages of this many episodes.
    pub archive_page_size: Option<u32>,
    pub medium: Option<Medium>,
    pub persons: Vec<Person>,
    pub location: Option<Location>,
    /// Locations after the one of `location`.
    pub locations: Vec<Location>,
    pub license: Option<License>,
    pub trailers: Vec<Trailer>,
    pub txt: Vec<Txt>,
    pub podroll: Vec<RemoteItem>,
    pub podping: bool,
    // value
    pub value: Vec<Value>,
    // items group
    pub images: Vec<PodcastImage>,
    // Listing: block, updateFrequency, publisher, list feeds, chat, socialInteract, Apple.
    pub podcast_block: Vec<ServiceBlock>,
    pub update_frequency: Option<UpdateFrequency>,
    pub publisher: Option<FeedRef>,
    /// The entries of a list feed (medium `podcastL`, `musicL`...).
    pub remote_items: Vec<ListItem>,
    pub chat: Option<Chat>,
    pub social_interact: Vec<SocialInteract>,
    /// Apple's ownership-verification code, published as `podcast:txt purpose="applepodcastsverify"`.
    pub apple_verify: Option<String>,
    /// Live streams (`podcast:liveItem`), in the order the podcaster gave them.
    pub live_items: Vec<LiveItem>,
    /// Put in front of every enclosure URL in the feed (OP3, Podtrac...), which must redirect to
    /// the media: `https://op3.dev/e/` gives `https://op3.dev/e/cdn.example.com/1.mp3`.
    pub analytics_prefix: Option<String>,
}

/// An episode's Podcasting 2.0 details.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EpisodeExtras {
    pub persons: Vec<Person>,
    pub location: Option<Location>,
    /// Locations after the one of `location`.
    pub locations: Vec<Location>,
    pub license: Option<License>,
    pub txt: Vec<Txt>,
    pub alternate_enclosures: Vec<AlternateEnclosure>,
    // value
    pub value: Vec<Value>,
    // items group
    pub soundbites: Vec<Soundbite>,
    pub content_links: Vec<ContentLink>,
    /// Transcripts after the one of `transcript_url`.
    pub transcripts: Vec<Transcript>,
    pub funding: Vec<Funding>,
    /// `podcast:season`'s `name`; needs a season number.
    pub season_name: Option<String>,
    /// `podcast:episode`'s `display`, shown instead of the number.
    pub episode_display: Option<String>,
    /// `podcast:episode`'s number when it is not whole, such as 100.5 for a special between 100
    /// and 101; `episode` stays the whole number of `itunes:episode`.
    pub episode_number: Option<f64>,
    pub images: Vec<PodcastImage>,
    // Listing: socialInteract, chat, Apple.
    pub social_interact: Vec<SocialInteract>,
    /// `itunes:block`: Apple does not list this episode.
    pub itunes_block: bool,
    /// This episode's own chat room, in place of the show's.
    pub chat: Option<Chat>,
}
