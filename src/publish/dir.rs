//! Local directory publish target, a stand-in for an S3 bucket.
//!
//! Objects live at `<root>/<key>`; each object's metadata lives at
//! `<root>/.meta/<key>.json`. Bodies and metadata are written atomically
//! (temp file, fsync, rename), the body first, so an object without metadata
//! is an in-progress write.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// Name of the hidden directory holding object metadata under the root.
pub const META_DIR: &str = ".meta";

/// Metadata stored beside each object, mirroring what S3 keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectMeta {
    /// `Content-Type` served for the object.
    pub content_type: String,
    /// `Cache-Control` served for the object.
    pub cache_control: String,
    /// S3-like quoted ETag: `"<first 32 hex chars of sha256>"`.
    pub etag: String,
    /// Hex sha256 of the body.
    pub sha256: String,
    /// `podpub-revision` metadata.
    pub revision: i64,
    /// `podpub-installation` metadata.
    pub installation: String,
    /// `x-amz-website-redirect-location`; the body is empty when set.
    pub redirect_location: Option<String>,
    /// Time of the write, as given by the caller.
    pub last_modified: DateTime<Utc>,
    /// Body length in bytes.
    pub length: u64,
}

/// What to store with an object on [`DirTarget::put`].
#[derive(Debug, Clone)]
pub struct PutRequest {
    /// `Content-Type` to serve.
    pub content_type: String,
    /// `Cache-Control` to serve.
    pub cache_control: String,
    /// `podpub-revision` metadata.
    pub revision: i64,
    /// `podpub-installation` metadata.
    pub installation: String,
    /// Redirect target for a redirect stub (the body should then be empty).
    pub redirect_location: Option<String>,
    /// Last-Modified time to record.
    pub last_modified: DateTime<Utc>,
}

/// Result of [`DirTarget::put`].
#[derive(Debug, Clone, PartialEq)]
pub enum PutOutcome {
    /// The object was written; carries its new metadata.
    Written(ObjectMeta),
    /// The same content was already there; nothing was written.
    Unchanged(ObjectMeta),
}

/// A publish target backed by a local directory.
#[derive(Debug, Clone)]
pub struct DirTarget {
    root: PathBuf,
}

/// Returns true when `key` is a valid object key: non-empty, `/`-separated
/// non-empty segments, none of which is `.`/`..` or starts with `.`, and no
/// backslash or NUL anywhere.
pub fn validate_key(key: &str) -> bool {
    !key.is_empty()
        && !key.contains(['\\', '\0'])
        && key
            .split('/')
            .all(|seg| !seg.is_empty() && !seg.starts_with('.'))
}

/// S3-like quoted ETag for a hex sha256.
pub fn etag_for_sha256(sha256_hex: &str) -> String {
    let n = sha256_hex.len().min(32);
    format!("\"{}\"", &sha256_hex[..n])
}

/// Hex sha256 of `body`.
pub fn sha256_hex(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

fn invalid_key(key: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("invalid object key {key:?}"),
    )
}

fn not_found_ok(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

impl DirTarget {
    /// Creates a target rooted at `root` (created lazily on first put).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Path of the object body for a (valid) key.
    pub fn object_path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }

    /// Path of the metadata file for a (valid) key.
    pub fn meta_path(&self, key: &str) -> PathBuf {
        self.root.join(META_DIR).join(format!("{key}.json"))
    }

    /// Reads an object's metadata; `None` when the object or its metadata is missing.
    pub async fn head(&self, key: &str) -> io::Result<Option<ObjectMeta>> {
        if !validate_key(key) {
            return Err(invalid_key(key));
        }
        let raw = match tokio::fs::read(self.meta_path(key)).await {
            Ok(raw) => raw,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        match tokio::fs::metadata(self.object_path(key)).await {
            Ok(m) if m.is_file() => {}
            Ok(_) => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        }
        let meta = serde_json::from_slice(&raw).map_err(io::Error::other)?;
        Ok(Some(meta))
    }

    /// Writes body and metadata atomically, the body first.
    ///
    /// When the stored object already has the same sha256, redirect location
    /// and headers (and the body on disk matches), nothing is written and
    /// [`PutOutcome::Unchanged`] carries the existing metadata.
    pub async fn put(&self, key: &str, body: &[u8], req: PutRequest) -> io::Result<PutOutcome> {
        let sha = sha256_hex(body);
        if let Some(existing) = self.head(key).await? {
            if existing.sha256 == sha
                && existing.redirect_location == req.redirect_location
                && existing.content_type == req.content_type
                && existing.cache_control == req.cache_control
            {
                let on_disk = tokio::fs::read(self.object_path(key)).await?;
                if sha256_hex(&on_disk) == sha {
                    tracing::debug!(key, "dir put: unchanged");
                    return Ok(PutOutcome::Unchanged(existing));
                }
            }
        }
        let meta = ObjectMeta {
            content_type: req.content_type,
            cache_control: req.cache_control,
            etag: etag_for_sha256(&sha),
            sha256: sha,
            revision: req.revision,
            installation: req.installation,
            redirect_location: req.redirect_location,
            last_modified: req.last_modified,
            length: body.len() as u64,
        };
        let meta_json = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        write_atomic(&self.object_path(key), body).await?;
        write_atomic(&self.meta_path(key), &meta_json).await?;
        tracing::debug!(key, etag = %meta.etag, length = meta.length, "dir put: written");
        Ok(PutOutcome::Written(meta))
    }

    /// Removes an object and its metadata (metadata first); missing is fine.
    pub async fn delete(&self, key: &str) -> io::Result<()> {
        if !validate_key(key) {
            return Err(invalid_key(key));
        }
        not_found_ok(tokio::fs::remove_file(self.meta_path(key)).await)?;
        not_found_ok(tokio::fs::remove_file(self.object_path(key)).await)?;
        tracing::debug!(key, "dir delete");
        Ok(())
    }
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `data` to a hidden temp file beside `path`, fsyncs it, renames it
/// over `path` and fsyncs the directory.
async fn write_atomic(path: &Path, data: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no parent"))?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    tokio::fs::create_dir_all(dir).await?;
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(
        ".{}.{}.{n}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = async {
        let mut f = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .await?;
        f.write_all(data).await?;
        // tokio writes in the background: a failed write (a full disk) is reported by the next
        // flush, not by `write_all` nor `sync_all`. Without this, an empty file would replace
        // the feed.
        f.flush().await?;
        f.sync_all().await?;
        drop(f);
        tokio::fs::rename(&tmp, path).await
    }
    .await;
    if let Err(e) = result {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(e);
    }
    #[cfg(unix)]
    tokio::fs::File::open(dir).await?.sync_all().await?;
    Ok(())
}

#[cfg(test)]
mod tests;
