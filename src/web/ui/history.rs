//! The History tab of a show and of an episode, the admin's settings history, and "Revert this
//! change" with its confirmation step.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::history_values::readable;
use super::{
    error::UiError,
    flash::Notice,
    page::{render, Layout},
    session::{Admin, Session},
    time::display,
};
use crate::app::{episodes, history, shows};
use crate::domain::history::{label, ChangeKind, ChangeTarget};
use crate::domain::Surface;
use crate::web::AppState;

/// Longer values are shortened in the list, with the whole behind a <details>.
const SHORT: usize = 80;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HistoryQuery {
    cursor: Option<String>,
}

/// One field of a change, as people read it.
pub struct ChangeRow {
    pub label: String,
    /// None for a create: it had no values before.
    pub before: Option<String>,
    pub after: String,
    /// The whole values, when either was shortened.
    pub full: Option<(String, String)>,
}

/// One change.
pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub surface: String,
    pub what: String,
    pub changes: Vec<ChangeRow>,
    /// Where "Revert this change" goes, when it can be reverted.
    pub revert: Option<String>,
}

#[derive(Template)]
#[template(path = "ui/history.html")]
struct HistoryPage {
    layout: Layout,
    /// The show's tabs; empty for the settings' history.
    slug: String,
    tab: &'static str,
    title: String,
    heading: String,
    /// The episode's edit page, for an episode's history.
    back: Option<String>,
    days: u64,
    rows: Vec<HistoryRow>,
    next: Option<String>,
}

fn surface_name(surface: Surface, via: Option<Surface>) -> String {
    let name = |s: Surface| match s {
        Surface::Ui => "web UI",
        Surface::Api => "API",
        Surface::Cli => "command line",
        Surface::Import => "import",
    };
    match (surface, via) {
        (Surface::Import, Some(via)) => format!("import (started in the {})", name(via)),
        (s, _) => format!("through the {}", name(s)),
    }
}

pub(super) fn what(e: &history::Entry) -> String {
    let subject = e.subject.as_deref().unwrap_or_default();
    let verb = match e.kind {
        ChangeKind::Create => "Created",
        ChangeKind::Update if e.reverts.is_some() => "Reverted",
        ChangeKind::Update => "Changed",
        ChangeKind::Delete => "Moved to the trash:",
        ChangeKind::Restore => "Restored",
        ChangeKind::Invite => "Invited",
        ChangeKind::Role => "Changed the role of",
        ChangeKind::Remove => "Removed",
        ChangeKind::Join => "Invitation accepted:",
    };
    match e.target {
        ChangeTarget::Show => format!("{verb} the show"),
        ChangeTarget::Episode => format!("{verb} episode “{subject}”"),
        ChangeTarget::Member => format!("{verb} {subject}"),
        ChangeTarget::Settings => format!("{verb} the settings"),
    }
}

/// A value as people read it: dates in their time zone, none as "(none)".
pub(super) fn shown(field: &str, value: &Value, tz: Tz) -> String {
    match value {
        Value::Null => "(none)".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::String(s) if field == "publish_at" => s
            .parse::<DateTime<Utc>>()
            .map(|at| display(at, tz))
            .unwrap_or_else(|_| s.clone()),
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => readable(field, value),
        other => other.to_string(),
    }
}

pub(super) fn short(text: &str) -> String {
    match text.char_indices().nth(SHORT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

fn row(e: history::Entry, tz: Tz, revert: Option<String>) -> HistoryRow {
    let created = e.kind == ChangeKind::Create;
    let changes = e
        .changes
        .iter()
        .map(|c| {
            let (before, after) = (
                shown(&c.field, &c.before, tz),
                shown(&c.field, &c.after, tz),
            );
            let long = before.chars().count() > SHORT || after.chars().count() > SHORT;
            ChangeRow {
                label: label(&c.field),
                before: (!created).then(|| short(&before)),
                after: short(&after),
                full: long.then_some((before, after)),
            }
        })
        .collect();
    HistoryRow {
        when: display(e.at, tz),
        who: e.user_email.clone(),
        surface: surface_name(e.surface, e.via),
        what: what(&e),
        changes,
        revert,
    }
}

fn revertible(e: &history::Entry) -> bool {
    !matches!(e.kind, ChangeKind::Create | ChangeKind::Restore) && !history::is_move(e)
}

fn days(state: &AppState) -> u64 {
    state.app.settings.history_retention.as_secs() / 86_400
}

fn query(q: &HistoryQuery) -> history::HistoryRequest {
    history::HistoryRequest {
        limit: Some(25),
        cursor: q.cursor.clone(),
    }
}

/// A show's (or an episode's) entries as rows, each with its Revert link when `may` revert
/// and the entry can be.
fn show_rows(items: Vec<history::Entry>, slug: &str, may: bool, tz: Tz) -> Vec<HistoryRow> {
    items
        .into_iter()
        .map(|e| {
            let href = format!("/shows/{slug}/history/{}/revert", e.id);
            let revert = (may && revertible(&e)).then_some(href);
            row(e, tz, revert)
        })
        .collect()
}

pub async fn show_history(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    Query(q): Query<HistoryQuery>,
    notice: Notice,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&state.app, who, &slug).await?;
    let page = history::of_show(&state.app, who, &slug, query(&q)).await?;
    let may = history::can_revert(&state.app, who, &show).await?;
    let rows = show_rows(page.items, &slug, may, session.tz);
    let next = page
        .next_cursor
        .map(|c| format!("/shows/{slug}/history?cursor={c}"));
    let layout = Layout::new(&state, Some(&session), "History", "shows")
        .await?
        .with_notice(notice.code());
    render(&HistoryPage {
        layout,
        tab: "history",
        title: show.fields.title,
        heading: "History".into(),
        back: None,
        days: days(&state),
        rows,
        next,
        slug,
    })
}

pub async fn episode_history(
    State(state): State<AppState>,
    session: Session,
    Path((slug, id)): Path<(String, Uuid)>,
    Query(q): Query<HistoryQuery>,
    notice: Notice,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let show = shows::get(&state.app, who, &slug).await?;
    let page = history::of_episode(&state.app, who, &slug, id, query(&q)).await?;
    let episode = episodes::get(&state.app, who, &slug, id).await.ok();
    let may = history::can_revert(&state.app, who, &show).await?;
    let name = episode
        .as_ref()
        .map(|e| e.fields.title.clone())
        .or_else(|| page.items.first().and_then(|e| e.subject.clone()))
        .unwrap_or_default();
    let rows = show_rows(page.items, &slug, may, session.tz);
    let next = page
        .next_cursor
        .map(|c| format!("/shows/{slug}/episodes/{id}/history?cursor={c}"));
    let layout = Layout::new(&state, Some(&session), "Episode history", "shows")
        .await?
        .with_notice(notice.code());
    render(&HistoryPage {
        layout,
        tab: "episodes",
        title: show.fields.title,
        heading: format!("History of “{name}”"),
        back: episode.map(|_| format!("/shows/{slug}/episodes/{id}")),
        days: days(&state),
        rows,
        next,
        slug,
    })
}

pub async fn settings_history(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(q): Query<HistoryQuery>,
    notice: Notice,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let page = history::of_settings(&state.app, who, query(&q)).await?;
    let rows = page
        .items
        .into_iter()
        .map(|e| {
            let href = format!("/admin/history/{}/revert", e.id);
            row(e, session.tz, Some(href))
        })
        .collect();
    let next = page
        .next_cursor
        .map(|c| format!("/admin/history?cursor={c}"));
    let layout = Layout::new(&state, Some(&session), "Settings history", "admin")
        .await?
        .with_notice(notice.code());
    render(&HistoryPage {
        layout,
        slug: String::new(),
        tab: "history",
        title: "Admin".into(),
        heading: "Settings history".into(),
        back: Some("/admin/settings".into()),
        days: days(&state),
        rows,
        next,
    })
}
