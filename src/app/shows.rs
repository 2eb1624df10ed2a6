//! Shows: listing, reading, creating, changing (a new slug is a rename), deleting (to the
//! trash), restoring and purging. Renames, moves, deletes and purges are for owners and admins.

use sqlx::PgConnection;
use uuid::Uuid;

use super::history::{self, Record};
use super::{moves, show_deleted, slug_taken, App, Error, Result};
use crate::db::{members, shows};
use crate::domain::history::ChangeKind;
use crate::domain::{Role, Show, ShowFields, ShowInput, ShowStatus, Slug, Viewer};
use crate::feed::guid::podcast_guid;
use crate::jobs::{housekeeping, queue};

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
    let created = Record::show(ChangeKind::Create, id).diff(&ShowFields::default(), &fields);
    history::record(&mut tx, who, created).await?;
    queue::enqueue_render(&mut *tx, id, None, app.max_attempts()).await?;
    let show = reload(&mut tx, id).await?;
    super::commit(tx).await?;
    Ok(show)
}

/// Applies `input` to a show `who` may edit; a new slug is a rename. Queues a render in the
/// same transaction.
pub async fn update(app: &App, who: Viewer, slug: &str, input: ShowInput) -> Result<Show> {
    // Before the show's lock, since it waits on the network.
    if let Some(Some(prefix)) = &input.analytics_prefix {
        super::analytics::check(app, who, slug, prefix).await?;
    }
    update_with(app, who, slug, |_| Ok(input)).await
}

/// Like [`update`], with the input made from the show as it stands under its lock: for edits
/// of one entry of a list that the input replaces whole.
pub(super) async fn update_with(
    app: &App,
    who: Viewer,
    slug: &str,
    input: impl FnOnce(&Show) -> Result<ShowInput>,
) -> Result<Show> {
    update_reverting(app, who, slug, None, input).await
}

/// Like [`update_with`]; `reverts` names the history entry this change undoes.
pub(super) async fn update_reverting(
    app: &App,
    who: Viewer,
    slug: &str,
    reverts: Option<i64>,
    input: impl FnOnce(&Show) -> Result<ShowInput>,
) -> Result<Show> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let show = lock(&mut tx, who, slug).await?;
    if show.is_deleted() {
        return Err(show_deleted());
    }
    let fields = input(&show)?.apply(show.fields.clone())?;
    let renamed = fields.slug != show.fields.slug;
    if renamed {
        let why = "only owners and admins rename a show (change its slug and feed URL)";
        require_owner(&mut tx, who, show.id, why).await?;
    }
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
    let updated = Record {
        reverts,
        ..Record::show(ChangeKind::Update, show.id)
    };
    history::record(&mut tx, who, updated.diff(&show.fields, &fields)).await?;
    queue::enqueue_render(&mut *tx, show.id, None, app.max_attempts()).await?;
    let show = reload(&mut tx, show.id).await?;
    super::commit(tx).await?;
    Ok(show)
}

/// Moves a show `who` owns to the trash: its feed stays published, blocked and complete, until
/// a restore or a purge. With `purge`, the show and its objects go for good and the slug is
/// free. Only owners and admins delete or purge.
pub async fn delete(app: &App, who: Viewer, slug: &str, purge: bool) -> Result<()> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let (id, status) = lock_status(&mut tx, who, slug).await?;
    if purge {
        require_owner(&mut tx, who, id, PURGE).await?;
        housekeeping::purge_show(&mut tx, id, slug, app.max_attempts()).await?;
    } else {
        require_owner(&mut tx, who, id, "only owners and admins delete a show").await?;
        // Deleting a show already in the trash keeps its first deletion time.
        if status != ShowStatus::Deleted {
            shows::mark_deleted(&mut *tx, id).await?;
            history::record(&mut tx, who, Record::show(ChangeKind::Delete, id)).await?;
            queue::enqueue_render(&mut *tx, id, None, app.max_attempts()).await?;
        }
    }
    super::commit(tx).await?;
    Ok(())
}

/// Takes a show `who` owns out of the trash, with everything it had: it publishes as before.
pub async fn restore(app: &App, who: Viewer, slug: &str) -> Result<Show> {
    let _turn = app.turn(slug).await?;
    let mut tx = app.pool.begin().await?;
    let (id, status) = lock_status(&mut tx, who, slug).await?;
    require_owner(&mut tx, who, id, "only owners and admins restore a show").await?;
    if status != ShowStatus::Deleted {
        return Err(Error::conflict(
            "not_deleted",
            "the show is not in the trash",
        ));
    }
    shows::restore(&mut *tx, id).await?;
    history::record(&mut tx, who, Record::show(ChangeKind::Restore, id)).await?;
    queue::enqueue_render(&mut *tx, id, None, app.max_attempts()).await?;
    let show = reload(&mut tx, id).await?;
    super::commit(tx).await?;
    Ok(show)
}

/// What an editor is told when they try to purge.
pub(super) const PURGE: &str = "only owners and admins purge a show or an episode";

/// Refuses anyone but the show's owners and admins; `why` says so. Editors edit the content.
pub(super) async fn require_owner(
    tx: &mut PgConnection,
    who: Viewer,
    show_id: Uuid,
    why: &'static str,
) -> Result<()> {
    if who.is_admin {
        return Ok(());
    }
    match members::role_of(&mut *tx, show_id, who.user_id).await? {
        Some(Role::Owner) => Ok(()),
        _ => Err(Error::OwnersOnly(why)),
    }
}

/// Whether `who` may rename, move, delete, restore and purge the show: its owners and admins.
pub async fn owns(app: &App, who: Viewer, show: &Show) -> Result<bool> {
    if who.is_admin {
        return Ok(true);
    }
    let role = members::role_of(&app.pool, show.id, who.user_id).await?;
    Ok(role == Some(Role::Owner))
}

/// Locks a show `who` may edit for the rest of the transaction, returning its id and status.
/// One statement, because every other writer of the show waits from here to the commit.
pub(super) async fn lock_id(tx: &mut PgConnection, who: Viewer, slug: &str) -> Result<Uuid> {
    Ok(lock_status(tx, who, slug).await?.0)
}

/// Like [`lock_id`], but refuses a deleted show.
pub(super) async fn lock_live(tx: &mut PgConnection, who: Viewer, slug: &str) -> Result<Uuid> {
    match lock_status(tx, who, slug).await? {
        (_, ShowStatus::Deleted) => Err(show_deleted()),
        (id, _) => Ok(id),
    }
}

pub(super) async fn lock_status(
    tx: &mut PgConnection,
    who: Viewer,
    slug: &str,
) -> Result<(Uuid, ShowStatus)> {
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
