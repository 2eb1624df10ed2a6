//! Fenced publishing to S3 (moto): nobody overwrites a feed they do not own or a newer one.

use aws_sdk_s3::{primitives::ByteStream, Client};
use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::kit::{
    app::{spawn_app_with, TestApp},
    moto::{moto_url, Bucket},
};

async fn app_on(bucket: &Bucket) -> TestApp {
    spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("feeds")),
            ("AWS_ENDPOINT_URL", &moto_url()),
        ],
    )
    .await
}

/// The object's body and its podpub metadata.
async fn object(s3: &Client, bucket: &str, key: &str) -> (String, Option<String>, Option<String>) {
    let out = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    let meta = out.metadata().cloned().unwrap_or_default();
    let (revision, installation) = (
        meta.get("podpub-revision").cloned(),
        meta.get("podpub-installation").cloned(),
    );
    let body = out.body.collect().await.unwrap().into_bytes();
    (
        String::from_utf8(body.to_vec()).unwrap(),
        revision,
        installation,
    )
}

async fn installation(app: &TestApp) -> String {
    let id: Uuid = sqlx::query_scalar("select installation_id from instance")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

#[tokio::test]
async fn a_second_installation_cannot_overwrite_the_first_ones_feed() {
    let bucket = Bucket::create("fence").await;
    let (s3, name) = (&bucket.s3, &bucket.name);
    let first = app_on(&bucket).await;
    let second = app_on(&bucket).await;
    let (a, b) = (
        first.create_user(false).await,
        second.create_user(false).await,
    );
    first
        .post_show(&a, "shared", json!({"title": "The original"}))
        .await;
    first.run_pending_jobs().await;

    second
        .post_show(&b, "shared", json!({"title": "The impostor"}))
        .await;
    second.run_pending_jobs().await;

    let (xml, _, owner) = object(s3, name, "feeds/shared/feed.xml").await;
    assert!(xml.contains("The original") && !xml.contains("The impostor"));
    assert_eq!(owner, Some(installation(&first).await));
    let (status, state) = second
        .api(Method::GET, "/shows/shared/feed", Some(&b), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["state"], "conflict", "{state}");
    assert!(state["last_error"]
        .as_str()
        .unwrap()
        .contains("installation"));
    let (_, state) = first
        .api(Method::GET, "/shows/shared/feed", Some(&a), None)
        .await;
    assert_eq!(state["state"], "up_to_date");
}

#[tokio::test]
async fn a_newer_revision_in_the_bucket_is_left_alone() {
    let bucket = Bucket::create("fence").await;
    let (s3, name) = (&bucket.s3, &bucket.name);
    let app = app_on(&bucket).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "racing", json!({})).await;
    app.run_pending_jobs().await;
    app.api(
        Method::PATCH,
        "/shows/racing",
        Some(&user),
        Some(json!({"title": "Older edit"})),
    )
    .await;
    // Another worker of ours already published a later revision.
    let key = "feeds/racing/feed.xml";
    s3.put_object()
        .bucket(name)
        .key(key)
        .body(ByteStream::from_static(b"<rss>newer</rss>"))
        .metadata("podpub-revision", "99")
        .metadata("podpub-installation", installation(&app).await)
        .send()
        .await
        .unwrap();
    app.run_pending_jobs().await;
    let (xml, revision, _) = object(s3, name, key).await;
    assert_eq!(xml, "<rss>newer</rss>");
    assert_eq!(revision.as_deref(), Some("99"));
}

#[tokio::test]
async fn an_older_write_of_ours_is_replaced_using_its_fresh_etag() {
    let bucket = Bucket::create("fence").await;
    let (s3, name) = (&bucket.s3, &bucket.name);
    let app = app_on(&bucket).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "restored", json!({})).await;
    app.run_pending_jobs().await;
    // Someone restored an old copy of our own feed from a backup.
    let key = "feeds/restored/feed.xml";
    s3.put_object()
        .bucket(name)
        .key(key)
        .body(ByteStream::from_static(b"<rss>stale</rss>"))
        .metadata("podpub-revision", "0")
        .metadata("podpub-installation", installation(&app).await)
        .send()
        .await
        .unwrap();
    app.api(
        Method::PATCH,
        "/shows/restored",
        Some(&user),
        Some(json!({"title": "Fresh"})),
    )
    .await;
    app.run_pending_jobs().await;
    let (xml, revision, _) = object(s3, name, key).await;
    assert!(xml.contains("Fresh"), "{xml}");
    assert_eq!(revision.as_deref(), Some("2"));
}

#[tokio::test]
async fn an_unchanged_republish_sends_no_put_and_a_change_sends_one() {
    let bucket = Bucket::create("fence").await;
    let (s3, name) = (&bucket.s3, &bucket.name);
    let app = app_on(&bucket).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "quiet", json!({})).await;
    app.run_pending_jobs().await;
    let key = "feeds/quiet/feed.xml";
    let modified = |s3: Client, bucket: String| async move {
        let head = s3
            .head_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .unwrap();
        head.last_modified().cloned()
    };
    let before = modified(s3.clone(), name.clone()).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    app.api(Method::POST, "/shows/quiet/refresh", Some(&user), None)
        .await;
    app.run_pending_jobs().await;
    assert_eq!(modified(s3.clone(), name.clone()).await, before, "no PUT");

    app.api(
        Method::PATCH,
        "/shows/quiet",
        Some(&user),
        Some(json!({"title": "Changed"})),
    )
    .await;
    app.run_pending_jobs().await;
    assert_ne!(modified(s3.clone(), name.clone()).await, before, "one PUT");
    assert!(object(s3, name, key).await.0.contains("Changed"));
}
