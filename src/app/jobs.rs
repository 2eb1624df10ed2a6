//! Jobs as people see them: one job's status, and the failed and dead jobs admins retry.

use uuid::Uuid;

use super::{admin_only, App, Error, Result};
use crate::db::{self, job_admin};
use crate::domain::Viewer;
use crate::jobs::queue;
pub use crate::jobs::queue::JobStatus;

pub use crate::db::job_admin::TroubledJob;

/// A job `who` may see: admins see every job, others those of their shows.
pub async fn get(app: &App, who: Viewer, id: Uuid) -> Result<JobStatus> {
    let job = queue::status(&app.pool, id).await?.ok_or(Error::NotFound)?;
    if who.is_admin {
        return Ok(job);
    }
    let show = match job.show_id {
        Some(show_id) => db::shows::find_by_id(&app.pool, show_id).await?,
        None => None,
    };
    let show = show.ok_or(Error::NotFound)?;
    super::shows::get(app, who, &show.fields.slug).await?;
    Ok(job)
}

/// Failed (awaiting a retry) and dead jobs, most recent first (admins only).
pub async fn troubled(app: &App, who: Viewer, limit: i64) -> Result<Vec<TroubledJob>> {
    admin_only(who)?;
    Ok(job_admin::troubled(&app.pool, limit).await?)
}

/// Makes a failed or dead job due now, with one more attempt (admins only).
pub async fn retry(app: &App, who: Viewer, id: Uuid) -> Result<()> {
    admin_only(who)?;
    if job_admin::retry(&app.pool, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}
