//! CloudFront invalidation, against moto_server (S3 and CloudFront).

use std::time::Duration;

use aws_sdk_cloudfront::types::{
    CustomOriginConfig, DefaultCacheBehavior, DistributionConfig, Origin, OriginProtocolPolicy,
    Origins, ViewerProtocolPolicy,
};
use podpub::{
    domain::{JobKind, JobState},
    jobs::{
        invalidate::{self, InvalidateOutcome},
        queue,
        worker::run_job,
        JobContext,
    },
    publish::cdn::{self, WILDCARD_THRESHOLD},
};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::kit::{
    app::{spawn_app_with, TestApp},
    moto::{cloudfront_client, moto_url, Bucket},
};

/// A new distribution in moto, with the bucket's website endpoint as its origin.
async fn create_distribution(cf: &aws_sdk_cloudfront::Client, bucket: &str) -> String {
    let origin = Origin::builder()
        .id("feeds")
        .domain_name(format!("{bucket}.s3-website-us-east-1.amazonaws.com"))
        .origin_path("/feeds")
        .custom_origin_config(
            CustomOriginConfig::builder()
                .http_port(80)
                .https_port(443)
                .origin_protocol_policy(OriginProtocolPolicy::HttpOnly)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let config = DistributionConfig::builder()
        .caller_reference(Uuid::new_v4().to_string())
        .comment("podpub test")
        .enabled(true)
        .origins(
            Origins::builder()
                .quantity(1)
                .items(origin)
                .build()
                .unwrap(),
        )
        .default_cache_behavior(
            DefaultCacheBehavior::builder()
                .target_origin_id("feeds")
                .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let out = cf
        .create_distribution()
        .distribution_config(config)
        .send()
        .await
        .expect("moto creates a distribution");
    out.distribution().unwrap().id().to_string()
}

/// The paths of every invalidation of `distribution`, oldest first, each sorted.
async fn invalidations(cf: &aws_sdk_cloudfront::Client, distribution: &str) -> Vec<Vec<String>> {
    let list = cf
        .list_invalidations()
        .distribution_id(distribution)
        .send()
        .await
        .unwrap();
    let mut all = Vec::new();
    let summaries = list
        .invalidation_list()
        .map(|l| l.items().to_vec())
        .unwrap_or_default();
    for summary in summaries {
        let one = cf
            .get_invalidation()
            .distribution_id(distribution)
            .id(summary.id())
            .send()
            .await
            .unwrap();
        let batch = one.invalidation().unwrap().invalidation_batch().unwrap();
        let mut paths = batch.paths().unwrap().items().to_vec();
        paths.sort();
        all.push(paths);
    }
    all
}

struct Setup {
    app: TestApp,
    cf: aws_sdk_cloudfront::Client,
    distribution: String,
    _bucket: Bucket,
}

/// An app publishing to a new bucket, behind a new distribution, with the given window.
async fn setup(window_ms: &str) -> Setup {
    setup_with_distribution(window_ms, None).await
}

async fn setup_with_distribution(window_ms: &str, distribution: Option<&str>) -> Setup {
    let moto = moto_url();
    let cf = cloudfront_client(&moto).await;
    let bucket = Bucket::create("podpub").await;
    let distribution = match distribution {
        Some(id) => id.to_string(),
        None => create_distribution(&cf, &bucket.name).await,
    };
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("feeds")),
            ("AWS_ENDPOINT_URL", &moto),
            ("PODPUB_CLOUDFRONT_DISTRIBUTION_ID", &distribution),
            ("PODPUB_INVALIDATION_WINDOW_MS", window_ms),
        ],
    )
    .await;
    Setup {
        app,
        cf,
        distribution,
        _bucket: bucket,
    }
}

async fn queued_paths(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("select path from cdn_invalidations order by path")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

async fn pending_invalidate_jobs(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "select count(*) from jobs where kind = 'invalidate' and state in ('queued', 'failed')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// Makes the pending invalidate job due now, as the end of its window would.
async fn end_window(app: &TestApp) {
    sqlx::query("update jobs set run_at = now() where kind = 'invalidate' and state = 'queued'")
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_publish_is_invalidated_once_and_an_unchanged_refresh_not_at_all() {
    let Setup {
        app,
        cf,
        distribution,
        _bucket,
    } = setup("0").await;
    let user = app.create_user(false).await;
    app.post_show(&user, "show", json!({})).await;
    app.post_episode(&user, "show", json!({"title": "First"}))
        .await;
    app.run_pending_jobs().await;

    assert_eq!(
        invalidations(&cf, &distribution).await,
        vec![vec!["/show/feed.xml".to_string()]]
    );
    assert!(queued_paths(&app).await.is_empty());
    assert_eq!(pending_invalidate_jobs(&app).await, 0);

    // Nothing changed: no PUT, so nothing to invalidate.
    let (status, body) = app
        .api(Method::POST, "/shows/show/refresh", Some(&user), None)
        .await;
    assert!(status.is_success(), "{status}: {body}");
    app.run_pending_jobs().await;
    assert_eq!(invalidations(&cf, &distribution).await.len(), 1);
    assert!(queued_paths(&app).await.is_empty());
    assert_eq!(pending_invalidate_jobs(&app).await, 0);

    // A change is invalidated again.
    app.post_episode(&user, "show", json!({"title": "Second"}))
        .await;
    app.run_pending_jobs().await;
    let all = invalidations(&cf, &distribution).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1], vec!["/show/feed.xml".to_string()]);
}

#[tokio::test]
async fn feeds_changed_within_one_window_share_one_invalidation() {
    let Setup {
        app,
        cf,
        distribution,
        _bucket,
    } = setup("60000").await;
    let user = app.create_user(false).await;
    for slug in ["one", "two"] {
        app.post_show(&user, slug, json!({})).await;
        app.post_episode(&user, slug, json!({})).await;
    }
    app.run_pending_jobs().await;
    // Both feeds are written; their paths wait for the window to end, in one job.
    assert!(invalidations(&cf, &distribution).await.is_empty());
    assert_eq!(
        queued_paths(&app).await,
        vec!["/one/feed.xml", "/two/feed.xml"]
    );
    assert_eq!(pending_invalidate_jobs(&app).await, 1);
    end_window(&app).await;
    app.run_pending_jobs().await;
    let both = vec!["/one/feed.xml".to_string(), "/two/feed.xml".to_string()];
    assert_eq!(invalidations(&cf, &distribution).await, vec![both.clone()]);
    assert!(queued_paths(&app).await.is_empty());

    // A changed publish of both shows: again one invalidation for the two paths.
    for slug in ["one", "two"] {
        let (status, body) = app
            .api(
                Method::PATCH,
                &format!("/shows/{slug}"),
                Some(&user),
                Some(json!({"title": format!("Renamed {slug}")})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    app.run_pending_jobs().await;
    assert_eq!(invalidations(&cf, &distribution).await.len(), 1);
    assert_eq!(pending_invalidate_jobs(&app).await, 1);
    end_window(&app).await;
    app.run_pending_jobs().await;
    assert_eq!(
        invalidations(&cf, &distribution).await,
        vec![both.clone(), both]
    );
    assert_eq!(pending_invalidate_jobs(&app).await, 0);
}

#[tokio::test]
async fn more_paths_than_the_threshold_are_sent_as_one_wildcard() {
    let Setup {
        app,
        cf,
        distribution,
        _bucket,
    } = setup("0").await;
    let keys: Vec<String> = (0..WILDCARD_THRESHOLD + 200)
        .map(|i| format!("show-{i}/feed.xml"))
        .collect();
    let mut tx = app.pool.begin().await.unwrap();
    invalidate::queue_paths(&mut tx, &keys, Duration::ZERO, 3)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(queued_paths(&app).await.len(), keys.len());
    assert_eq!(pending_invalidate_jobs(&app).await, 1);

    app.run_pending_jobs().await;
    assert_eq!(
        invalidations(&cf, &distribution).await,
        vec![vec!["/*".to_string()]]
    );
    assert!(queued_paths(&app).await.is_empty());
    assert_eq!(pending_invalidate_jobs(&app).await, 0);
}

#[tokio::test]
async fn a_failed_invalidation_keeps_its_paths_queued_for_a_retry() {
    // A distribution moto does not know: CreateInvalidation fails, as it does when CloudFront
    // has too many invalidations in progress.
    let Setup { app, _bucket, .. } =
        setup_with_distribution("0", Some("ENOSUCHDISTRIBUTION")).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "show", json!({})).await;
    app.post_episode(&user, "show", json!({})).await;

    let ctx = JobContext::new(&app.settings, app.pool.clone())
        .await
        .unwrap();
    let mut failures = Vec::new();
    while let Some(job) = queue::claim(&app.pool, "w", Duration::from_secs(30))
        .await
        .unwrap()
    {
        match run_job(&ctx, &job).await {
            Ok(()) => queue::complete(&app.pool, job.id, "w").await.unwrap(),
            Err(err) => {
                let message = format!("{err:#}");
                let state = queue::fail(&app.pool, job.id, "w", &message).await.unwrap();
                failures.push((job.kind, state, message));
            }
        }
    }
    assert_eq!(failures.len(), 1, "{failures:?}");
    let (kind, state, message) = &failures[0];
    assert_eq!(*kind, JobKind::Invalidate);
    assert_eq!(*state, Some(JobState::Failed));
    assert!(
        message.contains("CreateInvalidation on distribution ENOSUCHDISTRIBUTION"),
        "{message}"
    );
    // The feed is published; its path stays queued, and the job is retried with backoff.
    assert_eq!(queued_paths(&app).await, vec!["/show/feed.xml"]);
    assert_eq!(pending_invalidate_jobs(&app).await, 1);
}

#[tokio::test]
async fn a_purged_feed_is_invalidated() {
    let Setup {
        app,
        cf,
        distribution,
        _bucket,
    } = setup("0").await;
    let user = app.create_user(false).await;
    app.post_show(&user, "gone", json!({})).await;
    app.post_episode(&user, "gone", json!({})).await;
    app.run_pending_jobs().await;
    assert_eq!(invalidations(&cf, &distribution).await.len(), 1);

    let (status, body) = app
        .api(Method::DELETE, "/shows/gone?purge=true", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    app.run_pending_jobs().await;
    let all = invalidations(&cf, &distribution).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1], vec!["/gone/feed.xml".to_string()]);
    assert!(queued_paths(&app).await.is_empty());
}

#[tokio::test]
async fn one_invalidation_runs_at_a_time() {
    let Setup {
        app,
        cf,
        distribution,
        _bucket,
    } = setup("0").await;
    let queue_one = |key: &'static str| {
        let pool = app.pool.clone();
        async move {
            let mut tx = pool.begin().await.unwrap();
            invalidate::queue_paths(&mut tx, &[key.to_string()], Duration::ZERO, 3)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
    };
    queue_one("a/feed.xml").await;
    // Another worker holds this job, in the middle of its CreateInvalidation.
    let lease = Duration::from_secs(30);
    let in_flight = queue::claim(&app.pool, "other", lease)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(in_flight.kind, JobKind::Invalidate);
    queue_one("b/feed.xml").await;

    let cdn = cdn::Cdn::from_settings(&app.settings).await.unwrap();
    let second = queue::claim(&app.pool, "w", lease).await.unwrap().unwrap();
    let outcome = invalidate::run_invalidation(&cdn, &app.pool, second.id, 3)
        .await
        .unwrap();
    assert_eq!(outcome, InvalidateOutcome::Deferred);
    queue::complete(&app.pool, second.id, "w").await.unwrap();
    assert!(invalidations(&cf, &distribution).await.is_empty());
    assert_eq!(queued_paths(&app).await, vec!["/a/feed.xml", "/b/feed.xml"]);
    assert_eq!(pending_invalidate_jobs(&app).await, 1);

    // The first one finishes with both paths; the job queued after it has nothing left to do.
    let outcome = invalidate::run_invalidation(&cdn, &app.pool, in_flight.id, 3)
        .await
        .unwrap();
    assert!(
        matches!(
            outcome,
            InvalidateOutcome::Sent {
                paths: 2,
                wildcard: false,
                ..
            }
        ),
        "{outcome:?}"
    );
    queue::complete(&app.pool, in_flight.id, "other")
        .await
        .unwrap();
    end_window(&app).await;
    app.run_pending_jobs().await;
    assert_eq!(
        invalidations(&cf, &distribution).await,
        vec![vec!["/a/feed.xml".to_string(), "/b/feed.xml".to_string()]]
    );
    assert!(queued_paths(&app).await.is_empty());
    assert_eq!(pending_invalidate_jobs(&app).await, 0);
}
