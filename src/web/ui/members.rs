//! Who may edit a show: members and invitations. Owners (and admins) manage them.

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
    flash::{see_other_with, Notice},
    form::Fields,
    page::{render, render_status, Layout},
    session::{CsrfForm, Session},
};
use crate::app::{
    self,
    members::{self, Invite, Member, Roster},
};
use crate::domain::{Choice, Role};
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

async fn page(
    state: &AppState,
    session: &Session,
    roster: Roster,
    f: Fields,
    notice: Option<&str>,
) -> Result<MembersPage, UiError> {
    let layout = Layout::new(state, Some(session), "Members", "shows")
        .await?
        .with_notice(notice);
    Ok(MembersPage {
        layout,
        members: roster.members,
        invites: roster.invites,
        can_manage: roster.can_manage,
        slug: roster.show.fields.slug,
        tab: "members",
        title: roster.show.fields.title,
        f,
    })
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    notice: Notice,
) -> Result<Response, UiError> {
    let roster = members::roster(&state.app, session.user.viewer(), &slug).await?;
    let mut f = Fields::default();
    f.set("role", Role::Editor.as_str());
    render(&page(&state, &session, roster, f, notice.code()).await?)
}

/// The members form: `action` is `invite` (`email`, `role`), `role` (`user_id`, `role`),
/// `remove` (`user_id`) or `cancel` (`email`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MembersForm {
    action: String,
    email: String,
    role: String,
    user_id: String,
    /// The confirmation page's ticked box (`confirm`): a removal needs it.
    confirm: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm { form, raw }: CsrfForm<MembersForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let app = &state.app;
    let done = match form.action.as_str() {
        "invite" => {
            let role = Choice::<Role>::parse(&form.role);
            members::invite(app, who, &slug, &form.email, &role)
                .await
                .map(|()| "invited")
        }
        "role" => {
            let user_id: Uuid = form.user_id.parse().map_err(|_| UiError::NotFound)?;
            let role = Choice::<Role>::parse(&form.role);
            members::change_role(app, who, &slug, user_id, &role)
                .await
                .map(|()| "saved")
        }
        "remove" => {
            let user_id: Uuid = form.user_id.parse().map_err(|_| UiError::NotFound)?;
            if form.confirm.is_none() {
                let page = super::confirm::member_remove_page(&state, &session, &slug, user_id);
                return page.await?.answer(true);
            }
            members::remove(app, who, &slug, user_id)
                .await
                .map(|()| "saved")
        }
        "cancel" => members::cancel_invite(app, who, &slug, &form.email)
            .await
            .map(|()| "saved"),
        _ => return Err(UiError::NotFound),
    };
    let err = match done {
        Ok(notice) => return Ok(see_other_with(&format!("/shows/{slug}/members"), notice)),
        Err(err) => err,
    };
    let status = match err {
        app::Error::Conflict { .. } => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let mut f = Fields::from_form(&raw);
    f.absorb(err, str::to_string)?;
    let roster = members::roster(app, who, &slug).await?;
    let page = page(&state, &session, roster, f, None).await?;
    render_status(status, &page)
}
