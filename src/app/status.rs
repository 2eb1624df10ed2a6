//! How the installation is doing, for `/metrics` and `podpub status`.

use std::time::Instant;

use sqlx::PgPool;

use super::{App, Result};
use crate::db;
use crate::domain::QueueDepth;
use crate::jobs::queue::{self, JobStatus};
use crate::metrics::Gauges;

/// The pool and queue gauges of a scrape, read now. The queue is left out when the database
/// cannot be asked.
pub async fn gauges(pool: &PgPool) -> Gauges {
    let size = i64::from(pool.size());
    let idle = i64::try_from(pool.num_idle()).unwrap_or(i64::MAX);
    let started = Instant::now();
    let conn = pool.acquire().await;
    let pool_wait = started.elapsed();
    let depth = match conn {
        Ok(mut conn) => queue::depth(&mut *conn).await,
        Err(err) => Err(err),
    };
    let queue = depth
        .map_err(|err| tracing::warn!(error = %err, "reading the queue depth for /metrics"))
        .ok();
    Gauges {
        pool_in_use: size - idle,
        pool_idle: idle,
        pool_max: i64::from(pool.options().get_max_connections()),
        pool_wait,
        queue,
    }
}

/// Whether the database answers.
pub async fn ping(pool: &PgPool) -> Result<()> {
    Ok(db::ping(pool).await?)
}

/// What needs an operator's attention.
#[derive(Debug)]
pub struct StatusReport {
    pub depth: QueueDepth,
    /// The newest dead jobs, with their last errors.
    pub dead: Vec<JobStatus>,
    /// Shows whose last publish failed or met a conflict, conflicts first.
    pub troubled: Vec<db::shows::Troubled>,
}

impl StatusReport {
    pub fn conflicts(&self) -> usize {
        self.troubled.iter().filter(|s| s.publish_conflict).count()
    }

    /// A dead job or a conflict waits for a person.
    pub fn needs_attention(&self) -> bool {
        self.depth.dead > 0 || self.conflicts() > 0
    }
}

pub async fn report(app: &App) -> Result<StatusReport> {
    Ok(StatusReport {
        depth: queue::depth(&app.pool).await?,
        dead: queue::dead(&app.pool, 5).await?,
        troubled: db::shows::troubled(&app.pool).await?,
    })
}
