//! Refreshes: of one show by any of its members, and of many or all shows as one batch by an
//! admin or the operator, whose progress can be watched.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{admin_only, shows, App, Error, Result};
use crate::db::{self, refresh_batches};
use crate::domain::{Slug, Viewer};
use crate::jobs::queue;

/// Queues a render of a show `who` may see; returns the job.
pub async fn show(app: &App, who: Viewer, slug: &str) -> Result<Uuid> {
    let show = shows::get(app, who, slug).await?;
    Ok(queue::enqueue_render(&app.pool, show.id, None, app.max_attempts()).await?)
}

/// `"all"`, or a list of slugs.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ShowSelection {
    // Any other string is refused as a field error, not as a body that does not parse.
    #[schema(value_type = All)]
    All(String),
    Slugs(Vec<String>),
}

/// Every show.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum All {
    All,
}

impl ShowSelection {
    /// Every show.
    pub fn all() -> ShowSelection {
        ShowSelection::All("all".into())
    }
}

/// Who starts a batch: an admin, or the operator at the command line.
#[derive(Debug, Clone, Copy)]
pub enum By {
    User(Viewer),
    Operator,
}

/// Queues a render of each selected show as one batch; returns the batch. `force` renders
/// and uploads every object again, unchanged or not.
pub async fn start(app: &App, by: By, selection: ShowSelection, force: bool) -> Result<Uuid> {
    let created_by = match by {
        By::User(who) => {
            admin_only(who)?;
            Some(who.user_id)
        }
        By::Operator => None,
    };
    let mut attempt = 1;
    loop {
        match enqueue_batch(app, created_by, &selection, force).await {
            Err(Error::Database(err)) if queue::is_deadlock(&err) && attempt < 3 => {
                tracing::warn!(attempt, "refresh batch met a deadlock; trying again");
                attempt += 1;
            }
            done => return done,
        }
    }
}

/// One try of [`start`]: a bulk enqueue, holding `queue::lock_bulk_enqueue`.
async fn enqueue_batch(
    app: &App,
    created_by: Option<Uuid>,
    selection: &ShowSelection,
    force: bool,
) -> Result<Uuid> {
    let mut tx = app.pool.begin().await?;
    let show_ids = match selection {
        ShowSelection::All(all) if all == "all" => db::shows::all_ids(&mut *tx).await?,
        ShowSelection::All(_) => {
            return Err(Error::field("shows", "must be \"all\" or a list of slugs"))
        }
        ShowSelection::Slugs(slugs) => {
            // A string that is no slug names no show (and Postgres text cannot hold NUL).
            if slugs.iter().any(|s| Slug::parse(s).is_err()) {
                return Err(unknown_show());
            }
            let mut slugs = slugs.clone();
            slugs.sort();
            slugs.dedup();
            let ids = db::shows::ids_by_slugs(&mut *tx, &slugs).await?;
            if ids.len() != slugs.len() {
                return Err(unknown_show());
            }
            ids
        }
    };
    queue::lock_bulk_enqueue(&mut tx).await?;
    if force {
        db::shows::forget_rendered_inputs(&mut *tx, &show_ids).await?;
        db::publications::forget_hashes(&mut *tx, &show_ids).await?;
    }
    let batch_id = refresh_batches::create(&mut *tx, created_by).await?;
    for show_id in show_ids {
        let job_id = queue::enqueue_render(&mut *tx, show_id, None, app.max_attempts()).await?;
        refresh_batches::add_job(&mut *tx, batch_id, job_id).await?;
    }
    super::commit(tx).await?;
    Ok(batch_id)
}

fn unknown_show() -> Error {
    Error::field("shows", "names a show that does not exist")
}

/// Progress of a batch: a job retrying after a failure counts as failed until it succeeds.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchProgress {
    pub total: i64,
    pub done: i64,
    pub failed: i64,
    pub finished: bool,
}

impl BatchProgress {
    /// How much of the batch has finished, 0 to 100.
    pub fn percent(&self) -> i64 {
        match self.total {
            0 => 100,
            total => (self.done + self.failed) * 100 / total,
        }
    }
}

/// How a batch is going.
pub async fn progress(app: &App, by: By, batch_id: Uuid) -> Result<BatchProgress> {
    if let By::User(who) = by {
        admin_only(who)?;
    }
    let counts = refresh_batches::counts(&app.pool, batch_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(BatchProgress {
        total: counts.total,
        done: counts.done,
        failed: counts.failed,
        finished: counts.done + counts.failed >= counts.total,
    })
}
