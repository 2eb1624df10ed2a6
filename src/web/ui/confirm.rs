//! The confirmation step before anything destructive: a page that says what will happen, and
//! a form that needs a ticked box (or, for a show's purge, its slug typed). It works without
//! JavaScript; a request without the confirmation does nothing.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    error::UiError,
    page::{render, render_status, Layout},
    session::{Admin, Session},
};
use crate::app::{self, members};
use crate::web::AppState;

/// What a confirmation form sends besides its CSRF token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    /// The ticked box.
    pub confirm: Option<String>,
    /// The typed slug, for a show's purge.
    pub confirm_slug: String,
}

impl ConfirmForm {
    /// Whether the box was ticked, or (when `typed` names a slug) that slug was typed.
    pub fn confirmed(&self, typed: Option<&str>) -> bool {
        match typed {
            Some(slug) => self.confirm_slug.trim() == slug,
            None => self.confirm.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "ui/confirm.html")]
pub struct ConfirmPage {
    pub layout: Layout,
    pub heading: String,
    /// What happens, one point a line.
    pub consequences: Vec<String>,
    /// Where the form posts, and what else it sends.
    pub action: String,
    pub hidden: Vec<(&'static str, String)>,
    /// The box's label (ignored when `typed` is set).
    pub check: String,
    /// A slug to type instead of ticking a box.
    pub typed: Option<String>,
    pub button: String,
    /// Where Cancel goes.
    pub back: String,
    pub error: Option<String>,
}

impl ConfirmPage {
    /// The page, or (after a post without the confirmation) the page again with 422.
    pub fn answer(mut self, refused: bool) -> Result<Response, UiError> {
        if !refused {
            return render(&self);
        }
        self.error = Some(match &self.typed {
            Some(slug) => format!("Type {slug} exactly to confirm. Nothing was changed."),
            None => "Tick the box to confirm. Nothing was changed.".into(),
        });
        render_status(StatusCode::UNPROCESSABLE_ENTITY, &self)
    }
}

/// Asks before a member is removed from a show.
pub async fn member_remove_page(
    state: &AppState,
    session: &Session,
    slug: &str,
    user_id: Uuid,
) -> Result<ConfirmPage, UiError> {
    let roster = members::roster(&state.app, session.user.viewer(), slug).await?;
    let Some(member) = roster.members.iter().find(|m| m.user_id == user_id) else {
        return Err(UiError::NotFound);
    };
    Ok(ConfirmPage {
        layout: Layout::new(state, Some(session), "Remove member", "shows").await?,
        heading: format!(
            "Remove {} from “{}”?",
            member.email, roster.show.fields.title
        ),
        consequences: vec![
            format!(
                "{} can no longer see or edit the show. Its feed and subscribers are not affected.",
                member.email
            ),
            "You can invite them again later.".into(),
        ],
        action: format!("/shows/{slug}/members"),
        hidden: vec![
            ("action", "remove".into()),
            ("user_id", user_id.to_string()),
        ],
        check: format!("Yes, remove {}", member.email),
        typed: None,
        button: "Remove member".into(),
        back: format!("/shows/{slug}/members"),
        error: None,
    })
}

pub async fn confirm_remove_member(
    State(state): State<AppState>,
    session: Session,
    Path((slug, user_id)): Path<(String, Uuid)>,
) -> Result<Response, UiError> {
    member_remove_page(&state, &session, &slug, user_id)
        .await?
        .answer(false)
}

/// Asks before an account is disabled.
pub async fn user_disable_page(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<ConfirmPage, UiError> {
    let accounts = app::users::list(&state.app, session.user.viewer()).await?;
    let Some(account) = accounts.into_iter().find(|a| a.id == id) else {
        return Err(UiError::NotFound);
    };
    Ok(ConfirmPage {
        layout: Layout::new(state, Some(session), "Disable user", "admin").await?,
        heading: format!("Disable {}?", account.email),
        consequences: vec![
            "Their sessions end now, and their API tokens stop working within seconds.".into(),
            "Their shows keep publishing; other members can still edit them.".into(),
            "You can enable the account again on the Users page.".into(),
        ],
        action: format!("/admin/users/{id}"),
        hidden: vec![("action", "disable".into())],
        check: format!("Yes, disable {}", account.email),
        typed: None,
        button: "Disable user".into(),
        back: "/admin/users".into(),
        error: None,
    })
}

pub async fn confirm_disable_user(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<Uuid>,
) -> Result<Response, UiError> {
    user_disable_page(&state, &session, id).await?.answer(false)
}
