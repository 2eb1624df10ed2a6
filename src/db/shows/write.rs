//! Writes of a show's own row: its fields, revision, moves and deletion.

use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgExecutor};
use uuid::Uuid;

use crate::domain::ShowFields;

/// Inserts a show; a taken slug fails on `shows_slug_key`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    f: &ShowFields,
    podcast_guid: Uuid,
) -> sqlx::Result<Uuid> {
    sqlx::query_scalar!(
        "insert into shows (slug, title, description, author, owner_name, owner_email, language,
            categories, explicit, show_type, image_url, link, copyright, locked, complete, block,
            funding, podcast_guid, extras, description_markdown)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19, $20)
         returning id",
        f.slug,
        f.title,
        f.description,
        f.author,
        f.owner_name,
        f.owner_email,
        f.language,
        Json(&f.categories) as _,
        f.explicit,
        f.show_type as _,
        f.image_url,
        f.link,
        f.copyright,
        f.locked,
        f.complete,
        f.block,
        Json(&f.funding) as _,
        podcast_guid,
        Json(&f.extras) as _,
        f.description_markdown
    )
    .fetch_one(db)
    .await
}

/// Writes every field and bumps the revision.
pub async fn update(db: impl PgExecutor<'_>, id: Uuid, f: &ShowFields) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set slug = $2, title = $3, description = $4, author = $5, owner_name = $6,
            owner_email = $7, language = $8, categories = $9, explicit = $10, show_type = $11,
            image_url = $12, link = $13, copyright = $14, locked = $15, complete = $16,
            block = $17, funding = $18, extras = $19, description_markdown = $20,
            revision = revision + 1, updated_at = now()
         where id = $1",
        id,
        f.slug,
        f.title,
        f.description,
        f.author,
        f.owner_name,
        f.owner_email,
        f.language,
        Json(&f.categories) as _,
        f.explicit,
        f.show_type as _,
        f.image_url,
        f.link,
        f.copyright,
        f.locked,
        f.complete,
        f.block,
        Json(&f.funding) as _,
        Json(&f.extras) as _,
        f.description_markdown
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Records that something about the show changed: a new revision for the feed.
pub async fn bump_revision(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "update shows set revision = revision + 1, updated_at = now() where id = $1
         returning revision",
        id
    )
    .fetch_one(db)
    .await
}

/// Starts (or changes) a move out to `new_feed_url`; the feed becomes a redirect stub at
/// `redirect_at`.
pub async fn start_move(
    db: impl PgExecutor<'_>,
    id: Uuid,
    new_feed_url: &str,
    redirect_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = case when status = 'deleted' then status else 'moving' end,
            new_feed_url = $2, move_redirect_at = $3, revision = revision + 1, updated_at = now()
         where id = $1",
        id,
        new_feed_url,
        redirect_at
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Undoes a move out: the feed is published at its own URL again.
pub async fn undo_move(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = case when status = 'deleted' then status else 'active' end,
            new_feed_url = null, move_redirect_at = null, revision = revision + 1,
            updated_at = now()
         where id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// A move out's redirect stub is in place.
pub async fn mark_moved(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = 'moved' where id = $1 and status = 'moving'",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Starts the grace period of a rename.
pub async fn mark_renamed(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("update shows set renamed_at = now() where id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}

/// Moves a show to the trash: its feed stays published, blocked and complete (`feed::input`),
/// and its own fields stay as they were, for a restore.
pub async fn mark_deleted(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = 'deleted', deleted_at = now(),
            revision = revision + 1, updated_at = now()
         where id = $1",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Takes a show out of the trash: active again, or moving out if it was.
pub async fn restore(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!(
        "update shows set status = case when new_feed_url is null then 'active' else 'moving' end,
            deleted_at = null, revision = revision + 1, updated_at = now()
         where id = $1 and status = 'deleted'",
        id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The slug of a show in the trash since before `before`, locked for its purge; `None` when
/// it was restored meanwhile, or another writer holds it.
pub async fn lock_expired(
    db: impl PgExecutor<'_>,
    id: Uuid,
    before: DateTime<Utc>,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar!(
        "select slug from shows where id = $1 and status = 'deleted' and deleted_at < $2
         for update skip locked",
        id,
        before
    )
    .fetch_optional(db)
    .await
}

pub async fn purge(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from shows where id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}
