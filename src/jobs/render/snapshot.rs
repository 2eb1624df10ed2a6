//! What a render reads: one consistent snapshot of a show, its episodes and its objects. The
//! Preview tab reads the show through the same function, so it shows what the worker publishes.

use sqlx::PgPool;
use uuid::Uuid;

use crate::db::{episodes, publications, redirects, shows};
use crate::db::{publications::Publication, redirects::Redirect};
use crate::domain::{Episode, Show};

/// A show as one render sees it.
pub struct Snapshot {
    pub show: Show,
    /// Every episode, drafts and scheduled ones included; the renderer picks what is in.
    pub episodes: Vec<Episode>,
    /// The objects last published for the show.
    pub previous: Vec<Publication>,
    /// The old slugs of a renamed show.
    pub old_slugs: Vec<Redirect>,
}

/// Reads the show `show_id` in one read-only, repeatable-read transaction; no lock outlives it.
/// `None` when the show no longer exists.
pub async fn load(pool: &PgPool, show_id: Uuid) -> anyhow::Result<Option<Snapshot>> {
    let mut tx = pool
        .begin_with("begin isolation level repeatable read, read only")
        .await?;
    let Some(show) = shows::find_by_id(&mut *tx, show_id).await? else {
        return Ok(None);
    };
    let episodes = episodes::all_for_show(&mut *tx, show_id).await?;
    let previous = publications::of_show(&mut *tx, show_id).await?;
    let old_slugs = match show.renamed_at {
        Some(_) => redirects::of_show(&mut *tx, show_id).await?,
        None => Vec::new(),
    };
    tx.commit().await?;
    Ok(Some(Snapshot {
        show,
        episodes,
        previous,
        old_slugs,
    }))
}
