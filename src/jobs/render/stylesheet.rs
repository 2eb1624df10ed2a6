//! The feed stylesheet, published once beside the feeds (`_static/feed.xsl`), fenced like a
//! feed: only the installation that owns the bucket writes it, and only when its bytes change.

use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::db::publications::{self, Publication};
use crate::domain::ObjectKind;
use crate::feed::render::{STYLESHEET, STYLESHEET_CONTENT_TYPE, STYLESHEET_KEY};
use crate::jobs::JobContext;
use crate::publish::{
    fence::{write_fenced, FenceOutcome},
    PutRequest,
};

/// Stylesheets carry no show revision; a fixed one lets any of our writes replace another.
const REVISION: i64 = 1;

/// Makes sure the stored stylesheet is this build's, once per process (a failure is tried again
/// at the next render). A stylesheet that another installation owns is left alone (logged):
/// the feeds still publish.
pub(super) async fn ensure(ctx: &JobContext) -> anyhow::Result<()> {
    ctx.stylesheet.get_or_try_init(|| check(ctx)).await?;
    Ok(())
}

async fn check(ctx: &JobContext) -> anyhow::Result<()> {
    let body = STYLESHEET.as_bytes();
    let sha256 = hex::encode(Sha256::digest(body));
    let last = publications::find(&ctx.pool, STYLESHEET_KEY).await?;
    if last.as_ref().is_some_and(|p| p.sha256 == sha256) {
        return Ok(());
    }
    let request = PutRequest {
        content_type: STYLESHEET_CONTENT_TYPE.into(),
        cache_control: ctx.cache_control.clone(),
        revision: REVISION,
        installation: ctx.installation_id.to_string(),
        redirect_location: None,
        last_modified: Utc::now(),
    };
    let last_etag = last.as_ref().map(|p| p.etag.as_str());
    let stored = match write_fenced(&ctx.target, STYLESHEET_KEY, body, request, last_etag).await? {
        FenceOutcome::Written(stored) => stored,
        FenceOutcome::Superseded { .. } => return Ok(()),
        FenceOutcome::Foreign { installation } => {
            ctx.metrics
                .conflicts
                .with_label_values(&[ObjectKind::Static.as_str()])
                .inc();
            tracing::error!(
                key = STYLESHEET_KEY,
                owner = installation
                    .as_deref()
                    .unwrap_or("something other than podpub"),
                conflict = true,
                "the feed stylesheet belongs to another installation; leaving it alone"
            );
            return Ok(());
        }
    };
    let publication = Publication {
        key: STYLESHEET_KEY.to_string(),
        show_id: None,
        kind: ObjectKind::Static,
        revision: REVISION,
        sha256,
        etag: stored.etag,
        bytes: body.len() as i64,
        episode_count: 0,
        redirect_location: None,
        published_at: Utc::now(),
    };
    publications::record(&ctx.pool, &publication).await?;
    tracing::info!(key = STYLESHEET_KEY, "feed stylesheet published");
    Ok(())
}
