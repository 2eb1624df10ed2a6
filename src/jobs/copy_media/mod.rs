//! The "copy media" job: each file a show names by URL (enclosures, episode artwork, the show's
//! artwork) that is not one of its ready uploads is downloaded, probed and verified, stored as
//! a new media object, and only then does the episode (or show) switch to it, in one
//! transaction that bumps the revision and queues a render. Guids never change.
//!
//! Resumable: a rerun skips what is switched, redoes what an interrupted run left half-done
//! (a copy still `uploading` or `probing`), and the unique `media_copy_key` keeps one live copy
//! per file. A failure is recorded on that file's copy (state `refused`, with a stable code),
//! leaves the episode as it was, and is tried again the next time the copy is started.

mod download;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures::{future, stream, StreamExt};
use uuid::Uuid;

use self::download::{download, Failed, Refusal, TempFile};
use super::{queue, JobContext};
use crate::config::Settings;
use crate::db::{self, media_copy::Named};
use crate::domain::media::{canonical_type, file_stem, media_key, media_url, same_family};
use crate::domain::{JobKind, Media, MediaState};
use crate::media::probe::{self, FileSource, MediaKind, ProbeError, Probed};

/// Files copied at once within one job.
pub const CONCURRENCY: usize = 3;

/// The limits of a copy.
#[derive(Debug, Clone)]
pub struct CopyLimits {
    /// PODPUB_IMPORT_ALLOW_PRIVATE: sources may be private addresses (tests, closed networks).
    pub allow_private: bool,
    /// How long a source may keep us waiting, for its answer or between chunks.
    pub stall: Duration,
    /// The largest episode media file (artwork: 20 MiB).
    pub media_max: u64,
    /// Files larger than this go to S3 in parts.
    pub part_bytes: u64,
    /// No new file is started after this much of a run; the rest goes to a follow-up job, so
    /// a large show never runs into the job time limit.
    pub budget: Duration,
}

impl CopyLimits {
    pub fn from_settings(settings: &Settings) -> CopyLimits {
        CopyLimits {
            allow_private: settings.import_allow_private,
            stall: settings.media.copy_stall,
            media_max: settings.media.max_bytes,
            part_bytes: settings.media.part_bytes,
            budget: settings.job_time_limit / 2,
        }
    }
}

/// Runs the copy job of `show_id`.
pub async fn run(ctx: &JobContext, show_id: Uuid) -> anyhow::Result<()> {
    let work = prepare(ctx, show_id).await?;
    let started = Instant::now();
    let budget = ctx.copy.budget;
    let total = work.len();
    let results: Vec<anyhow::Result<()>> = stream::iter(work)
        .take_while(|_| future::ready(started.elapsed() < budget))
        .map(|named| copy_one(ctx, show_id, named))
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    if results.len() < total {
        tracing::info!(
            show = %show_id,
            done = results.len(),
            total,
            "copy media: the rest goes to a follow-up job"
        );
        let payload = serde_json::json!({});
        queue::enqueue(
            &ctx.pool,
            JobKind::CopyMedia,
            Some(show_id),
            payload,
            ctx.max_attempts,
        )
        .await?;
    }
    results.into_iter().collect()
}

/// The files still to copy; on the way, what an earlier run left half-done is removed, and
/// earlier failures are forgotten (they are tried again).
async fn prepare(ctx: &JobContext, show_id: Uuid) -> anyhow::Result<Vec<Named>> {
    let named = db::media_copy::named_files(&ctx.pool, show_id).await?;
    let rows = db::media_copy::copies_and_ready(&ctx.pool, show_id).await?;
    let ready: HashSet<String> = rows
        .iter()
        .filter(|m| m.state == MediaState::Ready)
        .map(|m| media_url(&ctx.media_base_url, &m.key))
        .collect();
    let mut work = Vec::new();
    for n in named {
        if ready.contains(&n.url) {
            continue;
        }
        let live = rows.iter().find(|m| {
            m.source_url.is_some()
                && m.state != MediaState::Refused
                && m.purpose == n.purpose
                && m.episode_id == n.episode_id
        });
        match live {
            // Switched once, but the file names another URL now: that copy becomes a plain
            // upload (kept for the sweep), and the new URL gets a copy of its own.
            Some(m) if m.state == MediaState::Ready => {
                db::media_copy::detach(&ctx.pool, m.id).await?
            }
            Some(m) => {
                tracing::info!(media = %m.id, "copy media: redoing a copy left half-done");
                discard(ctx, m).await?;
                db::media::delete(&ctx.pool, m.id).await?;
            }
            None => {}
        }
        db::media_copy::forget_refused(&ctx.pool, show_id, n.episode_id, n.purpose).await?;
        work.push(n);
    }
    Ok(work)
}

/// Copies one file; a refusal is recorded on its copy and is not an error of the job.
async fn copy_one(ctx: &JobContext, show_id: Uuid, named: Named) -> anyhow::Result<()> {
    let id = Uuid::new_v4();
    let declared = declared_type(&named);
    let stem = file_stem(named.url.split(['?', '#']).next().unwrap_or_default());
    let now = Utc::now();
    let mut media = Media {
        id,
        show_id,
        purpose: named.purpose,
        episode_id: named.episode_id,
        key: media_key(show_id, id, &stem, declared),
        file_name: file_name(&named.url),
        declared_type: declared.to_string(),
        declared_length: named.length.filter(|&l| l > 0).unwrap_or(1),
        state: MediaState::Uploading,
        upload_id: None,
        part_bytes: None,
        expires_at: now + chrono::Duration::days(1),
        source_url: Some(named.url.clone()),
        facts: None,
        warnings: Vec::new(),
        error: None,
        created_at: now,
        updated_at: now,
    };
    match db::media::insert(&ctx.pool, &media).await {
        Err(sqlx::Error::Database(e)) if e.constraint() == Some("media_copy_key") => {
            return Ok(());
        }
        other => other?,
    }
    let tmp = TempFile::new(&id.simple().to_string());
    let max = named.purpose.max_bytes(ctx.copy.media_max);
    let limits = &ctx.copy;
    let length = match download(&named.url, limits.allow_private, limits.stall, max, &tmp.0).await {
        Ok(length) => length,
        Err(Failed::Refused(r)) => return refuse(ctx, &media, r).await,
        Err(Failed::Local(err)) => {
            db::media::delete(&ctx.pool, id).await?;
            return Err(anyhow::Error::new(err).context("writing a downloaded file"));
        }
    };
    let probed = match check(&named, &tmp, length).await? {
        Ok(probed) => probed,
        Err(r) => return refuse(ctx, &media, r).await,
    };
    media.key = media_key(show_id, id, &stem, probed.content_type);
    db::media_copy::downloaded(
        &ctx.pool,
        id,
        &media.key,
        probed.content_type,
        length as i64,
    )
    .await?;
    ctx.target
        .put_media_file(&media.key, &tmp.0, probed.content_type, limits.part_bytes)
        .await?;
    let stored = ctx.target.length(&media.key).await?;
    if stored != Some(length) {
        anyhow::bail!("the store holds {stored:?} bytes of a {length}-byte copy");
    }
    switch(ctx, &media, &named, &probed).await
}

/// Probes the downloaded file and checks it against what the episode declared.
async fn check(
    named: &Named,
    tmp: &TempFile,
    length: u64,
) -> anyhow::Result<Result<Probed, Refusal>> {
    if let Some(declared) = named.length.filter(|&l| l > 1) {
        if declared as u64 != length {
            return Ok(Err(Refusal::new(
                "copy_length_changed",
                format!("the source sent {length} bytes; the episode declares {declared}"),
            )));
        }
    }
    let path = tmp.0.clone();
    let verdict = tokio::task::spawn_blocking(move || {
        FileSource::open(&path)
            .map_err(ProbeError::Io)
            .and_then(|source| probe::probe(&source))
    })
    .await
    .map_err(|e| anyhow::anyhow!("the prober stopped: {e}"))?;
    let probed = match verdict {
        Ok(probed) => probed,
        Err(err @ ProbeError::Io(_)) => return Err(err.into()),
        Err(err) => return Ok(Err(Refusal::new(err.code(), err.to_string()))),
    };
    let kind_fits = match probed.kind {
        MediaKind::Image => named.purpose.is_artwork(),
        MediaKind::Audio | MediaKind::Video => !named.purpose.is_artwork(),
    };
    let declared = named.content_type.as_deref();
    let type_fits = match declared {
        Some(raw) => {
            let declared = canonical_type(named.purpose, raw).unwrap_or(raw);
            same_family(declared, probed.content_type)
        }
        None => true,
    };
    if !kind_fits || !type_fits {
        let declared = declared.unwrap_or("artwork");
        return Ok(Err(Refusal::new(
            "copy_type_changed",
            format!(
                "the file is {}, not the {declared} the feed declares",
                probed.content_type
            ),
        )));
    }
    Ok(Ok(probed))
}

/// Marks the copy ready and switches the file to it, in one transaction with the revision and
/// the render; a file that names another URL meanwhile keeps it, and the copy goes.
async fn switch(
    ctx: &JobContext,
    media: &Media,
    named: &Named,
    probed: &Probed,
) -> anyhow::Result<()> {
    let switched = super::probe::ready(ctx, media, probed, Some(&named.url)).await?;
    if !switched {
        let why = "the episode names another file now; start the copy again to copy that one";
        return refuse(ctx, media, Refusal::new("copy_source_changed", why)).await;
    }
    tracing::info!(media = %media.id, url = %named.url, "copy media: switched");
    Ok(())
}

/// Records why a copy failed, and removes whatever of it reached the store.
async fn refuse(ctx: &JobContext, media: &Media, why: Refusal) -> anyhow::Result<()> {
    tracing::info!(media = %media.id, code = why.code, why = %why.message, "copy media: refused");
    discard(ctx, media).await?;
    db::media::mark_refused(&ctx.pool, media.id, why.code, &why.message).await?;
    Ok(())
}

async fn discard(ctx: &JobContext, media: &Media) -> anyhow::Result<()> {
    ctx.target.discard_media(media).await
}

/// The type the copy is filed under until probed: the enclosure's (as Apple names it), or
/// what the artwork's URL suggests.
fn declared_type(named: &Named) -> &'static str {
    if named.purpose.is_artwork() {
        let path = named.url.split(['?', '#']).next().unwrap_or_default();
        return match path.to_ascii_lowercase().ends_with(".png") {
            true => "image/png",
            false => "image/jpeg",
        };
    }
    let declared = named.content_type.as_deref().unwrap_or_default();
    canonical_type(named.purpose, declared).unwrap_or("audio/mpeg")
}

/// The source's file name, for the podcaster's eyes.
fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    let name = if name.is_empty() { "media" } else { name };
    name.chars().take(200).collect()
}
