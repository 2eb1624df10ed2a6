//! The Feed tab's history and hand-off: the published versions (what changed in each, a
//! download, a diff of two), and the directories to submit the feed to with their checks.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use serde::Deserialize;

use super::{
    error::UiError,
    media::size,
    page::{render, Layout},
    session::Session,
    time::display,
};
use crate::app::{feed_history, feed_state::WarningView, shows};
use crate::feed::{diff::Hunk, directories};
use crate::web::{api::feed_versions::download, AppState};

/// Versions on one page of the Feed tab.
pub const PAGE: i64 = 10;

/// A version as the Feed tab lists it.
pub struct VersionRow {
    pub id: i64,
    pub revision: i64,
    pub published_at: String,
    pub size: String,
    /// The object's key, for an archive page; none for the main feed.
    pub archive: Option<String>,
    pub previous_id: Option<i64>,
    pub first: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Each changed episode's title and which of its elements changed.
    pub changed: Vec<(String, String)>,
    pub channel: String,
    /// Whether anything an app shows changed (not only the build date).
    pub unchanged: bool,
}

impl VersionRow {
    fn new(v: feed_history::VersionView, tz: chrono_tz::Tz) -> VersionRow {
        let changes = v.changes.unwrap_or_default();
        let titled = |t: String| if t.is_empty() { "(untitled)".into() } else { t };
        VersionRow {
            id: v.id,
            revision: v.revision,
            published_at: display(v.published_at, tz),
            size: size(v.bytes),
            archive: (v.kind != crate::domain::ObjectKind::Feed).then_some(v.key),
            previous_id: v.previous_id,
            first: v.previous_id.is_none(),
            unchanged: changes.is_empty(),
            added: changes.added.into_iter().map(|e| titled(e.title)).collect(),
            removed: changes
                .removed
                .into_iter()
                .map(|e| titled(e.title))
                .collect(),
            changed: changes
                .changed
                .into_iter()
                .map(|e| (titled(e.title), e.fields.join(", ")))
                .collect(),
            channel: changes.channel.join(", "),
        }
    }
}

/// A page of the show's versions, for the Feed tab.
pub async fn rows(
    state: &AppState,
    session: &Session,
    slug: &str,
    cursor: Option<&str>,
) -> Result<(Vec<VersionRow>, Option<String>), UiError> {
    let who = session.user.viewer();
    let page = feed_history::list(&state.app, who, slug, Some(PAGE), cursor).await?;
    let rows = page
        .items
        .into_iter()
        .map(|v| VersionRow::new(v, session.tz))
        .collect();
    Ok((rows, page.next_cursor))
}

/// A directory with its checks, as the Feed tab shows them.
pub struct DirectoryRow {
    pub id: String,
    pub name: &'static str,
    pub submit_url: &'static str,
    pub checks: Vec<directories::CheckResult>,
    pub unmet: usize,
}

/// Each directory, its checks held against the feed's current warnings.
pub fn directory_rows(warnings: &[WarningView]) -> Vec<DirectoryRow> {
    let pairs: Vec<(&str, &str)> = warnings
        .iter()
        .map(|w| (w.code, w.message.as_str()))
        .collect();
    directories::assess(pairs.iter().copied())
        .into_iter()
        .map(|(d, checks)| DirectoryRow {
            id: d.name.to_ascii_lowercase().replace(' ', "-"),
            name: d.name,
            submit_url: d.submit_url,
            unmet: checks.iter().filter(|c| !c.met).count(),
            checks,
        })
        .collect()
}

/// `GET /shows/{slug}/feed/versions/{id}/xml`: the bytes that were published.
pub async fn xml(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, UiError> {
    let id = id.parse::<i64>().map_err(|_| UiError::NotFound)?;
    let who = session.user.viewer();
    let version = feed_history::bytes(&state.app, who, &slug, id).await?;
    Ok(download(version))
}

#[derive(Deserialize)]
pub struct DiffQuery {
    pub version: Option<String>,
    pub against: Option<String>,
}

#[derive(Template)]
#[template(path = "ui/shows/feed_diff.html")]
struct DiffPage {
    layout: Layout,
    slug: String,
    tab: &'static str,
    title: String,
    old: VersionRow,
    new: VersionRow,
    hunks: Vec<Hunk>,
    unchanged_after: usize,
}

/// `GET /shows/{slug}/feed/diff?version=&against=`: two versions' line diff.
pub async fn diff(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    Query(q): Query<DiffQuery>,
) -> Result<Response, UiError> {
    let id = |raw: Option<String>| raw.and_then(|r| r.trim().parse::<i64>().ok());
    let (Some(version), Some(against)) = (id(q.version), id(q.against)) else {
        return Err(UiError::NotFound);
    };
    let who = session.user.viewer();
    let show = shows::get(&state.app, who, &slug).await?;
    let compared = feed_history::compare(&state.app, who, &slug, version, against).await?;
    let title = show.fields.title.clone();
    let layout = Layout::new(&state, Some(&session), title.clone(), "shows").await?;
    render(&DiffPage {
        layout,
        slug,
        tab: "feed",
        title,
        old: VersionRow::new(compared.old, session.tz),
        new: VersionRow::new(compared.new, session.tz),
        hunks: compared.hunks,
        unchanged_after: compared.unchanged_after,
    })
}
