//! Publishing to S3, against moto_server.

use serde_json::json;

use crate::kit::{
    app::spawn_app_with,
    moto::{moto_url, Bucket},
};

#[tokio::test]
async fn a_feed_is_published_to_s3_with_its_metadata() {
    let bucket = Bucket::create("podpub").await;
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("feeds")),
            ("AWS_ENDPOINT_URL", &moto_url()),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    app.post_show(&user, "cloudy", json!({})).await;
    app.post_episode(&user, "cloudy", json!({"title": "In the bucket"}))
        .await;
    app.run_pending_jobs().await;

    let object = bucket
        .s3
        .get_object()
        .bucket(&bucket.name)
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
