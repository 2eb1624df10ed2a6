//! Checking an analytics prefix before it is saved: following it from the newest episode's
//! media URL must end at that media, or every download would break.

use chrono::Utc;

use super::{shows, App, Error, Result};
use crate::db::episodes::{self, EpisodePage};
use crate::domain::{analytics_prefix, prefixed, EpisodeState, Viewer};
use crate::import::{fetch, FetchLimits};

/// Refuses `raw` (422 `analytics_prefix`) when it is a new prefix for the show at `slug` and
/// following it from the newest published episode does not lead to that episode's media.
/// Without a published episode there is nothing to follow, and the prefix is taken as it is.
pub(super) async fn check(app: &App, who: Viewer, slug: &str, raw: &str) -> Result<()> {
    // A prefix that is not even a URL is refused, naming why, by the input's own checks.
    let Ok(prefix) = analytics_prefix(raw.trim()) else {
        return Ok(());
    };
    let show = shows::get(app, who, slug).await?;
    if show.fields.extras.analytics_prefix.as_deref() == Some(prefix.as_str()) {
        return Ok(());
    }
    let newest = EpisodePage {
        state: Some(EpisodeState::Published),
        limit: 1,
        after: None,
        now: Utc::now(),
    };
    let newest = episodes::list_visible(&app.pool, who, slug, &newest).await?;
    let Some(episode) = newest.first() else {
        return Ok(());
    };
    let media = &episode.fields.enclosure_url;
    let start = prefixed(Some(&prefix), media);
    let limits = FetchLimits::from_settings(&app.settings);
    let refused = |why: String| {
        Error::field(
            "analytics_prefix",
            format!("following {start} (the newest episode's media behind the prefix) {why}"),
        )
    };
    match fetch::follow_to(&start, media, &limits).await {
        Ok(None) => Ok(()),
        Ok(Some(end)) => Err(refused(format!("ends at {end}, not at the media {media}"))),
        Err(e) => Err(refused(format!("failed: {e}"))),
    }
}
