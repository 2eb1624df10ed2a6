//! The render job: render a show's feed, and publish it if the bytes changed.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub mod snapshot;
mod stylesheet;
mod write;

use self::snapshot::Snapshot;
use self::write::{put, put_stub, Written};
use super::{invalidate, queue, JobContext};
use crate::db::{publications, shows};
use crate::domain::{
    feed_key, feed_url, next_live_change, next_release_among, ObjectKind, Show, ShowStatus,
};
use crate::feed::{
    input::FeedInput,
    render::{archive_pages, page_key, render_page_into, Page},
};

/// What a render did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderOutcome {
    /// New bytes were written.
    Published { revision: i64, bytes: usize },
    /// The store already held these bytes: nothing was written.
    Unchanged { revision: i64 },
    /// The show no longer exists.
    Gone,
    /// Another installation owns the feed object: refused, and the show marked `conflict`.
    Conflict,
}

/// Renders `show_id` as of `as_of` and publishes the feed if it changed, then makes sure a
/// render is queued for the show's next scheduled release. A failure is recorded on the show.
#[tracing::instrument(skip_all, fields(show = %show_id), err)]
pub async fn render_show(
    ctx: &JobContext,
    show_id: Uuid,
    as_of: DateTime<Utc>,
) -> anyhow::Result<RenderOutcome> {
    let mut changed = Vec::new();
    let result = publish_show(ctx, show_id, as_of, &mut changed).await;
    // A render that stopped early (an error, a conflict) may have written some objects already:
    // they are invalidated all the same, since a retry finds them unchanged.
    if let Err(err) = queue_invalidation(ctx, &changed).await {
        tracing::warn!(error = %err, "queueing the CDN invalidation failed");
    }
    if let Err(err) = &result {
        let message = format!("{err:#}");
        if let Err(db) = shows::record_publish_error(&ctx.pool, show_id, &message).await {
            tracing::warn!(error = %db, "recording the publish error failed");
        }
    }
    result
}

/// Keys it wrote or removed go to `changed`; it queues their invalidation when it finishes.
async fn publish_show(
    ctx: &JobContext,
    show_id: Uuid,
    as_of: DateTime<Utc>,
    changed: &mut Vec<String>,
) -> anyhow::Result<RenderOutcome> {
    // Most refreshes find nothing changed: the show row alone can tell.
    match shows::find_by_id(&ctx.pool, show_id).await? {
        None => return Ok(RenderOutcome::Gone),
        Some(show) if is_current(ctx, &show, as_of) => {
            return Ok(RenderOutcome::Unchanged {
                revision: show.revision,
            })
        }
        Some(_) => {}
    }
    let Some(Snapshot {
        show,
        episodes: all,
        previous,
        old_slugs,
    }) = snapshot::load(&ctx.pool, show_id).await?
    else {
        return Ok(RenderOutcome::Gone);
    };
    let FeedInput {
        show: feed_show,
        plan,
    } = FeedInput::of(&show, &ctx.publishing, as_of);
    let live = next_live_change(&show.fields.extras.live_items, as_of);
    let next_change = [next_release_among(&all, as_of), plan.next_change, live]
        .into_iter()
        .flatten()
        .min();

    let slug = &show.fields.slug;
    let last = |key: &str| previous.iter().find(|p| p.key == key);
    let mut outcome = RenderOutcome::Unchanged {
        revision: show.revision,
    };
    let mut written = Vec::new();
    let mut pages = 0;
    if plan.redirected {
        // A move out whose time has come: the feed's key sends its subscribers on.
        let key = page_key(slug, Page::Main);
        let stub = put_stub(
            ctx,
            &key,
            &plan.destination,
            show_id,
            show.revision,
            as_of,
            last(&key),
        );
        if let Some(w) = stub.await? {
            if matches!(w, Written::Stored(_)) {
                outcome = RenderOutcome::Published {
                    revision: show.revision,
                    bytes: 0,
                };
            }
            written.push((key, ObjectKind::Redirect, w));
        }
    } else {
        // Not invalidated: it changes only with an upgrade, and its Cache-Control bounds that.
        stylesheet::ensure(ctx).await?;
        pages = archive_pages(&feed_show, &all, as_of);
        let mut body = Vec::new();
        for page in std::iter::once(Page::Main).chain((1..=pages).map(Page::Archive)) {
            let items = render_page_into(&feed_show, &all, as_of, page, &mut body);
            let key = page_key(slug, page);
            let sha256 = hex::encode(Sha256::digest(&body));
            if last(&key).is_some_and(|p| p.sha256 == sha256) {
                continue;
            }
            let kind = match page {
                Page::Main => ObjectKind::Feed,
                Page::Archive(_) => ObjectKind::Archive,
            };
            let w = put(
                ctx,
                &key,
                kind,
                &body,
                show_id,
                show.revision,
                as_of,
                items,
                last(&key),
            );
            let w = w.await?;
            if let (Page::Main, Written::Stored(p)) = (page, &w) {
                outcome = RenderOutcome::Published {
                    revision: show.revision,
                    bytes: p.bytes as usize,
                };
            }
            let conflict = matches!(w, Written::Conflict(_));
            written.push((key, kind, w));
            if conflict {
                break;
            }
        }
    }
    // Every old slug of a renamed show sends its subscribers to where the show is now.
    for old in &old_slugs {
        if written
            .iter()
            .any(|(_, _, w)| matches!(w, Written::Conflict(_)))
        {
            break;
        }
        let key = feed_key(&old.from_slug);
        let stub = put_stub(
            ctx,
            &key,
            &plan.destination,
            show_id,
            show.revision,
            as_of,
            last(&key),
        );
        if let Some(w) = stub.await? {
            written.push((key, ObjectKind::Redirect, w));
        }
    }
    for (key, kind, w) in written {
        let counted = |outcome: &str| {
            ctx.metrics
                .publishes
                .with_label_values(&[kind.as_str(), outcome])
                .inc()
        };
        match w {
            Written::Stored(_) => {
                tracing::info!(key, revision = show.revision, "published");
                counted("written");
                changed.push(key);
            }
            Written::Superseded => counted("superseded"),
            Written::Conflict(message) => {
                ctx.metrics
                    .conflicts
                    .with_label_values(&[kind.as_str()])
                    .inc();
                tracing::error!(show = %show_id, key, conflict = true, "{message}");
                shows::record_publish_result(
                    &ctx.pool,
                    show_id,
                    show.revision,
                    Some(&message),
                    true,
                )
                .await?;
                return Ok(RenderOutcome::Conflict);
            }
        }
    }
    // Archive pages beyond the current count (episodes were deleted, or the show was renamed)
    // are removed; a show that has moved out keeps its archive.
    if !plan.redirected {
        for stale in previous.iter().filter(|p| p.kind == ObjectKind::Archive) {
            let current = (1..=pages).any(|n| page_key(slug, Page::Archive(n)) == stale.key);
            if !current {
                ctx.target.delete(&stale.key).await?;
                changed.push(stale.key.clone());
                publications::forget(&ctx.pool, &stale.key).await?;
            }
        }
    }

    let recorded = show.publish_error.is_none()
        && !show.publish_conflict
        && show.published_revision >= Some(show.revision);
    let inputs = ctx.inputs.key(show.revision);
    let inputs_recorded = show.rendered_inputs.as_deref() == Some(inputs.as_str())
        && show.rendered_until == next_change;
    let status_current = !(plan.redirected && show.status == ShowStatus::Moving);
    if recorded && inputs_recorded && status_current && next_change.is_none() && changed.is_empty()
    {
        // An unchanged refresh of a show whose outcome is already on record: nothing to write.
        return Ok(outcome);
    }
    let mut tx = ctx.pool.begin().await?;
    shows::record_publish_result(&mut *tx, show_id, show.revision, None, false).await?;
    shows::record_rendered_inputs(&mut *tx, show_id, show.revision, &inputs, next_change).await?;
    if plan.redirected {
        shows::mark_moved(&mut *tx, show_id).await?;
    }
    if let Some(at) = next_change {
        queue::enqueue_render(&mut *tx, show_id, Some(at), ctx.max_attempts).await?;
    }
    if matches!(outcome, RenderOutcome::Published { .. }) {
        let url = feed_url(&ctx.publishing.base_url, slug);
        ctx.notify.enqueue(&mut tx, &url, ctx.max_attempts).await?;
    }
    if let Some(cdn) = &ctx.cdn {
        invalidate::queue_paths(&mut tx, changed, cdn.window(), ctx.max_attempts).await?;
    }
    tx.commit().await?;
    changed.clear();
    Ok(outcome)
}

/// Whether the show's objects are what a render now would write: the last complete render had
/// the same inputs (revision, settings, code) and no scheduled change has fallen due since.
fn is_current(ctx: &JobContext, show: &Show, as_of: DateTime<Utc>) -> bool {
    show.publish_error.is_none()
        && !show.publish_conflict
        && show.rendered_inputs.as_deref() == Some(ctx.inputs.key(show.revision).as_str())
        && show.rendered_until.is_none_or(|until| as_of < until)
}

/// Queues the CDN invalidation of `keys`, if a CDN is configured and there are any.
async fn queue_invalidation(ctx: &JobContext, keys: &[String]) -> anyhow::Result<()> {
    let Some(cdn) = &ctx.cdn else {
        return Ok(());
    };
    if keys.is_empty() {
        return Ok(());
    }
    let mut tx = ctx.pool.begin().await?;
    invalidate::queue_paths(&mut tx, keys, cdn.window(), ctx.max_attempts).await?;
    tx.commit().await?;
    Ok(())
}
