//! A user's own API tokens (`api_tokens`), as the account page and `/api/v1/tokens` see them.

use chrono::{DateTime, Utc};
use sqlx::PgExecutor;
use uuid::Uuid;

use super::users::NewToken;

/// A token without its secret.
#[derive(Debug, Clone)]
pub struct Token {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The user's tokens, newest first.
pub async fn list(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Vec<Token>> {
    sqlx::query_as!(
        Token,
        "select id, name, created_at, last_used_at from api_tokens
         where user_id = $1 order by created_at desc, id",
        user_id
    )
    .fetch_all(db)
    .await
}

/// A new token of the user; returns it and its secret, which is not stored.
pub async fn create(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    name: &str,
) -> sqlx::Result<(Token, String)> {
    let new = NewToken::generate();
    let token = sqlx::query_as!(
        Token,
        "insert into api_tokens (user_id, name, token_hash) values ($1, $2, $3)
         returning id, name, created_at, last_used_at",
        user_id,
        name,
        new.hash
    )
    .fetch_one(db)
    .await?;
    Ok((token, new.secret))
}

/// Deletes the user's token `id`; false if the user has no such token.
pub async fn delete(db: impl PgExecutor<'_>, user_id: Uuid, id: Uuid) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "delete from api_tokens where id = $1 and user_id = $2",
        id,
        user_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One of the user's tokens, if they have it.
pub async fn get(db: impl PgExecutor<'_>, user_id: Uuid, id: Uuid) -> sqlx::Result<Option<Token>> {
    sqlx::query_as!(
        Token,
        "select id, name, created_at, last_used_at from api_tokens where id = $1 and user_id = $2",
        id,
        user_id
    )
    .fetch_optional(db)
    .await
}
