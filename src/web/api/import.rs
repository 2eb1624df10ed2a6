//! `POST /api/v1/import`: an existing RSS feed, by URL or as XML, becomes a show (or updates the
//! show named by `slug`, which the caller may edit).

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::json;

use super::shows::ShowView;
use crate::import::{self, FetchError, ImportError, ParseError, Source};
use crate::web::{auth::CurrentUser, error::ApiError, extract::ApiJson, AppState};

/// The body limit of this route: room for a feed of `PODPUB_IMPORT_MAX_BYTES` (at most 32 MiB)
/// escaped as a JSON string, whatever `PODPUB_MAX_BODY_BYTES` says for other routes.
pub const MAX_BODY_BYTES: usize = 48 << 20;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportInput {
    url: Option<String>,
    rss: Option<String>,
    slug: Option<String>,
}

#[utoipa::path(
    operation_id = "import_feed",
    post,
    path = "/api/v1/import",
    tag = "import",
    request_body = ImportInput,
    responses(
        (status = 201, description = "a new show from the feed", body = super::openapi::ImportedShow),
        (status = 200, description = "an existing show updated from the feed", body = super::openapi::ImportedShow),
        super::openapi::Auth, super::openapi::Body, super::openapi::Conflict,
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<ImportInput>,
) -> Response {
    let source = match (input.url, input.rss) {
        (Some(url), None) => Source::Url(url),
        (None, Some(rss)) => Source::Text(rss),
        _ => {
            let why = "give either url or rss";
            let fields = BTreeMap::from([("url".into(), why.into()), ("rss".into(), why.into())]);
            return ApiError::Invalid(fields).into_response();
        }
    };
    let settings = &state.settings;
    match import::import_feed(&state.pool, settings, user.viewer(), source, input.slug).await {
        Ok(done) => {
            let status = if done.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let mut body = json!(ShowView::new(done.show, &settings.feed_base_url));
            body["import"] = json!(done.summary);
            (status, Json(body)).into_response()
        }
        Err(err) => error_response(err),
    }
}

/// The API's error body, with what a client needs to act on: the lock's owner, the line of a
/// syntax error, the upstream status.
fn error_response(err: ImportError) -> Response {
    let err = match err {
        ImportError::Database(db) => return ApiError::Database(db).into_response(),
        ImportError::InvalidSlug(why) => return ApiError::field("slug", why).into_response(),
        other => other,
    };
    let status = match &err {
        ImportError::Fetch(FetchError::TooLarge(_)) | ImportError::TooLarge(_) => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
        ImportError::SlugTaken(_)
        | ImportError::ShowDeleted(_)
        | ImportError::DifferentPodcast { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let mut error = json!({ "code": err.code(), "message": err.to_string() });
    match &err {
        ImportError::Parse(ParseError::Locked(owner)) => error["owner"] = json!(owner),
        ImportError::Parse(ParseError::Malformed { line, column, .. }) => {
            error["line"] = json!(line);
            error["column"] = json!(column);
        }
        ImportError::Parse(ParseError::Moved(to)) => error["new_url"] = json!(to),
        ImportError::Fetch(FetchError::Status(code)) => error["upstream_status"] = json!(code),
        ImportError::Fetch(FetchError::InvalidUrl(why)) => {
            error["fields"] = json!({ "url": why.to_string() });
        }
        _ => {}
    }
    (status, Json(json!({ "error": error }))).into_response()
}
