//! Sign-in sessions (a cookie naming a row in `sessions`) and CSRF checks on every form.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, HeaderMap, HeaderValue},
};
use chrono_tz::Tz;

use super::{error::UiError, form::FormData, time::parse_tz};
use crate::config::SecureCookies;
use crate::db::sessions;
use crate::web::{auth::CurrentUser, error::ApiError, AppState};

pub const SESSION_COOKIE: &str = "podpub_session";
/// Before sign-in, forms carry a token that must match this cookie (double submit).
pub const ANON_CSRF_COOKIE: &str = "podpub_csrf";

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: CurrentUser,
    pub tz: Tz,
    pub csrf: String,
}

/// The value of cookie `name`, if the request has it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure behind https.
pub fn set_cookie(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    value: &str,
    max_age_secs: i64,
) -> HeaderValue {
    let secure = match state.settings.secure_cookies {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https")),
    };
    let secure = if secure { "; Secure" } else { "" };
    let cookie =
        format!("{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&cookie).expect("cookie values are hex")
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
    let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(found) = sessions::find(&state.pool, secret).await? else {
        return Ok(None);
    };
    let session = Session {
        user: CurrentUser {
            id: found.user_id,
            email: found.email,
            is_admin: found.is_admin,
        },
        tz: parse_tz(&found.time_zone).unwrap_or(Tz::UTC),
        csrf: found.csrf_token,
    };
    parts.extensions.insert(session.clone());
    Ok(Some(session))
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

/// A posted form whose `csrf` field matches the session's token (or, before sign-in, the
/// `podpub_csrf` cookie). Anything else is refused with 403 before the handler runs.
pub struct CsrfForm(pub FormData);

impl FromRequest<AppState> for CsrfForm {
    type Rejection = UiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, UiError> {
        let (mut parts, body) = req.into_parts();
        let expected = match load(&mut parts, state).await? {
            Some(session) => Some(session.csrf),
            None => cookie(&parts.headers, ANON_CSRF_COOKIE).map(str::to_string),
        };
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| UiError::Api(ApiError::PayloadTooLarge))?;
        let form = FormData::parse(&bytes);
        match (expected, form.get("csrf")) {
            (Some(want), Some(got)) if !want.is_empty() && same(&want, got) => Ok(CsrfForm(form)),
            _ => Err(UiError::Csrf),
        }
    }
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
