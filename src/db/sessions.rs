//! Browser sessions of the web UI, and the failed sign-ins that throttle password guessing.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sqlx::PgExecutor;
use uuid::Uuid;

use super::users::token_hash;

/// The user behind a live session.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user_id: Uuid,
    pub email: String,
    pub is_admin: bool,
    pub time_zone: String,
    pub csrf_token: String,
}

/// 256 random bits, hex-encoded.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Starts a session; returns the secret for the cookie (only its hash is stored).
pub async fn create(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<String> {
    let secret = random_secret();
    sqlx::query!(
        "insert into sessions (id_hash, user_id, csrf_token, expires_at) values ($1, $2, $3, $4)",
        token_hash(&secret),
        user_id,
        random_secret(),
        expires_at
    )
    .execute(db)
    .await?;
    Ok(secret)
}

/// The live session of `secret`, if any; disabled users have none.
pub async fn find(db: impl PgExecutor<'_>, secret: &str) -> sqlx::Result<Option<SessionUser>> {
    sqlx::query_as!(
        SessionUser,
        "select u.id as user_id, u.email, u.is_admin, u.time_zone, s.csrf_token
         from sessions s join users u on u.id = s.user_id
         where s.id_hash = $1 and s.expires_at > now() and not u.disabled",
        token_hash(secret)
    )
    .fetch_optional(db)
    .await
}

pub async fn delete(db: impl PgExecutor<'_>, secret: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from sessions where id_hash = $1 or expires_at < now()",
        token_hash(secret)
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Ends every session of a user (disabled, or their password changed).
pub async fn delete_for_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query!("delete from sessions where user_id = $1", user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every session of a user but `keep` (the one that changed the password).
pub async fn delete_others_for_user(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    keep: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from sessions where user_id = $1 and id_hash <> $2",
        user_id,
        token_hash(keep)
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Takes this email's and this client's turn at counting sign-in attempts, until the
/// transaction ends: so that parallel attempts are counted one after the other.
pub async fn lock_attempts(
    tx: &mut sqlx::PgConnection,
    email: &str,
    client: &str,
) -> sqlx::Result<()> {
    // Always the email's lock first, then the client's: no two attempts wait for each other.
    sqlx::query!(
        "select pg_advisory_xact_lock(727276, hashtext(lower($1)))",
        email
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("select pg_advisory_xact_lock(727277, hashtext($1))", client)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Records a sign-in attempt, counted as a failure unless it succeeds; returns its id.
pub async fn record_attempt(
    db: impl PgExecutor<'_>,
    email: &str,
    client: &str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        "insert into login_failures (email, client) values ($1, $2) returning id",
        email,
        client
    )
    .fetch_one(db)
    .await
}

/// Forgets an attempt that was never judged (the service was too busy to check it).
pub async fn forget_attempt(db: impl PgExecutor<'_>, id: i64) -> sqlx::Result<()> {
    sqlx::query!("delete from login_failures where id = $1", id)
        .execute(db)
        .await?;
    Ok(())
}

/// Failed sign-ins in the last `window_minutes`: for this email, and from this client.
pub async fn recent_failures(
    db: impl PgExecutor<'_>,
    email: &str,
    client: &str,
    window_minutes: i32,
) -> sqlx::Result<(i64, i64)> {
    let row = sqlx::query!(
        r#"select
            count(*) filter (where lower(email) = lower($1)) as "by_email!",
            count(*) filter (where client = $2) as "by_client!"
           from login_failures
           where at > now() - make_interval(mins => $3)
             and (lower(email) = lower($1) or client = $2)"#,
        email,
        client,
        window_minutes
    )
    .fetch_one(db)
    .await?;
    Ok((row.by_email, row.by_client))
}

/// A successful sign-in forgets that email's failures, and old rows go.
pub async fn clear_failures(db: impl PgExecutor<'_>, email: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "delete from login_failures where lower(email) = lower($1) or at < now() - interval '1 day'",
        email
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets the failed sign-ins of the user `user_id`'s email (an admin cleared the lockout);
/// false if there is no such user.
pub async fn clear_failures_of(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<bool> {
    let found = sqlx::query_scalar!(
        r#"with u as (select email from users where id = $1),
           gone as (delete from login_failures f using u where lower(f.email) = lower(u.email))
           select count(*) as "n!" from u"#,
        user_id
    )
    .fetch_one(db)
    .await?;
    Ok(found == 1)
}
