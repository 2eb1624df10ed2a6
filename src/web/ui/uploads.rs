//! The upload widget's calls: the same workflow as `/api/v1/shows/{slug}/uploads`, for a
//! signed-in podcaster, each write with the session's CSRF token in `X-CSRF-Token`. The widget
//! (static/app.js) sends the bytes to the signed URLs itself, straight to the store.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    Json,
};
use uuid::Uuid;

use super::session::Session;
use crate::app::media;
use crate::web::api::uploads::{complete_body, UploadRequestBody, UploadView};
use crate::web::{
    auth::same_secret,
    error::ApiError,
    extract::{ApiJson, ApiPath},
    AppState,
};

/// The header the widget sends the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

pub(super) fn check_csrf(session: &Session, headers: &HeaderMap) -> Result<(), ApiError> {
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if same_secret(sent, &session.csrf) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("the page is out of date; reload it"))
    }
}

pub async fn start(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<UploadRequestBody>,
) -> Result<impl IntoResponse, ApiError> {
    check_csrf(&session, &headers)?;
    let upload = media::start(&state.app, session.user.viewer(), &slug, body.into()).await?;
    Ok((StatusCode::CREATED, Json(UploadView::from(upload))))
}

pub async fn get(
    State(state): State<AppState>,
    session: Session,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> Result<Json<UploadView>, ApiError> {
    let upload = media::get(&state.app, session.user.viewer(), &slug, id).await?;
    Ok(Json(upload.into()))
}

pub async fn complete(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    check_csrf(&session, &headers)?;
    let etags = complete_body(&body)?.etags();
    let who = session.user.viewer();
    let upload = media::complete(&state.app, who, &slug, id, &etags).await?;
    Ok((StatusCode::ACCEPTED, Json(UploadView::from(upload))))
}

pub async fn delete(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    ApiPath((slug, id)): ApiPath<(String, Uuid)>,
) -> Result<StatusCode, ApiError> {
    check_csrf(&session, &headers)?;
    media::delete(&state.app, session.user.viewer(), &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
