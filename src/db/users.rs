//! Users and their API tokens.

use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgExecutor;
use uuid::Uuid;

/// A signed-in user, as the API and UI see them.
#[derive(Debug, Clone)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub is_admin: bool,
}

/// Creates a user; `password_hash` is an argon2id PHC string, if the user has a password.
pub async fn create(
    db: impl PgExecutor<'_>,
    email: &str,
    password_hash: Option<&str>,
    is_admin: bool,
) -> sqlx::Result<User> {
    sqlx::query_as!(
        User,
        "insert into users (email, password_hash, is_admin) values ($1, $2, $3)
         returning id, email, is_admin",
        email,
        password_hash,
        is_admin
    )
    .fetch_one(db)
    .await
}

pub async fn find_by_email(db: impl PgExecutor<'_>, email: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        "select id, email, is_admin from users where lower(email) = lower($1) and not disabled",
        email
    )
    .fetch_optional(db)
    .await
}

/// A new random API token: what the user is shown once, and what we store.
pub struct NewToken {
    pub secret: String,
    pub hash: Vec<u8>,
}

impl NewToken {
    pub fn generate() -> NewToken {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let secret = format!("pp_{}", hex::encode(bytes));
        let hash = token_hash(&secret);
        NewToken { secret, hash }
    }
}

/// Tokens carry 256 random bits, so a plain SHA-256 is a safe way to store them.
pub fn token_hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

pub async fn create_token(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    name: &str,
) -> sqlx::Result<String> {
    let token = NewToken::generate();
    sqlx::query!(
        "insert into api_tokens (user_id, name, token_hash) values ($1, $2, $3)",
        user_id,
        name,
        token.hash
    )
    .execute(db)
    .await?;
    Ok(token.secret)
}

/// The user of a token, if it is valid; notes when it was used (to the minute, so that a busy
/// token is not written on every check).
pub async fn find_by_token(db: impl PgExecutor<'_>, secret: &str) -> sqlx::Result<Option<User>> {
    sqlx::query_as!(
        User,
        r#"with found as (
             select t.id as token_id, u.id, u.email, u.is_admin
             from api_tokens t join users u on u.id = t.user_id
             where t.token_hash = $1 and not u.disabled
           ), touched as (
             update api_tokens set last_used_at = now()
             where id = (select token_id from found)
               and (last_used_at is null or last_used_at < now() - interval '1 minute')
           )
           select id as "id!", email as "email!", is_admin as "is_admin!" from found"#,
        token_hash(secret)
    )
    .fetch_optional(db)
    .await
}

/// How many API tokens a user has.
pub async fn token_count(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from api_tokens where user_id = $1"#,
        user_id
    )
    .fetch_one(db)
    .await
}

/// Deletes every API token of a user; returns how many there were.
pub async fn delete_tokens(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<u64> {
    let done = sqlx::query!("delete from api_tokens where user_id = $1", user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// What signing in needs: the user, their argon2id hash, and whether they are disabled.
pub struct Login {
    pub id: Uuid,
    pub email: String,
    pub password_hash: Option<String>,
}

pub async fn find_login(db: impl PgExecutor<'_>, email: &str) -> sqlx::Result<Option<Login>> {
    sqlx::query_as!(
        Login,
        "select id, email, password_hash from users where lower(email) = lower($1) and not disabled",
        email
    )
    .fetch_optional(db)
    .await
}

/// Serialises first-run setups until the transaction ends.
pub async fn lock_setup(tx: &mut sqlx::PgConnection) -> sqlx::Result<()> {
    sqlx::query!("select pg_advisory_xact_lock(727275)")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub async fn count(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar!(r#"select count(*) as "n!" from users"#)
        .fetch_one(db)
        .await
}

/// A user as the admin pages list them.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: Uuid,
    pub email: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub has_password: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Sign-in refused: `max_failures` failed sign-ins for the email in the window.
    pub locked_out: bool,
}

/// Every account; `locked_out` counts failures over the last `window_minutes`.
pub async fn list(
    db: impl PgExecutor<'_>,
    window_minutes: i32,
    max_failures: i32,
) -> sqlx::Result<Vec<Account>> {
    sqlx::query_as!(
        Account,
        r#"select id, email, is_admin, disabled, password_hash is not null as "has_password!",
            created_at,
            (select count(*) from login_failures f
             where lower(f.email) = lower(u.email)
               and f.at > now() - make_interval(mins => $1)) >= $2 as "locked_out!"
           from users u order by lower(email)"#,
        window_minutes,
        i64::from(max_failures)
    )
    .fetch_all(db)
    .await
}

pub async fn set_admin(db: impl PgExecutor<'_>, id: Uuid, admin: bool) -> sqlx::Result<bool> {
    let done = sqlx::query!("update users set is_admin = $2 where id = $1", id, admin)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_disabled(db: impl PgExecutor<'_>, id: Uuid, disabled: bool) -> sqlx::Result<bool> {
    let done = sqlx::query!("update users set disabled = $2 where id = $1", id, disabled)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_time_zone(db: impl PgExecutor<'_>, id: Uuid, time_zone: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set time_zone = $2 where id = $1",
        id,
        time_zone
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_password(
    db: impl PgExecutor<'_>,
    id: Uuid,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update users set password_hash = $2 where id = $1",
        id,
        password_hash
    )
    .execute(db)
    .await?;
    Ok(())
}
