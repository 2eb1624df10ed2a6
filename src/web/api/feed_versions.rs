//! `/api/v1/shows/{slug}/feed/versions`: the feed documents a show published, kept as they were
//! uploaded; an archive for the show's members, not a way to fetch feeds.

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;

use super::openapi::{Auth, Found, Invalid};
use crate::app::feed_history::{self, VersionList, VersionView};
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiPath, ApiQuery},
    AppState,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VersionListParams {
    /// 1 to 100; 20 by default.
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiffParams {
    /// The version to compare with.
    against: i64,
}

#[utoipa::path(
    operation_id = "list_feed_versions",
    get,
    path = "/api/v1/shows/{slug}/feed/versions",
    tag = "feeds",
    params(("slug" = String, Path, description = "the show's slug"), VersionListParams),
    responses(
        (status = 200, description = "published versions, newest first", body = VersionList),
        Auth, Found, Invalid,
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<VersionListParams>,
) -> Result<Json<VersionList>, ApiError> {
    let cursor = params.cursor.as_deref();
    let page = feed_history::list(&state.app, user.viewer(), &slug, params.limit, cursor);
    Ok(Json(page.await?))
}

#[utoipa::path(
    operation_id = "get_feed_version",
    get,
    path = "/api/v1/shows/{slug}/feed/versions/{id}",
    tag = "feeds",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = i64, Path, description = "version id")),
    responses((status = 200, description = "the version and what changed in it", body = VersionView), Auth, Found),
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<Json<VersionView>, ApiError> {
    Ok(Json(
        feed_history::get(&state.app, user.viewer(), &slug, id).await?,
    ))
}

#[utoipa::path(
    operation_id = "get_feed_version_xml",
    get,
    path = "/api/v1/shows/{slug}/feed/versions/{id}/xml",
    tag = "feeds",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = i64, Path, description = "version id")),
    responses(
        (status = 200, description = "the bytes that were published", content_type = "application/rss+xml", body = String),
        Auth, Found,
    ),
)]
pub async fn xml(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<Response, ApiError> {
    let version = feed_history::bytes(&state.app, user.viewer(), &slug, id).await?;
    Ok(download(version))
}

/// The bytes as a download, never for a browser to run.
pub fn download(version: feed_history::VersionBytes) -> Response {
    let disposition = format!("attachment; filename=\"{}\"", version.file_name);
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        version.body,
    )
        .into_response()
}

#[utoipa::path(
    operation_id = "diff_feed_versions",
    get,
    path = "/api/v1/shows/{slug}/feed/versions/{id}/diff",
    tag = "feeds",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = i64, Path, description = "version id"), DiffParams),
    responses(
        (status = 200, description = "a unified diff from the older of the two to the newer", content_type = "text/plain", body = String),
        Auth, Found,
    ),
)]
pub async fn diff(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
    ApiQuery(params): ApiQuery<DiffParams>,
) -> Result<Response, ApiError> {
    let who = user.viewer();
    let compared = feed_history::compare(&state.app, who, &slug, id, params.against).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        compared.unified,
    )
        .into_response())
}
