//! Old slugs of renamed shows: each is a redirect stub in the bucket, and reserved while it
//! stands.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

/// An old slug that redirects to its show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub id: Uuid,
    pub show_id: Uuid,
    pub from_slug: String,
    pub created_at: DateTime<Utc>,
}

/// The show's standing redirects, newest first.
pub async fn of_show(db: impl PgExecutor<'_>, show_id: Uuid) -> sqlx::Result<Vec<Redirect>> {
    sqlx::query_as!(
        Redirect,
        "select id, show_id, from_slug, created_at from redirects
         where show_id = $1 and removed_at is null
         order by created_at desc, id",
        show_id
    )
    .fetch_all(db)
    .await
}

/// The show whose standing redirect holds `slug`, if any.
pub async fn holder(db: impl PgExecutor<'_>, slug: &str) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar!(
        "select show_id from redirects where from_slug = $1 and removed_at is null",
        slug
    )
    .fetch_optional(db)
    .await
}

/// Records that `from_slug` now redirects to the show (at `to_url`), and points every other
/// standing redirect of the show there too, so no chain of redirects forms.
pub async fn add(
    db: &mut sqlx::PgConnection,
    show_id: Uuid,
    from_slug: &str,
    to_url: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update redirects set to_url = $2 where show_id = $1 and removed_at is null",
        show_id,
        to_url
    )
    .execute(&mut *db)
    .await?;
    sqlx::query!(
        "insert into redirects (show_id, from_slug, to_url) values ($1, $2, $3)",
        show_id,
        from_slug,
        to_url
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Takes down the show's redirect from `slug` (the show took its old slug back).
pub async fn remove(db: impl PgExecutor<'_>, show_id: Uuid, slug: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update redirects set removed_at = now()
         where show_id = $1 and from_slug = $2 and removed_at is null",
        show_id,
        slug
    )
    .execute(db)
    .await?;
    Ok(())
}
