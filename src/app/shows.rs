//! Shows: listing, reading, creating, changing (a new slug is a rename), deleting and purging.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{moves, show_deleted, slug_taken, App, Error, Result};
use crate::db::{members, publications, shows};
use crate::domain::{feed_key, JobKind, Role, Show, ShowFields, ShowInput, Slug, Viewer};
use crate::feed::guid::podcast_guid;
use crate::jobs::queue;

/// Shows `who` can see, by slug.
pub async fn list(app: &App, who: Viewer) -> Result<Vec<Show>> {
    Ok(shows::list_visible(&app.pool, who).await?)
}

/// A show `who` may see; any other is not found, as if it did not exist.
pub async fn get(app: &App, who: Viewer, slug: &str) -> Result<Show> {
    Slug::parse(slug).map_err(|_| Error::NotFound)?;
    shows::find_visible(&app.pool, who, slug)
        .await?
        .ok_or(Error::NotFound)
}

/// Creates a show owned by `who`, and queues its first render in the same transaction.
pub async fn create(app: &App, who: Viewer, input: ShowInput) -> Result<Show> {
    input.check_required()?;
    let fields = input.apply(ShowFields::default())?;
    let guid = podcast_guid(&app.feed_url(&fields.slug));
    let mut tx = app.pool.begin().await?;
    let id = shows::insert(&mut *tx, &fields, guid)
        .await
        .map_err(slug_taken(&fields.slug))?;
    // Checked after the insert, which waits for a rename that is freeing this slug to commit.
    moves::ensure_not_reserved(&mut tx, &fields.slug, id).await?;
    members::add(&mut *tx, id, who.user_id, Role::Owner).await?;
    queue::enqueue_render(&mut *tx, id, None, app.max_attempts()).await?;
    let show = reload(&mut tx, id).await?;
    super::commit(tx).await?;
    Ok(show)
}

/// Applies `input` to a show `who` may edit; a new slug is a rename. Queues a render in the
/// same transaction.
pub async fn update(app: &App, who: Viewer, slug: &str, input: ShowInput) -> Result<Show> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let show = lock(&mut tx, who, slug).await?;
    if show.is_deleted() {
        return Err(show_deleted());
    }
    let fields = input.apply(show.fields.clone())?;
    let renamed = fields.slug != show.fields.slug;
    if renamed && show.new_feed_url.is_some() {
        return Err(Error::conflict(
            "show_moving",
            "the show is moving out; undo the move (DELETE …/move) before renaming it",
        ));
    }
    shows::update(&mut *tx, show.id, &fields)
        .await
        .map_err(slug_taken(&fields.slug))?;
    if renamed {
        let new_url = app.feed_url(&fields.slug);
        moves::record_rename(&mut tx, show.id, &show.fields.slug, &fields.slug, &new_url).await?;
    }
    queue::enqueue_render(&mut *tx, show.id, None, app.max_attempts()).await?;
    let show = reload(&mut tx, show.id).await?;
    super::commit(tx).await?;
    Ok(show)
}

/// Deletes a show `who` may edit: its feed stays published, blocked and complete. With
/// `purge`, the show and its objects go for good and the slug is free.
pub async fn delete(app: &App, who: Viewer, slug: &str, purge: bool) -> Result<()> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let id = lock_id(&mut tx, who, slug).await?;
    if purge {
        let mut keys = publications::keys_of(&mut *tx, id).await?;
        if !keys.contains(&feed_key(slug)) {
            keys.push(feed_key(slug));
        }
        shows::purge(&mut *tx, id).await?;
        let payload = json!({ "keys": keys });
        queue::enqueue(&mut *tx, JobKind::Purge, None, payload, app.max_attempts()).await?;
    } else {
        shows::mark_deleted(&mut *tx, id).await?;
        queue::enqueue_render(&mut *tx, id, None, app.max_attempts()).await?;
    }
    super::commit(tx).await?;
    Ok(())
}

/// Locks a show `who` may edit for the rest of the transaction, returning its id and status.
/// One statement, because every other writer of the show waits from here to the commit.
pub(super) async fn lock_id(tx: &mut PgConnection, who: Viewer, slug: &str) -> Result<Uuid> {
    Ok(lock_status(tx, who, slug).await?.0)
}

/// Like [`lock_id`], but refuses a deleted show.
pub(super) async fn lock_live(tx: &mut PgConnection, who: Viewer, slug: &str) -> Result<Uuid> {
    match lock_status(tx, who, slug).await? {
        (_, crate::domain::ShowStatus::Deleted) => Err(show_deleted()),
        (id, _) => Ok(id),
    }
}

async fn lock_status(
    tx: &mut PgConnection,
    who: Viewer,
    slug: &str,
) -> Result<(Uuid, crate::domain::ShowStatus)> {
    Slug::parse(slug).map_err(|_| Error::NotFound)?;
    shows::lock_visible(&mut *tx, who, slug)
        .await?
        .ok_or(Error::NotFound)
}

/// Locks a show `who` may edit for the rest of the transaction, returning it.
pub(super) async fn lock(tx: &mut PgConnection, who: Viewer, slug: &str) -> Result<Show> {
    let id = lock_id(tx, who, slug).await?;
    reload(tx, id).await
}

/// The show as the transaction sees it now.
pub(super) async fn reload(tx: &mut PgConnection, id: Uuid) -> Result<Show> {
    shows::find_by_id(&mut *tx, id)
        .await?
        .ok_or(Error::NotFound)
}
