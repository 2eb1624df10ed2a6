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
    /// When the stored object already has the same sha256 and redirect
    /// location (and the body on disk matches), nothing is written and
    /// [`PutOutcome::Unchanged`] carries the existing metadata.
    pub async fn put(&self, key: &str, body: &[u8], req: PutRequest) -> io::Result<PutOutcome> {
        let sha = sha256_hex(body);
        if let Some(existing) = self.head(key).await? {
            if existing.sha256 == sha && existing.redirect_location == req.redirect_location {
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
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn temp_root(name: &str) -> PathBuf {
        static N: AtomicU64 = AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("podpub-dir-{name}-{}-{n}", std::process::id()))
    }

    fn req(revision: i64, redirect: Option<&str>) -> PutRequest {
        PutRequest {
            content_type: "application/rss+xml; charset=utf-8".into(),
            cache_control: "public, max-age=300".into(),
            revision,
            installation: "inst-1".into(),
            redirect_location: redirect.map(str::to_owned),
            last_modified: Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap(),
        }
    }

    async fn list_names(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        let mut rd = tokio::fs::read_dir(dir).await.unwrap();
        while let Some(e) = rd.next_entry().await.unwrap() {
            out.push(e.file_name().to_string_lossy().into_owned());
        }
        out.sort();
        out
    }

    #[test]
    fn keys() {
        for ok in ["feed.xml", "my-show/feed.xml", "a/b/c", "a..b/x.y"] {
            assert!(validate_key(ok), "{ok}");
        }
        for bad in [
            "",
            "/",
            "/a",
            "a/",
            "a//b",
            ".",
            "..",
            "../a",
            "a/../b",
            "a/./b",
            ".meta/a.json",
            "a/.hidden",
            "a\\b",
            "a\0b",
        ] {
            assert!(!validate_key(bad), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn put_head_unchanged_and_overwrite() {
        let root = temp_root("put");
        let t = DirTarget::new(&root);
        assert_eq!(t.head("s/feed.xml").await.unwrap(), None);

        let body = b"<rss>one</rss>";
        let PutOutcome::Written(m1) = t.put("s/feed.xml", body, req(1, None)).await.unwrap() else {
            panic!("expected write");
        };
        let sha = sha256_hex(body);
        assert_eq!(m1.sha256, sha);
        assert_eq!(m1.etag, format!("\"{}\"", &sha[..32]));
        assert_eq!(m1.length, body.len() as u64);
        assert_eq!(m1.revision, 1);
        assert_eq!(std::fs::read(root.join("s/feed.xml")).unwrap(), body);
        let raw = std::fs::read(root.join(".meta/s/feed.xml.json")).unwrap();
        assert_eq!(serde_json::from_slice::<ObjectMeta>(&raw).unwrap(), m1);
        assert_eq!(t.head("s/feed.xml").await.unwrap(), Some(m1.clone()));

        let out = t.put("s/feed.xml", body, req(2, None)).await.unwrap();
        assert_eq!(out, PutOutcome::Unchanged(m1.clone()));
        assert_eq!(t.head("s/feed.xml").await.unwrap().unwrap().revision, 1);

        let PutOutcome::Written(m2) = t
            .put("s/feed.xml", b"<rss>two</rss>", req(3, None))
            .await
            .unwrap()
        else {
            panic!("expected write");
        };
        assert_ne!(m2.etag, m1.etag);
        assert_eq!(t.head("s/feed.xml").await.unwrap(), Some(m2));
        assert_eq!(list_names(&root.join("s")).await, vec!["feed.xml"]);
        assert_eq!(
            list_names(&root.join(".meta/s")).await,
            vec!["feed.xml.json"]
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[tokio::test]
    async fn redirect_stub_and_delete() {
        let root = temp_root("stub");
        let t = DirTarget::new(&root);
        t.put("old/feed.xml", b"<rss/>", req(1, None))
            .await
            .unwrap();
        let target = Some("https://feeds.example.com/new/feed.xml");
        let PutOutcome::Written(m) = t.put("old/feed.xml", b"", req(2, target)).await.unwrap()
        else {
            panic!("stub must be written over a feed");
        };
        assert_eq!(m.redirect_location.as_deref(), target);
        assert_eq!(m.length, 0);
        assert!(std::fs::read(root.join("old/feed.xml")).unwrap().is_empty());
        let again = t.put("old/feed.xml", b"", req(3, target)).await.unwrap();
        assert!(matches!(again, PutOutcome::Unchanged(_)));
        let other = t
            .put("old/feed.xml", b"", req(4, Some("https://x.example/f")))
            .await;
        assert!(matches!(other.unwrap(), PutOutcome::Written(_)));

        t.delete("old/feed.xml").await.unwrap();
        assert_eq!(t.head("old/feed.xml").await.unwrap(), None);
        assert!(!root.join("old/feed.xml").exists());
        assert!(!root.join(".meta/old/feed.xml.json").exists());
        t.delete("old/feed.xml").await.unwrap();
        let _ = std::fs::remove_dir_all(&root);
    }

    #[tokio::test]
    async fn atomic_write_and_partial_states() {
        let root = temp_root("atomic");
        let t = DirTarget::new(&root);
        // A body without metadata is an in-progress write: invisible.
        std::fs::create_dir_all(root.join("s")).unwrap();
        std::fs::write(root.join("s/feed.xml"), b"partial").unwrap();
        assert_eq!(t.head("s/feed.xml").await.unwrap(), None);
        // A crash between body and metadata renames must not fool the unchanged check.
        t.put("s/feed.xml", b"v1", req(1, None)).await.unwrap();
        std::fs::write(root.join("s/feed.xml"), b"v2").unwrap();
        let out = t.put("s/feed.xml", b"v1", req(2, None)).await.unwrap();
        assert!(matches!(out, PutOutcome::Written(_)));
        assert_eq!(std::fs::read(root.join("s/feed.xml")).unwrap(), b"v1");
        // No temp files are left behind.
        assert_eq!(list_names(&root.join("s")).await, vec!["feed.xml"]);
        assert_eq!(
            list_names(&root.join(".meta/s")).await,
            vec!["feed.xml.json"]
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[tokio::test]
    async fn invalid_keys_are_rejected() {
        let root = temp_root("invalid");
        let t = DirTarget::new(&root);
        for bad in ["", "../x", ".meta/s/feed.xml.json", "a//b", "a\\b"] {
            let e = t.put(bad, b"x", req(1, None)).await.unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
            let e = t.head(bad).await.unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
            let e = t.delete(bad).await.unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
        }
        assert!(!root.exists());
    }
}
