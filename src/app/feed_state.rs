//! Where a show's feed stands: its publication, the validation warnings of the feed as it
//! publishes now, and the redirects that stand for it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::{moves, shows, App, Result};
use crate::db::{self, episodes, publications};
use crate::domain::{Episode, PublishState, Show, ShowStatus, Viewer};
use crate::feed::{input::FeedInput, plan::MovePlan, validate};

/// Where a show's feed stands.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedState {
    pub feed_url: String,
    pub revision: i64,
    pub published_revision: Option<i64>,
    pub published_at: Option<DateTime<Utc>>,
    pub etag: Option<String>,
    pub bytes: Option<i64>,
    pub episode_count: Option<i32>,
    pub state: PublishState,
    pub last_error: Option<String>,
    pub warnings: Vec<WarningView>,
    /// `<itunes:new-feed-url>` as the feed carries it now (during a move or a rename's grace).
    pub new_feed_url: Option<String>,
    pub redirects: Vec<RedirectView>,
}

/// A redirect stub that stands for the show.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RedirectView {
    pub from_url: String,
    pub to_url: String,
    pub since: DateTime<Utc>,
}

/// A validation warning, pointing at the episode it is about.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WarningView {
    #[schema(value_type = String)]
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub episode_id: Option<Uuid>,
}

/// Where the feed of a show `who` may see stands.
pub async fn get(app: &App, who: Viewer, slug: &str) -> Result<FeedState> {
    let show = shows::get(app, who, slug).await?;
    of(app, &show).await
}

/// Where `show`'s feed stands: publication, warnings and redirects.
pub async fn of(app: &App, show: &Show) -> Result<FeedState> {
    let publication = publications::feed_of(&app.pool, show.id).await?;
    let episodes = episodes::all_for_show(&app.pool, show.id).await?;
    let now = Utc::now();
    // The feed as the render job publishes it now: the same input, so the same warnings.
    let mut input = FeedInput::of(show, &app.publishing(), now);
    if let Some(url) = &show.fields.image_url {
        // Artwork uploaded here was measured when it was probed.
        if let Some(facts) = db::media::image_facts(&app.pool, show.id, url).await? {
            input.show.image_size = facts.size;
            input.show.image_not_rgb = facts.not_rgb;
        }
    }
    let warnings = warnings(&input, &episodes, now);
    let redirects = redirects(app, show, input.plan.clone()).await?;
    let plan = input.plan;
    Ok(FeedState {
        feed_url: input.show.feed_url,
        revision: show.revision,
        published_revision: show.published_revision,
        published_at: publication.as_ref().map(|p| p.published_at),
        etag: publication.as_ref().map(|p| p.etag.clone()),
        bytes: publication.as_ref().map(|p| p.bytes),
        episode_count: publication.as_ref().map(|p| p.episode_count),
        state: show.publish_state(),
        last_error: show.publish_error.clone(),
        warnings,
        new_feed_url: plan.new_feed_url.filter(|_| !plan.redirected),
        redirects,
    })
}

fn warnings(input: &FeedInput, episodes: &[Episode], now: DateTime<Utc>) -> Vec<WarningView> {
    validate::warnings(&input.show, episodes, now)
        .into_iter()
        .map(|w| WarningView {
            episode_id: w.episode_guid.as_ref().and_then(|guid| {
                episodes
                    .iter()
                    .find(|e| &e.fields.guid == guid)
                    .map(|e| e.id)
            }),
            code: w.code,
            message: w.message,
        })
        .collect()
}

/// The stubs that stand for the show now: one per old slug, and its own key once a move out's
/// redirect is due. Each points where the show's subscribers belong.
async fn redirects(app: &App, show: &Show, mut plan: MovePlan) -> Result<Vec<RedirectView>> {
    // What the worker has published counts too (it may run on a clock of its own).
    if let (false, ShowStatus::Moved, Some(url)) =
        (plan.redirected, show.status, &show.new_feed_url)
    {
        plan.redirected = true;
        plan.destination = url.clone();
    }
    let mut views: Vec<RedirectView> = moves::redirects_of(app, show)
        .await?
        .into_iter()
        .map(|r| RedirectView {
            from_url: app.feed_url(&r.from_slug),
            to_url: plan.destination.clone(),
            since: r.created_at,
        })
        .collect();
    if let (true, Some(since)) = (plan.redirected, show.move_redirect_at) {
        views.insert(
            0,
            RedirectView {
                from_url: app.feed_url(&show.fields.slug),
                to_url: plan.destination.clone(),
                since,
            },
        );
    }
    Ok(views)
}
