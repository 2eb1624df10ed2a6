//! One error type for the API, rendered as `{"error":{"code","message","fields"}}`.

use std::collections::BTreeMap;

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

use crate::app;
use crate::app::import::{Failure, FetchError, ParseError};

/// Everything an API handler can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(&'static str),
    /// For the show's owners and admins only: answered 403 `owner_only`.
    #[error("{0}")]
    OwnersOnly(&'static str),
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("request body is too large")]
    PayloadTooLarge,
    /// A file refused for what it is (413 when too large, else 422), with its own code.
    #[error("{message}")]
    Media {
        code: &'static str,
        message: String,
        too_large: bool,
    },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    #[error("invalid input")]
    Invalid(BTreeMap<String, String>),
    #[error("{0}")]
    Unprocessable(String),
    /// A body that does not deserialize; `field` is the JSON path serde reported, if any.
    #[error("{message}")]
    Undeserializable {
        field: Option<String>,
        message: String,
    },
    #[error("the service is busy, try again shortly")]
    Unavailable,
    /// A feed to import could not be fetched or read: answered with what a client needs to act
    /// on (the lock's owner, the line of a syntax error, the upstream status).
    #[error(transparent)]
    Import(Failure),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<app::Error> for ApiError {
    fn from(err: app::Error) -> ApiError {
        match err {
            app::Error::Invalid(fields) => ApiError::Invalid(fields.0),
            app::Error::NotFound => ApiError::NotFound,
            app::Error::Forbidden(why) => ApiError::Forbidden(why),
            app::Error::OwnersOnly(why) => ApiError::OwnersOnly(why),
            app::Error::Conflict { code, message } => ApiError::Conflict { code, message },
            app::Error::Unavailable => ApiError::Unavailable,
            app::Error::Media {
                code,
                message,
                too_large,
            } => ApiError::Media {
                code,
                message,
                too_large,
            },
            app::Error::Import(failure) => ApiError::Import(failure),
            app::Error::Database(err) => ApiError::Database(err),
            app::Error::Internal(err) => ApiError::Internal(err),
        }
    }
}

impl ApiError {
    /// A 422 naming one field.
    pub fn field(name: &str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(BTreeMap::from([(name.to_string(), message.into())]))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::OwnersOnly(_) => (StatusCode::FORBIDDEN, "owner_only"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict { code, .. } => (StatusCode::CONFLICT, code),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::Media {
                code, too_large, ..
            } => match too_large {
                true => (StatusCode::PAYLOAD_TOO_LARGE, code),
                false => (StatusCode::UNPROCESSABLE_ENTITY, code),
            },
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            ApiError::Unprocessable(_) | ApiError::Undeserializable { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable")
            }
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Import(failure) => {
                let status = match failure {
                    Failure::Fetch(FetchError::TooLarge(_)) | Failure::TooLarge(_) => {
                        StatusCode::PAYLOAD_TOO_LARGE
                    }
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                (status, failure.code())
            }
            ApiError::Database(err) if app::is_unavailable(err) => {
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            }
            ApiError::Database(_) | ApiError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let message = match status {
            StatusCode::INTERNAL_SERVER_ERROR => {
                tracing::error!(error = ?self, "internal error");
                "internal error".to_string()
            }
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable.to_string(),
            _ => self.to_string(),
        };
        let mut body = json!({ "error": { "code": code, "message": message } });
        match &self {
            ApiError::Invalid(fields) => body["error"]["fields"] = json!(fields),
            ApiError::Import(failure) => import_details(failure, &mut body["error"]),
            ApiError::Undeserializable {
                field: Some(field),
                message,
            } => body["error"]["fields"] = json!({ field: message }),
            _ => {}
        }
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        mark_pool_timeout(&self, &mut response);
        response
    }
}

/// Marks a response given because no database connection came free in time, for
/// `podpub_db_pool_timeouts_total`.
#[derive(Debug, Clone, Copy)]
pub struct PoolTimedOut;

pub fn mark_pool_timeout(err: &ApiError, response: &mut Response) {
    if matches!(err, ApiError::Database(sqlx::Error::PoolTimedOut)) {
        response.extensions_mut().insert(PoolTimedOut);
    }
}

/// The details of an import failure that a client acts on.
fn import_details(failure: &Failure, error: &mut serde_json::Value) {
    match failure {
        Failure::Parse(ParseError::Locked(owner)) => error["owner"] = json!(owner),
        Failure::Parse(ParseError::Malformed { line, column, .. }) => {
            error["line"] = json!(line);
            error["column"] = json!(column);
        }
        Failure::Parse(ParseError::Moved(to)) => error["new_url"] = json!(to),
        Failure::Fetch(FetchError::Status(code)) => error["upstream_status"] = json!(code),
        Failure::Fetch(FetchError::InvalidUrl(why)) => {
            error["fields"] = json!({ "url": why.to_string() });
        }
        _ => {}
    }
}
