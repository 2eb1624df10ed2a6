//! The trash: what a delete keeps for PODPUB_TRASH_RETENTION_DAYS, restorable with everything it
//! had. Editors delete and restore episodes; owners and admins also restore shows and purge.
//! Purge is final, and so is the worker's sweep after the retention (`jobs::housekeeping`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::episodes::{changed, guid_taken};
use super::history::{self, Record};
use super::shows::{self, lock_live, lock_status, require_owner, PURGE};
use super::{App, Error, Result};
use crate::db::{self, trash};
use crate::domain::history::ChangeKind;
use crate::domain::{Episode, Show, ShowStatus, Viewer};

pub use crate::db::trash::{TrashedEpisode, TrashedShow};

/// A show's trash: its deleted episodes, and what `who` may do with them.
pub struct ShowTrash {
    pub show: Show,
    pub episodes: Vec<TrashedEpisode>,
    /// An owner or admin: may purge.
    pub owned: bool,
}

impl App {
    /// When something deleted at `deleted_at` is purged by the worker's sweep.
    pub fn purge_at(&self, deleted_at: DateTime<Utc>) -> DateTime<Utc> {
        let retention = chrono::Duration::from_std(self.settings.trash_retention)
            .unwrap_or(chrono::Duration::MAX);
        deleted_at
            .checked_add_signed(retention)
            .unwrap_or(deleted_at)
    }
}

/// The trash of a show `who` may see.
pub async fn of_show(app: &App, who: Viewer, slug: &str) -> Result<ShowTrash> {
    let show = shows::get(app, who, slug).await?;
    Ok(ShowTrash {
        episodes: trash::episodes_of(&app.pool, show.id).await?,
        owned: shows::owns(app, who, &show).await?,
        show,
    })
}

/// Deleted shows `who` may see, last deleted first.
pub async fn shows_of(app: &App, who: Viewer) -> Result<Vec<TrashedShow>> {
    Ok(trash::shows_of(&app.pool, who).await?)
}

/// Puts an episode back from the trash, unchanged (guid, dates, numbering, every field), and
/// queues the renders it needs. 409 `guid_taken` when a live episode took its guid meanwhile.
pub async fn restore_episode(app: &App, who: Viewer, slug: &str, id: Uuid) -> Result<Episode> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let show_id = lock_live(&mut tx, who, slug).await?;
    let release = trash::restore_episode(&mut *tx, show_id, id)
        .await
        .map_err(guid_taken)?
        .ok_or(Error::NotFound)?;
    changed(&mut tx, app, show_id, Some(release)).await?;
    let episode = db::episodes::find(&mut *tx, show_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    let restored = Record::episode(ChangeKind::Restore, show_id, id, &episode.fields.title);
    history::record(&mut tx, who, restored).await?;
    super::commit(tx).await?;
    Ok(episode)
}

/// Deletes an episode for good, from the trash or straight from the show (then it leaves the
/// feed, as a delete does). Owners and admins only.
pub async fn purge_episode(app: &App, who: Viewer, slug: &str, id: Uuid) -> Result<()> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let (show_id, status) = lock_status(&mut tx, who, slug).await?;
    require_owner(&mut tx, who, show_id, PURGE).await?;
    if trash::purge_episode(&mut *tx, show_id, id).await? {
        super::commit(tx).await?;
        return Ok(());
    }
    if status == ShowStatus::Deleted {
        return Err(super::show_deleted());
    }
    if db::episodes::find(&mut *tx, show_id, id).await?.is_none() {
        return Err(Error::NotFound);
    }
    db::episodes::delete(&mut *tx, id).await?;
    changed(&mut tx, app, show_id, None).await?;
    super::commit(tx).await?;
    Ok(())
}
