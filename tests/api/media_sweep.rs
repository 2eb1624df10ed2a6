//! The media sweep: an upload never completed is removed once its URLs expire; a file an
//! episode no longer uses stays for the grace period (CDNs and apps may still hold its URL),
//! then goes; one still used, or used only by an episode in the trash, stays.

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::uploads::show_with_episode;
use crate::kit::app::{spawn_app, TestApp};
use crate::kit::media::Sample;
use crate::kit::uploads::{asking, files_under, sample};
use podpub::jobs::media_sweep::{sweep_media, MediaSwept};
use podpub::publish::Target;

const GRACE: std::time::Duration = std::time::Duration::from_secs(30 * 86_400);

async fn sweep(app: &TestApp, days_ahead: i64) -> MediaSwept {
    let target = Target::from_settings(&app.settings).await.unwrap();
    let at = Utc::now() + Duration::days(days_ahead);
    sweep_media(&app.pool, &target, GRACE, at).await.unwrap()
}

async fn status_of(app: &TestApp, url: &str) -> StatusCode {
    app.client.head(url).send().await.unwrap().status()
}

#[tokio::test]
async fn replaced_media_stays_for_the_grace_period_then_goes() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let episode = show_with_episode(&app, &user, "sweep").await;
    let bytes = sample(Sample::Mp3Cbr);
    let extra = json!({ "episode_id": episode });
    let ask = asking("episode_media", "one.mp3", "audio/mpeg", extra.clone());
    let old = app.upload(&user, "sweep", ask, &bytes).await;
    let ask = asking("episode_media", "two.mp3", "audio/mpeg", extra);
    let new = app.upload(&user, "sweep", ask, &bytes).await;
    let (old_url, new_url) = (old["url"].as_str().unwrap(), new["url"].as_str().unwrap());

    // The old file is unused from now on, but a CDN may still serve the old feed for a while.
    assert_eq!(sweep(&app, 0).await.deleted, 0);
    assert_eq!(sweep(&app, 29).await.deleted, 0);
    assert_eq!(status_of(&app, old_url).await, StatusCode::OK);
    assert_eq!(sweep(&app, 31).await.deleted, 1);
    assert_eq!(status_of(&app, old_url).await, StatusCode::NOT_FOUND);
    assert_eq!(status_of(&app, new_url).await, StatusCode::OK);
    let id = old["id"].as_str().unwrap();
    let path = format!("/shows/sweep/uploads/{id}");
    let (status, _) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the swept upload is forgotten"
    );
}

#[tokio::test]
async fn media_of_an_episode_in_the_trash_is_kept() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let episode = show_with_episode(&app, &user, "binned").await;
    let bytes = sample(Sample::Mp3Cbr);
    let ask = asking(
        "episode_media",
        "a.mp3",
        "audio/mpeg",
        json!({ "episode_id": episode }),
    );
    let upload = app.upload(&user, "binned", ask, &bytes).await;
    let path = format!("/shows/binned/episodes/{episode}");
    let (status, _) = app.api(Method::DELETE, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    sweep(&app, 0).await;
    assert_eq!(
        sweep(&app, 400).await.deleted,
        0,
        "a restore must find its audio"
    );
    assert_eq!(
        status_of(&app, upload["url"].as_str().unwrap()).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_upload_never_completed_is_removed_when_it_expires() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "gone", json!({})).await;
    let bytes = sample(Sample::Mp3Cbr);
    let mut ask = asking("episode_media", "a.mp3", "audio/mpeg", json!({}));
    ask["length"] = json!(bytes.len());
    let (_, upload) = app.start_upload(&user, "gone", ask).await;
    let (status, _) = app
        .put_part(&upload["send"]["parts"][0], bytes[..1000].to_vec())
        .await;
    assert!(status.is_success());
    assert_eq!(sweep(&app, 0).await.expired, 0, "not expired yet");
    assert_eq!(sweep(&app, 1).await.expired, 1);
    assert!(files_under(&app.publish_dir, ".uploads").is_empty());
    let id = upload["id"].as_str().unwrap();
    let state = app.upload_state(&user, "gone", id).await;
    assert_eq!(state["state"], "refused");
    assert_eq!(state["error"]["code"], "upload_expired");
    assert_eq!(
        sweep(&app, 3).await.forgotten,
        1,
        "refused uploads are forgotten after a day"
    );
}

#[tokio::test]
async fn purging_a_show_deletes_its_uploaded_files() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let episode = show_with_episode(&app, &user, "purged").await;
    let bytes = sample(Sample::Mp3Cbr);
    let ask = asking(
        "episode_media",
        "a.mp3",
        "audio/mpeg",
        json!({ "episode_id": episode }),
    );
    let upload = app.upload(&user, "purged", ask, &bytes).await;
    let url = upload["url"].as_str().unwrap();
    assert_eq!(status_of(&app, url).await, StatusCode::OK);
    let (status, err) = app
        .api(
            Method::DELETE,
            "/shows/purged?purge=true",
            Some(&user),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{err}");
    app.run_pending_jobs().await;
    assert_eq!(status_of(&app, url).await, StatusCode::NOT_FOUND);
    assert!(files_under(&app.publish_dir, "_media").is_empty());
}
