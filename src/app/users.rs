//! Accounts: creating users (with a password, or for API tokens only), their API tokens, what
//! admins change about them, and each user's own settings.

use uuid::Uuid;

use super::history::{self, Record};
use super::members::role_change;
use super::passwords::{check_password, hash, verify};
use super::{admin_only, App, Error, Result};
use crate::db::{members, password_resets, sessions, ui_settings, users};
use crate::domain::history::ChangeKind;
use crate::domain::{Checker, Email, FieldErrors, Surface, Viewer};

pub use super::passwords::{hash_password, MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS};
pub use crate::db::users::{Account, User};

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    /// None: the account signs in with API tokens only.
    pub password: Option<String>,
    pub admin: bool,
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
        Some(password) => Some(hash(app, password).await?),
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
    let joined = members::accept_invites(&mut *tx, user.id, email.as_str()).await?;
    // By the admin who created the account; at the command line, by the new account itself.
    let author = by.unwrap_or_else(|| Viewer::new(user.id, new.admin, Surface::Cli));
    let changes: Vec<Record> = joined
        .into_iter()
        .map(|(show_id, role)| {
            Record::member(ChangeKind::Join, show_id, email.as_str())
                .with(role_change(None, Some(role)))
        })
        .collect();
    history::record_all(&mut tx, author, &changes).await?;
    super::commit(tx).await?;
    Ok(user)
}

/// The operator's reset of a password (`podpub user password`): it ends every session of the
/// user, and with `revoke_tokens` deletes their API tokens; returns how many tokens went.
pub async fn reset_password(
    app: &App,
    email: &str,
    password: String,
    revoke_tokens: bool,
) -> Result<u64> {
    let mut c = Checker::default();
    check_password(&mut c, &password, None);
    c.finish()?;
    let user = users::find_by_email(&app.pool, email)
        .await?
        .ok_or_else(|| Error::field("email", format!("no user has the email {email}")))?;
    let hashed = hash(app, password).await?;
    let mut tx = app.pool.begin().await?;
    let revoked = replace_password(&mut tx, &user.email, user.id, &hashed, revoke_tokens).await?;
    super::commit(tx).await?;
    Ok(revoked)
}

/// What every reset of a password by someone else does (the operator's, or a reset link's):
/// the new hash, every session ended, the sign-in lockout cleared, any reset link gone, and
/// with `revoke_tokens` the API tokens deleted; returns how many tokens went.
pub(super) async fn replace_password(
    tx: &mut sqlx::PgConnection,
    email: &str,
    user_id: Uuid,
    hashed: &str,
    revoke_tokens: bool,
) -> Result<u64> {
    users::set_password(&mut *tx, user_id, hashed).await?;
    sessions::delete_for_user(&mut *tx, user_id).await?;
    sessions::clear_failures(&mut *tx, email).await?;
    password_resets::delete_for_user(&mut *tx, user_id).await?;
    Ok(if revoke_tokens {
        users::delete_tokens(&mut *tx, user_id).await?
    } else {
        0
    })
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
    let limit = ui_settings::get(&app.pool).await?.login_max_failures;
    let window = super::sessions::FAILURE_WINDOW_MINUTES;
    Ok(users::list(&app.pool, window, limit).await?)
}

/// What an admin may change about an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    MakeAdmin,
    RevokeAdmin,
    Disable,
    Enable,
    /// Forgets the failed sign-ins of the account's email, so that it may sign in again.
    ClearLockout,
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
        Change::ClearLockout => sessions::clear_failures_of(&app.pool, id).await?,
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
    /// With a new password: delete every API token of the user too.
    pub revoke_tokens: bool,
}

/// What [`update_account`] changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChanged {
    Settings,
    /// The password: every other session has ended, and the API tokens too when asked
    /// (how many).
    Password {
        tokens_revoked: u64,
    },
}

/// Changes a user's own settings. A new password ends the user's other sessions (`session`,
/// the secret of the one that asks, stays), and with `revoke_tokens` their API tokens.
pub async fn update_account(
    app: &App,
    who: Viewer,
    email: &str,
    session: &str,
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
        if !verify(app, change.current_password, hash).await? {
            c.error("current_password", "is not your current password");
        }
    }
    c.finish()?;
    let hashed = if new_password {
        Some(hash(app, change.password).await?)
    } else {
        None
    };
    let mut tx = app.pool.begin().await?;
    users::set_time_zone(&mut *tx, who.user_id, tz.name()).await?;
    let Some(hashed) = hashed else {
        super::commit(tx).await?;
        return Ok(AccountChanged::Settings);
    };
    users::set_password(&mut *tx, who.user_id, &hashed).await?;
    sessions::delete_others_for_user(&mut *tx, who.user_id, session).await?;
    let tokens_revoked = if change.revoke_tokens {
        users::delete_tokens(&mut *tx, who.user_id).await?
    } else {
        0
    };
    super::commit(tx).await?;
    Ok(AccountChanged::Password { tokens_revoked })
}
