//! Who may edit a show: members and invitations. Owners (and admins) manage them.

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
    session::{CsrfForm, Session},
};
use crate::db::{
    members::{self, Invite, Member},
    shows::{self, Show},
    users,
};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "ui/shows/members.html")]
struct MembersPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    members: Vec<Member>,
    invites: Vec<Invite>,
    can_manage: bool,
    f: Fields,
}

async fn can_manage(state: &AppState, session: &Session, show: &Show) -> Result<bool, UiError> {
    if session.user.is_admin {
        return Ok(true);
    }
    let role = members::role_of(&state.pool, show.id, session.user.id).await?;
    Ok(role.as_deref() == Some("owner"))
}

async fn page(
    state: &AppState,
    session: &Session,
    show: Show,
    f: Fields,
    notice: Option<&str>,
) -> Result<MembersPage, UiError> {
    let layout = Layout::new(state, Some(session), "Members", "shows")
        .await?
        .with_notice(notice);
    Ok(MembersPage {
        layout,
        members: members::list(&state.pool, show.id).await?,
        invites: members::invites(&state.pool, show.id).await?,
        can_manage: can_manage(state, session, &show).await?,
        slug: show.fields.slug,
        tab: "members",
        title: show.fields.title,
        f,
    })
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let show = session.user.show(&state.pool, &slug).await?;
    let mut f = Fields::default();
    f.set("role", "editor");
    render(&page(&state, &session, show, f, q.notice.as_deref()).await?)
}

/// `action`: `invite` (`email`, `role`), `remove` (`user_id`) or `cancel` (`email`).
pub async fn act(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let show = session.user.show(&state.pool, &slug).await?;
    if !can_manage(&state, &session, &show).await? {
        return Err(UiError::Forbidden);
    }
    let mut f = Fields::from_form(&form);
    match form.str("action") {
        "invite" => {
            let email = form.str("email").trim().to_string();
            check_email(&mut f, &email);
            let role = form.str("role");
            if !matches!(role, "editor" | "owner") {
                f.error("role", "must be editor or owner");
            }
            if !f.has_errors() {
                match users::find_by_email(&state.pool, &email).await? {
                    Some(user) => shows::add_member(&state.pool, show.id, user.id, role).await?,
                    None => {
                        members::invite(&state.pool, show.id, &email, role, session.user.id).await?
                    }
                }
                return Ok(see_other(&format!("/shows/{slug}/members?notice=invited")));
            }
        }
        "remove" => {
            let user_id: Uuid = form.str("user_id").parse().map_err(|_| UiError::NotFound)?;
            let mut tx = state.pool.begin().await?;
            // Serialises removals on this show, so two owners cannot remove each other at once.
            shows::lock_visible(&mut *tx, session.user.viewer(), &slug).await?;
            let role = members::role_of(&mut *tx, show.id, user_id).await?;
            if role.as_deref() == Some("owner")
                && members::owner_count(&mut *tx, show.id).await? <= 1
            {
                f.error("_form", "A show keeps at least one owner.");
            } else {
                members::remove(&mut *tx, show.id, user_id).await?;
                tx.commit().await?;
                return Ok(see_other(&format!("/shows/{slug}/members?notice=saved")));
            }
        }
        "cancel" => {
            members::cancel_invite(&state.pool, show.id, form.str("email")).await?;
            return Ok(see_other(&format!("/shows/{slug}/members?notice=saved")));
        }
        _ => return Err(UiError::NotFound),
    }
    let page = page(&state, &session, show, f, None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
