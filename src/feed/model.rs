//! The renderer's input: a show as its feed presents it. Episodes are rendered as they are
//! stored ([`crate::domain::Episode`]).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::ShowFields;

/// Everything about a show that appears in its feed: what the podcaster wrote, and what
/// publishing adds.
#[derive(Debug, Clone, Default)]
pub struct FeedShow {
    pub fields: ShowFields,
    pub podcast_guid: Uuid,
    /// Absolute URL of this feed (`atom:link rel="self"`).
    pub feed_url: String,
    /// Set while a move is announced (`itunes:new-feed-url`).
    pub new_feed_url: Option<String>,
    /// WebSub hubs that are told of changes (`atom:link rel="hub"`, main feed only).
    pub hubs: Vec<String>,
    pub updated_at: DateTime<Utc>,
    /// Artwork size in pixels, when known (for validation only).
    pub image_size: Option<(u32, u32)>,
    /// Why the artwork is not RGB, when it was measured and is not (for validation only).
    pub image_not_rgb: Option<String>,
}

impl FeedShow {
    /// At most this many (newest) episodes in the main feed; `None` means all.
    pub fn item_limit(&self) -> Option<usize> {
        self.fields.extras.item_limit.map(|n| n as usize)
    }

    /// When set, older episodes are also published as RFC 5005 archive pages of this size.
    pub fn archive_page_size(&self) -> Option<usize> {
        self.fields
            .extras
            .archive_page_size
            .map(|n| n as usize)
            .filter(|&n| n > 0)
    }
}
