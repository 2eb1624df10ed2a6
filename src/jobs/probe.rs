//! The probe job: reads what an uploaded file is (with ranged reads, never the whole file),
//! refuses what is not what it claimed, and fills in the episode or show it was uploaded for.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sqlx::PgPool;
use uuid::Uuid;

use super::{queue, JobContext};
use crate::db;
use crate::domain::media::same_family;
use crate::domain::{Media, MediaFacts, MediaPurpose, MediaState, MediaWarning};
use crate::media::probe::{self, Counted, MediaKind, ProbeError, Probed, ReadAt};
use crate::publish::Target;

/// An object in the store, read in ranges from a blocking thread.
pub struct StoreSource {
    target: Target,
    key: String,
    len: u64,
    handle: tokio::runtime::Handle,
    /// Ranged reads made, for the bench.
    pub requests: Arc<AtomicU64>,
}

impl StoreSource {
    pub fn new(target: Target, key: String, len: u64) -> StoreSource {
        StoreSource {
            target,
            key,
            len,
            handle: tokio::runtime::Handle::current(),
            requests: Arc::default(),
        }
    }
}

impl ReadAt for StoreSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        if offset >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let want = (buf.len() as u64).min(self.len - offset);
        self.requests.fetch_add(1, Ordering::Relaxed);
        let bytes = self
            .handle
            .block_on(self.target.read_range(&self.key, offset, want))
            .map_err(std::io::Error::other)?;
        buf[..bytes.len()].copy_from_slice(&bytes);
        Ok(bytes.len())
    }
}

/// What probing an object read: the verdict, and how many bytes (and ranged reads) it took.
pub struct Reading {
    pub verdict: Result<Probed, ProbeError>,
    pub bytes_read: u64,
    pub requests: u64,
}

/// Probes the object at `key` (`len` bytes long) on a blocking thread.
pub async fn read(target: &Target, key: &str, len: u64) -> anyhow::Result<Reading> {
    let source = Counted::new(StoreSource::new(target.clone(), key.to_string(), len));
    tokio::task::spawn_blocking(move || {
        let verdict = probe::probe(&source);
        Reading {
            verdict,
            bytes_read: source.bytes_read(),
            requests: source.requests(),
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("the prober stopped: {e}"))
}

/// Runs the probe job of upload `id`.
pub async fn run(ctx: &JobContext, id: Uuid) -> anyhow::Result<()> {
    let Some(media) = db::media::find_by_id(&ctx.pool, id).await? else {
        return Ok(());
    };
    if media.state != MediaState::Probing {
        return Ok(());
    }
    let Some(len) = ctx.target.length(&media.key).await? else {
        return refuse(
            &ctx.pool,
            &ctx.target,
            &media,
            "upload_incomplete",
            "the file is not in the store",
        )
        .await;
    };
    let reading = read(&ctx.target, &media.key, len).await?;
    tracing::info!(media = %id, bytes_read = reading.bytes_read, len, "probed");
    let probed = match reading.verdict {
        Ok(probed) => probed,
        Err(err @ ProbeError::Io(_)) => return Err(err.into()),
        Err(err) => {
            let why = err.to_string();
            return refuse(&ctx.pool, &ctx.target, &media, err.code(), &why).await;
        }
    };
    if let Err(why) = fits(&media, &probed) {
        return refuse(&ctx.pool, &ctx.target, &media, "media_mismatch", &why).await;
    }
    ready(ctx, &media, &probed, None).await?;
    Ok(())
}

/// Marks `media` ready with what probing found, and fills in what it was for (an episode's
/// enclosure and duration, its artwork, or the show's artwork), in one transaction that bumps
/// the revision and queues a render when anything changed. With `replacing`, only a file that
/// still names that URL is filled in ("copy media"), and nothing is written unless it was:
/// false then.
pub async fn ready(
    ctx: &JobContext,
    media: &Media,
    probed: &Probed,
    replacing: Option<&str>,
) -> anyhow::Result<bool> {
    let warnings: Vec<MediaWarning> = match media.purpose {
        MediaPurpose::EpisodeMedia => Vec::new(),
        _ => probe::artwork_problems(probed)
            .into_iter()
            .map(|(code, message)| MediaWarning {
                code: code.to_string(),
                message,
            })
            .collect(),
    };
    let facts = facts_of(probed);
    let url = crate::domain::media::media_url(&ctx.media_base_url, &media.key);
    let mut tx = ctx.pool.begin().await?;
    db::media::mark_ready(&mut *tx, media.id, &facts, &warnings).await?;
    let filled = db::media::fill(&mut *tx, media, &url, &facts, replacing).await?;
    if replacing.is_some() && !filled {
        return Ok(false);
    }
    if filled {
        db::shows::bump_revision(&mut *tx, media.show_id).await?;
        queue::enqueue_render(&mut *tx, media.show_id, None, ctx.max_attempts).await?;
    }
    tx.commit().await?;
    Ok(filled)
}

/// Whether what the file is fits what it was uploaded as.
fn fits(media: &Media, probed: &Probed) -> Result<(), String> {
    let artwork = media.purpose.is_artwork();
    let kind_fits = match probed.kind {
        MediaKind::Image => artwork,
        MediaKind::Audio | MediaKind::Video => !artwork,
    };
    if !kind_fits || !same_family(&media.declared_type, probed.content_type) {
        return Err(format!(
            "the file is {}, not the {} it was uploaded as",
            probed.content_type, media.declared_type
        ));
    }
    Ok(())
}

/// What a probe found, as stored on the upload.
pub fn facts_of(p: &Probed) -> MediaFacts {
    let int = |v: Option<u32>| v.and_then(|v| i32::try_from(v).ok());
    MediaFacts {
        length: p.length as i64,
        content_type: p.content_type.to_string(),
        duration_seconds: p.duration_seconds,
        bitrate: int(p.bitrate),
        sample_rate: int(p.sample_rate),
        channels: p.channels.map(i32::from),
        width: int(p.width),
        height: int(p.height),
    }
}

/// Removes a refused upload's object and says why, on the upload.
pub async fn refuse(
    pool: &PgPool,
    target: &Target,
    media: &Media,
    code: &str,
    why: &str,
) -> anyhow::Result<()> {
    tracing::info!(media = %media.id, code, why, "upload refused");
    target.discard_media(media).await?;
    db::media::mark_refused(pool, media.id, code, why).await?;
    Ok(())
}
