//! The edit history: every change to a show, an episode, a membership or a setting, recorded
//! in the change's own transaction with who made it and through which surface; listing it; and
//! reverting one change, as a new change through the same use case as an edit.

mod revert;

use std::borrow::Cow;

use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{admin_only, shows, App, Error, Result};
use crate::db::history::{self as db_history, NewEntry, Window};
use crate::domain::history::{diff, ChangeKind, ChangeTarget, FieldChange};
use crate::domain::{Checker, Show, Viewer};

pub use self::revert::{is_move, revert, revert_settings};
pub use crate::db::history::Entry;

/// A change to record.
#[derive(Debug)]
pub(super) struct Record<'a> {
    pub target: ChangeTarget,
    pub kind: ChangeKind,
    pub show_id: Option<Uuid>,
    pub episode_id: Option<Uuid>,
    /// An episode's title, a member's email.
    pub subject: Option<Cow<'a, str>>,
    pub changes: Vec<FieldChange>,
    /// The entry this change reverts.
    pub reverts: Option<i64>,
}

impl<'a> Record<'a> {
    pub fn show(kind: ChangeKind, show_id: Uuid) -> Record<'a> {
        Record {
            target: ChangeTarget::Show,
            kind,
            show_id: Some(show_id),
            episode_id: None,
            subject: None,
            changes: Vec::new(),
            reverts: None,
        }
    }

    pub fn episode(
        kind: ChangeKind,
        show_id: Uuid,
        id: Uuid,
        title: impl Into<Cow<'a, str>>,
    ) -> Record<'a> {
        Record {
            target: ChangeTarget::Episode,
            episode_id: Some(id),
            subject: Some(title.into()),
            ..Record::show(kind, show_id)
        }
    }

    pub fn member(kind: ChangeKind, show_id: Uuid, email: &'a str) -> Record<'a> {
        Record {
            target: ChangeTarget::Member,
            subject: Some(email.into()),
            ..Record::show(kind, show_id)
        }
    }

    pub fn settings() -> Record<'a> {
        Record {
            target: ChangeTarget::Settings,
            show_id: None,
            ..Record::show(ChangeKind::Update, Uuid::nil())
        }
    }

    /// With the fields that differ between `before` and `after`.
    pub fn diff<T: Serialize>(self, before: &T, after: &T) -> Record<'a> {
        Record {
            changes: diff(before, after),
            ..self
        }
    }

    pub fn with(self, changes: Vec<FieldChange>) -> Record<'a> {
        Record { changes, ..self }
    }
}

/// Records `change` by `who`, in the caller's transaction. An update that changed nothing is
/// not recorded.
pub(super) async fn record(tx: &mut PgConnection, who: Viewer, change: Record<'_>) -> Result<()> {
    record_all(tx, who, std::slice::from_ref(&change)).await
}

/// Records `changes` by `who`, in their order, in the caller's transaction and one statement.
/// Updates that changed nothing are not recorded.
pub(super) async fn record_all(
    tx: &mut PgConnection,
    who: Viewer,
    changes: &[Record<'_>],
) -> Result<()> {
    let entries: Vec<NewEntry> = changes
        .iter()
        .filter(|c| !(c.kind == ChangeKind::Update && c.changes.is_empty()))
        .map(|c| NewEntry {
            show_id: c.show_id,
            episode_id: c.episode_id,
            target: c.target,
            kind: c.kind,
            subject: c.subject.as_deref(),
            user_id: who.user_id,
            surface: who.surface,
            via: who.via,
            changes: &c.changes,
            reverts: c.reverts,
        })
        .collect();
    if !entries.is_empty() {
        db_history::insert_many(&mut *tx, &entries).await?;
    }
    Ok(())
}

/// Which page of a history to list.
#[derive(Debug, Default)]
pub struct HistoryRequest {
    pub limit: Option<i64>,
    /// A `next_cursor` from an earlier page.
    pub cursor: Option<String>,
}

/// A page of a history, newest first.
#[derive(Debug)]
pub struct HistoryPage {
    pub items: Vec<Entry>,
    /// Pass as the cursor for the next page; none on the last.
    pub next_cursor: Option<String>,
}

/// The history of a show `who` may see: its own changes, its episodes' and its members'.
pub async fn of_show(
    app: &App,
    who: Viewer,
    slug: &str,
    query: HistoryRequest,
) -> Result<HistoryPage> {
    let show = shows::get(app, who, slug).await?;
    page(app, Some(show.id), None, query).await
}

/// The history of an episode of a show `who` may see, also while it is in the trash.
pub async fn of_episode(
    app: &App,
    who: Viewer,
    slug: &str,
    id: Uuid,
    query: HistoryRequest,
) -> Result<HistoryPage> {
    let show = shows::get(app, who, slug).await?;
    let live = crate::db::episodes::find(&app.pool, show.id, id).await?;
    let listing = page(app, Some(show.id), Some(id), query).await?;
    if live.is_none() && listing.items.is_empty() {
        return Err(Error::NotFound);
    }
    Ok(listing)
}

/// The history of the instance settings (admins only).
pub async fn of_settings(app: &App, who: Viewer, query: HistoryRequest) -> Result<HistoryPage> {
    admin_only(who)?;
    page(app, None, None, query).await
}

/// One entry of a show's history.
pub async fn entry(app: &App, who: Viewer, slug: &str, id: i64) -> Result<Entry> {
    let show = shows::get(app, who, slug).await?;
    db_history::find(&app.pool, Some(show.id), id)
        .await?
        .ok_or(Error::NotFound)
}

/// One entry of the settings' history (admins only).
pub async fn settings_entry(app: &App, who: Viewer, id: i64) -> Result<Entry> {
    admin_only(who)?;
    db_history::find(&app.pool, None, id)
        .await?
        .ok_or(Error::NotFound)
}

async fn page(
    app: &App,
    show_id: Option<Uuid>,
    episode_id: Option<Uuid>,
    query: HistoryRequest,
) -> Result<HistoryPage> {
    let mut c = Checker::default();
    let limit = c.number("limit", query.limit.unwrap_or(50), 1..=500);
    let before = match query.cursor.as_deref() {
        None => None,
        Some(raw) => raw.parse::<i64>().ok().filter(|id| *id > 0).or_else(|| {
            c.error("cursor", "is not a cursor this API returned");
            None
        }),
    };
    c.finish()?;
    let page = Window {
        show_id,
        episode_id,
        before,
        limit: limit + 1,
    };
    let mut items = db_history::list(&app.pool, page).await?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|e| e.id.to_string())
    } else {
        None
    };
    Ok(HistoryPage { items, next_cursor })
}

/// Whether `who` may revert changes of this show: anyone who may edit it (member changes:
/// its owners and admins).
pub async fn can_revert(app: &App, who: Viewer, show: &Show) -> Result<bool> {
    Ok(who.is_admin
        || crate::db::members::role_of(&app.pool, show.id, who.user_id)
            .await?
            .is_some())
}
