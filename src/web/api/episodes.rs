//! `/api/v1/shows/{slug}/episodes`: a show's episodes.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::openapi::{Auth, Body, Conflict, Found, Invalid, OwnersOnly};
use crate::app::episodes::{self, ListQuery};
use crate::app::trash;
use crate::domain::{
    Choice, Enclosure, Episode, EpisodeExtras, EpisodeInput, EpisodeState, EpisodeStatus,
    EpisodeType,
};
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiJson, ApiPath, ApiQuery},
    AppState,
};

/// An episode as the API returns it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EpisodeView {
    id: Uuid,
    guid: String,
    title: String,
    /// The notes as the feed carries them (HTML).
    description: String,
    /// The Markdown the notes were written in, when they were; `description` is its HTML.
    description_markdown: Option<String>,
    enclosure: Enclosure,
    duration_seconds: Option<i32>,
    season: Option<i32>,
    episode: Option<i32>,
    episode_type: EpisodeType,
    explicit: Option<bool>,
    image_url: Option<String>,
    transcript_url: Option<String>,
    transcript_type: Option<String>,
    chapters_url: Option<String>,
    publish_at: DateTime<Utc>,
    status: EpisodeStatus,
    state: EpisodeState,
    #[serde(flatten)]
    extras: EpisodeExtras,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl EpisodeView {
    pub(super) fn new(e: Episode, now: DateTime<Utc>) -> EpisodeView {
        let state = e.state(now);
        let f = e.fields;
        EpisodeView {
            id: e.id,
            guid: f.guid,
            title: f.title,
            description: f.description,
            description_markdown: f.description_markdown,
            enclosure: Enclosure {
                url: f.enclosure_url,
                length: f.enclosure_length,
                mime_type: f.enclosure_type,
            },
            duration_seconds: f.duration_seconds,
            season: f.season,
            episode: f.episode,
            episode_type: f.episode_type,
            explicit: f.explicit,
            image_url: f.image_url,
            transcript_url: f.transcript_url,
            transcript_type: f.transcript_type,
            chapters_url: f.chapters_url,
            publish_at: f.publish_at,
            status: f.status,
            state,
            extras: f.extras,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// A page of episodes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EpisodeList {
    pub items: Vec<EpisodeView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// `draft`, `scheduled` or `published`.
    #[param(value_type = Option<EpisodeState>)]
    status: Option<Choice<EpisodeState>>,
    limit: Option<i64>,
    cursor: Option<String>,
    /// `date` (the default), `number` (season, then episode) or `title` (natural order:
    /// "Episode 2" before "Episode 10").
    sort: Option<String>,
    /// `asc` or `desc`; by default newest first for `date`, upwards for the others.
    dir: Option<String>,
}

#[utoipa::path(
    operation_id = "list_episodes",
    get,
    path = "/api/v1/shows/{slug}/episodes",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug"), ListParams),
    responses(
        (status = 200, description = "episodes, newest first unless `sort` and `dir` say otherwise", body = EpisodeList),
        Auth, Found, Invalid,
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<EpisodeList>, ApiError> {
    let query = ListQuery {
        state: params.status,
        limit: params.limit,
        cursor: params.cursor,
        sort: params.sort,
        dir: params.dir,
    };
    let page = episodes::list(&state.app, user.viewer(), &slug, query).await?;
    let now = Utc::now();
    let items = page
        .items
        .into_iter()
        .map(|e| EpisodeView::new(e, now))
        .collect();
    Ok(Json(EpisodeList {
        items,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(
    operation_id = "get_episode",
    get,
    path = "/api/v1/shows/{slug}/episodes/{id}",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = uuid::Uuid, Path, description = "episode id")),
    responses((status = 200, description = "the episode", body = EpisodeView), Auth, Found),
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> Result<Json<EpisodeView>, ApiError> {
    let episode = episodes::get(&state.app, user.viewer(), &slug, id).await?;
    Ok(Json(EpisodeView::new(episode, Utc::now())))
}

#[utoipa::path(
    operation_id = "create_episode",
    post,
    path = "/api/v1/shows/{slug}/episodes",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug")),
    request_body = EpisodeInput,
    responses(
        (status = 201, description = "the new episode", body = EpisodeView),
        Auth, Found, Body, Conflict,
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(input): ApiJson<EpisodeInput>,
) -> Result<impl IntoResponse, ApiError> {
    let episode = episodes::create(&state.app, user.viewer(), &slug, input).await?;
    // As of after the insert: an episode without a publish time is published at creation.
    let view = EpisodeView::new(episode, Utc::now());
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(
    operation_id = "update_episode",
    patch,
    path = "/api/v1/shows/{slug}/episodes/{id}",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = uuid::Uuid, Path, description = "episode id")),
    request_body = EpisodeInput,
    responses(
        (status = 200, description = "the updated episode", body = EpisodeView),
        Auth, Found, Body, Conflict,
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiJson(input): ApiJson<EpisodeInput>,
) -> Result<Json<EpisodeView>, ApiError> {
    let episode = episodes::update(&state.app, user.viewer(), &slug, id, input).await?;
    Ok(Json(EpisodeView::new(episode, Utc::now())))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EpisodeDeleteQuery {
    /// Delete for good instead of moving to the trash (owners and admins); also empties an
    /// episode already in the trash.
    #[serde(default)]
    purge: bool,
}

#[utoipa::path(
    operation_id = "delete_episode",
    delete,
    path = "/api/v1/shows/{slug}/episodes/{id}",
    tag = "episodes",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = uuid::Uuid, Path, description = "episode id"), EpisodeDeleteQuery),
    responses((status = 204, description = "moved to the trash (or purged)"), Auth, Found, OwnersOnly, Conflict, Invalid),
)]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    ApiQuery(query): ApiQuery<EpisodeDeleteQuery>,
) -> Result<StatusCode, ApiError> {
    if query.purge {
        trash::purge_episode(&state.app, user.viewer(), &slug, id).await?;
    } else {
        episodes::delete(&state.app, user.viewer(), &slug, id).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
