//! Media uploads, on the local directory and on S3 (moto): each kind of file is probed from its
//! bytes and fills in the episode or show it was uploaded for; `podpub edge` serves it with
//! HEAD and Range.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::{spawn_app_with, TestApp, TestUser};
use crate::kit::media::Sample;
use crate::kit::moto::{moto_url, Bucket};
use crate::kit::uploads::{asking, long_mp3, sample};

/// A show `slug` with one episode whose enclosure is a placeholder; the episode's id.
pub async fn show_with_episode(app: &TestApp, user: &TestUser, slug: &str) -> String {
    app.post_show(user, slug, json!({})).await;
    let enclosure =
        json!({"url": "https://example.com/placeholder.mp3", "length": 1, "type": "audio/mpeg"});
    let episode = app
        .post_episode(
            user,
            slug,
            json!({"title": "Pilot", "enclosure": enclosure}),
        )
        .await;
    episode["id"].as_str().unwrap().to_string()
}

async fn episode(app: &TestApp, user: &TestUser, slug: &str, id: &str) -> Value {
    let path = format!("/shows/{slug}/episodes/{id}");
    let (status, episode) = app.api(Method::GET, &path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK);
    episode
}

/// Uploads each kind of episode media, and both kinds of artwork, and checks what the probe
/// found and what it filled in.
async fn every_kind_is_probed(app: &TestApp) -> Vec<String> {
    let user = app.create_user(false).await;
    let id = show_with_episode(app, &user, "kinds").await;
    let cases = [
        (Sample::Mp3Cbr, "cbr.mp3", "audio/mpeg", "audio/mpeg", 3.0),
        (Sample::Mp3Vbr, "vbr.mp3", "audio/mpeg", "audio/mpeg", 3.0),
        (
            Sample::M4aMoovAtEnd,
            "late-moov.m4a",
            "audio/mp4",
            "audio/x-m4a",
            3.0,
        ),
        (Sample::VideoMp4, "clip.mp4", "video/mp4", "video/mp4", 2.0),
    ];
    let mut urls = Vec::new();
    for (kind, name, declared, probed, seconds) in cases {
        let bytes = sample(kind);
        let extra = json!({ "episode_id": id });
        let upload = app
            .upload(
                &user,
                "kinds",
                asking("episode_media", name, declared, extra),
                &bytes,
            )
            .await;
        assert_eq!(upload["state"], "ready", "{name}: {upload}");
        let media = &upload["media"];
        assert_eq!(media["content_type"], probed, "{name}");
        assert_eq!(media["length"], bytes.len(), "{name}");
        let duration = media["duration_seconds"].as_f64().unwrap();
        assert!((duration - seconds).abs() < 0.2, "{name}: {duration} s");
        assert!(media["bitrate"].as_i64().unwrap() > 0, "{name}: {media}");
        let ep = episode(app, &user, "kinds", &id).await;
        assert_eq!(ep["enclosure"]["url"], upload["url"], "{name}");
        assert_eq!(ep["enclosure"]["length"], bytes.len(), "{name}");
        assert_eq!(ep["enclosure"]["type"], probed, "{name}");
        assert_eq!(ep["duration_seconds"], seconds as i64, "{name}");
        urls.push(upload["url"].as_str().unwrap().to_string());
    }
    let png = sample(Sample::PngArtwork(1400, 1400));
    let show_art = app
        .upload(
            &user,
            "kinds",
            asking("show_artwork", "cover.png", "image/png", json!({})),
            &png,
        )
        .await;
    assert_eq!(show_art["state"], "ready", "{show_art}");
    assert_eq!(show_art["media"]["width"], 1400);
    assert_eq!(show_art["warnings"], json!([]));
    let (_, show) = app
        .api(Method::GET, "/shows/kinds", Some(&user), None)
        .await;
    assert_eq!(show["image_url"], show_art["url"]);

    let jpeg = sample(Sample::JpegArtwork(1500, 1500));
    let extra = json!({ "episode_id": id });
    let art = app
        .upload(
            &user,
            "kinds",
            asking("episode_artwork", "ep.jpg", "image/jpeg", extra),
            &jpeg,
        )
        .await;
    assert_eq!(art["state"], "ready", "{art}");
    assert_eq!(art["media"]["content_type"], "image/jpeg");
    assert_eq!(
        episode(app, &user, "kinds", &id).await["image_url"],
        art["url"]
    );

    app.run_pending_jobs().await;
    urls.push(show_art["url"].as_str().unwrap().to_string());
    urls
}

#[tokio::test]
async fn each_kind_of_media_is_probed_and_filled_in_on_the_local_directory() {
    let app = spawn_app_with(false, &[]).await;
    let urls = every_kind_is_probed(&app).await;
    // The feed names the last media and the show's artwork, as the episode and show now do.
    let xml = app.feed_xml("kinds").await.expect("the feed is published");
    assert!(xml.contains(&urls[3]) && xml.contains(&urls[4]), "{xml}");
    // The edge serves media as a CDN does: HEAD and byte ranges, immutable.
    let url = &urls[0];
    let full = sample(Sample::Mp3Cbr);
    let head = app.client.head(url).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        head.headers()["content-length"],
        full.len().to_string().as_str()
    );
    assert_eq!(head.headers()["content-type"], "audio/mpeg");
    assert!(head.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let ranged = app
        .client
        .get(url)
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        ranged.headers()["content-range"],
        format!("bytes 100-199/{}", full.len()).as_str()
    );
    assert_eq!(ranged.bytes().await.unwrap().as_ref(), &full[100..200]);
}

#[tokio::test]
async fn each_kind_of_media_is_probed_and_filled_in_on_s3() {
    let bucket = Bucket::create("media").await;
    let media_base = format!("https://media.example.com/{}", bucket.name);
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("site")),
            ("AWS_ENDPOINT_URL", &moto_url()),
            ("PODPUB_MEDIA_BASE_URL", &media_base),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    let id = show_with_episode(&app, &user, "cloud").await;
    let bytes = sample(Sample::M4aMoovAtEnd);
    let extra = json!({ "episode_id": id });
    let upload = app
        .upload(
            &user,
            "cloud",
            asking("episode_media", "talk.m4a", "audio/x-m4a", extra),
            &bytes,
        )
        .await;
    assert_eq!(upload["state"], "ready", "{upload}");
    let url = upload["url"].as_str().unwrap();
    let key = url
        .strip_prefix(&format!("{media_base}/"))
        .expect("under the media base URL");
    assert!(key.starts_with("_media/"), "{key}");
    let object = bucket
        .s3
        .head_object()
        .bucket(&bucket.name)
        .key(format!("site/{key}"))
        .send()
        .await
        .expect("the object is in the bucket, under the publish prefix");
    assert_eq!(object.content_length(), Some(bytes.len() as i64));
    assert_eq!(object.content_type(), Some("audio/x-m4a"));
    assert!(object.cache_control().unwrap().contains("immutable"));
    assert!((upload["media"]["duration_seconds"].as_f64().unwrap() - 3.0).abs() < 0.2);
    assert_eq!(
        episode(&app, &user, "cloud", &id).await["enclosure"]["url"],
        url
    );
}

#[tokio::test]
async fn every_kind_of_file_goes_straight_to_s3_and_is_probed_there() {
    let bucket = Bucket::create("kinds").await;
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("")),
            ("AWS_ENDPOINT_URL", &moto_url()),
        ],
    )
    .await;
    let urls = every_kind_is_probed(&app).await;
    let xml = bucket
        .text("kinds/feed.xml")
        .await
        .expect("the feed is in the bucket");
    assert!(xml.contains(&urls[3]) && xml.contains(&urls[4]), "{xml}");
}

/// A large file goes in parts; a part that arrived short is named, sent again, and the upload
/// then completes.
async fn a_large_file_goes_in_parts(app: &TestApp) {
    let user = app.create_user(false).await;
    let id = show_with_episode(app, &user, "parts").await;
    let bytes = long_mp3(360); // about 11.5 MB: three parts of 5 MiB
    let body = json!({
        "purpose": "episode_media", "file_name": "long.mp3", "content_type": "audio/mpeg",
        "length": bytes.len(), "episode_id": id,
    });
    let (status, upload) = app.start_upload(&user, "parts", body).await;
    assert_eq!(status, StatusCode::CREATED, "{upload}");
    let part_bytes = upload["send"]["part_bytes"].as_u64().unwrap() as usize;
    assert_eq!(part_bytes, 5 << 20);
    let parts = upload["send"]["parts"].as_array().unwrap().clone();
    assert_eq!(parts.len(), 3);
    // Parts in any order; the second arrives cut short (a dropped connection).
    let (status, third) = app
        .put_part(&parts[2], bytes[2 * part_bytes..].to_vec())
        .await;
    assert!(status.is_success());
    let (status, first) = app.put_part(&parts[0], bytes[..part_bytes].to_vec()).await;
    assert!(status.is_success());
    let short = bytes[part_bytes..part_bytes + 1000].to_vec();
    let (_, second) = app.put_part(&parts[1], short).await;
    let etags = |second: &str| {
        json!({"parts": [
            {"number": 1, "etag": first}, {"number": 2, "etag": second},
            {"number": 3, "etag": third},
        ]})
    };
    let upload_id = upload["id"].as_str().unwrap();
    let (status, err) = app
        .complete_upload(&user, "parts", upload_id, etags(&second))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "upload_incomplete", "{err}");
    // The retry of that part, then completion.
    let again = bytes[part_bytes..2 * part_bytes].to_vec();
    let (status, second) = app.put_part(&parts[1], again).await;
    assert!(status.is_success());
    let (status, done) = app
        .complete_upload(&user, "parts", upload_id, etags(&second))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{done}");
    app.run_pending_jobs().await;
    let ready = app.upload_state(&user, "parts", upload_id).await;
    assert_eq!(ready["state"], "ready", "{ready}");
    assert_eq!(ready["media"]["length"], bytes.len());
    assert!((ready["media"]["duration_seconds"].as_f64().unwrap() - 360.0).abs() < 0.5);
    let fetched = app
        .client
        .get(ready["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.bytes().await.unwrap().as_ref(), bytes.as_slice());
}

#[tokio::test]
async fn a_large_file_goes_in_parts_that_can_be_sent_again_locally() {
    let app = spawn_app_with(false, &[("PODPUB_MEDIA_PART_BYTES", "5242880")]).await;
    a_large_file_goes_in_parts(&app).await;
}

#[tokio::test]
async fn a_large_file_goes_in_parts_that_can_be_sent_again_on_s3() {
    let bucket = Bucket::create("parts").await;
    let base = format!("{}/{}", moto_url(), bucket.name);
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("")),
            ("AWS_ENDPOINT_URL", &moto_url()),
            ("PODPUB_MEDIA_BASE_URL", &base),
            ("PODPUB_MEDIA_PART_BYTES", "5242880"),
        ],
    )
    .await;
    a_large_file_goes_in_parts(&app).await;
}
