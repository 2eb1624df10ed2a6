//! Signing in to the web UI: the first run's setup, sign-in with throttling of password
//! guessing, sessions, and signing out.

use chrono::{Duration, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::passwords::{check_password, hash, verify};
use super::{App, Error, Result};
use crate::db::{sessions, ui_settings, users};
use crate::domain::Checker;

pub use crate::db::sessions::{random_secret, SessionUser};

/// Failed sign-ins are counted over this many minutes.
pub const FAILURE_WINDOW_MINUTES: i32 = 15;
/// One client address may fail this many times the per-email limit (many users behind one NAT).
const CLIENT_FACTOR: i64 = 5;
/// How long a busy refusal keeps trying to forget its unjudged attempt.
const FORGET_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// A new session: the secret for the cookie, and how long it lives.
#[derive(Debug, Clone)]
pub struct Started {
    pub secret: String,
    pub max_age_secs: i64,
}

/// A time zone such as `Europe/Berlin`; a field error on `time_zone` otherwise.
pub fn time_zone(c: &mut Checker, raw: &str) -> Tz {
    match raw.trim().parse::<Tz>() {
        Ok(tz) => tz,
        Err(_) => {
            c.error("time_zone", "must be a time zone such as Europe/Berlin");
            Tz::UTC
        }
    }
}

/// Whether the instance has no user yet: the first run's setup page is open only then.
pub async fn needs_setup(app: &App) -> Result<bool> {
    Ok(users::count(&app.pool).await? == 0)
}

/// The first run: the first user, an admin, signed in at once.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    pub email: String,
    pub password: String,
    pub password_again: String,
    pub time_zone: String,
}

/// Creates the first admin and starts their session. Not found once any user exists.
pub async fn setup(app: &App, input: Setup) -> Result<Started> {
    let mut c = Checker::default();
    let email = c.email("email", &input.email);
    check_password(&mut c, &input.password, Some(&input.password_again));
    let tz = time_zone(&mut c, &input.time_zone);
    let email = c.finish_with(email)?;
    let password_hash = hash(app, input.password).await?;
    let mut tx = app.pool.begin().await?;
    // Two setups at once: the second finds a user and stops.
    users::lock_setup(&mut tx).await?;
    if users::count(&mut *tx).await? > 0 {
        return Err(Error::NotFound);
    }
    let user = users::create(&mut *tx, email.as_str(), Some(&password_hash), true).await?;
    users::set_time_zone(&mut *tx, user.id, tz.name()).await?;
    let started = start(&mut tx, user.id).await?;
    super::commit(tx).await?;
    Ok(started)
}

/// Why a sign-in failed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("Too many failed sign-ins. Wait {FAILURE_WINDOW_MINUTES} minutes and try again.")]
    Throttled,
    #[error("The email or the password is wrong.")]
    Wrong,
    #[error(transparent)]
    App(#[from] Error),
}

impl From<sqlx::Error> for SignInError {
    fn from(err: sqlx::Error) -> SignInError {
        SignInError::App(Error::Database(err))
    }
}

/// Signs in with an email and a password, from `client` (an address, for throttling).
///
/// Each attempt is recorded as a failure before its password is checked, in the same turn as
/// the count that admits it: parallel guesses cannot all pass the check before any is counted.
/// A right password then forgets the email's failures.
pub async fn sign_in(
    app: &App,
    email: &str,
    password: String,
    client: &str,
) -> Result<Started, SignInError> {
    let email = email.trim();
    let attempt = admit(app, email, client).await?;
    let login = match check(app, email, password).await {
        Ok(Some(login)) => login,
        Ok(None) => return Err(SignInError::Wrong),
        Err(err) => {
            // Too busy to check it, or the database out of reach: the attempt was not judged.
            forget(app, attempt).await;
            return Err(err.into());
        }
    };
    sessions::clear_failures(&app.pool, email).await?;
    let mut tx = app.pool.begin().await?;
    let started = start(&mut tx, login.id).await.map_err(SignInError::App)?;
    super::commit(tx).await?;
    Ok(started)
}

/// Deletes an attempt that was not judged, so that it never counts as a failure. The pool is
/// as busy as the hashing then, and its wait (PODPUB_ACQUIRE_TIMEOUT_MS) can be short: a wait
/// that times out is tried again, for up to FORGET_WITHIN.
async fn forget(app: &App, attempt: i64) {
    let tries = async {
        loop {
            match sessions::forget_attempt(&app.pool, attempt).await {
                Err(sqlx::Error::PoolTimedOut) => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                done => return done,
            }
        }
    };
    let outcome = match tokio::time::timeout(FORGET_WITHIN, tries).await {
        Ok(done) => done,
        Err(_) => Err(sqlx::Error::PoolTimedOut),
    };
    if let Err(error) = outcome {
        tracing::warn!(%error, "forgetting an unjudged sign-in attempt");
    }
}

/// The user whose password this is, if any.
async fn check(app: &App, email: &str, password: String) -> Result<Option<users::Login>> {
    let login = users::find_login(&app.pool, email).await?;
    let hash = login.as_ref().and_then(|l| l.password_hash.clone());
    let ok = verify(app, password, hash).await?;
    Ok(login.filter(|_| ok))
}

/// Counts the recent failures of `email` and of `client` and, under the limits, records this
/// attempt; returns its id. One attempt at a time per email and per client.
async fn admit(app: &App, email: &str, client: &str) -> Result<i64, SignInError> {
    let limit = i64::from(ui_settings::get(&app.pool).await?.login_max_failures);
    let mut tx = app.pool.begin().await?;
    sessions::lock_attempts(&mut tx, email, client).await?;
    let (by_email, by_client) =
        sessions::recent_failures(&mut *tx, email, client, FAILURE_WINDOW_MINUTES).await?;
    if by_email >= limit || by_client >= limit * CLIENT_FACTOR {
        return Err(SignInError::Throttled);
    }
    let attempt = sessions::record_attempt(&mut *tx, email, client).await?;
    super::commit(tx).await?;
    Ok(attempt)
}

/// Starts a session for `user_id`.
async fn start(tx: &mut sqlx::PgConnection, user_id: Uuid) -> Result<Started> {
    let days = ui_settings::get(&mut *tx).await?.session_days;
    let expires = Utc::now() + Duration::days(days.into());
    let secret = sessions::create(&mut *tx, user_id, expires).await?;
    Ok(Started {
        secret,
        max_age_secs: i64::from(days) * 86_400,
    })
}

/// The user of a live session.
pub async fn find(app: &App, secret: &str) -> Result<Option<SessionUser>> {
    Ok(sessions::find(&app.pool, secret).await?)
}

/// Ends a session.
pub async fn sign_out(app: &App, secret: &str) -> Result<()> {
    Ok(sessions::delete(&app.pool, secret).await?)
}
