//! A show's feed panel: its URL, publication state, validation warnings (each linking to the
//! field to fix) and redirects; and refreshing it.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    Json,
};
use serde_json::json;

use super::feed_history::{self, DirectoryRow, VersionRow};
use super::fix;
use super::session::NoFields;
use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    page::{render, Layout},
    session::{CsrfForm, Session},
    time::display,
};
use crate::app::{self, episodes, feed_state::FeedState, shows};
use crate::web::AppState;

/// A warning and where to fix it.
pub struct WarningRow {
    pub message: String,
    pub code: &'static str,
    pub fix: String,
}

#[derive(Template)]
#[template(path = "ui/shows/feed.html")]
struct FeedPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    status: &'static str,
    feed: FeedState,
    published_at: Option<String>,
    warnings: Vec<WarningRow>,
    redirects: Vec<(String, String, String)>,
    versions: Vec<VersionRow>,
    /// The cursor of the next page of versions; none on the last.
    older: Option<String>,
    /// Whether this is a later page of versions.
    paged: bool,
    directories: Vec<DirectoryRow>,
}

#[derive(serde::Deserialize)]
pub struct PanelQuery {
    /// Versions older than this one's cursor.
    versions: Option<String>,
}

pub async fn panel(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    Query(q): Query<PanelQuery>,
    notice: Notice,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let title = show.fields.title.clone();
    let status = show.status.as_str();
    let feed = app::feed_state::of(&state.app, &show).await?;
    let tz = session.tz;
    let mut warnings = Vec::new();
    for w in &feed.warnings {
        // A transcript URL may be the main one (the episode form) or a further one.
        let transcript = match (w.episode_id, fix::not_https(&w.message)) {
            (Some(id), Some(("podcast:transcript", _))) => {
                let who = session.user.viewer();
                let episode = episodes::get(&state.app, who, &slug, id).await.ok();
                episode.and_then(|e| e.fields.transcript_url)
            }
            _ => None,
        };
        warnings.push(WarningRow {
            message: w.message.clone(),
            code: w.code,
            fix: fix::link(&show, w, transcript.as_deref()),
        });
    }
    let redirects = feed
        .redirects
        .iter()
        .map(|r| (r.from_url.clone(), r.to_url.clone(), display(r.since, tz)))
        .collect();
    let cursor = q.versions.as_deref().filter(|c| !c.is_empty());
    let (versions, older) = feed_history::rows(&state, &session, &slug, cursor).await?;
    let directories = feed_history::directory_rows(&feed.warnings);
    let layout = Layout::new(&state, Some(&session), title.clone(), "shows")
        .await?
        .with_notice(notice.code());
    render(&FeedPage {
        layout,
        published_at: feed.published_at.map(|t| display(t, tz)),
        slug,
        tab: "feed",
        title,
        status,
        feed,
        warnings,
        redirects,
        versions,
        older,
        paged: cursor.is_some(),
        directories,
    })
}

/// The feed's state, for the panel to follow while a publish is pending.
pub async fn state_json(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
) -> Result<Json<serde_json::Value>, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    Ok(Json(json!({
        "state": show.publish_state(),
        "revision": show.revision,
    })))
}

pub async fn refresh(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    _: CsrfForm<NoFields>,
) -> Result<Response, UiError> {
    app::refresh::show(&state.app, session.user.viewer(), &slug).await?;
    Ok(see_other_with(&format!("/shows/{slug}"), "queued"))
}
