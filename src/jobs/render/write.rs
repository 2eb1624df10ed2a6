//! Fenced writes of a show's objects, each recorded as a publication.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::feed_versions::{self, NewVersion};
use crate::db::publications::{self, Publication};
use crate::domain::ObjectKind;
use crate::jobs::JobContext;
use crate::publish::{
    fence::{write_fenced, FenceOutcome},
    PutRequest,
};

/// Writes one feed document and records it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn put(
    ctx: &JobContext,
    key: &str,
    kind: ObjectKind,
    body: &[u8],
    show_id: Uuid,
    revision: i64,
    as_of: DateTime<Utc>,
    items: usize,
    previous: Option<&Publication>,
) -> anyhow::Result<Written> {
    let request = PutRequest {
        content_type: ctx.feed_content_type.clone(),
        cache_control: ctx.cache_control.clone(),
        revision,
        installation: ctx.installation_id.to_string(),
        redirect_location: None,
        last_modified: as_of,
    };
    let last_etag = previous.map(|p| p.etag.as_str());
    let stored = match write_fenced(&ctx.target, key, body, request, last_etag).await? {
        FenceOutcome::Written(stored) => stored,
        FenceOutcome::Superseded { revision } => {
            tracing::info!(key, revision, "a newer revision is already published");
            return Ok(Written::Superseded);
        }
        FenceOutcome::Foreign { installation } => {
            let owner = installation.unwrap_or_else(|| "something other than podpub".into());
            return Ok(Written::Conflict(format!(
                "{key} in the bucket belongs to installation {owner}, not to this one ({}); \
                 refusing to overwrite it",
                ctx.installation_id
            )));
        }
    };
    let publication = Publication {
        key: key.to_string(),
        show_id: Some(show_id),
        kind,
        revision,
        sha256: hex::encode(Sha256::digest(body)),
        etag: stored.etag,
        bytes: body.len() as i64,
        episode_count: items as i32,
        redirect_location: None,
        published_at: Utc::now(),
    };
    // The version is kept where the publication is recorded: one exists exactly when a
    // publish did.
    let mut tx = ctx.pool.begin().await?;
    publications::record(&mut *tx, &publication)
        .await
        .context("recording the publication")?;
    let version = NewVersion {
        show_id,
        key,
        kind,
        revision,
        published_at: publication.published_at,
        sha256: &publication.sha256,
        body,
    };
    feed_versions::record(&mut *tx, &version)
        .await
        .context("keeping the feed version")?;
    tx.commit().await?;
    Ok(Written::Stored(publication))
}

/// What a write did.
pub(super) enum Written {
    Stored(Publication),
    Superseded,
    Conflict(String),
}

/// Makes `key` a redirect stub to `location`, unless it already is one.
#[allow(clippy::too_many_arguments)]
pub(super) async fn put_stub(
    ctx: &JobContext,
    key: &str,
    location: &str,
    show_id: Uuid,
    revision: i64,
    as_of: DateTime<Utc>,
    previous: Option<&Publication>,
) -> anyhow::Result<Option<Written>> {
    if previous.is_some_and(|p| {
        p.kind == ObjectKind::Redirect
            && p.redirect_location.as_deref() == Some(location)
            && !p.sha256.is_empty()
    }) {
        return Ok(None);
    }
    let request = PutRequest {
        content_type: ctx.feed_content_type.clone(),
        cache_control: ctx.cache_control.clone(),
        revision,
        installation: ctx.installation_id.to_string(),
        redirect_location: Some(location.to_string()),
        last_modified: as_of,
    };
    let last_etag = previous.map(|p| p.etag.as_str());
    let stored = match write_fenced(&ctx.target, key, b"", request, last_etag).await? {
        FenceOutcome::Written(stored) => stored,
        FenceOutcome::Superseded { revision } => {
            tracing::info!(key, revision, "a newer revision is already published");
            return Ok(Some(Written::Superseded));
        }
        FenceOutcome::Foreign { installation } => {
            let owner = installation.unwrap_or_else(|| "something other than podpub".into());
            return Ok(Some(Written::Conflict(format!(
                "{key} in the bucket belongs to installation {owner}, not to this one ({}); \
                 refusing to replace it with a redirect",
                ctx.installation_id
            ))));
        }
    };
    let publication = Publication {
        key: key.to_string(),
        show_id: Some(show_id),
        kind: ObjectKind::Redirect,
        revision,
        sha256: hex::encode(Sha256::digest(b"")),
        etag: stored.etag,
        bytes: 0,
        episode_count: 0,
        redirect_location: Some(location.to_string()),
        published_at: Utc::now(),
    };
    publications::record(&ctx.pool, &publication).await?;
    tracing::info!(key, location, "redirect stub published");
    Ok(Some(Written::Stored(publication)))
}
