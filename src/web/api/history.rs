//! `/api/v1/shows/{slug}/history`: the edit history of a show and of its episodes, and
//! reverting one change.

use axum::{extract::State, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::openapi::{Auth, Conflict, Found, Invalid, OwnersOnly};
use crate::app::history::{self, Entry, HistoryPage, HistoryRequest};
use crate::domain::history::{label, ChangeKind, ChangeTarget};
use crate::domain::Surface;
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiPath, ApiQuery},
    AppState,
};

/// One field of a change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldChangeView {
    /// The field's name in the API.
    pub field: String,
    /// What people read for it, such as "Publish date".
    pub label: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// Who made a change: their account (null once it is deleted) and their email at the time.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuthorView {
    pub user_id: Option<Uuid>,
    pub email: String,
}

/// One recorded change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub target: ChangeTarget,
    pub kind: ChangeKind,
    /// The episode changed, for an episode's change.
    pub episode_id: Option<Uuid>,
    /// An episode's title, a member's email.
    pub subject: Option<String>,
    pub author: AuthorView,
    /// `ui`, `api`, `cli` or `import`.
    pub surface: Surface,
    /// For an import: the surface that started it.
    pub via: Option<Surface>,
    pub changes: Vec<FieldChangeView>,
    /// The entry this change reverted.
    pub reverts: Option<i64>,
}

impl HistoryEntryView {
    pub fn new(e: Entry) -> HistoryEntryView {
        HistoryEntryView {
            id: e.id,
            at: e.at,
            target: e.target,
            kind: e.kind,
            episode_id: e.episode_id,
            subject: e.subject,
            author: AuthorView {
                user_id: e.user_id,
                email: e.user_email,
            },
            surface: e.surface,
            via: e.via,
            changes: e
                .changes
                .0
                .into_iter()
                .map(|c| FieldChangeView {
                    label: label(&c.field),
                    field: c.field,
                    before: c.before,
                    after: c.after,
                })
                .collect(),
            reverts: e.reverts,
        }
    }
}

/// A page of history, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryList {
    pub items: Vec<HistoryEntryView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

impl From<HistoryPage> for HistoryList {
    fn from(page: HistoryPage) -> HistoryList {
        HistoryList {
            items: page.items.into_iter().map(HistoryEntryView::new).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// What a revert did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reverted {
    /// The change reverted; the revert itself is the newest entry of the history.
    pub reverted: HistoryEntryView,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryParams {
    /// 1 to 500; 50 when absent.
    limit: Option<i64>,
    cursor: Option<String>,
}

impl From<HistoryParams> for HistoryRequest {
    fn from(p: HistoryParams) -> HistoryRequest {
        HistoryRequest {
            limit: p.limit,
            cursor: p.cursor,
        }
    }
}

#[utoipa::path(
    operation_id = "show_history",
    get,
    path = "/api/v1/shows/{slug}/history",
    tag = "history",
    params(("slug" = String, Path, description = "the show's slug"), HistoryParams),
    responses(
        (status = 200, description = "the show's changes, its episodes' and its members', newest first", body = HistoryList),
        Auth, Found, Invalid,
    ),
)]
pub async fn of_show(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<HistoryParams>,
) -> Result<Json<HistoryList>, ApiError> {
    let page = history::of_show(&state.app, user.viewer(), &slug, params.into()).await?;
    Ok(Json(page.into()))
}

#[utoipa::path(
    operation_id = "episode_history",
    get,
    path = "/api/v1/shows/{slug}/episodes/{id}/history",
    tag = "history",
    params(
        ("slug" = String, Path, description = "the show's slug"),
        ("id" = Uuid, Path, description = "the episode's id"),
        HistoryParams,
    ),
    responses(
        (status = 200, description = "the episode's changes, newest first (also while it is in the trash)", body = HistoryList),
        Auth, Found, Invalid,
    ),
)]
pub async fn of_episode(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiQuery(params): ApiQuery<HistoryParams>,
) -> Result<Json<HistoryList>, ApiError> {
    let page = history::of_episode(&state.app, user.viewer(), &slug, id, params.into()).await?;
    Ok(Json(page.into()))
}

#[utoipa::path(
    operation_id = "revert_change",
    post,
    path = "/api/v1/shows/{slug}/history/{id}/revert",
    tag = "history",
    params(
        ("slug" = String, Path, description = "the show's slug"),
        ("id" = i64, Path, description = "the history entry's id"),
    ),
    responses(
        (status = 200, description = "the old values are back, as a new change (renders queued)", body = Reverted),
        Auth, Found, Invalid, Conflict, OwnersOnly,
    ),
)]
pub async fn revert(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<Json<Reverted>, ApiError> {
    let entry = history::revert(&state.app, user.viewer(), &slug, id).await?;
    Ok(Json(Reverted {
        reverted: HistoryEntryView::new(entry),
    }))
}
