//! "Revert this change": its confirmation step, what it puts back, and the page again with
//! 409 when a field has changed again since.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use super::{
    confirm::{ConfirmForm, ConfirmPage},
    error::UiError,
    flash::see_other_with,
    history::{short, shown, what},
    page::{render_status, Layout},
    session::{Admin, CsrfForm, Session},
};
use crate::app::{self, history};
use crate::domain::history::{label, ChangeKind};
use crate::web::AppState;

/// The confirmation page of a revert: what goes back to what.
async fn revert_page(
    state: &AppState,
    session: &Session,
    entry: history::Entry,
    action: String,
    back: String,
) -> Result<ConfirmPage, UiError> {
    let tz = session.tz;
    let mut consequences: Vec<String> = entry
        .changes
        .iter()
        .map(|c| {
            let now = short(&shown(&c.field, &c.after, tz));
            let old = short(&shown(&c.field, &c.before, tz));
            format!("{} goes back from “{now}” to “{old}”.", label(&c.field))
        })
        .collect();
    if entry.kind == ChangeKind::Delete {
        consequences.push("What was deleted comes back from the trash.".into());
    }
    consequences.push("This is recorded as a new change, and the feed is published again.".into());
    Ok(ConfirmPage {
        layout: Layout::new(state, Some(session), "Revert a change", "shows").await?,
        heading: format!("Revert this change? {}", what(&entry)),
        consequences,
        action,
        check: "Yes, revert this change".into(),
        hidden: Vec::new(),
        typed: None,
        button: "Revert this change".into(),
        back,
        error: None,
    })
}

fn back_of(slug: &str, entry: &history::Entry) -> String {
    match entry.episode_id {
        Some(id) => format!("/shows/{slug}/episodes/{id}/history"),
        None => format!("/shows/{slug}/history"),
    }
}

pub async fn confirm_revert(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, UiError> {
    let entry = history::entry(&state.app, session.user.viewer(), &slug, id).await?;
    let back = back_of(&slug, &entry);
    let action = format!("/shows/{slug}/history/{id}/revert");
    revert_page(&state, &session, entry, action, back)
        .await?
        .answer(false)
}

pub async fn revert(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, i64)>,
    CsrfForm { form, .. }: CsrfForm<ConfirmForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let entry = history::entry(&state.app, who, &slug, id).await?;
    let back = back_of(&slug, &entry);
    let action = format!("/shows/{slug}/history/{id}/revert");
    if !form.confirmed(None) {
        let page = revert_page(&state, &session, entry, action, back).await?;
        return page.answer(true);
    }
    match history::revert(&state.app, who, &slug, id).await {
        Ok(_) => Ok(see_other_with(&back, "reverted")),
        Err(err) => refused(&state, &session, entry, action, back, err).await,
    }
}

/// The confirmation page again, saying why the revert was refused (409 when something changed
/// again since).
async fn refused(
    state: &AppState,
    session: &Session,
    entry: history::Entry,
    action: String,
    back: String,
    err: app::Error,
) -> Result<Response, UiError> {
    let app::Error::Conflict { message, .. } = err else {
        return Err(err.into());
    };
    let mut page = revert_page(state, session, entry, action, back).await?;
    page.error = Some(format!("Not reverted: {message}"));
    render_status(StatusCode::CONFLICT, &page)
}

pub async fn confirm_revert_settings(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<i64>,
) -> Result<Response, UiError> {
    let entry = history::settings_entry(&state.app, session.user.viewer(), id).await?;
    let action = format!("/admin/history/{id}/revert");
    revert_page(&state, &session, entry, action, "/admin/history".into())
        .await?
        .answer(false)
}

pub async fn revert_settings(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<i64>,
    CsrfForm { form, .. }: CsrfForm<ConfirmForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let entry = history::settings_entry(&state.app, who, id).await?;
    let action = format!("/admin/history/{id}/revert");
    let back = "/admin/history".to_string();
    if !form.confirmed(None) {
        let page = revert_page(&state, &session, entry, action, back).await?;
        return page.answer(true);
    }
    match history::revert_settings(&state.app, who, id).await {
        Ok(_) => Ok(see_other_with("/admin/history", "reverted")),
        Err(err) => refused(&state, &session, entry, action, back, err).await,
    }
}
