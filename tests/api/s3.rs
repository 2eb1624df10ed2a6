//! Publishing to S3, against moto_server.

use serde_json::json;
use uuid::Uuid;

use crate::helpers::{moto_url, s3_client, spawn_app_with};

#[tokio::test]
async fn a_feed_is_published_to_s3_with_its_metadata() {
    let moto = moto_url();
    let s3 = s3_client(&moto).await;
    let bucket = format!("podpub-{}", Uuid::new_v4().simple());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();

    let publish_url = format!("s3://{bucket}/feeds");
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &publish_url),
            ("AWS_ENDPOINT_URL", &moto),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    app.post_show(&user, "cloudy", json!({})).await;
    app.post_episode(&user, "cloudy", json!({"title": "In the bucket"}))
        .await;
    app.run_pending_jobs().await;

    let object = s3
        .get_object()
        .bucket(&bucket)
        .key("feeds/cloudy/feed.xml")
        .send()
        .await
        .expect("the feed object exists");
    assert_eq!(
        object.content_type(),
        Some("application/rss+xml; charset=utf-8")
    );
    assert_eq!(object.cache_control(), Some("public, max-age=300"));
    let metadata = object.metadata().cloned().unwrap_or_default();
    assert_eq!(
        metadata.get("podpub-revision").map(String::as_str),
        Some("2")
    );
    assert!(metadata.contains_key("podpub-installation"));
    let body = object.body.collect().await.unwrap().into_bytes();
    let xml = String::from_utf8(body.to_vec()).unwrap();
    assert!(xml.contains("In the bucket"));
}
