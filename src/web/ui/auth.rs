//! First run (`/setup`), signing in and out, and the user's own account settings.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::{
    client::ClientAddr,
    error::UiError,
    flash::{see_other_with, Notice},
    form::Fields,
    page::{local_path, render, render_status, see_other, Layout},
    session::{
        cookie, CsrfForm, MaybeSession, NoFields, Session, ANON_CSRF_COOKIE, SESSION_COOKIE,
    },
    tokens::Tokens,
};
use crate::app::{
    self,
    sessions::{SignInError, Started},
    users::{AccountChange, AccountChanged},
};
use crate::web::{auth::forget_user, AppState};

/// `/`: the user's shows, or the way in.
pub async fn home(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
) -> Result<Response, UiError> {
    if s.is_some() {
        return Ok(Redirect::to("/shows").into_response());
    }
    if app::sessions::needs_setup(&state.app).await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(Redirect::to("/login").into_response())
}

/// The pre-sign-in CSRF token: the cookie's if the server signed it, or a new one, set in the
/// returned jar.
pub(super) async fn anon_csrf(
    state: &AppState,
    headers: &HeaderMap,
    jar: CookieJar,
) -> Result<(String, CookieJar), UiError> {
    let key = state.csrf_key().await?;
    match jar.get(ANON_CSRF_COOKIE).map(|c| c.value().to_string()) {
        Some(token) if key.verify(&token) => Ok((token, jar)),
        _ => {
            let token = key.issue();
            let set = cookie(state, headers, ANON_CSRF_COOKIE, token.clone(), 86_400);
            Ok((token, jar.add(set)))
        }
    }
}

/// The layout of a page before sign-in, with its CSRF token.
pub(super) async fn anon_layout(
    state: &AppState,
    title: &str,
    csrf: String,
) -> Result<Layout, UiError> {
    let mut layout = Layout::new(state, None, title, "").await?;
    layout.csrf = csrf;
    Ok(layout)
}

/// The session cookie of a new session, with a redirect to `to`.
fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
    jar: CookieJar,
    started: Started,
    to: &str,
) -> Response {
    let set = cookie(
        state,
        headers,
        SESSION_COOKIE,
        started.secret,
        started.max_age_secs,
    );
    (jar.add(set), see_other(to)).into_response()
}

#[derive(Template)]
#[template(path = "ui/auth/setup.html")]
struct SetupPage {
    layout: Layout,
    f: Fields,
}

pub async fn setup_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<Response, UiError> {
    if !app::sessions::needs_setup(&state.app).await? {
        return Err(UiError::NotFound);
    }
    let (csrf, jar) = anon_csrf(&state, &headers, jar).await?;
    let layout = anon_layout(&state, "Set up podpub", csrf).await?;
    let mut f = Fields::default();
    f.set("time_zone", "UTC");
    let page = SetupPage { layout, f };
    Ok((jar, render(&page)?).into_response())
}

/// The setup form.
#[derive(Debug, Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    time_zone: String,
}

pub async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    CsrfForm { form, raw }: CsrfForm<SetupForm>,
) -> Result<Response, UiError> {
    let input = app::sessions::Setup {
        email: form.email,
        password: form.password,
        password_again: form.password_again,
        time_zone: form.time_zone,
    };
    match app::sessions::setup(&state.app, input).await {
        Ok(started) => Ok(signed_in(&state, &headers, jar, started, "/shows")),
        Err(err) => {
            let mut f = Fields::from_form(&raw);
            f.absorb(err, str::to_string)?;
            let (csrf, jar) = anon_csrf(&state, &headers, jar).await?;
            let layout = anon_layout(&state, "Set up podpub", csrf).await?;
            let page = SetupPage { layout, f };
            Ok((jar, render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?).into_response())
        }
    }
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

pub async fn login_page(
    State(state): State<AppState>,
    MaybeSession(s): MaybeSession,
    headers: HeaderMap,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
    notice: Notice,
) -> Result<Response, UiError> {
    if s.is_some() {
        return Ok(Redirect::to(&local_path(q.next.as_deref())).into_response());
    }
    if app::sessions::needs_setup(&state.app).await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    let (csrf, jar) = anon_csrf(&state, &headers, jar).await?;
    let layout = anon_layout(&state, "Sign in", csrf)
        .await?
        .with_notice(notice.code());
    let mut f = Fields::default();
    f.set("next", local_path(q.next.as_deref()));
    Ok((jar, render(&LoginPage { layout, f })?).into_response())
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ClientAddr(client): ClientAddr,
    CsrfForm { form, raw }: CsrfForm<LoginForm>,
) -> Result<Response, UiError> {
    // The answer page first: a database too busy to build it refuses (503) before the
    // attempt is judged, so that a 503 never hides an attempt that counted.
    let (csrf, jar) = anon_csrf(&state, &headers, jar).await?;
    let layout = anon_layout(&state, "Sign in", csrf).await?;
    let signed = app::sessions::sign_in(&state.app, &form.email, form.password, &client).await;
    let (status, retry_after) = match signed {
        Ok(started) => {
            let to = local_path(form.next.as_deref());
            return Ok(signed_in(&state, &headers, jar, started, &to));
        }
        Err(SignInError::App(app::Error::Unavailable)) => (StatusCode::SERVICE_UNAVAILABLE, 1),
        Err(SignInError::App(err)) => return Err(err.into()),
        Err(SignInError::Throttled) => (
            StatusCode::TOO_MANY_REQUESTS,
            i64::from(app::sessions::FAILURE_WINDOW_MINUTES) * 60,
        ),
        Err(SignInError::Wrong) => (StatusCode::UNAUTHORIZED, 0),
    };
    let mut f = Fields::from_form(&raw);
    match signed {
        Err(SignInError::App(_)) => f.error("_form", BUSY),
        Err(why) => f.error("_form", why.to_string()),
        Ok(_) => {}
    }
    let mut response = (jar, render_status(status, &LoginPage { layout, f })?).into_response();
    if retry_after > 0 {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    }
    Ok(response)
}

const BUSY: &str = "Too many sign-ins at once. Try again in a moment.";

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    _session: Session,
    _: CsrfForm<NoFields>,
) -> Result<Response, UiError> {
    if let Some(secret) = jar.get(SESSION_COOKIE) {
        app::sessions::sign_out(&state.app, secret.value()).await?;
    }
    let gone = cookie(&state, &headers, SESSION_COOKIE, String::new(), 0);
    Ok((jar.add(gone), see_other("/login")).into_response())
}

#[derive(Template)]
#[template(path = "ui/auth/account.html")]
pub(super) struct AccountPage {
    layout: Layout,
    f: Fields,
    /// How many API tokens the user has, which a new password may revoke.
    tokens: usize,
    /// The API tokens section.
    api: Tokens,
}

/// The account page with the form `f`, and the API tokens section `api`.
pub(super) async fn account_page_with(
    state: &AppState,
    session: &Session,
    f: Fields,
    api: Tokens,
    notice: Option<&str>,
) -> Result<AccountPage, UiError> {
    let layout = Layout::new(state, Some(session), "Your account", "account")
        .await?
        .with_notice(notice);
    Ok(AccountPage {
        layout,
        f,
        tokens: api.list.len(),
        api,
    })
}

pub async fn account_page(
    State(state): State<AppState>,
    session: Session,
    notice: Notice,
) -> Result<Response, UiError> {
    let mut f = Fields::default();
    f.set("time_zone", session.tz.name());
    let api = Tokens::load(&state, &session).await?;
    render(&account_page_with(&state, &session, f, api, notice.code()).await?)
}

/// The account form.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    revoke_tokens: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    CsrfForm { form, raw }: CsrfForm<AccountForm>,
) -> Result<Response, UiError> {
    let change = AccountChange {
        time_zone: form.time_zone,
        current_password: form.current_password,
        password: form.password,
        password_again: form.password_again,
        revoke_tokens: form.revoke_tokens.is_some(),
    };
    let who = session.user.viewer();
    let secret = jar
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let changed =
        app::users::update_account(&state.app, who, &session.user.email, &secret, change).await;
    match changed {
        Ok(AccountChanged::Password { tokens_revoked }) => {
            if tokens_revoked > 0 {
                forget_user(&state.tokens, who.user_id);
                return Ok(see_other_with("/account", "password_and_tokens"));
            }
            Ok(see_other_with("/account", "password"))
        }
        Ok(AccountChanged::Settings) => Ok(see_other_with("/account", "saved")),
        Err(err) => {
            let mut f = Fields::from_form(&raw);
            f.absorb(err, str::to_string)?;
            let api = Tokens::load(&state, &session).await?;
            let page = account_page_with(&state, &session, f, api, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
