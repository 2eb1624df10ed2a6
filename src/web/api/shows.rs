//! `/api/v1/shows`: create, read, update and delete shows.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::openapi::{Auth, Body, Conflict, Found, Invalid, OwnersOnly, ShowList};
use crate::app::shows;
use crate::domain::{Category, Funding, Show, ShowExtras, ShowInput, ShowStatus, ShowType};
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiJson, ApiPath, ApiQuery},
    AppState,
};

/// A show as the API returns it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShowView {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    /// The description as the feed carries it (HTML).
    pub description: String,
    /// The Markdown the description was written in, when it was; `description` is its HTML.
    pub description_markdown: Option<String>,
    pub author: Option<String>,
    pub owner_name: Option<String>,
    pub owner_email: Option<String>,
    pub language: String,
    pub categories: Vec<Category>,
    pub explicit: bool,
    #[serde(rename = "type")]
    pub show_type: ShowType,
    pub image_url: Option<String>,
    pub link: Option<String>,
    pub copyright: Option<String>,
    pub locked: bool,
    pub complete: bool,
    pub block: bool,
    pub funding: Vec<Funding>,
    #[serde(flatten)]
    pub extras: ShowExtras,
    pub podcast_guid: Uuid,
    pub feed_url: String,
    pub revision: i64,
    pub status: ShowStatus,
    /// A move out in progress or done: where to, and when the feed becomes (or became) a
    /// redirect.
    #[serde(rename = "move")]
    pub move_out: Option<MoveView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A move out, as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MoveView {
    pub new_feed_url: String,
    pub redirect_at: DateTime<Utc>,
}

impl ShowView {
    pub fn new(show: Show, feed_url: String) -> ShowView {
        let status = show.status_at(Utc::now());
        // As its feed says: a show in the trash is published blocked and complete.
        let deleted = show.is_deleted();
        let move_out = match (show.new_feed_url, show.move_redirect_at) {
            (Some(new_feed_url), Some(redirect_at)) => Some(MoveView {
                new_feed_url,
                redirect_at,
            }),
            _ => None,
        };
        let f = show.fields;
        ShowView {
            id: show.id,
            feed_url,
            slug: f.slug,
            title: f.title,
            description: f.description,
            description_markdown: f.description_markdown,
            author: f.author,
            owner_name: f.owner_name,
            owner_email: f.owner_email,
            language: f.language,
            categories: f.categories,
            explicit: f.explicit,
            show_type: f.show_type,
            image_url: f.image_url,
            link: f.link,
            copyright: f.copyright,
            locked: f.locked,
            complete: f.complete || deleted,
            block: f.block || deleted,
            funding: f.funding,
            extras: f.extras,
            podcast_guid: show.podcast_guid,
            revision: show.revision,
            status,
            move_out,
            created_at: show.created_at,
            updated_at: show.updated_at,
        }
    }
}

impl AppState {
    /// A show as the API returns it.
    pub fn show_view(&self, show: Show) -> ShowView {
        let feed_url = self.app.feed_url(&show.fields.slug);
        ShowView::new(show, feed_url)
    }
}

#[utoipa::path(
    operation_id = "list_shows",
    get,
    path = "/api/v1/shows",
    tag = "shows",
    responses((status = 200, description = "shows the caller can see", body = ShowList), Auth),
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<ShowList>, ApiError> {
    let shows = shows::list(&state.app, user.viewer()).await?;
    let items = shows.into_iter().map(|s| state.show_view(s)).collect();
    Ok(Json(ShowList {
        items,
        next_cursor: None,
    }))
}

#[utoipa::path(
    operation_id = "create_show",
    post,
    path = "/api/v1/shows",
    tag = "shows",
    request_body = ShowInput,
    responses((status = 201, description = "the new show", body = ShowView), Auth, Body, Conflict),
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<ShowInput>,
) -> Result<impl IntoResponse, ApiError> {
    let show = shows::create(&state.app, user.viewer(), input).await?;
    Ok((StatusCode::CREATED, Json(state.show_view(show))))
}

#[utoipa::path(
    operation_id = "get_show",
    get,
    path = "/api/v1/shows/{slug}",
    tag = "shows",
    params(("slug" = String, Path, description = "the show's slug")),
    responses((status = 200, description = "the show", body = ShowView), Auth, Found),
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<ShowView>, ApiError> {
    let show = shows::get(&state.app, user.viewer(), &slug).await?;
    Ok(Json(state.show_view(show)))
}

#[utoipa::path(
    operation_id = "update_show",
    patch,
    path = "/api/v1/shows/{slug}",
    tag = "shows",
    params(("slug" = String, Path, description = "the show's slug")),
    request_body = ShowInput,
    responses(
        (status = 200, description = "the updated show", body = ShowView),
        Auth, Found, Body, OwnersOnly, Conflict,
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<ShowInput>,
) -> Result<Json<ShowView>, ApiError> {
    let show = shows::update(&state.app, user.viewer(), &slug, input).await?;
    Ok(Json(state.show_view(show)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShowDeleteQuery {
    /// Delete for good instead of moving to the trash: remove the feed objects too, and free
    /// the slug. Works on a show in the trash too.
    #[serde(default)]
    purge: bool,
}

#[utoipa::path(
    operation_id = "delete_show",
    delete,
    path = "/api/v1/shows/{slug}",
    tag = "shows",
    params(("slug" = String, Path, description = "the show's slug"), ShowDeleteQuery),
    responses((status = 204, description = "moved to the trash (or purged)"), Auth, Found, OwnersOnly, Invalid),
)]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(query): ApiQuery<ShowDeleteQuery>,
) -> Result<StatusCode, ApiError> {
    shows::delete(&state.app, user.viewer(), &slug, query.purge).await?;
    Ok(StatusCode::NO_CONTENT)
}
