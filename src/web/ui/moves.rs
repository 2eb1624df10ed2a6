//! The move wizard: rename a show (its old feed URL redirects), move it out to another host,
//! or undo either, each explained before it is done.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use chrono::Utc;

use super::{
    auth::NoticeQuery,
    error::UiError,
    form::Fields,
    page::{render, render_status, see_other, Layout},
    session::{CsrfForm, Session},
    time::display,
};
use crate::db::{redirects, shows::Show};
use crate::domain::feed_url;
use crate::web::api::{
    moves::{start_move, undo_move},
    shows::{update_show, ShowInput},
};
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
    let base = state.settings.feed_base_url.clone();
    let slug = show.fields.slug.clone();
    let last_rename = redirects::of_show(&state.pool, show.id)
        .await?
        .into_iter()
        .next()
        .map(|r| r.from_slug);
    let moving = match (&show.new_feed_url, show.move_redirect_at) {
        (Some(url), Some(at)) => Some((url.clone(), display(at, session.tz), at <= Utc::now())),
        _ => None,
    };
    let layout = Layout::new(state, Some(session), "Rename or move", "shows")
        .await?
        .with_notice(notice);
    Ok(MovePage {
        layout,
        feed_url: feed_url(&base, &slug),
        base,
        slug,
        tab: "move",
        title: show.fields.title,
        grace_days: state.settings.move_grace_days,
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
    let show = session.user.show(&state.pool, &slug).await?;
    let mut f = Fields::default();
    f.set(
        "redirect_after_days",
        state.settings.move_grace_days.to_string(),
    );
    render(&page(&state, &session, show, f, q.notice.as_deref()).await?)
}

/// `action`: `rename` (`new_slug`), `move_out` (`new_feed_url`, `redirect_after_days`) or
/// `undo`. Rename and move out need `confirm`.
pub async fn act(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let show = session.user.show(&state.pool, &slug).await?;
    let mut f = Fields::from_form(&form);
    let action = form.str("action");
    if matches!(action, "rename" | "move_out") && !form.has(&format!("confirm_{action}")) {
        f.error(
            &format!("confirm_{action}"),
            "tick this to confirm you have read what happens",
        );
    }
    let result = match action {
        _ if f.has_errors() => None,
        "rename" => {
            let input = ShowInput {
                slug: Some(form.str("new_slug").trim().to_string()),
                ..ShowInput::default()
            };
            Some(
                update_show(&state, &session.user, &slug, input)
                    .await
                    .map(|s| (s.fields.slug, "renamed")),
            )
        }
        "move_out" => {
            let days = match form.str("redirect_after_days").trim() {
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
                let url = form.str("new_feed_url").trim();
                Some(
                    start_move(&state, &session.user, &slug, url, days)
                        .await
                        .map(|s| (s.fields.slug, "moved")),
                )
            }
        }
        "undo" => Some(
            undo_move(&state, &session.user, &slug)
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
