//! One-time password-reset links (`password_resets`): one live link per user, stored hashed.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::users::token_hash;

/// Stores a link for `user_id`, replacing any older one; returns false if there is no such
/// enabled user.
pub async fn replace(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    by: Uuid,
    secret: &str,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "insert into password_resets (user_id, token_hash, created_by, expires_at)
         select id, $2, $3, $4 from users where id = $1 and not disabled
         on conflict (user_id) do update
           set token_hash = excluded.token_hash, created_by = excluded.created_by,
               created_at = now(), expires_at = excluded.expires_at",
        user_id,
        token_hash(secret),
        by,
        expires_at
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whom a live link belongs to.
#[derive(Debug, Clone)]
pub struct ResetFor {
    pub user_id: Uuid,
    pub email: String,
    pub expires_at: DateTime<Utc>,
}

/// The user of a live (unexpired, unused) link, if they are still enabled.
pub async fn find(db: impl PgExecutor<'_>, secret: &str) -> sqlx::Result<Option<ResetFor>> {
    sqlx::query_as!(
        ResetFor,
        "select u.id as user_id, u.email, r.expires_at
         from password_resets r join users u on u.id = r.user_id
         where r.token_hash = $1 and r.expires_at > now() and not u.disabled",
        token_hash(secret)
    )
    .fetch_optional(db)
    .await
}

/// Uses up a live link: it is deleted, so it works once even when two requests race.
pub async fn take(db: impl PgExecutor<'_>, secret: &str) -> sqlx::Result<Option<ResetFor>> {
    sqlx::query_as!(
        ResetFor,
        r#"with gone as (
             delete from password_resets where token_hash = $1 returning user_id, expires_at
           )
           select u.id as "user_id!", u.email as "email!", g.expires_at as "expires_at!"
           from gone g join users u on u.id = g.user_id
           where g.expires_at > now() and not u.disabled"#,
        token_hash(secret)
    )
    .fetch_optional(db)
    .await
}

/// Forgets a user's link (their password was set another way).
pub async fn delete_for_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from password_resets where user_id = $1", user_id)
        .execute(db)
        .await?;
    Ok(())
}
