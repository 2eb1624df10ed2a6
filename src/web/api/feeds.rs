//! A show's publication state, refreshes, and job status.

use axum::{extract::State, http::StatusCode, Json};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::db::{
    episodes::{self, Episode},
    publications, redirects,
    shows::{self, Show},
};
use crate::domain::feed_url;
use crate::feed::validate;
use crate::jobs::queue::{self, JobStatus};
use crate::jobs::render::moves::MovePlan;
use crate::jobs::render::{feed_episode, feed_show};
use crate::web::{auth::CurrentUser, error::ApiError, extract::ApiPath, AppState};

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
    #[schema(value_type = super::openapi::PublishState)]
    pub state: &'static str,
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

#[utoipa::path(
    operation_id = "get_feed_state",
    get,
    path = "/api/v1/shows/{slug}/feed",
    tag = "feeds",
    params(("slug" = String, Path, description = "the show's slug")),
    responses(
        (status = 200, description = "publication state", body = FeedState),
        super::openapi::Auth, super::openapi::Found,
    ),
)]
pub async fn state(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<FeedState>, ApiError> {
    let show = user.show(&app.pool, &slug).await?;
    Ok(Json(feed_state(&app, show).await?))
}

/// `up_to_date`, `pending`, `failed` or `conflict`.
pub fn publish_state(show: &Show) -> &'static str {
    let up_to_date = show.published_revision.is_some_and(|p| p >= show.revision);
    // A successful publish clears the error, so an error means the last attempt failed.
    if show.publish_conflict {
        "conflict"
    } else if show.publish_error.is_some() {
        "failed"
    } else if up_to_date {
        "up_to_date"
    } else {
        "pending"
    }
}

/// Where `show`'s feed stands: publication, warnings and redirects.
pub async fn feed_state(app: &AppState, show: Show) -> Result<FeedState, ApiError> {
    let publication = publications::feed_of(&app.pool, show.id).await?;
    let episodes = episodes::all_for_show(&app.pool, show.id).await?;
    let warnings = feed_warnings(&show, &episodes, &app.settings.feed_base_url);
    let redirects = redirects_of(app, &show).await?;
    let grace = chrono::Duration::days(app.settings.move_grace_days.into());
    let plan = MovePlan::of(&show, &app.settings.feed_base_url, grace, Utc::now());
    let state = publish_state(&show);
    Ok(FeedState {
        feed_url: feed_url(&app.settings.feed_base_url, &show.fields.slug),
        revision: show.revision,
        published_revision: show.published_revision,
        published_at: publication.as_ref().map(|p| p.published_at),
        etag: publication.as_ref().map(|p| p.etag.clone()),
        bytes: publication.as_ref().map(|p| p.bytes),
        episode_count: publication.as_ref().map(|p| p.episode_count),
        state,
        last_error: show.publish_error,
        warnings,
        new_feed_url: plan.new_feed_url.filter(|_| !plan.redirected),
        redirects,
    })
}

/// The stubs that stand for the show now: one per old slug, and its own key once a move out's
/// redirect is due. Each points where the show's subscribers belong.
async fn redirects_of(app: &AppState, show: &Show) -> Result<Vec<RedirectView>, ApiError> {
    let base = &app.settings.feed_base_url;
    let grace = chrono::Duration::days(app.settings.move_grace_days.into());
    let mut plan = MovePlan::of(show, base, grace, Utc::now());
    // What the worker has published counts too (it may run on a clock of its own).
    if let (false, "moved", Some(url)) = (plan.redirected, show.status.as_str(), &show.new_feed_url)
    {
        plan.redirected = true;
        plan.destination = url.clone();
    }
    let mut views: Vec<RedirectView> = redirects::of_show(&app.pool, show.id)
        .await?
        .into_iter()
        .map(|r| RedirectView {
            from_url: feed_url(base, &r.from_slug),
            to_url: plan.destination.clone(),
            since: r.created_at,
        })
        .collect();
    if let (true, Some(since)) = (plan.redirected, show.move_redirect_at) {
        views.insert(
            0,
            RedirectView {
                from_url: feed_url(base, &show.fields.slug),
                to_url: plan.destination.clone(),
                since,
            },
        );
    }
    Ok(views)
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

fn feed_warnings(show: &Show, episodes: &[Episode], base_url: &str) -> Vec<WarningView> {
    let feed_episodes: Vec<_> = episodes.iter().map(feed_episode).collect();
    let feed_show = feed_show(show, base_url);
    validate::warnings(&feed_show, &feed_episodes, Utc::now())
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

#[utoipa::path(
    operation_id = "refresh_show",
    post,
    path = "/api/v1/shows/{slug}/refresh",
    tag = "feeds",
    params(("slug" = String, Path, description = "the show's slug")),
    responses(
        (status = 202, description = "refresh queued", body = super::openapi::JobAccepted),
        super::openapi::Auth, super::openapi::Found,
    ),
)]
pub async fn refresh(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let show = user.show(&app.pool, &slug).await?;
    let job_id = queue::enqueue_render(&app.pool, show.id, None, app.settings.max_attempts).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "job_id": job_id }))))
}

#[utoipa::path(
    operation_id = "get_job",
    get,
    path = "/api/v1/jobs/{id}",
    tag = "feeds",
    params(("id" = uuid::Uuid, Path, description = "job id")),
    responses(
        (status = 200, description = "the job", body = JobStatus),
        super::openapi::Auth, super::openapi::Found,
    ),
)]
pub async fn job(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<JobStatus>, ApiError> {
    let job = queue::status(&app.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !user.is_admin {
        let show = match job.show_id {
            Some(show_id) => shows::find_by_id(&app.pool, show_id).await?,
            None => None,
        };
        let show = show.ok_or(ApiError::NotFound)?;
        user.show(&app.pool, &show.fields.slug).await?;
    }
    Ok(Json(job))
}
