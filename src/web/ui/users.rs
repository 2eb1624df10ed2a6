//! Admin pages: user accounts, and the UI settings that are safe to change at run time.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    form::Fields,
    page::{render, render_status, Layout},
    password_reset::{issue, ShownLink},
    session::{Admin, CsrfForm},
    time::display,
};
use crate::app::{
    self,
    settings::SettingsInput,
    users::{Account, Change, NewUser},
};
use crate::web::{auth::forget_user, AppState};

pub struct UserRow {
    pub account: Account,
    pub since: String,
    pub me: bool,
}

#[derive(Template)]
#[template(path = "ui/admin/users.html")]
pub struct UsersPage {
    layout: Layout,
    tab: &'static str,
    pub users: Vec<UserRow>,
    f: Fields,
    /// A password-reset link just made: shown this once.
    pub reset: Option<ShownLink>,
}

pub async fn users_page_with(
    state: &AppState,
    session: &super::session::Session,
    f: Fields,
    notice: Option<&str>,
) -> Result<UsersPage, UiError> {
    let users = app::users::list(&state.app, session.user.viewer())
        .await?
        .into_iter()
        .map(|a| UserRow {
            since: display(a.created_at, session.tz),
            me: a.id == session.user.id,
            account: a,
        })
        .collect();
    let layout = Layout::new(state, Some(session), "Users", "admin")
        .await?
        .with_notice(notice);
    Ok(UsersPage {
        layout,
        tab: "users",
        users,
        f,
        reset: None,
    })
}

pub async fn users_page(
    State(state): State<AppState>,
    Admin(session): Admin,
    notice: Notice,
) -> Result<Response, UiError> {
    render(&users_page_with(&state, &session, Fields::default(), notice.code()).await?)
}

/// The new-user form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewUserForm {
    email: String,
    password: String,
    admin: Option<String>,
}

pub async fn create_user(
    State(state): State<AppState>,
    Admin(session): Admin,
    CsrfForm { form, raw }: CsrfForm<NewUserForm>,
) -> Result<Response, UiError> {
    let new = NewUser {
        email: form.email,
        password: Some(form.password),
        admin: form.admin.is_some(),
    };
    match app::users::create(&state.app, Some(session.user.viewer()), new).await {
        Ok(_) => Ok(see_other_with("/admin/users", "created")),
        Err(err) => {
            let mut f = Fields::from_form(&raw);
            f.absorb(err, str::to_string)?;
            let page = users_page_with(&state, &session, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// A change to an account: `action` is `make_admin`, `revoke_admin`, `disable`, `enable`,
/// `clear_lockout`, or `reset_link` (which shows the Users page with a new reset link).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeUserForm {
    action: String,
    /// The confirmation page's ticked box: disabling needs it.
    confirm: Option<String>,
}

/// Admins cannot demote or disable themselves (so an instance always keeps one).
pub async fn change_user(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    CsrfForm { form, .. }: CsrfForm<ChangeUserForm>,
) -> Result<Response, UiError> {
    let change = match form.action.as_str() {
        "reset_link" => return issue(&state, &session, &headers, id).await,
        "clear_lockout" => Change::ClearLockout,
        "make_admin" => Change::MakeAdmin,
        "revoke_admin" => Change::RevokeAdmin,
        "disable" if form.confirm.is_none() => {
            let page = super::confirm::user_disable_page(&state, &session, id);
            return page.await?.answer(true);
        }
        "disable" => Change::Disable,
        "enable" => Change::Enable,
        _ => return Err(UiError::NotFound),
    };
    match app::users::change(&state.app, session.user.viewer(), id, change).await {
        Ok(()) => {
            if change == Change::Disable {
                forget_user(&state.tokens, id);
            }
            if change == Change::ClearLockout {
                return Ok(see_other_with("/admin/users", "lockout_cleared"));
            }
            Ok(see_other_with("/admin/users", "saved"))
        }
        Err(err @ app::Error::Conflict { .. }) => {
            let mut f = Fields::default();
            f.absorb(err, str::to_string)?;
            let page = users_page_with(&state, &session, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "ui/admin/settings.html")]
struct SettingsPage {
    layout: Layout,
    tab: &'static str,
    f: Fields,
    fixed: Vec<(&'static str, String)>,
}

/// Settings from the environment, shown read-only: they need a restart to change.
fn fixed(state: &AppState) -> Vec<(&'static str, String)> {
    let s = &state.app.settings;
    vec![
        ("PODPUB_FEED_BASE_URL", s.feed_base_url.clone()),
        (
            "PODPUB_PUBLISH_URL",
            s.publish.identity(s.aws_endpoint_url.as_deref()),
        ),
        ("PODPUB_CACHE_CONTROL", s.cache_control.clone()),
        ("PODPUB_MOVE_GRACE_DAYS", s.move_grace_days.to_string()),
        ("PODPUB_MAX_ATTEMPTS", s.max_attempts.to_string()),
        ("PODPUB_SECURE_COOKIES", format!("{:?}", s.secure_cookies)),
        (
            "PODPUB_JOB_RETENTION_DAYS",
            (s.job_retention.as_secs() / 86_400).to_string(),
        ),
        (
            "PODPUB_METRICS_LISTEN",
            s.metrics_listen
                .map_or_else(|| "(on PODPUB_LISTEN)".into(), |a| a.to_string()),
        ),
        (
            "PODPUB_METRICS_TOKEN",
            if s.metrics_token.is_some() {
                "set"
            } else {
                "none: /metrics is open"
            }
            .into(),
        ),
        (
            "PODPUB_TRUSTED_PROXIES",
            s.trusted_proxies
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]
}

pub async fn settings_page(
    State(state): State<AppState>,
    Admin(session): Admin,
    notice: Notice,
) -> Result<Response, UiError> {
    let current = app::settings::get(&state.app).await?;
    let mut f = Fields::default();
    f.set("instance_name", current.instance_name);
    f.set("login_max_failures", current.login_max_failures.to_string());
    f.set("session_days", current.session_days.to_string());
    f.set("default_language", current.default_language);
    let layout = Layout::new(&state, Some(&session), "Settings", "admin")
        .await?
        .with_notice(notice.code());
    render(&SettingsPage {
        layout,
        tab: "settings",
        f,
        fixed: fixed(&state),
    })
}

/// The settings form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    instance_name: String,
    login_max_failures: String,
    session_days: String,
    default_language: String,
}

pub async fn save_settings(
    State(state): State<AppState>,
    Admin(session): Admin,
    CsrfForm { form, raw }: CsrfForm<SettingsForm>,
) -> Result<Response, UiError> {
    let input = SettingsInput {
        instance_name: form.instance_name,
        login_max_failures: form.login_max_failures,
        session_days: form.session_days,
        default_language: form.default_language,
    };
    match app::settings::update(&state.app, session.user.viewer(), input).await {
        Ok(()) => Ok(see_other_with("/admin/settings", "saved")),
        Err(err) => {
            let mut f = Fields::from_form(&raw);
            f.absorb(err, str::to_string)?;
            let layout = Layout::new(&state, Some(&session), "Settings", "admin").await?;
            let page = SettingsPage {
                layout,
                tab: "settings",
                f,
                fixed: fixed(&state),
            };
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
