//! The renderer's input: a show and its episodes as the feed sees them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// An Apple category, optionally with one subcategory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedCategory {
    pub name: String,
    pub sub: Option<String>,
}

/// A `podcast:funding` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFunding {
    pub url: String,
    pub label: String,
}

/// Everything about a show that appears in its feed.
#[derive(Debug, Clone)]
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
    pub updated_at: DateTime<Utc>,
}

/// Everything about an episode that appears in its feed.
#[derive(Debug, Clone)]
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
}
