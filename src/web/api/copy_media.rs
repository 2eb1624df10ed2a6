//! `/api/v1/shows/{slug}/copy-media`: "copy media to podpub". POST starts the copy (a job that
//! downloads each enclosure and artwork the show names by URL, and switches each once its copy
//! is verified); GET says how far it is, file by file.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde::Serialize;
use uuid::Uuid;

use super::openapi::{Auth, Conflict, Found};
use crate::app::media::{self, CopyItem, CopyProgress};
use crate::web::{auth::CurrentUser, error::ApiError, extract::ApiPath, AppState};

/// Why a file's copy failed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CopyError {
    /// Stable: `copy_source_failed`, `copy_stalled`, `copy_too_large`, `copy_length_changed`,
    /// `copy_type_changed`, `copy_source_changed`, or the probe's (`media_unreadable`,
    /// `media_truncated`, `media_unsupported`).
    code: String,
    message: String,
}

/// One file the show names, and its copy.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CopyItemView {
    /// The episode; null for the show's artwork.
    episode_id: Option<Uuid>,
    /// The episode's title (the show's, for its artwork).
    title: String,
    /// `enclosure` or `artwork`.
    what: &'static str,
    /// Where the file is copied from.
    source_url: String,
    /// `waiting`, `copying`, `copied` or `failed`.
    state: &'static str,
    /// The copy's URL, once copied (now the enclosure or artwork URL).
    url: Option<String>,
    error: Option<CopyError>,
}

/// How far a show's copy is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CopyProgressView {
    /// Every file listed (files that already are the show's uploads are not).
    total: usize,
    /// Still waiting to be copied.
    to_copy: usize,
    in_progress: usize,
    copied: usize,
    failed: usize,
    /// A copy job waits to run (or to be retried).
    queued: bool,
    running: bool,
    /// No copy job waits or runs.
    finished: bool,
    items: Vec<CopyItemView>,
}

impl From<CopyItem> for CopyItemView {
    fn from(i: CopyItem) -> CopyItemView {
        CopyItemView {
            episode_id: i.episode_id,
            title: i.title,
            what: match i.purpose.is_artwork() {
                true => "artwork",
                false => "enclosure",
            },
            source_url: i.source_url,
            state: i.state.as_str(),
            url: i.url,
            error: i.error.map(|(code, message)| CopyError { code, message }),
        }
    }
}

impl From<CopyProgress> for CopyProgressView {
    fn from(p: CopyProgress) -> CopyProgressView {
        CopyProgressView {
            finished: p.finished(),
            total: p.total,
            to_copy: p.to_copy,
            in_progress: p.in_progress,
            copied: p.copied,
            failed: p.failed,
            queued: p.queued,
            running: p.running,
            items: p.items.into_iter().map(CopyItemView::from).collect(),
        }
    }
}

#[utoipa::path(
    operation_id = "start_copy_media",
    post,
    path = "/api/v1/shows/{slug}/copy-media",
    tag = "uploads",
    params(("slug" = String, Path, description = "the show's slug")),
    responses(
        (status = 202, description = "the copy is queued (once); poll GET for its progress", body = CopyProgressView),
        Auth, Found, Conflict,
    ),
)]
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    let progress = media::start_copy(&state.app, user.viewer(), &slug).await?;
    Ok((StatusCode::ACCEPTED, Json(CopyProgressView::from(progress))))
}

#[utoipa::path(
    operation_id = "copy_media_progress",
    get,
    path = "/api/v1/shows/{slug}/copy-media",
    tag = "uploads",
    params(("slug" = String, Path, description = "the show's slug")),
    responses((status = 200, description = "where each file's copy stands", body = CopyProgressView), Auth, Found),
)]
pub async fn progress(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<CopyProgressView>, ApiError> {
    let progress = media::copy_progress(&state.app, user.viewer(), &slug).await?;
    Ok(Json(progress.into()))
}
