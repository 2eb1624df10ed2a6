//! Admin pages: user accounts, and the UI settings that are safe to change at run time.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use uuid::Uuid;

use super::{
    auth::{check_email, NoticeQuery},
    error::UiError,
    form::Fields,
    page::{render, render_status, see_other, Layout},
    session::{Admin, CsrfForm},
    time::display,
};
use crate::cli::hash_password;
use crate::db::{members, sessions, ui_settings, users};
use crate::web::{error::ApiError, AppState};

pub struct UserRow {
    pub account: users::Account,
    pub since: String,
    pub me: bool,
}

#[derive(Template)]
#[template(path = "ui/admin/users.html")]
struct UsersPage {
    layout: Layout,
    tab: &'static str,
    users: Vec<UserRow>,
    f: Fields,
}

async fn users_page_with(
    state: &AppState,
    session: &super::session::Session,
    f: Fields,
    notice: Option<&str>,
) -> Result<UsersPage, UiError> {
    let users = users::list(&state.pool)
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
    })
}

pub async fn users_page(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    render(&users_page_with(&state, &session, Fields::default(), q.notice.as_deref()).await?)
}

pub async fn create_user(
    State(state): State<AppState>,
    Admin(session): Admin,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let mut f = Fields::from_form(&form);
    let email = form.str("email").trim().to_string();
    check_email(&mut f, &email);
    let password = form.str("password").to_string();
    if password.chars().count() < 8 {
        f.error("password", "needs at least 8 characters");
    }
    if !f.has_errors() && users::find_login(&state.pool, &email).await?.is_some() {
        f.error("email", "already has an account");
    }
    if f.has_errors() {
        let page = users_page_with(&state, &session, f, None).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(ApiError::Internal)?;
    let mut tx = state.pool.begin().await?;
    let user = match users::create(&mut *tx, &email, Some(&hash), form.has("admin")).await {
        Ok(user) => user,
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("users_email_key") => {
            f.error("email", "already has an account (perhaps disabled)");
            let page = users_page_with(&state, &session, f, None).await?;
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e.into()),
    };
    members::accept_invites(&mut *tx, user.id, &email).await?;
    tx.commit().await?;
    Ok(see_other("/admin/users?notice=created"))
}

/// `action`: `make_admin`, `revoke_admin`, `disable` or `enable`. Admins cannot demote or
/// disable themselves (so an instance always keeps one).
pub async fn change_user(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let action = form.str("action");
    if id == session.user.id && matches!(action, "revoke_admin" | "disable") {
        let mut f = Fields::default();
        f.error("_form", "You cannot demote or disable yourself.");
        let page = users_page_with(&state, &session, f, None).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let found = match action {
        "make_admin" => users::set_admin(&state.pool, id, true).await?,
        "revoke_admin" => users::set_admin(&state.pool, id, false).await?,
        "disable" => {
            let found = users::set_disabled(&state.pool, id, true).await?;
            sessions::delete_for_user(&state.pool, id).await?;
            found
        }
        "enable" => users::set_disabled(&state.pool, id, false).await?,
        _ => return Err(UiError::NotFound),
    };
    if !found {
        return Err(UiError::NotFound);
    }
    Ok(see_other("/admin/users?notice=saved"))
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
    let s = &state.settings;
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
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let current = ui_settings::get(&state.pool).await?;
    let mut f = Fields::default();
    f.set("instance_name", current.instance_name);
    f.set("login_max_failures", current.login_max_failures.to_string());
    f.set("session_days", current.session_days.to_string());
    f.set("default_language", current.default_language);
    let layout = Layout::new(&state, Some(&session), "Settings", "admin")
        .await?
        .with_notice(q.notice.as_deref());
    render(&SettingsPage {
        layout,
        tab: "settings",
        f,
        fixed: fixed(&state),
    })
}

pub async fn save_settings(
    State(state): State<AppState>,
    Admin(session): Admin,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let mut f = Fields::from_form(&form);
    let name = form.str("instance_name").trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        f.error("instance_name", "must be 1 to 100 characters");
    }
    let mut number = |field: &str, range: std::ops::RangeInclusive<i32>| match form
        .str(field)
        .trim()
        .parse::<i32>()
    {
        Ok(n) if range.contains(&n) => n,
        _ => {
            let (lo, hi) = (range.start(), range.end());
            f.error(field, format!("must be a whole number from {lo} to {hi}"));
            0
        }
    };
    let login_max_failures = number("login_max_failures", 1..=1000);
    let session_days = number("session_days", 1..=365);
    let language = form.str("default_language").trim().to_ascii_lowercase();
    let valid_language = language.split('-').enumerate().all(|(i, p)| {
        let len_ok = if i == 0 {
            (2..=3).contains(&p.len())
        } else {
            (1..=8).contains(&p.len())
        };
        len_ok && p.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    if !valid_language {
        f.error(
            "default_language",
            "must be a language tag such as en or en-us",
        );
    }
    if f.has_errors() {
        let layout = Layout::new(&state, Some(&session), "Settings", "admin").await?;
        let page = SettingsPage {
            layout,
            tab: "settings",
            f,
            fixed: fixed(&state),
        };
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let settings = ui_settings::UiSettings {
        instance_name: name,
        login_max_failures,
        session_days,
        default_language: language,
    };
    ui_settings::update(&state.pool, &settings).await?;
    Ok(see_other("/admin/settings?notice=saved"))
}
