//! What podcast apps will show of a show: read through the render job's own snapshot and the
//! one conversion to the feed's input, so the preview is the feed the worker publishes.

use chrono::{DateTime, Utc};

use super::{shows, App, Error, Result};
use crate::domain::{Episode, EpisodeState, Viewer};
use crate::feed::{input::FeedInput, model::FeedShow, render::newest_first};
use crate::jobs::render::snapshot;

/// One episode as the preview lists it.
pub struct PreviewEpisode {
    pub episode: Episode,
    pub state: EpisodeState,
    /// In the feed at the preview's time (a draft or a scheduled episode is not yet).
    pub in_feed: bool,
}

/// A show's feed as apps will show it at `as_of`, every episode listed newest first.
pub struct FeedPreview {
    pub feed: FeedShow,
    pub episodes: Vec<PreviewEpisode>,
}

pub async fn of(app: &App, who: Viewer, slug: &str, as_of: DateTime<Utc>) -> Result<FeedPreview> {
    let show = shows::get(app, who, slug).await?;
    let snap = snapshot::load(&app.pool, show.id)
        .await?
        .ok_or(Error::NotFound)?;
    let input = FeedInput::of(&snap.show, &app.publishing(), as_of);
    let mut all = snap.episodes;
    all.sort_by(newest_first);
    let limit = input.show.item_limit();
    let mut shown = 0;
    let episodes = all
        .into_iter()
        .map(|episode| {
            let included = episode.included(as_of) && limit.is_none_or(|n| shown < n);
            shown += usize::from(included);
            PreviewEpisode {
                state: episode.state(as_of),
                in_feed: included,
                episode,
            }
        })
        .collect();
    Ok(FeedPreview {
        feed: input.show,
        episodes,
    })
}
