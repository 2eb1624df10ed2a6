//! Where feeds go: a local directory (served by `podpub edge`) or an S3 bucket.

pub mod cdn;
pub mod dir;
pub mod dir_media;
pub mod fence;
pub mod media;
pub mod s3;
mod s3_media;

use anyhow::Context;

use crate::config::{PublishTarget, Settings};

pub use self::dir::{DirTarget, PutRequest};
pub use self::s3::S3Target;

/// The `Content-Type` feed objects get by default (`PODPUB_FEED_CONTENT_TYPE`), and the one
/// every version before that setting wrote.
pub const FEED_CONTENT_TYPE: &str = "application/rss+xml; charset=utf-8";

/// What a put left in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub etag: String,
    /// False when the store already held these exact bytes.
    pub written: bool,
}

/// The precondition of a fenced write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `If-None-Match: *`: only if the key is free (a first publish).
    Absent,
    /// `If-Match`: only if the object is still the one we last wrote.
    Matches(String),
}

/// The outcome of a fenced write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fenced {
    Stored(Stored),
    /// The object is not what the condition expected (HTTP 412).
    PreconditionFailed,
}

/// What the store says about an object, for fencing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectHead {
    pub etag: String,
    pub revision: Option<i64>,
    pub installation: Option<String>,
    pub redirect_location: Option<String>,
}

/// The configured object store.
#[derive(Debug, Clone)]
pub enum Target {
    Dir(DirTarget),
    S3(S3Target),
}

impl Target {
    /// Builds the target named by `PODPUB_PUBLISH_URL`.
    pub async fn from_settings(settings: &Settings) -> anyhow::Result<Target> {
        Ok(match &settings.publish {
            PublishTarget::Dir(path) => Target::Dir(DirTarget::new(path.clone())),
            PublishTarget::S3 { bucket, prefix } => {
                let endpoint = settings.aws_endpoint_url.clone();
                Target::S3(S3Target::new(bucket.clone(), prefix.clone(), endpoint).await)
            }
        })
    }

    /// Stores `body` at `key` only if `condition` holds.
    pub async fn put_if(
        &self,
        key: &str,
        body: &[u8],
        req: PutRequest,
        condition: &Condition,
    ) -> anyhow::Result<Fenced> {
        match self {
            Target::Dir(dir) => {
                // One machine's directory: check, then write (racy only within this host).
                let current = self.head(key).await?;
                let holds = match (condition, &current) {
                    (Condition::Absent, None) => true,
                    (Condition::Matches(etag), Some(head)) => &head.etag == etag,
                    _ => false,
                };
                if !holds {
                    return Ok(Fenced::PreconditionFailed);
                }
                Ok(Fenced::Stored(put_dir(dir, key, body, req).await?))
            }
            Target::S3(s3) => s3.put_if(key, body, req, condition).await,
        }
    }

    /// The object's ETag and podpub metadata, if it exists.
    pub async fn head(&self, key: &str) -> anyhow::Result<Option<ObjectHead>> {
        match self {
            Target::Dir(dir) => {
                let meta = dir
                    .head(key)
                    .await
                    .with_context(|| format!("reading {key} under {}", dir.root().display()))?;
                Ok(meta.map(|m| ObjectHead {
                    etag: m.etag,
                    revision: Some(m.revision),
                    installation: Some(m.installation),
                    redirect_location: m.redirect_location,
                }))
            }
            Target::S3(s3) => s3.head(key).await,
        }
    }

    /// Removes the object at `key`, if any.
    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self {
            Target::Dir(dir) => dir
                .delete(key)
                .await
                .with_context(|| format!("deleting {key} under {}", dir.root().display())),
            Target::S3(s3) => s3.delete(key).await,
        }
    }
}

async fn put_dir(
    dir: &DirTarget,
    key: &str,
    body: &[u8],
    req: PutRequest,
) -> anyhow::Result<Stored> {
    let outcome = dir
        .put(key, body, req)
        .await
        .with_context(|| format!("writing {key} under {}", dir.root().display()))?;
    Ok(match outcome {
        dir::PutOutcome::Written(meta) => Stored {
            etag: meta.etag,
            written: true,
        },
        dir::PutOutcome::Unchanged(meta) => Stored {
            etag: meta.etag,
            written: false,
        },
    })
}
