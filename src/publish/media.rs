//! Media objects in the store: what both targets offer the upload and probe workflow.

use anyhow::Context;

use super::Target;
use crate::domain::Media;

/// `Cache-Control` of every media object: each upload has a key of its own and never changes.
pub const MEDIA_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// A URL a client sends bytes to, and the headers it must send with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedUrl {
    pub url: String,
    pub headers: Vec<(String, String)>,
}

/// Whether an upload's parts made a whole object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assembled {
    Done,
    /// What is missing, for the podcaster.
    Missing(String),
}

impl Target {
    /// The object's length, if it exists.
    pub async fn length(&self, key: &str) -> anyhow::Result<Option<u64>> {
        match self {
            Target::Dir(dir) => dir.length(key).await.context("reading a media file's size"),
            Target::S3(s3) => s3.length(key).await,
        }
    }

    /// Up to `len` bytes of the object at `key` from `offset`.
    pub async fn read_range(&self, key: &str, offset: u64, len: u64) -> anyhow::Result<Vec<u8>> {
        match self {
            Target::Dir(dir) => {
                use tokio::io::{AsyncReadExt, AsyncSeekExt};
                let mut file = tokio::fs::File::open(dir.object_path(key)).await?;
                file.seek(std::io::SeekFrom::Start(offset)).await?;
                let mut buf = Vec::with_capacity(len.min(1 << 20) as usize);
                file.take(len).read_to_end(&mut buf).await?;
                Ok(buf)
            }
            Target::S3(s3) => s3.read_range(key, offset, len).await,
        }
    }

    /// Stores a local file as the media object at `key` (for "copy media").
    pub async fn put_media_file(
        &self,
        key: &str,
        path: &std::path::Path,
        content_type: &str,
        part_bytes: u64,
    ) -> anyhow::Result<()> {
        match self {
            Target::Dir(dir) => {
                let dest = dir.object_path(key);
                let parent = dest.parent().context("a media key has a folder")?;
                tokio::fs::create_dir_all(parent).await?;
                let length = tokio::fs::metadata(path).await?.len();
                if tokio::fs::rename(path, &dest).await.is_err() {
                    tokio::fs::copy(path, &dest).await?;
                }
                dir.write_media_meta(key, content_type, length).await?;
                Ok(())
            }
            Target::S3(s3) => s3.put_file(key, path, content_type, part_bytes).await,
        }
    }

    /// Gives up an upload: its parts (the local directory's, or S3's multipart upload), and
    /// the object if it was made.
    pub async fn discard_media(&self, media: &Media) -> anyhow::Result<()> {
        match self {
            Target::Dir(dir) => dir.discard_upload(&media.id.simple().to_string()).await?,
            Target::S3(s3) => {
                if let Some(id) = &media.upload_id {
                    s3.abort_multipart(&media.key, id).await?;
                }
            }
        }
        self.delete(&media.key).await
    }
}
