//! Password-reset links: made by an admin on the Users page (shown once), and the page at
//! `/reset/{secret}` where the user sets a new password.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use uuid::Uuid;

use super::{
    auth::{anon_csrf, anon_layout},
    error::UiError,
    flash::see_other_with,
    form::Fields,
    page::{render, render_status, Layout},
    session::{CsrfForm, MaybeSession, Session},
    time::display,
};
use crate::app::{self, password_resets::NewPassword};
use crate::config::SecureCookies;
use crate::web::AppState;

/// A new link, on the Users page that made it: the only time it is shown.
pub struct ShownLink {
    pub email: String,
    pub url: String,
    pub expires: String,
}

/// The origin the admin's browser used (behind a proxy, the one it reports), for the link.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let https = match state.app.settings.secure_cookies {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => {
            header("x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https"))
        }
    };
    let host = header("x-forwarded-host")
        .or_else(|| header("host"))
        .unwrap_or_else(|| state.app.settings.listen.to_string());
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// Makes a reset link for the account `id` and shows the Users page with it.
pub async fn issue(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    id: Uuid,
) -> Result<Response, UiError> {
    let link = app::password_resets::create(&state.app, session.user.viewer(), id).await?;
    let mut page = super::users::users_page_with(state, session, Fields::default(), None).await?;
    let Some(row) = page.users.iter().find(|u| u.account.id == id) else {
        return Err(UiError::NotFound);
    };
    page.reset = Some(ShownLink {
        email: row.account.email.clone(),
        url: format!("{}/reset/{}", origin(state, headers), link.secret),
        expires: display(link.expires_at, session.tz),
    });
    render(&page)
}

#[derive(Template)]
#[template(path = "ui/auth/reset.html")]
struct ResetPage {
    layout: Layout,
    f: Fields,
    email: String,
    action: String,
}

#[derive(Template)]
#[template(path = "ui/auth/reset_dead.html")]
struct DeadLinkPage {
    layout: Layout,
}

/// The form's CSRF token: the session's, for a browser signed in (perhaps as someone else, as
/// an admin trying the link), else the pre-sign-in one.
async fn csrf_for(
    state: &AppState,
    session: &Option<Session>,
    headers: &HeaderMap,
    jar: CookieJar,
) -> Result<(String, CookieJar), UiError> {
    match session {
        Some(s) => Ok((s.csrf.clone(), jar)),
        None => anon_csrf(state, headers, jar).await,
    }
}

/// The page of a link that was used, replaced or has expired: 404.
async fn dead(state: &AppState, headers: &HeaderMap, jar: CookieJar) -> Result<Response, UiError> {
    let (csrf, jar) = anon_csrf(state, headers, jar).await?;
    let layout = anon_layout(state, "Link no longer works", csrf).await?;
    let page = render_status(StatusCode::NOT_FOUND, &DeadLinkPage { layout })?;
    Ok((jar, page).into_response())
}

pub async fn reset_page(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    headers: HeaderMap,
    jar: CookieJar,
    Path(secret): Path<String>,
) -> Result<Response, UiError> {
    let reset = match app::password_resets::find(&state.app, &secret).await {
        Ok(reset) => reset,
        Err(app::Error::NotFound) => return dead(&state, &headers, jar).await,
        Err(err) => return Err(err.into()),
    };
    let (csrf, jar) = csrf_for(&state, &session, &headers, jar).await?;
    let page = ResetPage {
        layout: anon_layout(&state, "Set a new password", csrf).await?,
        f: Fields::default(),
        email: reset.email,
        action: format!("/reset/{secret}"),
    };
    Ok((jar, render(&page)?).into_response())
}

/// The reset form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    password: String,
    password_again: String,
}

pub async fn reset(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    headers: HeaderMap,
    jar: CookieJar,
    Path(secret): Path<String>,
    CsrfForm { form, .. }: CsrfForm<ResetForm>,
) -> Result<Response, UiError> {
    let input = NewPassword {
        password: form.password,
        password_again: form.password_again,
    };
    let err = match app::password_resets::use_link(&state.app, &secret, input).await {
        Ok(_) => return Ok(see_other_with("/login", "password_reset")),
        Err(app::Error::NotFound) => return dead(&state, &headers, jar).await,
        Err(err @ app::Error::Invalid(_)) => err,
        Err(err) => return Err(err.into()),
    };
    let email = match app::password_resets::find(&state.app, &secret).await {
        Ok(reset) => reset.email,
        Err(app::Error::NotFound) => return dead(&state, &headers, jar).await,
        Err(err) => return Err(err.into()),
    };
    // Passwords are not sent back.
    let mut f = Fields::default();
    f.absorb(err, str::to_string)?;
    let (csrf, jar) = csrf_for(&state, &session, &headers, jar).await?;
    let page = ResetPage {
        layout: anon_layout(&state, "Set a new password", csrf).await?,
        f,
        email,
        action: format!("/reset/{secret}"),
    };
    let page = render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)?;
    Ok((jar, page).into_response())
}
