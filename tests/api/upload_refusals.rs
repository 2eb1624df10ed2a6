//! What uploads refuse, each with its code, leaving nothing behind: a type not allowed, a file
//! that is not what it claims, a WAV, a truncated file, a renamed text file, one too large, one
//! over the show's quota, an expired upload, and deleting media an episode still uses.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::uploads::show_with_episode;
use crate::kit::app::{spawn_app_with, TestApp, TestUser};
use crate::kit::media::Sample;
use crate::kit::moto::{moto_url, Bucket};
use crate::kit::uploads::{asking, files_under, sample};

fn ask(purpose: &str, name: &str, content_type: &str, length: usize) -> Value {
    json!({"purpose": purpose, "file_name": name, "content_type": content_type, "length": length})
}

/// Uploads files that claim to be what they are not; each is refused by the probe with its
/// code, and its object is removed.
async fn bad_files_are_refused(app: &TestApp, user: &TestUser) {
    let before = app.post_show(user, "bad", json!({})).await;
    let cases = [
        (
            Sample::Wav,
            "episode_media",
            "audio/mpeg",
            "media_unsupported",
        ),
        (
            Sample::Truncated,
            "episode_media",
            "audio/x-m4a",
            "media_truncated",
        ),
        (
            Sample::TextRenamed,
            "episode_media",
            "audio/mpeg",
            "media_unreadable",
        ),
        (
            Sample::PngArtwork(1400, 1400),
            "episode_media",
            "audio/mpeg",
            "media_mismatch",
        ),
        (
            Sample::Mp3Cbr,
            "show_artwork",
            "image/png",
            "media_mismatch",
        ),
        (
            Sample::M4aMoovAtEnd,
            "episode_media",
            "audio/mpeg",
            "media_mismatch",
        ),
    ];
    for (kind, purpose, declared, code) in cases {
        let bytes = sample(kind);
        let upload = app
            .upload(
                user,
                "bad",
                asking(purpose, "file", declared, json!({})),
                &bytes,
            )
            .await;
        assert_eq!(upload["state"], "refused", "{kind:?}: {upload}");
        assert_eq!(upload["error"]["code"], code, "{kind:?}: {upload}");
        let url = upload["url"].as_str().unwrap();
        if url.starts_with(&app.edge_address) {
            let got = app.client.head(url).send().await.unwrap();
            assert_eq!(
                got.status(),
                StatusCode::NOT_FOUND,
                "{kind:?} left its file"
            );
        }
    }
    let (_, show) = app.api(Method::GET, "/shows/bad", Some(user), None).await;
    assert_eq!(
        show["image_url"], before["image_url"],
        "a refused artwork became the show's"
    );
}

#[tokio::test]
async fn bad_files_are_refused_with_their_code_and_leave_nothing_locally() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    bad_files_are_refused(&app, &user).await;
    assert_eq!(
        files_under(&app.publish_dir, "_media"),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        files_under(&app.publish_dir, ".uploads"),
        Vec::<std::path::PathBuf>::new()
    );
}

#[tokio::test]
async fn bad_files_are_refused_with_their_code_and_leave_nothing_on_s3() {
    let bucket = Bucket::create("refusals").await;
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("")),
            ("AWS_ENDPOINT_URL", &moto_url()),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    bad_files_are_refused(&app, &user).await;
    let listed = bucket
        .s3
        .list_objects_v2()
        .bucket(&bucket.name)
        .prefix("_media/")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.key_count(), Some(0), "{:?}", listed.contents());
}

#[tokio::test]
async fn types_sizes_and_quotas_are_refused_before_any_byte_is_sent() {
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_MEDIA_MAX_BYTES", "100000"),
            ("PODPUB_MEDIA_SHOW_QUOTA_BYTES", "150000"),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    app.post_show(&user, "limits", json!({})).await;

    let (status, err) = app
        .start_upload(
            &user,
            "limits",
            ask("episode_media", "a.wav", "audio/wav", 1000),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["code"], "media_type_not_allowed");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("audio/mpeg"));
    let (status, err) = app
        .start_upload(
            &user,
            "limits",
            ask("show_artwork", "a.gif", "image/gif", 1000),
        )
        .await;
    assert_eq!(
        (status, &err["error"]["code"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("media_type_not_allowed")
        )
    );
    let (status, err) = app
        .start_upload(
            &user,
            "limits",
            ask("episode_media", "big.mp3", "audio/mpeg", 100_001),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["error"]["code"], "media_too_large");
    let (status, err) = app
        .start_upload(&user, "limits", ask("podcast", "x.mp3", "audio/mpeg", 0))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["error"]["fields"]["purpose"].is_string(), "{err}");
    assert!(err["error"]["fields"]["length"].is_string(), "{err}");

    // The quota counts uploads under way at their declared length.
    let (status, first) = app
        .start_upload(
            &user,
            "limits",
            ask("episode_media", "one.mp3", "audio/mpeg", 90_000),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, err) = app
        .start_upload(
            &user,
            "limits",
            ask("episode_media", "two.mp3", "audio/mpeg", 90_000),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["error"]["code"], "media_quota_exceeded");

    // More bytes than declared: the part is refused as it streams in.
    let part = &first["send"]["parts"][0];
    let (status, _) = app.put_part(part, vec![0u8; 90_001]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        files_under(&app.publish_dir, ".uploads"),
        Vec::<std::path::PathBuf>::new()
    );

    // Someone else's show, and an unknown upload.
    let stranger = app.create_user(false).await;
    let (status, _) = app
        .start_upload(
            &stranger,
            "limits",
            ask("episode_media", "x.mp3", "audio/mpeg", 10),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let unknown = "/shows/limits/uploads/00000000-0000-0000-0000-000000000000";
    let (status, _) = app.api(Method::GET, unknown, Some(&user), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_expired_upload_is_refused_and_removed() {
    let app = spawn_app_with(false, &[("PODPUB_MEDIA_UPLOAD_EXPIRY_SECS", "5")]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "late", json!({})).await;
    let bytes = sample(Sample::Mp3Cbr);
    let (_, upload) = app
        .start_upload(
            &user,
            "late",
            ask("episode_media", "late.mp3", "audio/mpeg", bytes.len()),
        )
        .await;
    let part = &upload["send"]["parts"][0];
    // Half the file arrives in time; then the URL expires.
    let (status, _) = app.put_part(part, bytes.clone()).await;
    assert!(status.is_success());
    tokio::time::sleep(std::time::Duration::from_millis(5200)).await;
    let (status, _) = app.put_part(part, bytes).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an expired URL takes no bytes"
    );
    let id = upload["id"].as_str().unwrap();
    let (status, err) = app.complete_upload(&user, "late", id, Value::Null).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "upload_expired");
    let state = app.upload_state(&user, "late", id).await;
    assert_eq!(state["state"], "refused");
    assert!(state["send"].is_null());
    assert_eq!(
        files_under(&app.publish_dir, ".uploads"),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        files_under(&app.publish_dir, "_media"),
        Vec::<std::path::PathBuf>::new()
    );
}

#[tokio::test]
async fn media_an_episode_uses_cannot_be_deleted() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    let episode = show_with_episode(&app, &user, "keep").await;
    let bytes = sample(Sample::Mp3Cbr);
    let extra = json!({ "episode_id": episode });
    let first = app
        .upload(
            &user,
            "keep",
            asking("episode_media", "one.mp3", "audio/mpeg", extra.clone()),
            &bytes,
        )
        .await;
    let id = first["id"].as_str().unwrap();
    let path = format!("/shows/keep/uploads/{id}");
    let (status, err) = app.api(Method::DELETE, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "media_in_use");
    assert!(err["error"]["message"].as_str().unwrap().contains("Pilot"));

    // Replaced by a new upload (a new object): the old one is free to go.
    let second = app
        .upload(
            &user,
            "keep",
            asking("episode_media", "two.mp3", "audio/mpeg", extra),
            &bytes,
        )
        .await;
    assert_ne!(first["url"], second["url"], "every upload is a new object");
    let (status, _) = app.api(Method::DELETE, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let gone = app
        .client
        .head(first["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let kept = app
        .client
        .head(second["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), StatusCode::OK);
}

#[tokio::test]
async fn cmyk_artwork_made_the_shows_is_a_feed_warning_that_apple_refuses_it() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "inky", json!({})).await;
    let jpeg = sample(Sample::JpegCmyk);
    let art = app
        .upload(
            &user,
            "inky",
            asking("show_artwork", "cmyk.jpg", "image/jpeg", json!({})),
            &jpeg,
        )
        .await;
    assert_eq!(art["state"], "ready", "{art}");
    let (_, state) = app
        .api(Method::GET, "/shows/inky/feed", Some(&user), None)
        .await;
    let warning = state["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "artwork_not_rgb")
        .unwrap_or_else(|| panic!("no artwork_not_rgb: {state}"));
    assert!(
        warning["message"].as_str().unwrap().contains("CMYK"),
        "{warning}"
    );
}

#[tokio::test]
async fn small_artwork_is_uploaded_with_apples_rules_as_warnings() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "tiny", json!({})).await;
    let jpeg = sample(Sample::JpegArtwork(300, 200));
    let art = app
        .upload(
            &user,
            "tiny",
            asking("show_artwork", "tiny.jpg", "image/jpeg", json!({})),
            &jpeg,
        )
        .await;
    assert_eq!(art["state"], "ready", "{art}");
    let codes: Vec<_> = art["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].clone())
        .collect();
    assert!(codes.contains(&json!("artwork_too_small")), "{codes:?}");
    assert!(codes.contains(&json!("artwork_not_square")), "{codes:?}");
    // The feed's warnings now know the artwork's size too.
    let warnings = app.warning_codes(&user, "tiny").await;
    assert!(
        warnings.contains(&"artwork_size".to_string()),
        "{warnings:?}"
    );
}
