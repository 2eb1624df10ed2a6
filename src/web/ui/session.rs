//! Sign-in sessions (a cookie naming a row in `sessions`) and CSRF checks on every form.

use axum::{
    body::{Body, Bytes},
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, HeaderMap, StatusCode},
    Form,
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono_tz::Tz;
use serde::{de::DeserializeOwned, Deserialize};

use super::{error::UiError, form::FormData, time::parse_tz};
use crate::app;
use crate::config::SecureCookies;
use crate::web::{
    auth::{same_secret, CurrentUser},
    error::ApiError,
    AppState,
};

pub const SESSION_COOKIE: &str = "podpub_session";
/// Before sign-in, forms carry a token that must match this cookie (double submit), and the
/// cookie must hold a token the server signed (`app::csrf`).
pub const ANON_CSRF_COOKIE: &str = "podpub_csrf";

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: CurrentUser,
    pub tz: Tz,
    pub csrf: String,
}

/// A cookie for the web UI: HttpOnly and SameSite=Lax always, Secure behind https.
pub fn cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &'static str,
    value: String,
    max_age_secs: i64,
) -> Cookie<'static> {
    let secure = match state.app.settings.secure_cookies {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https")),
    };
    Cookie::build((name, value))
        .path("/")
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

fn path_and_query(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into())
}

async fn load(parts: &mut Parts, state: &AppState) -> Result<Option<Session>, UiError> {
    if let Some(session) = parts.extensions.get::<Session>() {
        return Ok(Some(session.clone()));
    }
    let session = from_headers(&parts.headers, state).await?;
    if let Some(session) = &session {
        parts.extensions.insert(session.clone());
    }
    Ok(session)
}

/// The session the request's cookie names, if any.
pub async fn from_headers(
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Option<Session>, UiError> {
    let jar = CookieJar::from_headers(headers);
    let Some(secret) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(found) = app::sessions::find(&state.app, secret.value()).await? else {
        return Ok(None);
    };
    Ok(Some(Session {
        user: CurrentUser {
            id: found.user_id,
            email: found.email,
            is_admin: found.is_admin,
            surface: crate::domain::Surface::Ui,
        },
        tz: parse_tz(&found.time_zone).unwrap_or(Tz::UTC),
        csrf: found.csrf_token,
    }))
}

impl FromRequestParts<AppState> for Session {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, UiError> {
        load(parts, state)
            .await?
            .ok_or_else(|| UiError::SignIn(path_and_query(parts)))
    }
}

/// A session, or none (the sign-in and setup pages).
pub struct MaybeSession(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, UiError> {
        Ok(MaybeSession(load(parts, state).await?))
    }
}

/// A signed-in admin; anyone else signed in gets 403.
pub struct Admin(pub Session);

impl FromRequestParts<AppState> for Admin {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, UiError> {
        let session = Session::from_request_parts(parts, state).await?;
        if session.user.is_admin {
            Ok(Admin(session))
        } else {
            Err(UiError::Forbidden)
        }
    }
}

/// A form with no fields but its CSRF token (a button).
#[derive(Debug, Default, Deserialize)]
pub struct NoFields {}

/// A posted form, deserialized into `T` with `axum::Form`, whose `csrf` field matches the
/// session's token (or, before sign-in, the `podpub_csrf` cookie, if the server signed it), sent
/// from this site (`Origin`/`Referer`). Anything else is refused with 403 before the handler
/// runs; a NUL in any field (which Postgres cannot store) with 422. `raw` keeps what was typed,
/// to show the form again.
pub struct CsrfForm<T = NoFields> {
    pub form: T,
    pub raw: FormData,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, UiError> {
        let (mut parts, body) = req.into_parts();
        if !same_origin(&parts.headers) {
            return Err(UiError::CrossSite);
        }
        let expected = match load(&mut parts, state).await? {
            Some(session) => Some(session.csrf),
            None => {
                let key = state.csrf_key().await?;
                CookieJar::from_headers(&parts.headers)
                    .get(ANON_CSRF_COOKIE)
                    .map(|c| c.value().to_string())
                    .filter(|token| key.verify(token))
            }
        };
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => UiError::Api(ApiError::PayloadTooLarge),
                _ => UiError::BadForm(e.body_text()),
            })?;
        let raw = FormData::parse(&bytes);
        match (expected, raw.get("csrf")) {
            (Some(want), Some(got)) if !want.is_empty() && same_secret(&want, got) => {}
            _ => return Err(UiError::Csrf),
        }
        if let Some(field) = raw.field_with_nul() {
            return Err(UiError::Api(ApiError::field(
                field,
                "must not contain a NUL character",
            )));
        }
        let req = Request::from_parts(parts, Body::from(bytes));
        let Form(form) = Form::<T>::from_request(req, state)
            .await
            .map_err(|e| UiError::BadForm(e.body_text()))?;
        Ok(CsrfForm { form, raw })
    }
}

/// Whether the browser says the request comes from this site: an `Origin` (or, without one, a
/// `Referer`) naming this host. A request with neither passes, as non-browser clients send none.
fn same_origin(headers: &HeaderMap) -> bool {
    let named = |name: header::HeaderName| {
        headers
            .get(name)
            .map(|v| v.to_str().ok().map(str::to_string))
    };
    let claimed = match named(header::ORIGIN) {
        Some(origin) => origin,
        None => match named(header::REFERER) {
            Some(referer) => referer,
            None => return true,
        },
    };
    let Some(Ok(url)) = claimed.map(|c| url::Url::parse(&c)) else {
        return false;
    };
    let Some(host) = url.host_str() else {
        return false;
    };
    let port = url.port_or_known_default();
    // Behind a proxy that rewrites `Host`, the original is in `X-Forwarded-Host`.
    [
        header::HOST,
        header::HeaderName::from_static("x-forwarded-host"),
    ]
    .into_iter()
    .filter_map(|name| headers.get(name)?.to_str().ok())
    .filter_map(|authority| {
        let authority = authority.split(',').next()?.trim();
        url::Url::parse(&format!("{}://{authority}", url.scheme())).ok()
    })
    .any(|ours| {
        ours.host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(host))
            && ours.port_or_known_default() == port
    })
}
