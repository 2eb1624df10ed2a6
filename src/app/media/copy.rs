//! "Copy media to podpub": after an import, the show's enclosures and artwork still live at the
//! old host. Starting the copy queues the `copy_media` job, which downloads each file into the
//! store and switches the episode to it once verified; the progress says where each file is.

use std::collections::HashSet;

use serde_json::json;
use uuid::Uuid;

use crate::app::{shows::lock_live, App, Result};
use crate::db::{self, media_copy::Named};
use crate::domain::media::media_url;
use crate::domain::{JobKind, Media, MediaPurpose, MediaState, Viewer};
use crate::jobs::queue;

/// Where one file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyState {
    /// Not copied yet (the job will, once started).
    Waiting,
    /// Being downloaded, probed or stored.
    Copying,
    /// Copied, verified, and the episode (or show) switched to the copy.
    Copied,
    /// The copy failed (see the code); starting the copy again retries it.
    Failed,
}

impl CopyState {
    pub fn as_str(self) -> &'static str {
        match self {
            CopyState::Waiting => "waiting",
            CopyState::Copying => "copying",
            CopyState::Copied => "copied",
            CopyState::Failed => "failed",
        }
    }
}

/// One file a show names, and its copy.
#[derive(Debug, Clone)]
pub struct CopyItem {
    /// None for the show's artwork.
    pub episode_id: Option<Uuid>,
    /// The episode's title (or the show's).
    pub title: String,
    pub purpose: MediaPurpose,
    /// Where the file is copied from.
    pub source_url: String,
    pub state: CopyState,
    /// The copy's URL, once copied.
    pub url: Option<String>,
    /// Why it failed: a stable code and a message.
    pub error: Option<(String, String)>,
}

/// How far a show's copy is.
#[derive(Debug, Clone, Default)]
pub struct CopyProgress {
    /// Every file listed below.
    pub total: usize,
    /// Waiting to be copied.
    pub to_copy: usize,
    pub in_progress: usize,
    pub copied: usize,
    pub failed: usize,
    /// A copy job waits to run (or to be retried).
    pub queued: bool,
    pub running: bool,
    pub items: Vec<CopyItem>,
}

impl CopyProgress {
    /// No copy job waits or runs.
    pub fn finished(&self) -> bool {
        !self.queued && !self.running
    }
}

/// Queues the copy of a show's media (once: a copy already waiting is not queued again).
pub async fn start_copy(app: &App, who: Viewer, slug: &str) -> Result<CopyProgress> {
    let mut tx = app.pool.begin().await?;
    let show_id = lock_live(&mut tx, who, slug).await?;
    let (queued, _) = db::media_copy::job_state(&mut *tx, show_id).await?;
    if !queued {
        let payload = json!({});
        let attempts = app.max_attempts();
        queue::enqueue(
            &mut *tx,
            JobKind::CopyMedia,
            Some(show_id),
            payload,
            attempts,
        )
        .await?;
    }
    crate::app::commit(tx).await?;
    copy_progress(app, who, slug).await
}

/// Where each file of a show stands: files that are already the show's uploads (and not
/// copies) are not listed.
pub async fn copy_progress(app: &App, who: Viewer, slug: &str) -> Result<CopyProgress> {
    let show = crate::app::shows::get(app, who, slug).await?;
    let named = db::media_copy::named_files(&app.pool, show.id).await?;
    let rows = db::media_copy::copies_and_ready(&app.pool, show.id).await?;
    let (queued, running) = db::media_copy::job_state(&app.pool, show.id).await?;
    let base = app.settings.media_base_url();
    let ready: HashSet<String> = rows
        .iter()
        .filter(|m| m.state == MediaState::Ready)
        .map(|m| media_url(base, &m.key))
        .collect();
    let mut progress = CopyProgress {
        queued,
        running,
        ..CopyProgress::default()
    };
    for n in named {
        let Some(item) = item(&n, &rows, &ready, base) else {
            continue;
        };
        match item.state {
            CopyState::Waiting => progress.to_copy += 1,
            CopyState::Copying => progress.in_progress += 1,
            CopyState::Copied => progress.copied += 1,
            CopyState::Failed => progress.failed += 1,
        }
        progress.items.push(item);
    }
    progress.total = progress.items.len();
    Ok(progress)
}

fn item(n: &Named, rows: &[Media], ready: &HashSet<String>, base: &str) -> Option<CopyItem> {
    // The newest copy of this file (rows come oldest first).
    let copy = rows
        .iter()
        .rev()
        .find(|m| m.source_url.is_some() && m.purpose == n.purpose && m.episode_id == n.episode_id);
    let mut item = CopyItem {
        episode_id: n.episode_id,
        title: n.title.clone(),
        purpose: n.purpose,
        source_url: n.url.clone(),
        state: CopyState::Waiting,
        url: None,
        error: None,
    };
    if ready.contains(&n.url) {
        let copy = copy.filter(|m| media_url(base, &m.key) == n.url)?;
        item.source_url = copy.source_url.clone().unwrap_or_default();
        item.state = CopyState::Copied;
        item.url = Some(n.url.clone());
        return Some(item);
    }
    match copy {
        Some(m) if m.source_url.as_deref() == Some(n.url.as_str()) => match m.state {
            MediaState::Uploading | MediaState::Probing => item.state = CopyState::Copying,
            MediaState::Refused => {
                item.state = CopyState::Failed;
                item.error = m.error.clone();
            }
            MediaState::Ready => {}
        },
        _ => {}
    }
    Some(item)
}
