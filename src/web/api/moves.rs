//! Moves: renames (PATCH with a new slug), moving out (`POST …/move`) and undoing either
//! (`DELETE …/move`).

use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;

use super::openapi::{Auth, Body, Conflict, Found, OwnersOnly};
use super::shows::ShowView;
use crate::app::moves;
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiJson, ApiPath},
    AppState,
};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    new_feed_url: String,
    /// Days of `<itunes:new-feed-url>` before the feed becomes a redirect; 0 redirects now.
    /// Defaults to PODPUB_MOVE_GRACE_DAYS.
    redirect_after_days: Option<i64>,
}

/// `POST /api/v1/shows/{slug}/move`: announce a new home, then redirect to it.
#[utoipa::path(
    operation_id = "start_move",
    post,
    path = "/api/v1/shows/{slug}/move",
    tag = "moves",
    params(("slug" = String, Path, description = "the show's slug")),
    request_body = MoveRequest,
    responses(
        (status = 202, description = "move started", body = ShowView),
        Auth, Found, Body, OwnersOnly, Conflict,
    ),
)]
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(req): ApiJson<MoveRequest>,
) -> Result<(StatusCode, Json<ShowView>), ApiError> {
    let who = user.viewer();
    let days = req.redirect_after_days;
    let show = moves::start(&state.app, who, &slug, &req.new_feed_url, days).await?;
    Ok((StatusCode::ACCEPTED, Json(state.show_view(show))))
}

/// `DELETE /api/v1/shows/{slug}/move`: undo a move out at any stage (the feed is published at
/// its own URL again, replacing the stub), or else undo the last rename.
#[utoipa::path(
    operation_id = "undo_move",
    delete,
    path = "/api/v1/shows/{slug}/move",
    tag = "moves",
    params(("slug" = String, Path, description = "the show's slug")),
    responses((status = 200, description = "move undone", body = ShowView), Auth, Found, OwnersOnly, Conflict),
)]
pub async fn undo(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<(StatusCode, Json<ShowView>), ApiError> {
    let show = moves::undo(&state.app, user.viewer(), &slug).await?;
    Ok((StatusCode::OK, Json(state.show_view(show))))
}
