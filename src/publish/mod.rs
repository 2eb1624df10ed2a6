//! Where feeds go: a local directory (served by `podpub edge`) or an S3 bucket.

pub mod dir;
pub mod s3;

use anyhow::Context;

use crate::config::{PublishTarget, Settings};

pub use self::dir::{DirTarget, PutRequest};
pub use self::s3::S3Target;

/// Content type of every feed object.
pub const FEED_CONTENT_TYPE: &str = "application/rss+xml; charset=utf-8";

/// What a put left in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub etag: String,
    /// False when the store already held these exact bytes.
    pub written: bool,
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

    /// Stores `body` at `key` with the request's metadata.
    pub async fn put(&self, key: &str, body: &[u8], req: PutRequest) -> anyhow::Result<Stored> {
        match self {
            Target::Dir(dir) => {
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
            Target::S3(s3) => s3.put(key, body, req).await,
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
