//! The S3 target: feeds as objects in a bucket, behind a CDN.

use anyhow::Context;
use aws_sdk_s3::{primitives::ByteStream, Client};

use super::{PutRequest, Stored};

/// A bucket and key prefix, reached through the standard AWS configuration chain
/// (`AWS_ENDPOINT_URL` selects an S3-compatible store, with path-style addressing).
#[derive(Debug, Clone)]
pub struct S3Target {
    client: Client,
    bucket: String,
    prefix: String,
}

impl S3Target {
    /// A client from the standard AWS configuration chain; `endpoint` overrides the S3 endpoint.
    pub async fn new(bucket: String, prefix: String, endpoint: Option<String>) -> S3Target {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(endpoint) = &endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        let shared = loader.load().await;
        let config = aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(endpoint.is_some())
            .build();
        S3Target {
            client: Client::from_conf(config),
            bucket,
            prefix,
        }
    }

    fn object_key(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}/{key}", self.prefix)
        }
    }

    pub async fn put(&self, key: &str, body: &[u8], req: PutRequest) -> anyhow::Result<Stored> {
        let object_key = self.object_key(key);
        let output = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .body(ByteStream::from(body.to_vec()))
            .content_type(req.content_type)
            .cache_control(req.cache_control)
            .metadata("podpub-revision", req.revision.to_string())
            .metadata("podpub-installation", req.installation)
            .set_website_redirect_location(req.redirect_location)
            .send()
            .await
            .with_context(|| format!("PUT s3://{}/{object_key}", self.bucket))?;
        Ok(Stored {
            etag: output.e_tag().unwrap_or_default().to_string(),
            written: true,
        })
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        let object_key = self.object_key(key);
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .send()
            .await
            .with_context(|| format!("DELETE s3://{}/{object_key}", self.bucket))?;
        Ok(())
    }
}
