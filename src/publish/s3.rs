//! The S3 target: feeds as objects in a bucket, behind a CDN.

use anyhow::Context;
use aws_sdk_s3::{primitives::ByteStream, Client};

use aws_sdk_s3::{config::http::HttpResponse, error::SdkError};

use super::{Condition, Fenced, ObjectHead, PutRequest, Stored};

/// A bucket and key prefix, reached through the standard AWS configuration chain
/// (`AWS_ENDPOINT_URL` selects an S3-compatible store, with path-style addressing).
#[derive(Debug, Clone)]
pub struct S3Target {
    pub(super) client: Client,
    pub(super) bucket: String,
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
        // Without limits a stalled connection would hang a job until its time limit.
        let timeouts = aws_sdk_s3::config::timeout::TimeoutConfig::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .operation_attempt_timeout(std::time::Duration::from_secs(30))
            .build();
        let config = aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(endpoint.is_some())
            .timeout_config(timeouts)
            .build();
        S3Target {
            client: Client::from_conf(config),
            bucket,
            prefix,
        }
    }

    pub(super) fn object_key(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}/{key}", self.prefix)
        }
    }

    /// A conditional PUT: `If-None-Match: *` or `If-Match: <etag>`.
    pub async fn put_if(
        &self,
        key: &str,
        body: &[u8],
        req: PutRequest,
        condition: &Condition,
    ) -> anyhow::Result<Fenced> {
        let object_key = self.object_key(key);
        let mut put = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .body(ByteStream::from(body.to_vec()))
            .content_type(req.content_type)
            .cache_control(req.cache_control)
            .metadata("podpub-revision", req.revision.to_string())
            .metadata("podpub-installation", req.installation)
            .set_website_redirect_location(req.redirect_location);
        put = match condition {
            Condition::Absent => put.if_none_match("*"),
            Condition::Matches(etag) => put.if_match(etag),
        };
        match put.send().await {
            Ok(output) => Ok(Fenced::Stored(Stored {
                etag: output.e_tag().unwrap_or_default().to_string(),
                written: true,
            })),
            // 409: a concurrent conditional write to the same key; the caller re-reads.
            Err(err) if matches!(status(&err), Some(412 | 409)) => Ok(Fenced::PreconditionFailed),
            Err(err) => {
                Err(anyhow::Error::new(err)
                    .context(format!("PUT s3://{}/{object_key}", self.bucket)))
            }
        }
    }

    pub async fn head(&self, key: &str) -> anyhow::Result<Option<ObjectHead>> {
        let object_key = self.object_key(key);
        let output = match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(&object_key)
            .send()
            .await
        {
            Ok(output) => output,
            Err(err) if status(&err) == Some(404) => return Ok(None),
            Err(err) => {
                return Err(anyhow::Error::new(err)
                    .context(format!("HEAD s3://{}/{object_key}", self.bucket)))
            }
        };
        let meta = output.metadata();
        let get = |name: &str| meta.and_then(|m| m.get(name)).cloned();
        Ok(Some(ObjectHead {
            etag: output.e_tag().unwrap_or_default().to_string(),
            revision: get("podpub-revision").and_then(|r| r.parse().ok()),
            installation: get("podpub-installation"),
            redirect_location: output.website_redirect_location().map(str::to_string),
        }))
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

/// The HTTP status S3 answered with, if it answered.
pub(super) fn status<E>(err: &SdkError<E, HttpResponse>) -> Option<u16> {
    err.raw_response().map(|r| r.status().as_u16())
}
