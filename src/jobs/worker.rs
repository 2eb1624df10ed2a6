//! The worker loop: claim due jobs up to a concurrency limit, run each in its own task.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::Utc;
use futures::FutureExt;
use sqlx::postgres::PgListener;
use tokio::sync::{watch, Semaphore};
use tracing::Instrument;

use super::invalidate;
use super::{housekeeping, media_sweep, queue, render, JobContext};
use crate::config::Settings;
use crate::db::publications;
use crate::domain::{JobKind, JobState};
use crate::publish::FEED_CONTENT_TYPE;

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    pub concurrency: usize,
    pub poll_interval: Duration,
    pub lease: Duration,
    /// A job running longer than this is stopped and retried.
    pub time_limit: Duration,
    /// Finished jobs older than this are deleted (`housekeeping`).
    pub retention: Duration,
    /// Deleted shows and episodes older than this are purged (`housekeeping`).
    pub trash_retention: Duration,
    /// Edit history older than this is deleted (`housekeeping`); zero keeps it.
    pub history_retention: Duration,
    /// Uploaded files unused for this long are deleted (`media_sweep`).
    pub media_sweep_after: Duration,
    /// Feed versions are kept while among their show's newest this many (`housekeeping`)...
    pub feed_history_min_versions: i64,
    /// ...or while younger than this.
    pub feed_history_days: Duration,
}

impl WorkerOptions {
    pub fn from_settings(settings: &Settings) -> WorkerOptions {
        WorkerOptions {
            concurrency: settings.worker_concurrency,
            poll_interval: settings.poll_interval,
            lease: settings.job_lease,
            time_limit: settings.job_time_limit,
            retention: settings.job_retention,
            trash_retention: settings.trash_retention,
            history_retention: settings.history_retention,
            media_sweep_after: settings.media.sweep_after,
            feed_history_min_versions: settings.feed_history_min_versions,
            feed_history_days: settings.feed_history_days,
        }
    }
}

/// The most jobs one claim takes.
const MAX_BATCH: usize = 32;
/// Under a backlog, how long the loop waits for more free slots before it claims.
const GATHER: Duration = Duration::from_millis(5);
/// How often an idle worker deletes old jobs, sessions and sign-in failures.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(600);

/// Runs jobs until `shutdown` turns true, then lets the jobs in flight finish.
pub async fn run(ctx: JobContext, options: WorkerOptions, mut shutdown: watch::Receiver<bool>) {
    let name = format!("{}-{}", hostname(), uuid::Uuid::new_v4().simple());
    let slots = Arc::new(Semaphore::new(options.concurrency));
    let mut listener = listen(&ctx).await;
    tracing::info!(worker = %name, concurrency = options.concurrency, "worker started");
    if let Err(err) = adopt_target(&ctx).await {
        tracing::warn!(error = %err, "checking where feeds were published before");
    }
    // Whether the last claim found more due jobs than it could take.
    let mut backlog = false;
    let mut last_housekeeping: Option<Instant> = None;
    while !*shutdown.borrow() {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit.expect("semaphore never closes"),
            _ = shutdown.changed() => break,
        };
        // Every free slot is filled by one claim: a catch-up of thousands of due jobs costs a
        // statement per batch, not per job.
        let mut permits = vec![permit];
        let batch = options.concurrency.clamp(1, MAX_BATCH);
        while permits.len() < batch {
            match slots.clone().try_acquire_owned() {
                Ok(permit) => permits.push(permit),
                Err(_) => break,
            }
        }
        if backlog {
            // Jobs are waiting: gather half the slots, briefly, so one claim fills several.
            let until = tokio::time::Instant::now() + GATHER;
            while permits.len() < batch.div_ceil(2) {
                match tokio::time::timeout_at(until, slots.clone().acquire_owned()).await {
                    Ok(permit) => permits.push(permit.expect("semaphore never closes")),
                    Err(_) => break,
                }
            }
        }
        match queue::claim_batch(&ctx.pool, &name, options.lease, permits.len()).await {
            Ok(jobs) if !jobs.is_empty() => {
                let full = jobs.len() == permits.len();
                backlog = full;
                for (job, permit) in jobs.into_iter().zip(permits.drain(..)) {
                    let ctx = ctx.clone();
                    let job_options = options.clone();
                    let name = name.clone();
                    let span = tracing::info_span!("job", id = %job.id, kind = %job.kind);
                    tokio::spawn(
                        async move {
                            execute(&ctx, &job_options, &name, job).await;
                            drop(permit);
                        }
                        .instrument(span),
                    );
                }
                // A short batch: the due jobs ran out for now. Wait for the next to fall due,
                // or for a NOTIFY.
                if full {
                    continue;
                }
            }
            Ok(_) => {
                backlog = false;
                if last_housekeeping.is_none_or(|at| at.elapsed() >= HOUSEKEEPING_EVERY) {
                    last_housekeeping = Some(Instant::now());
                    housekeep(&ctx, &options).await;
                }
            }
            Err(err) => {
                backlog = false;
                tracing::warn!(error = %err, "claiming a job failed");
            }
        }
        drop(permits);
        let wait = idle_wait(&ctx, options.poll_interval).await;
        tokio::select! {
            _ = wake(&mut listener, wait) => {}
            _ = shutdown.changed() => break,
        }
    }
    // Every job in flight holds a permit: taking them all waits for those jobs to finish.
    let _ = slots.acquire_many(options.concurrency as u32).await;
    tracing::info!(worker = %name, "worker stopped");
}

/// After PODPUB_PUBLISH_URL changed, every show is published again, whole, to the new store;
/// after the objects' headers changed (PODPUB_FEED_CONTENT_TYPE, PODPUB_CACHE_CONTROL), every
/// object is uploaded again with the new ones.
async fn adopt_target(ctx: &JobContext) -> sqlx::Result<()> {
    let mut tx = ctx.pool.begin().await?;
    let moved = publications::adopt_target(&mut tx, &ctx.target_identity).await?;
    let headers = object_headers(&ctx.feed_content_type, &ctx.cache_control);
    let unrecorded = object_headers(FEED_CONTENT_TYPE, &ctx.cache_control);
    let rewritten = publications::adopt_headers(&mut tx, &headers, &unrecorded).await?;
    if moved.is_some() || rewritten.is_some() {
        publications::forget_all_hashes(&mut *tx).await?;
        let queued = queue::enqueue_render_all(&mut tx, ctx.max_attempts).await?;
        if let Some(before) = moved {
            tracing::warn!(
                %before,
                now = %ctx.target_identity,
                queued,
                "publishing somewhere new: every show is published again"
            );
        }
        if let Some(before) = rewritten {
            tracing::warn!(
                %before,
                now = %headers,
                queued,
                "object headers changed: every object is uploaded again with the new ones"
            );
        }
    }
    tx.commit().await
}

/// The headers every object is written with, as `adopt_headers` records them.
fn object_headers(content_type: &str, cache_control: &str) -> String {
    format!("Content-Type: {content_type}\nCache-Control: {cache_control}")
}

async fn housekeep(ctx: &JobContext, options: &WorkerOptions) {
    match housekeeping::sweep(&ctx.pool, options.retention).await {
        Ok(swept) if swept.total() > 0 => tracing::info!(?swept, "deleted old rows"),
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "housekeeping failed; the next idle turn retries"),
    }
    let trash = housekeeping::sweep_trash(&ctx.pool, options.trash_retention, ctx.max_attempts);
    match trash.await {
        Ok(purged) if purged != housekeeping::Purged::default() => {
            tracing::info!(?purged, "purged expired trash")
        }
        Ok(_) => {}
        Err(err) => {
            tracing::warn!(error = %err, "purging the trash failed; the next idle turn retries")
        }
    }
    let history = housekeeping::prune_feed_history(
        &ctx.pool,
        options.feed_history_min_versions,
        options.feed_history_days,
    );
    match history.await {
        Ok(0) => {}
        Ok(pruned) => tracing::info!(pruned, "pruned old feed versions"),
        Err(err) => {
            tracing::warn!(error = %err, "pruning feed history failed; the next idle turn retries")
        }
    }
    match housekeeping::prune_history(&ctx.pool, options.history_retention).await {
        Ok(pruned) if pruned > 0 => tracing::info!(pruned, "pruned old edit history"),
        Ok(_) => {}
        Err(err) => {
            tracing::warn!(error = %err, "pruning the history failed; the next idle turn retries")
        }
    }
    let media = media_sweep::sweep_media(
        &ctx.pool,
        &ctx.target,
        options.media_sweep_after,
        Utc::now(),
    );
    match media.await {
        Ok(swept) if swept != media_sweep::MediaSwept::default() => {
            tracing::info!(?swept, "swept uploaded media")
        }
        Ok(_) => {}
        Err(err) => {
            tracing::warn!(error = %err, "sweeping media failed; the next idle turn retries")
        }
    }
}

/// How long to sleep when idle: until the next job falls due, at most one poll interval.
async fn idle_wait(ctx: &JobContext, poll: Duration) -> Duration {
    match queue::next_due(&ctx.pool).await {
        Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or_default().min(poll),
        _ => poll,
    }
}

async fn listen(ctx: &JobContext) -> Option<PgListener> {
    let mut listener = PgListener::connect_with(&ctx.pool).await.ok()?;
    listener.listen(queue::CHANNEL).await.ok()?;
    Some(listener)
}

/// Waits for a NOTIFY or the timeout, whichever comes first.
async fn wake(listener: &mut Option<PgListener>, timeout: Duration) {
    match listener {
        Some(l) => {
            if let Ok(Err(err)) = tokio::time::timeout(timeout, l.recv()).await {
                tracing::debug!(error = %err, "job listener lost; polling until it reconnects");
                tokio::time::sleep(timeout).await;
            }
        }
        None => tokio::time::sleep(timeout).await,
    }
}

async fn execute(ctx: &JobContext, options: &WorkerOptions, worker: &str, job: queue::Job) {
    // The lease is renewed while the job runs, so only a dead worker's job is taken over; a
    // job that hangs is cut off at the time limit and retried.
    let heartbeat = async {
        let mut tick = tokio::time::interval(options.lease / 3);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(err) = queue::heartbeat(&ctx.pool, job.id, worker, options.lease).await {
                tracing::warn!(error = %err, "renewing the job's lease failed");
            }
        }
    };
    let started = std::time::Instant::now();
    let run = tokio::time::timeout(
        options.time_limit,
        std::panic::AssertUnwindSafe(run_job(ctx, &job)).catch_unwind(),
    );
    let result = tokio::select! {
        result = run => result,
        _ = heartbeat => unreachable!("the heartbeat never ends"),
    };
    let limit = options.time_limit;
    let result = result
        .unwrap_or_else(|_| Ok(Err(anyhow::anyhow!("job timed out after {limit:?}"))))
        .unwrap_or_else(|panic| {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(anyhow::anyhow!("job panicked: {msg}"))
        });
    ctx.metrics
        .job(job.kind.as_str(), result.is_ok(), started.elapsed());
    let failure = result.err().map(|err| {
        let message = format!("{err:#}");
        tracing::warn!(attempt = job.attempts, error = %message, "job failed");
        message
    });
    // The database may be away (a restart, a failover): keep trying to record the outcome for
    // up to half a lease, rather than leave the show's next render waiting for the lease.
    let give_up = std::time::Instant::now() + options.lease / 2;
    loop {
        let recorded = match &failure {
            None => queue::complete(&ctx.pool, job.id, worker)
                .await
                .map(|_| Some(JobState::Done)),
            Some(message) => queue::fail(&ctx.pool, job.id, worker, message).await,
        };
        match recorded {
            Ok(state) => {
                let state = state.map_or("lost", JobState::as_str);
                tracing::debug!(state, "job finished");
                return;
            }
            Err(err) if std::time::Instant::now() < give_up => {
                tracing::warn!(error = %err, "recording a job's outcome failed; retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(err) => {
                tracing::error!(
                    error = %err,
                    "recording a job's outcome failed; its lease will expire"
                );
                return;
            }
        }
    }
}

/// Runs one job to completion.
pub async fn run_job(ctx: &JobContext, job: &queue::Job) -> anyhow::Result<()> {
    match job.kind {
        JobKind::Render => {
            let show_id = job
                .show_id
                .ok_or_else(|| anyhow::anyhow!("render job without a show"))?;
            render::render_show(ctx, show_id, Utc::now()).await?;
            Ok(())
        }
        JobKind::Purge => {
            let keys: Vec<String> = serde_json::from_value(job.payload["keys"].clone())?;
            for key in &keys {
                ctx.target.delete(key).await?;
                crate::db::publications::forget(&ctx.pool, key).await?;
            }
            if let Some(cdn) = &ctx.cdn {
                let mut tx = ctx.pool.begin().await?;
                invalidate::queue_paths(&mut tx, &keys, cdn.window(), ctx.max_attempts).await?;
                tx.commit().await?;
            }
            Ok(())
        }
        JobKind::Invalidate => {
            let Some(cdn) = &ctx.cdn else {
                tracing::warn!(
                    "an invalidate job, but PODPUB_CLOUDFRONT_DISTRIBUTION_ID is not set in this \
                     process; the paths stay queued"
                );
                return Ok(());
            };
            let sent = invalidate::run_invalidation(cdn, &ctx.pool, job.id, ctx.max_attempts).await;
            let outcome = if sent.is_ok() { "sent" } else { "failed" };
            ctx.metrics
                .invalidations
                .with_label_values(&[outcome])
                .inc();
            sent?;
            Ok(())
        }
        JobKind::Notify => ctx.notify.send(&job.payload).await,
        JobKind::Probe => {
            let id = serde_json::from_value(job.payload["media_id"].clone())?;
            super::probe::run(ctx, id).await
        }
        JobKind::CopyMedia => {
            let show_id = job
                .show_id
                .ok_or_else(|| anyhow::anyhow!("copy_media job without a show"))?;
            super::copy_media::run(ctx, show_id).await
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "podpub".into())
}
