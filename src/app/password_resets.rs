//! Password-reset links: an admin makes a one-time link for a user, who opens it and sets a new
//! password. The link is random (256 bits), stored hashed, works once, and expires after
//! PODPUB_PASSWORD_RESET_EXPIRY_SECS; a new link for the same user replaces the old one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::passwords::{check_password, hash};
use super::{admin_only, App, Error, Result};
use crate::db::{password_resets, sessions::random_secret};
use crate::domain::{Checker, Viewer};

pub use crate::db::password_resets::ResetFor;

/// A new link's secret (shown to the admin once) and when it stops working.
#[derive(Debug, Clone)]
pub struct NewLink {
    pub secret: String,
    pub expires_at: DateTime<Utc>,
}

/// Makes a reset link for the enabled user `user_id`, replacing any older one. Admins only.
pub async fn create(app: &App, who: Viewer, user_id: Uuid) -> Result<NewLink> {
    admin_only(who)?;
    let secret = random_secret();
    let expiry = chrono::Duration::from_std(app.settings.password_reset_expiry)
        .map_err(|e| Error::Internal(e.into()))?;
    let expires_at = Utc::now() + expiry;
    if !password_resets::replace(&app.pool, user_id, who.user_id, &secret, expires_at).await? {
        return Err(Error::NotFound);
    }
    Ok(NewLink { secret, expires_at })
}

/// Whom a live link is for; not found once it is used, replaced or expired.
pub async fn find(app: &App, secret: &str) -> Result<ResetFor> {
    password_resets::find(&app.pool, secret)
        .await?
        .ok_or(Error::NotFound)
}

/// The reset form: the new password, twice.
#[derive(Debug, Clone, Default)]
pub struct NewPassword {
    pub password: String,
    pub password_again: String,
}

/// Sets the password through a live link, which then stops working. Like the operator's reset,
/// it ends every session of the user and clears their sign-in lockout; their API tokens stay.
/// A refused password leaves the link as it was.
pub async fn use_link(app: &App, secret: &str, input: NewPassword) -> Result<ResetFor> {
    // A dead link costs no password hash.
    find(app, secret).await?;
    let mut c = Checker::default();
    check_password(&mut c, &input.password, Some(&input.password_again));
    c.finish()?;
    let hashed = hash(app, input.password).await?;
    let mut tx = app.pool.begin().await?;
    // Taken in the transaction: of two uses at once, one finds the link gone.
    let reset = password_resets::take(&mut *tx, secret)
        .await?
        .ok_or(Error::NotFound)?;
    super::users::replace_password(&mut tx, &reset.email, reset.user_id, &hashed, false).await?;
    super::commit(tx).await?;
    Ok(reset)
}
