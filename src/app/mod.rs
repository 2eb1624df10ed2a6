//! The workflows: every use case of podpub, written once. The JSON API, the web UI, the
//! command line and the importer are adapters over these functions: they take typed inputs
//! (`domain::ShowInput`, ...) and return domain values or one [`Error`].
//!
//! Each write is one transaction that also queues the renders it needs, and waits its turn at
//! the show ([`gate`]) first.

pub mod deadline;
mod error;
mod gate;

mod analytics;
pub mod csrf;
pub mod episodes;
pub mod feed_history;
pub mod feed_state;
pub mod history;
pub mod import;
pub mod jobs;
pub mod listing;
pub mod live;
pub mod media;
pub mod members;
pub mod moves;
pub mod notes;
pub mod password_resets;
pub mod passwords;
pub mod preview;
pub mod refresh;
pub mod sessions;
pub mod settings;
pub mod shows;
pub mod status;
pub mod tokens;
pub mod trash;
pub mod users;

use std::sync::Arc;

use sqlx::PgPool;

pub use self::deadline::commit;
pub use self::error::{is_unavailable, on_constraint, show_deleted, slug_taken, Error, Result};
use self::gate::{ShowGate, Turn};
use crate::config::Settings;
use crate::domain::{feed_url, Viewer};
use crate::feed::input::Publishing;

/// What every use case needs: the pool, the settings, this process's queue of writers and its
/// turns at password hashing.
#[derive(Debug, Clone)]
pub struct App {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    gate: Arc<ShowGate>,
    /// Turns at password hashing ([`passwords`]).
    hashing: Arc<tokio::sync::Semaphore>,
    /// The object store uploads go to, built on first use ([`media`]).
    store: Arc<tokio::sync::OnceCell<crate::publish::Target>>,
}

impl App {
    pub fn new(pool: PgPool, settings: Arc<Settings>) -> App {
        App {
            hashing: passwords::turns(&settings),
            pool,
            settings,
            gate: Arc::default(),
            store: Arc::default(),
        }
    }

    /// This process's turn to write the show at `slug`: held across the transaction, so that
    /// writers of one show queue here rather than each holding a pooled connection.
    async fn turn(&self, slug: &str) -> Result<Turn<'_>> {
        self.gate.enter(slug, self.settings.acquire_timeout).await
    }

    /// The public URL of the feed of the show at `slug`.
    pub fn feed_url(&self, slug: &str) -> String {
        feed_url(&self.settings.feed_base_url, slug)
    }

    /// What the publishing settings add to every feed.
    pub fn publishing(&self) -> Publishing {
        crate::jobs::publishing(&self.settings)
    }

    fn max_attempts(&self) -> i32 {
        self.settings.max_attempts
    }
}

/// What only admins may do: anyone else is refused.
fn admin_only(who: Viewer) -> Result<()> {
    if who.is_admin {
        Ok(())
    } else {
        Err(Error::Forbidden("this endpoint is for admins"))
    }
}
