//! A notice shown once after a redirect ("Saved."), carried in a short-lived signed cookie
//! instead of the URL: the next page reads it and clears it, so a reload or a bookmark
//! shows nothing.

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts, HeaderValue},
    middleware::Next,
    response::Response,
};
use axum_extra::extract::cookie::CookieJar;

use super::{page::see_other, session::cookie};
use crate::web::AppState;

pub const NOTICE_COOKIE: &str = "podpub_notice";
const PURPOSE: &str = "podpub-notice";
/// Long enough to follow the redirect; a notice never outlives a minute.
const MAX_AGE_SECS: i64 = 60;

/// The notice the request carries, if any (a code `Layout::with_notice` knows).
#[derive(Debug, Clone, Default)]
pub struct Notice(Option<String>);

impl Notice {
    pub fn code(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Notice {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Notice, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Notice>()
            .cloned()
            .unwrap_or_default())
    }
}

/// The notice a redirect asks the next page to show.
#[derive(Debug, Clone, Copy)]
struct Pending(&'static str);

/// Redirects (303) to `to`, which shows `code` once.
pub fn see_other_with(to: &str, code: &'static str) -> Response {
    let mut response = see_other(to);
    response.extensions_mut().insert(Pending(code));
    response
}

/// Reads the notice cookie into a `Notice` for the handler; sets it when a handler redirects
/// with one; clears it once a page has been shown.
pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let headers = req.headers().clone();
    let carried = jar.get(NOTICE_COOKIE).map(|c| c.value().to_string());
    if let Some(raw) = &carried {
        if let Ok(key) = state.csrf_key().await {
            let code = key.verify_value(PURPOSE, raw).map(str::to_string);
            req.extensions_mut().insert(Notice(code));
        }
    }
    let mut response = next.run(req).await;
    let pending = response.extensions_mut().remove::<Pending>();
    let set = match pending {
        Some(Pending(code)) => match state.csrf_key().await {
            Ok(key) => Some(cookie(
                &state,
                &headers,
                NOTICE_COOKIE,
                key.sign_value(PURPOSE, code),
                MAX_AGE_SECS,
            )),
            Err(_) => None,
        },
        // A page was shown (not another redirect): the notice has been seen.
        None if carried.is_some() && !response.status().is_redirection() => {
            Some(cookie(&state, &headers, NOTICE_COOKIE, String::new(), 0))
        }
        None => None,
    };
    if let Some(c) = set.and_then(|c| HeaderValue::from_str(&c.to_string()).ok()) {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}
