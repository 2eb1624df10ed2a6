//! Sending an upload's bytes: the signed URLs (S3's presigned ones, or `serve`'s own for the
//! local directory), and completing the upload once every byte is there.

use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use super::{local, Upload};
use crate::app::{shows::lock_live, App, Error, Result};
use crate::db;
use crate::domain::{JobKind, Media, MediaState, Viewer};
use crate::jobs::queue;
use crate::publish::media::{Assembled, SignedUrl};
use crate::publish::Target;

/// How a client sends an upload's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sending {
    /// One PUT of the whole file.
    Put(SignedUrl),
    /// One PUT per part, in any order, each `part_bytes` long but the last. A part that fails
    /// is simply sent again.
    Parts {
        part_bytes: u64,
        parts: Vec<SignedUrl>,
    },
}

/// Signs the URLs an uploading `media`'s bytes go to, valid until it expires.
pub(super) async fn sign(app: &App, store: &Target, media: &Media) -> Result<Sending> {
    let left = (media.expires_at - Utc::now())
        .to_std()
        .unwrap_or_default()
        .max(std::time::Duration::from_secs(1));
    let count = media.part_count();
    match store {
        Target::S3(s3) => match (&media.upload_id, media.part_bytes) {
            (Some(upload_id), Some(part_bytes)) => {
                let mut parts = Vec::with_capacity(count as usize);
                for number in 1..=count {
                    parts.push(s3.presign_part(&media.key, upload_id, number, left).await?);
                }
                Ok(Sending::Parts {
                    part_bytes: part_bytes as u64,
                    parts,
                })
            }
            _ => Ok(Sending::Put(
                s3.presign_put(&media.key, &media.declared_type, left)
                    .await?,
            )),
        },
        Target::Dir(_) => {
            let key = local::signing_key(app).await?;
            let urls = (1..=count)
                .map(|n| local::sign_url(&key, media, n))
                .collect();
            Ok(match media.part_bytes {
                Some(part_bytes) => Sending::Parts {
                    part_bytes: part_bytes as u64,
                    parts: urls,
                },
                None => Sending::Put(urls.into_iter().next().expect("one part at least")),
            })
        }
    }
}

/// Completes an upload once its bytes are in the store: the parts are joined, the length
/// checked, and a probe job queued. An expired upload is removed (409 `upload_expired`); one
/// with a part missing can still be sent until it expires (409 `upload_incomplete`).
///
/// `etags` are the ETags S3 answered each part with (`(number, etag)`); a multipart upload to
/// S3 needs them, the local directory does not.
pub async fn complete(
    app: &App,
    who: Viewer,
    slug: &str,
    id: Uuid,
    etags: &[(u32, String)],
) -> Result<Upload> {
    let store = app.store().await?;
    let show = crate::app::shows::get(app, who, slug).await?;
    let media = db::media::find(&app.pool, show.id, id)
        .await?
        .ok_or(Error::NotFound)?;
    if media.state != MediaState::Uploading {
        return super::get(app, who, slug, id).await;
    }
    if media.expires_at <= Utc::now() {
        refuse(
            app,
            store,
            &media,
            "upload_expired",
            "the upload's URLs expired",
        )
        .await?;
        return Err(Error::conflict(
            "upload_expired",
            "the upload expired before it was completed; start it again",
        ));
    }
    let declared = media.declared_length as u64;
    let assembled = match (store, &media.upload_id) {
        (Target::Dir(dir), _) => {
            let part_bytes = media.part_bytes.map_or(declared, |p| p as u64);
            let upload = media.id.simple().to_string();
            dir.assemble(
                &upload,
                &media.key,
                part_bytes,
                declared,
                &media.declared_type,
            )
            .await
            .map_err(|e| Error::Internal(e.into()))?
        }
        (Target::S3(s3), Some(upload_id)) => {
            s3.complete_multipart(&media.key, upload_id, media.part_count(), etags)
                .await?
        }
        (Target::S3(_), None) => Assembled::Done,
    };
    if let Assembled::Missing(why) = assembled {
        return Err(Error::conflict(
            "upload_incomplete",
            format!("{why}; send it, then complete the upload again"),
        ));
    }
    match store.length(&media.key).await? {
        None => {
            return Err(Error::conflict(
                "upload_incomplete",
                "no bytes arrived yet; send the file, then complete the upload",
            ))
        }
        Some(length) if length != declared => {
            let why = format!("{length} bytes arrived, but the upload declared {declared}");
            refuse(app, store, &media, "upload_length_mismatch", &why).await?;
            return Err(Error::conflict("upload_length_mismatch", why));
        }
        Some(_) => {}
    }
    let mut tx = app.pool.begin().await?;
    lock_live(&mut tx, who, slug).await?;
    if db::media::advance(&mut *tx, id, MediaState::Uploading, MediaState::Probing).await? {
        let payload = json!({ "media_id": id });
        queue::enqueue(&mut *tx, JobKind::Probe, None, payload, app.max_attempts()).await?;
    }
    crate::app::commit(tx).await?;
    super::get(app, who, slug, id).await
}

/// Removes what an upload left in the store and records why it was refused.
async fn refuse(app: &App, store: &Target, media: &Media, code: &str, why: &str) -> Result<()> {
    crate::jobs::probe::refuse(&app.pool, store, media, code, why).await?;
    Ok(())
}
