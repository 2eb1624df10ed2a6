//! `/api/v1/shows/{slug}/uploads`: media uploads. A client asks for an upload, sends the bytes
//! to the signed URLs it gets (S3 itself in production), completes it, then polls until the
//! probe says `ready` (with the file's length, type and duration) or `refused` (with a code).

use std::collections::BTreeMap;

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::openapi::{Auth, Body, Conflict, Found};
use crate::app::media::{self, Sending, Upload};
use crate::domain::{Choice, MediaFacts, MediaPurpose, MediaState, MediaWarning, UploadInput};
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiJson, ApiPath},
    AppState,
};

/// What to upload.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadRequestBody {
    /// `episode_media` (audio or video), `episode_artwork` or `show_artwork`.
    #[schema(value_type = MediaPurpose)]
    purpose: Choice<MediaPurpose>,
    /// The file's name, as the podcaster knows it (the object key is made from it).
    file_name: String,
    /// The file's media type (`audio/mpeg`, `audio/x-m4a`, `video/mp4`, `image/jpeg`...).
    content_type: String,
    /// The file's size in bytes.
    length: i64,
    /// The episode whose enclosure (or artwork) the file becomes once probed.
    episode_id: Option<Uuid>,
}

impl From<UploadRequestBody> for UploadInput {
    fn from(b: UploadRequestBody) -> UploadInput {
        UploadInput {
            purpose: b.purpose,
            file_name: b.file_name,
            content_type: b.content_type,
            length: b.length,
            episode_id: b.episode_id,
        }
    }
}

/// One URL a part of the file is sent to with PUT, with the headers to send.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PartUrl {
    /// From 1.
    number: u32,
    /// Absolute on S3; on the local directory, relative to this server.
    url: String,
    headers: BTreeMap<String, String>,
}

/// How to send the bytes: PUT each part (one for a small file) to its URL; a failed part is
/// sent again. Then POST `…/complete`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SendView {
    /// Each part's size but the last's; null for a single PUT of the whole file.
    part_bytes: Option<u64>,
    parts: Vec<PartUrl>,
}

/// Why an upload was refused.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UploadError {
    /// Stable: `upload_expired`, `media_unreadable`, `media_truncated`, `media_unsupported`,
    /// `media_mismatch`, `upload_length_mismatch`...
    code: String,
    message: String,
}

/// An upload.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UploadView {
    id: Uuid,
    purpose: MediaPurpose,
    /// `uploading`, `probing`, `ready` or `refused`.
    state: MediaState,
    file_name: String,
    /// As declared.
    content_type: String,
    /// As declared, in bytes.
    length: i64,
    episode_id: Option<Uuid>,
    /// Where the CDN serves the file: the enclosure or artwork URL.
    url: String,
    /// When the signed URLs stop working.
    expires_at: DateTime<Utc>,
    /// While uploading.
    send: Option<SendView>,
    /// What probing found, once ready.
    media: Option<MediaFacts>,
    /// Artwork outside Apple's rules.
    warnings: Vec<MediaWarning>,
    error: Option<UploadError>,
    created_at: DateTime<Utc>,
}

impl From<Upload> for UploadView {
    fn from(u: Upload) -> UploadView {
        let m = u.media;
        UploadView {
            id: m.id,
            purpose: m.purpose,
            state: m.state,
            file_name: m.file_name,
            content_type: m.declared_type,
            length: m.declared_length,
            episode_id: m.episode_id,
            url: u.url,
            expires_at: m.expires_at,
            send: u.sending.map(send_view),
            media: m.facts,
            warnings: m.warnings,
            error: m.error.map(|(code, message)| UploadError { code, message }),
            created_at: m.created_at,
        }
    }
}

fn send_view(sending: Sending) -> SendView {
    let (part_bytes, urls) = match sending {
        Sending::Put(url) => (None, vec![url]),
        Sending::Parts { part_bytes, parts } => (Some(part_bytes), parts),
    };
    let parts = urls
        .into_iter()
        .zip(1..)
        .map(|(u, number)| PartUrl {
            number,
            url: u.url,
            headers: u.headers.into_iter().collect(),
        })
        .collect();
    SendView { part_bytes, parts }
}

/// One part as S3 acknowledged it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SentPart {
    number: u32,
    /// The `ETag` header S3 answered the part's PUT with.
    etag: String,
}

/// What completes an upload: for one sent in parts, each part's ETag.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteBody {
    #[serde(default)]
    parts: Vec<SentPart>,
}

impl CompleteBody {
    pub fn etags(self) -> Vec<(u32, String)> {
        self.parts.into_iter().map(|p| (p.number, p.etag)).collect()
    }
}

/// The body of `…/complete`: none, or `CompleteBody` as JSON.
pub fn complete_body(raw: &[u8]) -> Result<CompleteBody, ApiError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Ok(CompleteBody::default());
    }
    serde_json::from_slice(raw).map_err(|e| ApiError::Undeserializable {
        field: None,
        message: format!("the body is not a list of parts: {e}"),
    })
}

/// Uploads of a show.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UploadList {
    items: Vec<UploadView>,
}

#[utoipa::path(
    operation_id = "create_upload",
    post,
    path = "/api/v1/shows/{slug}/uploads",
    tag = "uploads",
    params(("slug" = String, Path, description = "the show's slug")),
    request_body = UploadRequestBody,
    responses(
        (status = 201, description = "the upload, with the URLs to send its bytes to", body = UploadView),
        (status = 413, description = "`media_too_large` or `media_quota_exceeded`", body = super::openapi::ErrorBody),
        (status = 422, description = "`media_type_not_allowed`, or a field is invalid", body = super::openapi::ErrorBody),
        Auth, Found, Body,
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<UploadRequestBody>,
) -> Result<impl IntoResponse, ApiError> {
    let upload = media::start(&state.app, user.viewer(), &slug, body.into()).await?;
    Ok((StatusCode::CREATED, Json(UploadView::from(upload))))
}

#[utoipa::path(
    operation_id = "list_uploads",
    get,
    path = "/api/v1/shows/{slug}/uploads",
    tag = "uploads",
    params(("slug" = String, Path, description = "the show's slug")),
    responses((status = 200, description = "the show's uploads, newest first", body = UploadList), Auth, Found),
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<UploadList>, ApiError> {
    let items = media::list(&state.app, user.viewer(), &slug).await?;
    Ok(Json(UploadList {
        items: items.into_iter().map(UploadView::from).collect(),
    }))
}

#[utoipa::path(
    operation_id = "get_upload",
    get,
    path = "/api/v1/shows/{slug}/uploads/{id}",
    tag = "uploads",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = Uuid, Path, description = "upload id")),
    responses((status = 200, description = "the upload", body = UploadView), Auth, Found),
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> Result<Json<UploadView>, ApiError> {
    let upload = media::get(&state.app, user.viewer(), &slug, id).await?;
    Ok(Json(upload.into()))
}

#[utoipa::path(
    operation_id = "complete_upload",
    post,
    path = "/api/v1/shows/{slug}/uploads/{id}/complete",
    tag = "uploads",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = Uuid, Path, description = "upload id")),
    request_body(content = Option<CompleteBody>, description = "each part's ETag, for an upload sent in parts to S3"),
    responses(
        (status = 202, description = "every byte arrived; the probe runs (poll the upload)", body = UploadView),
        Auth, Found, Conflict,
    ),
)]
pub async fn complete(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    body: axum::body::Bytes,
) -> Result<impl IntoResponse, ApiError> {
    let etags = complete_body(&body)?.etags();
    let upload = media::complete(&state.app, user.viewer(), &slug, id, &etags).await?;
    Ok((StatusCode::ACCEPTED, Json(UploadView::from(upload))))
}

#[utoipa::path(
    operation_id = "delete_upload",
    delete,
    path = "/api/v1/shows/{slug}/uploads/{id}",
    tag = "uploads",
    params(("slug" = String, Path, description = "the show's slug"), ("id" = Uuid, Path, description = "upload id")),
    responses((status = 204, description = "the upload and its file are gone"), Auth, Found, Conflict),
)]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    media::delete(&state.app, user.viewer(), &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
