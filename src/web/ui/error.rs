//! What a page answers when it cannot do what was asked: an HTML page, or a redirect to sign in.

use askama::Template;
use axum::{
    http::{header, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
};

use crate::app;
use crate::web::error::{mark_pool_timeout, ApiError};

#[derive(Debug, thiserror::Error)]
pub enum UiError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Not signed in: go to the sign-in page, then back to this path.
    #[error("sign in first")]
    SignIn(String),
    #[error("the form's security token is missing or wrong")]
    Csrf,
    /// A form posted from another site (its `Origin` or `Referer` names another host).
    #[error("cross-site request")]
    CrossSite,
    /// A form that does not deserialize: not one of ours.
    #[error("{0}")]
    BadForm(String),
    #[error(transparent)]
    App(#[from] app::Error),
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<sqlx::Error> for UiError {
    fn from(err: sqlx::Error) -> UiError {
        UiError::App(app::Error::Database(err))
    }
}

impl From<askama::Error> for UiError {
    fn from(err: askama::Error) -> UiError {
        UiError::App(app::Error::Internal(
            anyhow::Error::new(err).context("rendering a page"),
        ))
    }
}

/// The bare page, for when the layout cannot be had (the database is out of reach).
#[derive(Template)]
#[template(
    source = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ title }}</title></head><body><main><h1>{{ title }}</h1><p>{{ message }}</p><p><a href=\"/\">Home</a></p><p><small>HTTP {{ status }}</small></p></main></body></html>",
    ext = "html"
)]
struct BarePage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

/// What an error page says; `page::styled_errors` renders it inside the layout.
#[derive(Debug, Clone)]
pub struct ErrorView {
    pub status: u16,
    pub title: &'static str,
    pub message: String,
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        // Use-case errors and API errors are answered alike.
        let this = match self {
            UiError::App(err) => UiError::Api(ApiError::from(err)),
            other => other,
        };
        let detail;
        let (status, title, message) = match &this {
            UiError::SignIn(next) => {
                let to = format!(
                    "/login?next={}",
                    url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                return Redirect::to(&to).into_response();
            }
            UiError::NotFound | UiError::Api(ApiError::NotFound) => (
                StatusCode::NOT_FOUND,
                "Not found",
                "There is nothing here, or it is not yours to see.",
            ),
            UiError::Api(ApiError::OwnersOnly(why)) => {
                detail = format!("Only the show's owners can do this: {why}. Editors edit the show's content and episodes.");
                (StatusCode::FORBIDDEN, "Owners only", detail.as_str())
            }
            UiError::Forbidden | UiError::Api(ApiError::Forbidden(_)) => (
                StatusCode::FORBIDDEN,
                "Forbidden",
                "This page is for admins.",
            ),
            UiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "Not here",
                "This address does not take that kind of request. Use the page's buttons and links.",
            ),
            UiError::CrossSite => (
                StatusCode::FORBIDDEN,
                "Cross-site request refused",
                "This form was sent from another site. Open the page here and send it again.",
            ),
            UiError::Csrf => (
                StatusCode::FORBIDDEN,
                "Form expired",
                "The form's security token is missing or out of date. Go back, reload the page and send it again.",
            ),
            UiError::Api(ApiError::PayloadTooLarge) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too large",
                "What you sent is larger than this server accepts.",
            ),
            UiError::Api(ApiError::Unavailable) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Busy",
                "The service is busy. Try again in a moment.",
            ),
            UiError::Api(ApiError::Database(err)) if app::is_unavailable(err) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Busy",
                "The service is busy or its database is out of reach. Try again in a moment.",
            ),
            UiError::Api(ApiError::Invalid(fields)) => {
                detail = fields
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join("; ");
                (StatusCode::UNPROCESSABLE_ENTITY, "Invalid input", detail.as_str())
            }
            UiError::Api(ApiError::Conflict { message, .. }) => {
                (StatusCode::CONFLICT, "Conflict", message.as_str())
            }
            UiError::Api(ApiError::BadRequest(message) | ApiError::Unprocessable(message))
            | UiError::BadForm(message) => {
                (StatusCode::BAD_REQUEST, "Bad request", message.as_str())
            }
            UiError::Api(_) | UiError::App(_) => {
                tracing::error!(error = ?this, "web UI: internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The error has been logged. Try again, or tell your admin.",
                )
            }
        };
        let page = BarePage {
            status: status.as_u16(),
            title,
            message,
        };
        let body = page.render().unwrap_or_default();
        let mut response = (status, Html(body)).into_response();
        response.extensions_mut().insert(ErrorView {
            status: status.as_u16(),
            title,
            message: message.to_string(),
        });
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        }
        if let UiError::Api(err) = &this {
            mark_pool_timeout(err, &mut response);
        }
        response
    }
}
