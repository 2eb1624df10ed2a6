//! CloudFront: the client that sends invalidations, and how a batch of paths becomes one.
//!
//! The queue of paths lives in Postgres (`db::cdn_invalidations`), and the `invalidate` job
//! (`jobs::invalidate`) sends it. CloudFront's in-progress limits (3,000 paths and 15 wildcards
//! per distribution) are met by queueing: the call fails with `TooManyInvalidationsInProgress`,
//! the job is retried with backoff, and the paths stay queued.
//!
//! CDN paths are `/{key}`: object keys without the S3 prefix, which the distribution's origin
//! path maps.

use std::time::Duration;

use anyhow::Context;
use aws_sdk_cloudfront::{
    types::{InvalidationBatch, Paths},
    Client,
};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::config::Settings;

/// A batch of more paths than this is sent as one `/*` instead. It keeps a batch well within the
/// 3,000 paths CloudFront allows in progress, and one wildcard costs what one path does.
pub const WILDCARD_THRESHOLD: usize = 1000;

/// The wildcard that invalidates the whole distribution.
const EVERYTHING: &str = "/*";

/// A CloudFront distribution whose cached copies of changed objects are invalidated.
#[derive(Debug, Clone)]
pub struct Cdn {
    client: Client,
    distribution_id: String,
    window: Duration,
}

impl Cdn {
    /// A client from the standard AWS configuration chain; `endpoint` (`AWS_ENDPOINT_URL`) selects
    /// a stand-in such as moto. CloudFront is global: without a configured region, `us-east-1`.
    pub async fn new(distribution_id: String, window: Duration, endpoint: Option<String>) -> Cdn {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(endpoint) = &endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        let shared = loader.load().await;
        let mut config = aws_sdk_cloudfront::config::Builder::from(&shared);
        if shared.region().is_none() {
            config = config.region(aws_sdk_cloudfront::config::Region::from_static("us-east-1"));
        }
        Cdn {
            client: Client::from_conf(config.build()),
            distribution_id,
            window,
        }
    }

    /// The CDN of `PODPUB_CLOUDFRONT_DISTRIBUTION_ID`; `None` (invalidation off) when it is unset.
    pub async fn from_settings(settings: &Settings) -> Option<Cdn> {
        let id = settings.cloudfront_distribution_id.clone()?;
        let endpoint = settings.aws_endpoint_url.clone();
        Some(Cdn::new(id, settings.invalidation_window, endpoint).await)
    }

    pub fn distribution_id(&self) -> &str {
        &self.distribution_id
    }

    /// Paths changed within this window go into one invalidation.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Sends one CreateInvalidation; returns the invalidation's id.
    pub async fn create_invalidation(
        &self,
        batch: &Batch,
        reference: &str,
    ) -> anyhow::Result<String> {
        let items = batch.items();
        let paths = Paths::builder()
            .quantity(i32::try_from(items.len()).context("too many paths")?)
            .set_items(Some(items))
            .build()?;
        let invalidation = InvalidationBatch::builder()
            .paths(paths)
            .caller_reference(reference)
            .build()?;
        let result = self
            .client
            .create_invalidation()
            .distribution_id(&self.distribution_id)
            .invalidation_batch(invalidation)
            .send()
            .await;
        match result {
            Ok(output) => Ok(output
                .invalidation()
                .map(|i| i.id().to_string())
                .unwrap_or_default()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_too_many_invalidations_in_progress()) =>
            {
                anyhow::bail!(
                    "CloudFront distribution {} has too many invalidations in progress (at most \
                     3,000 paths and 15 wildcards); the paths stay queued and are sent again later",
                    self.distribution_id
                )
            }
            Err(err) => Err(err).with_context(|| {
                format!(
                    "CreateInvalidation on distribution {}",
                    self.distribution_id
                )
            }),
        }
    }
}

/// The CDN path of an object key (relative to the publish root).
pub fn cdn_path(key: &str) -> String {
    format!("/{}", key.trim_start_matches('/'))
}

/// What one invalidation request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Batch {
    /// These paths.
    Paths(Vec<String>),
    /// Everything: `/*`.
    Everything,
}

impl Batch {
    /// The paths to send.
    pub fn items(&self) -> Vec<String> {
        match self {
            Batch::Paths(paths) => paths.clone(),
            Batch::Everything => vec![EVERYTHING.to_string()],
        }
    }
}

/// The batching decision: the queued `paths` themselves, or a single `/*` when there are more
/// than `threshold` of them (or one of them is already a wildcard for everything).
pub fn plan(paths: &[String], threshold: usize) -> Batch {
    if paths.len() > threshold || paths.iter().any(|p| p == EVERYTHING) {
        Batch::Everything
    } else {
        Batch::Paths(paths.to_vec())
    }
}

/// The CallerReference of a batch: the time of its newest path and a hash of its paths. Sending
/// the same batch again (a retry after the call succeeded but the job did not finish) gives the
/// same reference, which CloudFront answers with the invalidation it already made.
pub fn caller_reference(paths: &[String], newest: DateTime<Utc>) -> String {
    let mut hash = Sha256::new();
    for path in paths {
        hash.update(path.as_bytes());
        hash.update(b"\n");
    }
    let digest = hex::encode(hash.finalize());
    format!("podpub-{}-{}", newest.timestamp_micros(), &digest[..32])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("/show-{i}/feed.xml")).collect()
    }

    #[test]
    fn cdn_paths_are_the_keys_under_the_root() {
        assert_eq!(cdn_path("my-show/feed.xml"), "/my-show/feed.xml");
        assert_eq!(cdn_path("/my-show/feed.xml"), "/my-show/feed.xml");
    }

    #[test]
    fn up_to_the_threshold_the_paths_are_sent_as_they_are() {
        assert_eq!(plan(&[], 1000), Batch::Paths(vec![]));
        let some = paths(3);
        assert_eq!(plan(&some, 1000), Batch::Paths(some.clone()));
        assert_eq!(plan(&some, 3), Batch::Paths(some.clone()));
        assert_eq!(plan(&some, 3).items(), some);
        let many = paths(WILDCARD_THRESHOLD);
        assert_eq!(plan(&many, WILDCARD_THRESHOLD), Batch::Paths(many.clone()));
    }

    #[test]
    fn beyond_the_threshold_one_wildcard_is_sent() {
        assert_eq!(plan(&paths(4), 3), Batch::Everything);
        let many = paths(WILDCARD_THRESHOLD + 1);
        let batch = plan(&many, WILDCARD_THRESHOLD);
        assert_eq!(batch, Batch::Everything);
        assert_eq!(batch.items(), vec!["/*".to_string()]);
        let mut with_wildcard = paths(2);
        with_wildcard.push("/*".into());
        assert_eq!(plan(&with_wildcard, 1000), Batch::Everything);
    }

    #[test]
    fn the_caller_reference_names_the_batch() {
        let at = DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap();
        let a = caller_reference(&paths(2), at);
        assert_eq!(a, caller_reference(&paths(2), at));
        assert!(a.starts_with("podpub-1700000000123456-"), "{a}");
        assert_ne!(a, caller_reference(&paths(3), at));
        assert_ne!(
            a,
            caller_reference(&paths(2), at + chrono::Duration::microseconds(1))
        );
        assert!(a.len() < 128);
    }
}
