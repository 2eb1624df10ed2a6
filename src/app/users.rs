//! Accounts: creating users (with a password, or for API tokens only), their API tokens, what
//! admins change about them, and each user's own settings.

use argon2::{password_hash::SaltString, Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use uuid::Uuid;

use super::{admin_only, App, Error, Result};
use crate::db::{members, sessions, users};
use crate::domain::{Checker, Email, FieldErrors, Viewer};

pub use crate::db::users::{Account, User};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest password accepted, in bytes: argon2 time grows with it.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    /// None: the account signs in with API tokens only.
    pub password: Option<String>,
    pub admin: bool,
}

/// Hashes a password with argon2id and a random salt. Slow on purpose: call it off the async
/// workers ([`hash`]).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| anyhow::anyhow!("making a salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    Ok(hash.to_string())
}

/// [`hash_password`] on a blocking thread.
pub async fn hash(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(Error::Internal)
}

/// Whether `password` matches `hash`, on a blocking thread. Without a hash (an unknown user,
/// or one without a password) a dummy hash is checked, so that takes as long as a wrong
/// password.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let target = hash.as_deref().unwrap_or(dummy_hash());
        let ok = PasswordHash::new(target).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        });
        ok && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("not a password of anyone").unwrap_or_default());
    &HASH
}

/// Checks a new password (and its repetition, when the form asks twice).
pub fn check_password(c: &mut Checker, password: &str, again: Option<&str>) {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        c.error(
            "password",
            format!("needs at least {MIN_PASSWORD_CHARS} characters"),
        );
    } else if password.len() > MAX_PASSWORD_BYTES {
        c.error("password", "is too long");
    } else if again.is_some_and(|again| again != password) {
        c.error("password_again", "does not match the password");
    }
}

/// Checks a new account's email and password.
fn check_new(new: &NewUser) -> Result<Email, FieldErrors> {
    let mut c = Checker::default();
    let email = c.email("email", &new.email);
    if let Some(password) = &new.password {
        check_password(&mut c, password, None);
    }
    c.finish_with(email)
}

/// Creates an account; its invitations become memberships. `by` must be an admin (none: the
/// operator at the command line).
pub async fn create(app: &App, by: Option<Viewer>, new: NewUser) -> Result<User> {
    if let Some(who) = by {
        admin_only(who)?;
    }
    let email = check_new(&new)?;
    if users::find_login(&app.pool, email.as_str())
        .await?
        .is_some()
    {
        return Err(Error::field("email", "already has an account"));
    }
    let hash = match new.password {
        Some(password) => Some(hash(password).await?),
        None => None,
    };
    let mut tx = app.pool.begin().await?;
    let user = users::create(&mut *tx, email.as_str(), hash.as_deref(), new.admin)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.constraint() == Some("users_email_key") => {
                Error::field("email", "already has an account (perhaps disabled)")
            }
            _ => Error::Database(e),
        })?;
    members::accept_invites(&mut *tx, user.id, email.as_str()).await?;
    super::commit(tx).await?;
    Ok(user)
}

/// A new API token for the user with `email`; the secret is shown once.
pub async fn create_token(app: &App, email: &str, name: &str) -> Result<String> {
    let user = users::find_by_email(&app.pool, email)
        .await?
        .ok_or_else(|| Error::field("email", format!("no user has the email {email}")))?;
    Ok(users::create_token(&app.pool, user.id, name).await?)
}

/// The user with `email`, if enabled.
pub async fn find_by_email(app: &App, email: &str) -> Result<Option<User>> {
    Ok(users::find_by_email(&app.pool, email).await?)
}

/// The user an API token belongs to, if it is valid.
pub async fn by_token(app: &App, secret: &str) -> Result<Option<User>> {
    Ok(users::find_by_token(&app.pool, secret).await?)
}

/// Every account, for admins.
pub async fn list(app: &App, who: Viewer) -> Result<Vec<Account>> {
    admin_only(who)?;
    Ok(users::list(&app.pool).await?)
}

/// What an admin may change about an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    MakeAdmin,
    RevokeAdmin,
    Disable,
    Enable,
}

/// Changes an account; admins cannot demote or disable themselves, so an instance always
/// keeps one.
pub async fn change(app: &App, who: Viewer, id: Uuid, change: Change) -> Result<()> {
    admin_only(who)?;
    if id == who.user_id && matches!(change, Change::RevokeAdmin | Change::Disable) {
        return Err(Error::conflict(
            "self_change",
            "You cannot demote or disable yourself.",
        ));
    }
    let found = match change {
        Change::MakeAdmin => users::set_admin(&app.pool, id, true).await?,
        Change::RevokeAdmin => users::set_admin(&app.pool, id, false).await?,
        Change::Disable => {
            let found = users::set_disabled(&app.pool, id, true).await?;
            sessions::delete_for_user(&app.pool, id).await?;
            found
        }
        Change::Enable => users::set_disabled(&app.pool, id, false).await?,
    };
    if found {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// A user's own settings: their time zone, and a new password (which needs the current one).
#[derive(Debug, Clone, Default)]
pub struct AccountChange {
    pub time_zone: String,
    pub current_password: String,
    /// Empty: unchanged.
    pub password: String,
    pub password_again: String,
}

/// What [`update_account`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChanged {
    Settings,
    Password,
}

/// Changes a user's own settings.
pub async fn update_account(
    app: &App,
    who: Viewer,
    email: &str,
    change: AccountChange,
) -> Result<AccountChanged> {
    let mut c = Checker::default();
    let tz = super::sessions::time_zone(&mut c, &change.time_zone);
    let new_password = !change.password.is_empty();
    if new_password {
        check_password(&mut c, &change.password, Some(&change.password_again));
        let hash = users::find_login(&app.pool, email)
            .await?
            .and_then(|l| l.password_hash);
        if !verify(change.current_password, hash).await {
            c.error("current_password", "is not your current password");
        }
    }
    c.finish()?;
    users::set_time_zone(&app.pool, who.user_id, tz.name()).await?;
    if new_password {
        let hashed = hash(change.password).await?;
        users::set_password(&app.pool, who.user_id, &hashed).await?;
        return Ok(AccountChanged::Password);
    }
    Ok(AccountChanged::Settings)
}
