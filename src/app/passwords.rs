//! Passwords: argon2id hashes, and the bound on how many are computed at once. Each argon2id
//! computation holds 19 MiB, so a burst of sign-ins would otherwise cost memory without limit.

use std::sync::Arc;

use argon2::{password_hash::SaltString, Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use super::{App, Error, Result};
use crate::config::Settings;
use crate::domain::Checker;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest password accepted, in bytes: argon2 time grows with it.
pub const MAX_PASSWORD_BYTES: usize = crate::domain::limits::PASSWORD;

/// The turns at hashing of this process: PODPUB_PASSWORD_HASH_CONCURRENCY, or one per core.
pub(super) fn turns(settings: &Settings) -> Arc<Semaphore> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Arc::new(Semaphore::new(
        settings.password_hash_concurrency.unwrap_or(cores),
    ))
}

/// Runs `work` on a blocking thread once a turn is free. A caller that waits longer than
/// PODPUB_ACQUIRE_TIMEOUT_MS gets [`Error::Unavailable`] (503 with `Retry-After`).
async fn on_turn<T: Send + 'static>(
    app: &App,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let wait = app.settings.acquire_timeout;
    let permit = tokio::time::timeout(wait, app.hashing.clone().acquire_owned())
        .await
        .map_err(|_| Error::Unavailable)?
        .map_err(|_| Error::Unavailable)?;
    // The permit goes with the work: a caller that gives up does not free its turn early.
    tokio::task::spawn_blocking(move || {
        let out = work();
        drop(permit);
        out
    })
    .await
    .map_err(|e| Error::Internal(e.into()))
}

/// Hashes a password with argon2id and a random salt. Slow on purpose: call it through
/// [`hash`], which bounds how many run at once.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| anyhow::anyhow!("making a salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    Ok(hash.to_string())
}

/// [`hash_password`] on a blocking thread, on its turn.
pub async fn hash(app: &App, password: String) -> Result<String> {
    on_turn(app, move || hash_password(&password))
        .await?
        .map_err(Error::Internal)
}

/// Whether `password` matches `hash`, on a blocking thread, on its turn. Without a hash (an
/// unknown user, or one without a password) a dummy hash is checked, so that takes as long as
/// a wrong password.
pub async fn verify(app: &App, password: String, hash: Option<String>) -> Result<bool> {
    on_turn(app, move || {
        let target = hash.as_deref().unwrap_or(dummy_hash());
        let ok = PasswordHash::new(target).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        });
        ok && hash.is_some()
    })
    .await
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
