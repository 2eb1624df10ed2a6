//! The one conversion from a stored show to what its feed publishes. The render job and the
//! feed panel's warnings both start here, so the warnings are about the feed as published.

use chrono::{DateTime, Duration, Utc};

use super::model::FeedShow;
use super::plan::MovePlan;
use crate::domain::{feed_url, Show};

/// What the publishing settings add to every feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publishing {
    /// `PODPUB_FEED_BASE_URL`, without a trailing slash.
    pub base_url: String,
    /// `PODPUB_WEBSUB_HUBS`.
    pub hubs: Vec<String>,
    /// A renamed show's grace period of `<itunes:new-feed-url>` (`PODPUB_MOVE_GRACE_DAYS`).
    pub move_grace: Duration,
}

/// A show's feed as it publishes at one moment: the renderer's input, and where it goes.
#[derive(Debug, Clone)]
pub struct FeedInput {
    pub show: FeedShow,
    pub plan: MovePlan,
}

impl FeedInput {
    pub fn of(show: &Show, publishing: &Publishing, as_of: DateTime<Utc>) -> FeedInput {
        let plan = MovePlan::of(show, &publishing.base_url, publishing.move_grace, as_of);
        let mut fields = show.fields.clone();
        if show.is_deleted() {
            // A show in the trash keeps its subscribers' episodes but leaves directories.
            fields.block = true;
            fields.complete = true;
        }
        let feed = FeedShow {
            fields,
            podcast_guid: show.podcast_guid,
            feed_url: feed_url(&publishing.base_url, &show.fields.slug),
            new_feed_url: plan.new_feed_url.clone(),
            hubs: publishing.hubs.clone(),
            updated_at: show.updated_at,
            image_size: None,
            image_not_rgb: None,
        };
        FeedInput { show: feed, plan }
    }
}
