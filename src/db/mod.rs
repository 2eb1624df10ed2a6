//! SQL, one module per table; compile-checked queries.

pub mod episodes;
pub mod job_admin;
pub mod members;
pub mod publications;
pub mod redirects;
pub mod sessions;
pub mod shows;
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
