//! The move wizard: rename a show (its old feed URL redirects), move it out to another host,
//! or undo either, each explained before it is done.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use chrono::Utc;
use serde::Deserialize;

use super::{
    auth::NoticeQuery,
    error::UiError,
    form::Fields,
    page::{render, render_status, see_other, Layout},
    session::{CsrfForm, Session},
    time::display,
};
use crate::app::{moves, shows};
use crate::domain::{Show, ShowInput};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "ui/shows/move.html")]
struct MovePage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    feed_url: String,
    base: String,
    grace_days: u32,
    /// A move out in progress or done: where to, when it redirects, whether it has.
    moving: Option<(String, String, bool)>,
    /// The slug the last rename came from, which undo goes back to.
    last_rename: Option<String>,
    f: Fields,
}

async fn page(
    state: &AppState,
    session: &Session,
    show: Show,
    f: Fields,
    notice: Option<&str>,
) -> Result<MovePage, UiError> {
    let base = state.app.settings.feed_base_url.clone();
    let slug = show.fields.slug.clone();
    let last_rename = moves::last_rename(&state.app, &show).await?;
    let moving = match (&show.new_feed_url, show.move_redirect_at) {
        (Some(url), Some(at)) => Some((url.clone(), display(at, session.tz), at <= Utc::now())),
        _ => None,
    };
    let layout = Layout::new(state, Some(session), "Rename or move", "shows")
        .await?
        .with_notice(notice);
    Ok(MovePage {
        layout,
        feed_url: state.app.feed_url(&slug),
        base,
        slug,
        tab: "move",
        title: show.fields.title,
        grace_days: state.app.settings.move_grace_days,
        moving,
        last_rename,
        f,
    })
}

pub async fn wizard(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let mut f = Fields::default();
    f.set(
        "redirect_after_days",
        state.app.settings.move_grace_days.to_string(),
    );
    render(&page(&state, &session, show, f, q.notice.as_deref()).await?)
}

/// The wizard's form: `action` is `rename` (`new_slug`), `move_out` (`new_feed_url`,
/// `redirect_after_days`) or `undo`. Rename and move out need their `confirm_…` box.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MoveForm {
    action: String,
    new_slug: String,
    new_feed_url: String,
    redirect_after_days: String,
    confirm_rename: Option<String>,
    confirm_move_out: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm { form, raw }: CsrfForm<MoveForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&state.app, who, &slug).await?;
    let mut f = Fields::from_form(&raw);
    let confirmed = match form.action.as_str() {
        "rename" => form.confirm_rename.is_some(),
        "move_out" => form.confirm_move_out.is_some(),
        _ => true,
    };
    if !confirmed {
        f.error(
            &format!("confirm_{}", form.action),
            "tick this to confirm you have read what happens",
        );
    }
    let result = match form.action.as_str() {
        _ if f.has_errors() => None,
        "rename" => Some(
            shows::update(&state.app, who, &slug, ShowInput::rename(&form.new_slug))
                .await
                .map(|s| (s.fields.slug, "renamed")),
        ),
        "move_out" => {
            let days = match form.redirect_after_days.trim() {
                "" => None,
                raw => match raw.parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        f.error("redirect_after_days", "must be a whole number of days");
                        None
                    }
                },
            };
            if f.has_errors() {
                None
            } else {
                let url = form.new_feed_url.trim();
                Some(
                    moves::start(&state.app, who, &slug, url, days)
                        .await
                        .map(|s| (s.fields.slug, "moved")),
                )
            }
        }
        "undo" => Some(
            moves::undo(&state.app, who, &slug)
                .await
                .map(|s| (s.fields.slug, "undone")),
        ),
        _ => return Err(UiError::NotFound),
    };
    match result {
        Some(Ok((new_slug, notice))) => {
            Ok(see_other(&format!("/shows/{new_slug}?notice={notice}")))
        }
        Some(Err(err)) => {
            f.absorb(err, |k| {
                if k == "slug" {
                    "new_slug".into()
                } else {
                    k.into()
                }
            })?;
            let page = page(&state, &session, show, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        None => {
            let page = page(&state, &session, show, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
