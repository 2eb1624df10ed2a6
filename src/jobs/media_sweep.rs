//! The media sweep, run with housekeeping: uploads whose URLs expired before they were
//! completed are removed, refused ones forgotten after a day, and files that nothing uses any
//! more (no episode, live or in the trash, and not the show) are deleted once they have been
//! unused for PODPUB_MEDIA_SWEEP_AFTER_DAYS. Objects never change, so an episode whose audio
//! was replaced keeps the old file until then: a CDN or an app holding the old URL still gets
//! it.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::db;
use crate::publish::Target;

/// The most uploads one sweep handles of each kind; the next sweep goes on.
const BATCH: i64 = 500;

/// What one media sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MediaSwept {
    /// Uploads that expired before they were completed.
    pub expired: u64,
    /// Refused uploads forgotten.
    pub forgotten: u64,
    /// Files nobody used for the whole grace period, deleted.
    pub deleted: u64,
}

/// One pass, as of `now`.
pub async fn sweep_media(
    pool: &PgPool,
    target: &Target,
    sweep_after: Duration,
    now: DateTime<Utc>,
) -> anyhow::Result<MediaSwept> {
    let mut swept = MediaSwept::default();
    for media in db::media_sweep::expired_uploads(pool, now, BATCH).await? {
        let why = "the upload's URLs expired before it was completed";
        super::probe::refuse(pool, target, &media, "upload_expired", why).await?;
        swept.expired += 1;
    }
    swept.forgotten =
        db::media_sweep::forget_refused(pool, now - chrono::Duration::days(1)).await?;
    db::media_sweep::mark_usage(pool, now).await?;
    let before = now - chrono::Duration::from_std(sweep_after)?;
    for (id, key) in db::media_sweep::unused_since_before(pool, before, BATCH).await? {
        target.delete(&key).await?;
        db::media::delete(pool, id).await?;
        swept.deleted += 1;
    }
    Ok(swept)
}
