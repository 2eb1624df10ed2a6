//! A show's publication state, refreshes, and job status.

use axum::{extract::State, http::StatusCode, Json};
use uuid::Uuid;

use super::openapi::{Auth, Found, JobAccepted};
use crate::app::jobs::JobStatus;
use crate::app::{self, feed_state::FeedState};
use crate::web::{auth::CurrentUser, error::ApiError, extract::ApiPath, AppState};

#[utoipa::path(
    operation_id = "get_feed_state",
    get,
    path = "/api/v1/shows/{slug}/feed",
    tag = "feeds",
    params(("slug" = String, Path, description = "the show's slug")),
    responses((status = 200, description = "publication state", body = FeedState), Auth, Found),
)]
pub async fn state(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<FeedState>, ApiError> {
    Ok(Json(
        app::feed_state::get(&state.app, user.viewer(), &slug).await?,
    ))
}

#[utoipa::path(
    operation_id = "refresh_show",
    post,
    path = "/api/v1/shows/{slug}/refresh",
    tag = "feeds",
    params(("slug" = String, Path, description = "the show's slug")),
    responses((status = 202, description = "refresh queued", body = JobAccepted), Auth, Found),
)]
pub async fn refresh(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<(StatusCode, Json<JobAccepted>), ApiError> {
    let job_id = app::refresh::show(&state.app, user.viewer(), &slug).await?;
    Ok((StatusCode::ACCEPTED, Json(JobAccepted { job_id })))
}

#[utoipa::path(
    operation_id = "get_job",
    get,
    path = "/api/v1/jobs/{id}",
    tag = "feeds",
    params(("id" = uuid::Uuid, Path, description = "job id")),
    responses((status = 200, description = "the job", body = JobStatus), Auth, Found),
)]
pub async fn job(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<JobStatus>, ApiError> {
    Ok(Json(app::jobs::get(&state.app, user.viewer(), id).await?))
}
