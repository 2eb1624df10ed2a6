//! First run (`/setup`), signing in and out, and the user's own account settings.

use std::{
    net::{IpAddr, SocketAddr},
    sync::LazyLock,
};

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use askama::Template;
use axum::{
    extract::{ConnectInfo, FromRequestParts, Query, State},
    http::{header, request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{Duration, Utc};
use serde::Deserialize;

use super::{
    error::UiError,
    form::Fields,
    page::{render, render_status, see_other, Layout},
    session::{
        cookie, set_cookie, CsrfForm, MaybeSession, Session, ANON_CSRF_COOKIE, SESSION_COOKIE,
    },
    time::parse_tz,
};
use crate::cli::hash_password;
use crate::db::{sessions, ui_settings, users};
use crate::web::{error::ApiError, AppState};

/// Failed sign-ins are counted over this many minutes.
const FAILURE_WINDOW_MINUTES: i32 = 15;
/// One client address may fail this many times the per-email limit (many users behind one NAT).
const CLIENT_FACTOR: i64 = 5;

/// The client's address, for login throttling: the peer, or behind a trusted proxy
/// (PODPUB_TRUSTED_PROXIES) the address that proxy reports in `X-Forwarded-For`.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        let client = peer.map(|peer| client_ip(peer, forwarded, &state.settings.trusted_proxies));
        Ok(ClientAddr(
            client.map_or_else(|| "unknown".into(), |ip| ip.to_string()),
        ))
    }
}

/// Walks `X-Forwarded-For` from the right while the hop it came from is a trusted proxy: the
/// first address not vouched for by one is the client. Entries a client wrote itself sit to
/// the left of what the proxies appended, so they are never reached.
fn client_ip<'a>(
    peer: IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let hops: Vec<&str> = forwarded
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        if !is_trusted(&client) {
            break;
        }
        match hop.parse::<IpAddr>() {
            Ok(ip) => client = ip,
            Err(_) => break,
        }
    }
    client
}

/// `/`: the user's shows, or the way in.
pub async fn home(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
) -> Result<Response, UiError> {
    if s.is_some() {
        return Ok(Redirect::to("/shows").into_response());
    }
    if users::count(&state.pool).await? == 0 {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(Redirect::to("/login").into_response())
}

/// The pre-sign-in CSRF token: the cookie's, or a new one to set.
fn anon_csrf(state: &AppState, headers: &HeaderMap) -> (String, Option<header::HeaderValue>) {
    match cookie(headers, ANON_CSRF_COOKIE) {
        Some(token) if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (token.to_string(), None)
        }
        _ => {
            let token = sessions::random_secret();
            let set = set_cookie(state, headers, ANON_CSRF_COOKIE, &token, 86_400);
            (token, Some(set))
        }
    }
}

fn with_cookie(mut response: Response, cookie: Option<header::HeaderValue>) -> Response {
    if let Some(c) = cookie {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}

#[derive(Template)]
#[template(path = "ui/auth/setup.html")]
struct SetupPage {
    layout: Layout,
    f: Fields,
    zones: &'static [chrono_tz::Tz],
}

pub async fn setup_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, UiError> {
    if users::count(&state.pool).await? > 0 {
        return Err(UiError::NotFound);
    }
    let (csrf, set) = anon_csrf(&state, &headers);
    let mut layout = Layout::new(&state, None, "Set up podpub", "").await?;
    layout.csrf = csrf;
    let mut f = Fields::default();
    f.set("time_zone", "UTC");
    let page = SetupPage {
        layout,
        f,
        zones: &chrono_tz::TZ_VARIANTS,
    };
    Ok(with_cookie(render(&page)?, set))
}

/// Checks a new password pair; the error goes on `password`.
fn check_password(f: &mut Fields, password: &str, again: &str) {
    if password.chars().count() < 8 {
        f.error("password", "needs at least 8 characters");
    } else if password.len() > 1024 {
        f.error("password", "is too long");
    } else if password != again {
        f.error("password_again", "does not match the password");
    }
}

pub fn check_email(f: &mut Fields, email: &str) {
    let valid = email
        .split_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
        && email.len() <= 254
        && !email.contains(char::is_whitespace);
    if !valid {
        f.error("email", "must be an email address");
    }
}

async fn hash(password: String) -> Result<String, UiError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| UiError::Api(ApiError::Internal(e.into())))?
        .map_err(|e| UiError::Api(ApiError::Internal(e)))
}

pub async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let mut f = Fields::from_form(&form);
    let email = form.str("email").trim().to_string();
    check_email(&mut f, &email);
    check_password(&mut f, form.str("password"), form.str("password_again"));
    let tz = parse_tz(form.str("time_zone"));
    if tz.is_none() {
        f.error("time_zone", "must be a time zone such as Europe/Berlin");
    }
    if f.has_errors() {
        let (csrf, _) = anon_csrf(&state, &headers);
        let mut layout = Layout::new(&state, None, "Set up podpub", "").await?;
        layout.csrf = csrf;
        let page = SetupPage {
            layout,
            f,
            zones: &chrono_tz::TZ_VARIANTS,
        };
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let password_hash = hash(form.str("password").to_string()).await?;
    let mut tx = state.pool.begin().await?;
    // Two setups at once: the second finds a user and stops.
    sqlx::query!("select pg_advisory_xact_lock(727275)")
        .execute(&mut *tx)
        .await?;
    if users::count(&mut *tx).await? > 0 {
        return Err(UiError::NotFound);
    }
    let user = users::create(&mut *tx, &email, Some(&password_hash), true).await?;
    users::set_time_zone(&mut *tx, user.id, tz.map(|t| t.name()).unwrap_or("UTC")).await?;
    let cookie = start_session(&state, &headers, &mut tx, user.id).await?;
    tx.commit().await?;
    let mut response = see_other("/shows");
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Starts a session for `user_id`; returns the `Set-Cookie` that carries it.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    tx: &mut sqlx::PgConnection,
    user_id: uuid::Uuid,
) -> Result<header::HeaderValue, UiError> {
    let days = ui_settings::get(&mut *tx).await?.session_days;
    let expires = Utc::now() + Duration::days(days.into());
    let secret = sessions::create(&mut *tx, user_id, expires).await?;
    let max_age = i64::from(days) * 86_400;
    Ok(set_cookie(state, headers, SESSION_COOKIE, &secret, max_age))
}

#[derive(Template)]
#[template(path = "ui/auth/login.html")]
struct LoginPage {
    layout: Layout,
    f: Fields,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only a path on this site: never `//host` or an absolute URL.
fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/shows".into(),
    }
}

pub async fn login_page(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Result<Response, UiError> {
    if s.is_some() {
        return Ok(Redirect::to(&local_path(q.next.as_deref())).into_response());
    }
    if users::count(&state.pool).await? == 0 {
        return Ok(Redirect::to("/setup").into_response());
    }
    let (csrf, set) = anon_csrf(&state, &headers);
    let mut layout = Layout::new(&state, None, "Sign in", "").await?;
    layout.csrf = csrf;
    let mut f = Fields::default();
    f.set("next", local_path(q.next.as_deref()));
    Ok(with_cookie(render(&LoginPage { layout, f })?, set))
}

/// A hash to verify against when the email is unknown, so that takes as long as a wrong
/// password.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("not a password of anyone").unwrap_or_default());

fn verify(password: &str, hash: Option<&str>) -> bool {
    let target = hash.unwrap_or(DUMMY_HASH.as_str());
    let ok = PasswordHash::new(target)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false);
    ok && hash.is_some()
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddr(client): ClientAddr,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let mut f = Fields::from_form(&form);
    let email = form.str("email").trim().to_string();
    let limit = i64::from(ui_settings::get(&state.pool).await?.login_max_failures);
    let (by_email, by_client) =
        sessions::recent_failures(&state.pool, &email, &client, FAILURE_WINDOW_MINUTES).await?;
    let status = if by_email >= limit || by_client >= limit * CLIENT_FACTOR {
        f.error(
            "_form",
            format!(
                "Too many failed sign-ins. Wait {FAILURE_WINDOW_MINUTES} minutes and try again."
            ),
        );
        StatusCode::TOO_MANY_REQUESTS
    } else {
        let login = users::find_login(&state.pool, &email).await?;
        let password = form.str("password").to_string();
        let hash = login.as_ref().and_then(|l| l.password_hash.clone());
        let ok = tokio::task::spawn_blocking(move || verify(&password, hash.as_deref()))
            .await
            .unwrap_or(false);
        match login {
            Some(login) if ok => {
                sessions::clear_failures(&state.pool, &email).await?;
                let mut tx = state.pool.begin().await?;
                let cookie = start_session(&state, &headers, &mut tx, login.id).await?;
                tx.commit().await?;
                let mut response = see_other(&local_path(form.get("next")));
                response.headers_mut().append(header::SET_COOKIE, cookie);
                return Ok(response);
            }
            _ => {
                sessions::record_failure(&state.pool, &email, &client).await?;
                f.error("_form", "The email or the password is wrong.");
                StatusCode::UNAUTHORIZED
            }
        }
    };
    let (csrf, _) = anon_csrf(&state, &headers);
    let mut layout = Layout::new(&state, None, "Sign in", "").await?;
    layout.csrf = csrf;
    render_status(status, &LoginPage { layout, f })
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    _session: Session,
    CsrfForm(_): CsrfForm,
) -> Result<Response, UiError> {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        sessions::delete(&state.pool, secret).await?;
    }
    let mut response = see_other("/login");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, &headers, SESSION_COOKIE, "", 0),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "ui/auth/account.html")]
struct AccountPage {
    layout: Layout,
    f: Fields,
    zones: &'static [chrono_tz::Tz],
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

pub async fn account_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let layout = Layout::new(&state, Some(&session), "Your account", "account")
        .await?
        .with_notice(q.notice.as_deref());
    let mut f = Fields::default();
    f.set("time_zone", session.tz.name());
    render(&AccountPage {
        layout,
        f,
        zones: &chrono_tz::TZ_VARIANTS,
    })
}

pub async fn account(
    State(state): State<AppState>,
    session: Session,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let mut f = Fields::from_form(&form);
    let tz = parse_tz(form.str("time_zone"));
    if tz.is_none() {
        f.error("time_zone", "must be a time zone such as Europe/Berlin");
    }
    let new_password = form.str("password");
    if !new_password.is_empty() {
        check_password(&mut f, new_password, form.str("password_again"));
        let login = users::find_login(&state.pool, &session.user.email).await?;
        let current = form.str("current_password").to_string();
        let hash = login.and_then(|l| l.password_hash);
        let ok = tokio::task::spawn_blocking(move || verify(&current, hash.as_deref()))
            .await
            .unwrap_or(false);
        if !ok {
            f.error("current_password", "is not your current password");
        }
    }
    if f.has_errors() {
        let layout = Layout::new(&state, Some(&session), "Your account", "account").await?;
        let page = AccountPage {
            layout,
            f,
            zones: &chrono_tz::TZ_VARIANTS,
        };
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    if let Some(tz) = tz {
        users::set_time_zone(&state.pool, session.user.id, tz.name()).await?;
    }
    if !new_password.is_empty() {
        let hashed = hash(new_password.to_string()).await?;
        users::set_password(&state.pool, session.user.id, &hashed).await?;
        return Ok(see_other("/account?notice=password"));
    }
    Ok(see_other("/account?notice=saved"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<ipnet::IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn the_client_is_the_first_address_no_trusted_proxy_vouches_for() {
        let lb = nets(&["10.0.0.0/8"]);
        let from = |peer: &str, xff: &[&str], trusted: &[ipnet::IpNet]| {
            client_ip(ip(peer), xff.iter().copied(), trusted)
        };
        assert_eq!(
            from("10.0.0.5", &["203.0.113.9"], &[]),
            ip("10.0.0.5"),
            "no trust"
        );
        assert_eq!(from("10.0.0.5", &["203.0.113.9"], &lb), ip("203.0.113.9"));
        assert_eq!(
            from("198.51.100.1", &["203.0.113.9"], &lb),
            ip("198.51.100.1"),
            "a peer that is no proxy can't name another client"
        );
        assert_eq!(
            from("10.0.0.5", &["1.2.3.4, 203.0.113.9, 10.0.0.7"], &lb),
            ip("203.0.113.9"),
            "two proxies; the client's own 1.2.3.4 is never reached"
        );
        assert_eq!(
            from("10.0.0.5", &["1.2.3.4", "203.0.113.9"], &lb),
            ip("203.0.113.9"),
            "repeated headers read as one list"
        );
        assert_eq!(from("10.0.0.5", &["junk"], &lb), ip("10.0.0.5"));
        assert_eq!(from("10.0.0.5", &[], &lb), ip("10.0.0.5"));
    }
}
