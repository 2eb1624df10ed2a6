//! Admin-only endpoints: refreshing many shows and watching the batch.

use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;
use uuid::Uuid;

use super::openapi::{AdminOnly, Auth, BatchAccepted, Body, Found};
use crate::app::refresh::{self, BatchProgress, By, ShowSelection};
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiJson, ApiPath},
    AppState,
};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    shows: ShowSelection,
    /// Render every show and upload every object again, unchanged or not.
    #[serde(default)]
    force: bool,
}

#[utoipa::path(
    operation_id = "admin_refresh",
    post,
    path = "/api/v1/admin/refresh",
    tag = "admin",
    request_body = RefreshRequest,
    responses(
        (status = 202, description = "batch queued", body = BatchAccepted),
        Auth, Found, Body, AdminOnly,
    ),
)]
pub async fn refresh(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<(StatusCode, Json<BatchAccepted>), ApiError> {
    let by = By::User(user.viewer());
    let batch_id = refresh::start(&state.app, by, req.shows, req.force).await?;
    Ok((StatusCode::ACCEPTED, Json(BatchAccepted { batch_id })))
}

#[utoipa::path(
    operation_id = "admin_refresh_progress",
    get,
    path = "/api/v1/admin/refresh/{batch_id}",
    tag = "admin",
    params(("batch_id" = uuid::Uuid, Path, description = "batch id")),
    responses(
        (status = 200, description = "batch progress", body = BatchProgress),
        Auth, Found, AdminOnly,
    ),
)]
pub async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(batch_id): ApiPath<Uuid>,
) -> Result<Json<BatchProgress>, ApiError> {
    let by = By::User(user.viewer());
    Ok(Json(refresh::progress(&state.app, by, batch_id).await?))
}
