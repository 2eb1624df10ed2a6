//! `POST /api/v1/import`: an existing RSS feed, by URL or as XML, becomes a show (or updates the
//! show named by `slug`, which the caller may edit).

use std::collections::BTreeMap;

use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;

use super::openapi::{Auth, Body, Conflict, ImportedShow};
use crate::app;
use crate::app::import::{ImportRequest, Source};
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
    /// Import into the show at `slug` even though the feed is not proven to be its podcast
    /// (no shared `podcast:guid`, source URL or episode guid): without it, that is 409
    /// `import_mismatch`.
    #[serde(default)]
    replace: bool,
}

/// Imports a feed as a new show, or into the show at `slug`. A feed not proven to be that
/// show's podcast (the same `podcast:guid`, the source URL of its first import, or an episode
/// guid in common) is 409 `import_mismatch` unless `replace` is true.
#[utoipa::path(
    operation_id = "import_feed",
    post,
    path = "/api/v1/import",
    tag = "import",
    request_body = ImportInput,
    responses(
        (status = 201, description = "a new show from the feed", body = ImportedShow),
        (status = 200, description = "an existing show updated from the feed", body = ImportedShow),
        Auth, Body, Conflict,
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<ImportInput>,
) -> Result<(StatusCode, Json<ImportedShow>), ApiError> {
    let source = match (input.url, input.rss) {
        (Some(url), None) => Source::Url(url),
        (None, Some(rss)) => Source::Text(rss),
        _ => {
            let why = "give either url or rss";
            let fields = BTreeMap::from([("url".into(), why.into()), ("rss".into(), why.into())]);
            return Err(ApiError::Invalid(fields));
        }
    };
    let request = ImportRequest {
        source,
        slug: input.slug,
        replace: input.replace,
    };
    let done = app::import::import(&state.app, user.viewer(), request).await?;
    let status = match done.created {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    let show = state.show_view(done.show);
    Ok((
        status,
        Json(ImportedShow {
            show,
            import: done.summary,
        }),
    ))
}
