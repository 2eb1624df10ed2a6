//! Media in the local directory: the same contract as S3's presigned uploads, on disk. Each
//! part arrives as a stream and is written straight to `.uploads/<id>/part-<n>` (never held in
//! memory); completing the upload joins the parts into the object.

use std::io;
use std::path::PathBuf;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::io::AsyncWriteExt;

use super::dir::{etag_for_sha256, sha256_hex, validate_key, DirTarget, ObjectMeta};
use super::media::{Assembled, MEDIA_CACHE_CONTROL};

/// The hidden directory of uploads under way.
pub const UPLOADS_DIR: &str = ".uploads";

/// Why a part was not stored.
#[derive(Debug, thiserror::Error)]
pub enum PartError {
    /// The body is longer than the part may be.
    #[error("the part is longer than {0} bytes")]
    TooLong(u64),
    /// The body stopped before its end (a dropped connection): resend the part.
    #[error("the body was cut off: {0}")]
    CutOff(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl DirTarget {
    fn upload_dir(&self, upload: &str) -> PathBuf {
        self.root().join(UPLOADS_DIR).join(upload)
    }

    fn part_path(&self, upload: &str, number: u32) -> PathBuf {
        self.upload_dir(upload).join(format!("part-{number}"))
    }

    /// Writes part `number` of `upload` from `body`, at most `max` bytes; its length. A part
    /// sent again replaces the first (a retry after a dropped connection).
    pub async fn receive_part<S, E>(
        &self,
        upload: &str,
        number: u32,
        mut body: S,
        max: u64,
    ) -> Result<u64, PartError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let dir = self.upload_dir(upload);
        tokio::fs::create_dir_all(&dir).await?;
        let tmp = dir.join(format!(
            ".part-{number}.{}.tmp",
            uuid::Uuid::new_v4().simple()
        ));
        let written = async {
            let mut file = tokio::fs::File::create(&tmp).await?;
            let mut written = 0u64;
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| PartError::CutOff(e.to_string()))?;
                written += chunk.len() as u64;
                if written > max {
                    return Err(PartError::TooLong(max));
                }
                file.write_all(&chunk).await?;
            }
            file.flush().await?;
            file.sync_all().await?;
            Ok(written)
        }
        .await;
        match written {
            Ok(n) => {
                tokio::fs::rename(&tmp, self.part_path(upload, number)).await?;
                Ok(n)
            }
            Err(err) => {
                let _ = tokio::fs::remove_file(&tmp).await;
                Err(err)
            }
        }
    }

    /// Joins the parts of `upload` (each `part_bytes` long but the last, `total` in all) into
    /// the object at `key`, or says which part is missing or short.
    pub async fn assemble(
        &self,
        upload: &str,
        key: &str,
        part_bytes: u64,
        total: u64,
        content_type: &str,
    ) -> io::Result<Assembled> {
        if !validate_key(key) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "invalid key"));
        }
        let parts = total.div_ceil(part_bytes).max(1) as u32;
        for number in 1..=parts {
            let want = if number == parts {
                total - u64::from(parts - 1) * part_bytes
            } else {
                part_bytes
            };
            match tokio::fs::metadata(self.part_path(upload, number)).await {
                Ok(m) if m.len() == want => {}
                Ok(m) => {
                    return Ok(Assembled::Missing(format!(
                        "part {number} of {parts} holds {} of its {want} bytes",
                        m.len()
                    )))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Ok(Assembled::Missing(format!(
                        "part {number} of {parts} never arrived"
                    )))
                }
                Err(e) => return Err(e),
            }
        }
        let path = self.object_path(key);
        let dir = path
            .parent()
            .expect("a valid key has a parent")
            .to_path_buf();
        tokio::fs::create_dir_all(&dir).await?;
        if parts == 1 {
            tokio::fs::rename(self.part_path(upload, 1), &path).await?;
        } else {
            let tmp = self.upload_dir(upload).join(".joined.tmp");
            let mut out = tokio::fs::File::create(&tmp).await?;
            for number in 1..=parts {
                let mut part = tokio::fs::File::open(self.part_path(upload, number)).await?;
                tokio::io::copy(&mut part, &mut out).await?;
            }
            out.flush().await?;
            out.sync_all().await?;
            drop(out);
            tokio::fs::rename(&tmp, &path).await?;
        }
        self.write_media_meta(key, content_type, total).await?;
        self.discard_upload(upload).await?;
        Ok(Assembled::Done)
    }

    /// Writes the metadata `podpub edge` serves a media object with. Media are immutable, so
    /// the ETag comes from the key (unique per upload), not from hashing the whole file.
    pub async fn write_media_meta(
        &self,
        key: &str,
        content_type: &str,
        length: u64,
    ) -> io::Result<()> {
        let meta = ObjectMeta {
            content_type: content_type.to_string(),
            cache_control: MEDIA_CACHE_CONTROL.to_string(),
            etag: etag_for_sha256(&sha256_hex(key.as_bytes())),
            sha256: String::new(),
            revision: 0,
            installation: String::new(),
            redirect_location: None,
            last_modified: chrono::Utc::now(),
            length,
        };
        let json = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        let meta_path = self.meta_path(key);
        tokio::fs::create_dir_all(meta_path.parent().expect("meta paths have a parent")).await?;
        let tmp = meta_path.with_extension("json.tmp");
        tokio::fs::write(&tmp, json).await?;
        tokio::fs::rename(&tmp, &meta_path).await
    }

    /// Forgets the parts of an upload.
    pub async fn discard_upload(&self, upload: &str) -> io::Result<()> {
        match tokio::fs::remove_dir_all(self.upload_dir(upload)).await {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// The object's length, if it exists.
    pub async fn length(&self, key: &str) -> io::Result<Option<u64>> {
        if !validate_key(key) {
            return Ok(None);
        }
        match tokio::fs::metadata(self.object_path(key)).await {
            Ok(m) if m.is_file() => Ok(Some(m.len())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}
