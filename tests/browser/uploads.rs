//! Uploading from the episode form: the browser sends the file straight to the bucket (moto,
//! with the CORS rules the CloudFormation template sets), the worker probes it, and the form's
//! media fields fill themselves in.

use std::time::Duration;

use aws_sdk_s3::types::{CorsConfiguration, CorsRule};
use reqwest::Method;
use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;
use crate::kit::media::{generate, Sample};
use crate::kit::moto::{moto_url, Bucket};
use crate::kit::uploads::media_dir;

/// The bucket's CORS rules, as deploy/cloudformation.yaml sets them: the app's origin may PUT
/// parts and read their ETag.
async fn allow_uploads_from(bucket: &Bucket, origin: &str) {
    let rule = CorsRule::builder()
        .allowed_origins(origin)
        .allowed_methods("PUT")
        .allowed_methods("GET")
        .allowed_methods("HEAD")
        .allowed_headers("*")
        .expose_headers("ETag")
        .max_age_seconds(3000)
        .build()
        .unwrap();
    bucket
        .s3
        .put_bucket_cors()
        .bucket(&bucket.name)
        .cors_configuration(
            CorsConfiguration::builder()
                .cors_rules(rule)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("moto takes the CORS rules");
}

#[tokio::test]
async fn a_file_dropped_on_the_episode_form_goes_straight_to_s3_and_fills_in_its_duration() {
    let bucket = Bucket::create("browser").await;
    let media_base = format!("{}/{}", moto_url(), bucket.name);
    let app = spawn_app_with(
        true,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("")),
            ("AWS_ENDPOINT_URL", &moto_url()),
            ("PODPUB_MEDIA_BASE_URL", &media_base),
        ],
    )
    .await;
    allow_uploads_from(&bucket, &app.address).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "air", json!({"title": "On Air"})).await;
    b.sign_in("host@example.com", PASSWORD).await;

    b.goto("/shows/air/episodes/new").await;
    b.fill("title", "Uploaded from the browser").await;
    let file = generate(Sample::Mp3Vbr, &media_dir());
    let bytes = std::fs::read(&file).unwrap();
    b.choose_file("[data-purpose=episode_media] input[type=file]", &file)
        .await;
    let duration = b
        .value_when("duration", Duration::from_secs(30), |v| !v.is_empty())
        .await;
    assert_eq!(duration, "0:00:03");
    let url = b
        .value_when("enclosure_url", Duration::from_secs(1), |v| !v.is_empty())
        .await;
    assert!(url.starts_with(&format!("{media_base}/_media/")), "{url}");
    let length = b
        .value_when("enclosure_length", Duration::from_secs(1), |_| true)
        .await;
    assert_eq!(length, bytes.len().to_string());
    let kind = b
        .value_when("enclosure_type", Duration::from_secs(1), |_| true)
        .await;
    assert_eq!(kind, "audio/mpeg");
    let status = b
        .text("[data-purpose=episode_media] [data-upload-status]")
        .await;
    assert!(
        status.contains("Uploaded") && status.contains("0:00:03"),
        "{status}"
    );
    b.screenshot("upload-episode-media").await;

    // The bytes went to the bucket, not through podpub.
    let key = url.strip_prefix(&format!("{media_base}/")).unwrap();
    let object = bucket
        .s3
        .head_object()
        .bucket(&bucket.name)
        .key(key)
        .send()
        .await;
    assert_eq!(
        object.expect("in the bucket").content_length(),
        Some(bytes.len() as i64)
    );

    b.click(".actions button[value=publish]").await;
    let (_, list) = app
        .api(Method::GET, "/shows/air/episodes", Some(&api), None)
        .await;
    let episode = &list["items"][0];
    assert_eq!(episode["enclosure"]["url"], url.as_str(), "{list}");
    assert_eq!(episode["duration_seconds"], 3, "{list}");
    b.close().await;
}
