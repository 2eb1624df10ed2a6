//! Feed history: the versions of a show's feed documents that were published, what changed in
//! each, their bytes, and the diff of two.

use std::collections::{hash_map::Entry, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{shows, App, Error, Result};
use crate::db::feed_versions::{self, FeedVersion};
use crate::domain::{Checker, ObjectKind, Viewer};
use crate::feed::{
    changes::{self, Doc, FeedChanges},
    diff,
};

/// A published version of one of the show's feed documents.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub id: i64,
    /// The object's key in the store (`{slug}/feed.xml`, or an archive page).
    pub key: String,
    /// `feed` or `archive`.
    pub kind: ObjectKind,
    /// The show revision it was rendered from.
    pub revision: i64,
    pub published_at: DateTime<Utc>,
    /// Its size uncompressed, in bytes.
    pub bytes: i64,
    pub sha256: String,
    /// The version of the same document before it; none for the first.
    pub previous_id: Option<i64>,
    /// What changed from the previous version; for the first, every episode is added.
    pub changes: Option<FeedChanges>,
}

/// A page of versions, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionList {
    pub items: Vec<VersionView>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// A version's bytes, as they were uploaded.
#[derive(Debug)]
pub struct VersionBytes {
    /// A file name for a download: `{slug}-r{revision}-v{id}.xml`.
    pub file_name: String,
    pub body: Vec<u8>,
}

/// Two versions compared.
#[derive(Debug)]
pub struct Comparison {
    pub old: VersionView,
    pub new: VersionView,
    pub hunks: Vec<diff::Hunk>,
    /// Unchanged lines after the last hunk.
    pub unchanged_after: usize,
    pub unified: String,
}

/// A page of the versions of the show `who` may see at `slug`.
pub async fn list(
    app: &App,
    who: Viewer,
    slug: &str,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<VersionList> {
    let show = shows::get(app, who, slug).await?;
    let mut c = Checker::default();
    let limit = c.number("limit", limit.unwrap_or(20), 1..=100);
    let before = match cursor {
        None => None,
        Some(raw) => raw.parse::<i64>().ok().filter(|n| *n > 0).or_else(|| {
            c.error("cursor", "is not a cursor this API returned");
            None
        }),
    };
    c.finish()?;
    let mut rows = feed_versions::page(&app.pool, show.id, before, limit + 1).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|v| v.id.to_string())
    } else {
        None
    };
    let items = views(app, rows).await?;
    Ok(VersionList { items, next_cursor })
}

/// One version, with what changed in it.
pub async fn get(app: &App, who: Viewer, slug: &str, id: i64) -> Result<VersionView> {
    let v = find(app, who, slug, id).await?;
    view(app, v).await
}

/// The bytes of a version, exactly as they were uploaded.
pub async fn bytes(app: &App, who: Viewer, slug: &str, id: i64) -> Result<VersionBytes> {
    let v = find(app, who, slug, id).await?;
    let body = body_of(app, v.id).await?;
    Ok(VersionBytes {
        file_name: format!("{slug}-r{}-v{}.xml", v.revision, v.id),
        body,
    })
}

/// Version `against` compared with version `id` (the older is shown first).
pub async fn compare(
    app: &App,
    who: Viewer,
    slug: &str,
    id: i64,
    against: i64,
) -> Result<Comparison> {
    let a = find(app, who, slug, id).await?;
    let b = find(app, who, slug, against).await?;
    let (old, new) = if a.id <= b.id { (a, b) } else { (b, a) };
    let old_text = String::from_utf8_lossy(&body_of(app, old.id).await?).into_owned();
    let new_text = String::from_utf8_lossy(&body_of(app, new.id).await?).into_owned();
    let (hunks, unchanged_after) = diff::hunks(&old_text, &new_text);
    let name = |v: &FeedVersion| format!("{} (version {}, revision {})", v.key, v.id, v.revision);
    let unified = diff::unified(&old_text, &new_text, &name(&old), &name(&new));
    Ok(Comparison {
        old: view(app, old).await?,
        new: view(app, new).await?,
        hunks,
        unchanged_after,
        unified,
    })
}

async fn find(app: &App, who: Viewer, slug: &str, id: i64) -> Result<FeedVersion> {
    let show = shows::get(app, who, slug).await?;
    feed_versions::find(&app.pool, show.id, id)
        .await?
        .ok_or(Error::NotFound)
}

async fn body_of(app: &App, id: i64) -> Result<Vec<u8>> {
    feed_versions::body(&app.pool, id)
        .await?
        .ok_or(Error::NotFound)
}

async fn view(app: &App, v: FeedVersion) -> Result<VersionView> {
    let mut one = views(app, vec![v]).await?;
    one.pop().ok_or(Error::NotFound)
}

/// The versions with what changed in each. What was worked out before is read back; the rest
/// is worked out from the documents, every body read and parsed once (a page's versions are
/// mostly each other's previous ones), and kept for the next time.
async fn views(app: &App, rows: Vec<FeedVersion>) -> Result<Vec<VersionView>> {
    let mut previous = Vec::with_capacity(rows.len());
    let mut known = Vec::with_capacity(rows.len());
    let mut bodies: HashMap<i64, Vec<u8>> = HashMap::new();
    for v in &rows {
        let p = feed_versions::previous(&app.pool, v).await?.map(|p| p.id);
        let kept = v
            .changes
            .as_ref()
            .filter(|_| v.changes_against == p)
            .and_then(|c| serde_json::from_value::<FeedChanges>(c.clone()).ok());
        if kept.is_none() {
            for id in std::iter::once(v.id).chain(p) {
                if let Entry::Vacant(slot) = bodies.entry(id) {
                    slot.insert(body_of(app, id).await?);
                }
            }
        }
        known.push(kept);
        previous.push(p);
    }
    let docs: HashMap<i64, Option<Doc<'_>>> = bodies
        .iter()
        .map(|(id, body)| (*id, Doc::parse(body)))
        .collect();
    let doc = |id: i64| docs.get(&id).and_then(Option::as_ref);
    let mut views = Vec::with_capacity(rows.len());
    for ((v, previous_id), kept) in rows.into_iter().zip(previous).zip(known) {
        let changes = match kept {
            Some(kept) => Some(kept),
            None => {
                let worked_out = match previous_id {
                    Some(p) => doc(p).zip(doc(v.id)).map(|(a, b)| changes::compare(a, b)),
                    None => doc(v.id).map(changes::added),
                };
                if let Some(c) = &worked_out {
                    keep(app, v.id, previous_id, c).await;
                }
                worked_out
            }
        };
        views.push(VersionView {
            id: v.id,
            key: v.key,
            kind: v.kind,
            revision: v.revision,
            published_at: v.published_at,
            bytes: v.bytes,
            sha256: v.sha256,
            previous_id,
            changes,
        });
    }
    Ok(views)
}

/// Keeps what changed in a version; a failure only means it is worked out again next time.
async fn keep(app: &App, id: i64, against: Option<i64>, changes: &FeedChanges) {
    let stored = match serde_json::to_value(changes) {
        Ok(json) => feed_versions::keep_changes(&app.pool, id, against, &json)
            .await
            .map_err(anyhow::Error::from),
        Err(err) => Err(err.into()),
    };
    if let Err(err) = stored {
        tracing::warn!(error = %err, version = id, "keeping what changed in a feed version");
    }
}
