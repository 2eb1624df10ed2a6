//! The trash: what deletes keep for PODPUB_TRASH_RETENTION_DAYS, listed and restored. Purges
//! are `DELETE …?purge=true` on the show or the episode.

use axum::{extract::State, Json};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::episodes::EpisodeView;
use super::openapi::{Auth, Conflict, Found, OwnersOnly};
use super::shows::ShowView;
use crate::app::trash;
use crate::web::{auth::CurrentUser, error::ApiError, extract::ApiPath, AppState};

/// An episode in the trash: exactly as it was, and when it goes for good.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrashedEpisodeView {
    #[serde(flatten)]
    pub episode: EpisodeView,
    pub deleted_at: DateTime<Utc>,
    /// When the worker purges it, unless it is restored first.
    pub purge_at: DateTime<Utc>,
}

/// A show's trash.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShowTrashView {
    /// Last deleted first.
    pub episodes: Vec<TrashedEpisodeView>,
}

/// A deleted show.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrashedShowView {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub deleted_at: DateTime<Utc>,
    pub purge_at: DateTime<Utc>,
    /// Whether the caller may restore or purge it (an owner or an admin).
    pub can_restore: bool,
}

/// The caller's deleted shows.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrashedShowList {
    /// Last deleted first.
    pub shows: Vec<TrashedShowView>,
}

#[utoipa::path(
    operation_id = "show_trash",
    get,
    path = "/api/v1/shows/{slug}/trash",
    tag = "trash",
    params(("slug" = String, Path, description = "the show's slug")),
    responses((status = 200, description = "the show's deleted episodes", body = ShowTrashView), Auth, Found),
)]
pub async fn show_trash(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<ShowTrashView>, ApiError> {
    let found = trash::of_show(&state.app, user.viewer(), &slug).await?;
    let now = Utc::now();
    let episodes = found
        .episodes
        .into_iter()
        .map(|t| TrashedEpisodeView {
            purge_at: state.app.purge_at(t.deleted_at),
            deleted_at: t.deleted_at,
            episode: EpisodeView::new(t.episode, now),
        })
        .collect();
    Ok(Json(ShowTrashView { episodes }))
}

#[utoipa::path(
    operation_id = "restore_episode",
    post,
    path = "/api/v1/shows/{slug}/episodes/{id}/restore",
    tag = "trash",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = uuid::Uuid, Path, description = "episode id")),
    responses(
        (status = 200, description = "the episode, back in the show and its feed, unchanged", body = EpisodeView),
        Auth, Found, Conflict,
    ),
)]
pub async fn restore_episode(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> Result<Json<EpisodeView>, ApiError> {
    let episode = trash::restore_episode(&state.app, user.viewer(), &slug, id).await?;
    Ok(Json(EpisodeView::new(episode, Utc::now())))
}

#[utoipa::path(
    operation_id = "restore_show",
    post,
    path = "/api/v1/shows/{slug}/restore",
    tag = "trash",
    params(("slug" = String, Path, description = "the show's slug")),
    responses(
        (status = 200, description = "the show, publishing as before it was deleted", body = ShowView),
        Auth, Found, OwnersOnly, Conflict,
    ),
)]
pub async fn restore_show(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<ShowView>, ApiError> {
    let show = crate::app::shows::restore(&state.app, user.viewer(), &slug).await?;
    Ok(Json(state.show_view(show)))
}

#[utoipa::path(
    operation_id = "trashed_shows",
    get,
    path = "/api/v1/trash",
    tag = "trash",
    responses((status = 200, description = "deleted shows the caller can see", body = TrashedShowList), Auth),
)]
pub async fn trashed_shows(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<TrashedShowList>, ApiError> {
    let shows = trash::shows_of(&state.app, user.viewer())
        .await?
        .into_iter()
        .map(|s| TrashedShowView {
            purge_at: state.app.purge_at(s.deleted_at),
            id: s.id,
            slug: s.slug,
            title: s.title,
            deleted_at: s.deleted_at,
            can_restore: s.owned,
        })
        .collect();
    Ok(Json(TrashedShowList { shows }))
}
