//! The move wizard: rename a show (its old feed URL redirects), move it out to another host,
//! or undo either, each explained before it is done.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use chrono::Utc;
use serde::Deserialize;

use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    form::Fields,
    page::{render, render_status, Layout},
    session::{CsrfForm, Session},
    time::display,
};
use crate::app::{self, moves, shows, App};
use crate::domain::{Show, ShowInput, Viewer};
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
    /// An owner or admin: may rename and move (editors see why not).
    owned: bool,
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
    let owned = shows::owns(&state.app, session.user.viewer(), &show).await?;
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
        owned,
        f,
    })
}

pub async fn wizard(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    notice: Notice,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let mut f = Fields::default();
    f.set(
        "redirect_after_days",
        state.app.settings.move_grace_days.to_string(),
    );
    render(&page(&state, &session, show, f, notice.code()).await?)
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
    match form.run(&state.app, who, &slug).await {
        Ok((new_slug, notice)) => Ok(see_other_with(&format!("/shows/{new_slug}"), notice)),
        Err(err) => {
            let mut f = Fields::from_form(&raw);
            f.absorb(err, |k| match k {
                "slug" => "new_slug".into(),
                other => other.into(),
            })?;
            let page = page(&state, &session, show, f, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

impl MoveForm {
    /// Does what the form asks; returns where the show is now and the notice to show.
    async fn run(self, app: &App, who: Viewer, slug: &str) -> app::Result<(String, &'static str)> {
        let confirmed = |ticked: &Option<String>, action: &str| match ticked {
            Some(_) => Ok(()),
            None => Err(app::Error::field(
                &format!("confirm_{action}"),
                "tick this to confirm you have read what happens",
            )),
        };
        let (show, notice) = match self.action.as_str() {
            "rename" => {
                confirmed(&self.confirm_rename, "rename")?;
                let input = ShowInput::rename(&self.new_slug);
                (shows::update(app, who, slug, input).await?, "renamed")
            }
            "move_out" => {
                confirmed(&self.confirm_move_out, "move_out")?;
                let days = match self.redirect_after_days.trim() {
                    "" => None,
                    raw => Some(raw.parse::<i64>().map_err(|_| {
                        app::Error::field("redirect_after_days", "must be a whole number of days")
                    })?),
                };
                let url = self.new_feed_url.trim();
                (moves::start(app, who, slug, url, days).await?, "moved")
            }
            "undo" => (moves::undo(app, who, slug).await?, "undone"),
            _ => return Err(app::Error::NotFound),
        };
        Ok((show.fields.slug, notice))
    }
}
