//! SQL, one module per table; compile-checked queries.

pub mod api_tokens;
pub mod cdn_invalidations;
pub mod episode_list;
pub mod episodes;
pub mod feed_versions;
pub mod history;
pub mod instance;
pub mod job_admin;
pub mod media;
pub mod media_copy;
pub mod media_sweep;
pub mod members;
pub mod password_resets;
pub mod publications;
pub mod redirects;
pub mod refresh_batches;
pub mod sessions;
pub mod shows;
pub mod trash;
pub mod ui_settings;
pub mod users;

use std::time::Duration;

use secrecy::ExposeSecret;
use sqlx::{postgres::PgPoolOptions, PgPool};

use crate::config::Settings;

/// Migrations, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The process's one bounded pool. Connections are made lazily, so start-up never waits on
/// a database that is restarting.
pub fn pool(settings: &Settings) -> anyhow::Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(settings.pool_size)
        .min_connections(0)
        .acquire_timeout(settings.acquire_timeout)
        .idle_timeout(Some(Duration::from_secs(300)))
        .connect_lazy(settings.database_url.expose_secret())?;
    Ok(pool)
}

/// Whether `err` means the database is out of reach for now (no free connection, a restart, a
/// lost connection), which is worth a retry: 503, not 500.
pub fn is_unavailable(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Tls(_) | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE class 08 (connection exception), and 57P01-57P03: the server is shutting
        // down, crashed or is not accepting connections yet.
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

/// Whether the database answers.
pub async fn ping(db: impl sqlx::PgExecutor<'_>) -> sqlx::Result<()> {
    sqlx::query("select 1").execute(db).await?;
    Ok(())
}

/// An `ilike` pattern matching text that contains `query` as typed: its backslashes, `%` and `_`
/// match themselves.
pub(crate) fn contains_pattern(query: &str) -> String {
    let escaped = query
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
