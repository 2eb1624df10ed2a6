//! "Copy media to podpub" after an import: the job downloads each enclosure and artwork from
//! the old host (a wiremock stand-in), verifies it, stores it, and only then switches the
//! episode to it. Failures keep the episode as it was, with a stable code on the file.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::{
    matchers::{method, path},
    Mock, MockServer, ResponseTemplate,
};

use crate::kit::app::{spawn_app_with, TestApp, TestUser};
use crate::kit::media::Sample;
use crate::kit::moto::{moto_url, Bucket};
use crate::kit::uploads::{files_under, sample};

/// One episode of the old feed: its guid, the path of its audio at the old host, the bytes
/// served there, and the length the feed declares.
pub struct OldEpisode {
    pub guid: &'static str,
    pub path: &'static str,
    pub bytes: Vec<u8>,
    pub declared: usize,
    pub art: Option<&'static str>,
}

impl OldEpisode {
    pub fn new(guid: &'static str, path: &'static str, kind: Sample) -> OldEpisode {
        let bytes = sample(kind);
        OldEpisode {
            guid,
            path,
            declared: bytes.len(),
            bytes,
            art: None,
        }
    }
}

/// The old feed, every file at `base`.
pub fn old_feed(base: &str, show_art: Option<&str>, episodes: &[OldEpisode]) -> String {
    let items: String = episodes
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let art = e
                .art
                .map(|a| format!("<itunes:image href=\"{base}{a}\"/>"))
                .unwrap_or_default();
            format!(
                "<item><title>Episode {guid}</title><guid isPermaLink=\"false\">{guid}</guid>\
                 <pubDate>{day:02} Jul 2020 04:00:00 GMT</pubDate>{art}\
                 <enclosure url=\"{base}{path}\" length=\"{len}\" type=\"audio/mpeg\"/></item>",
                guid = e.guid,
                day = 28 - i,
                path = e.path,
                len = e.declared,
            )
        })
        .collect();
    let art = show_art
        .map(|a| format!("<itunes:image href=\"{base}{a}\"/>"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" \
         xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\"><channel>\
         <title>Moving In</title><link>https://old.example.com</link>\
         <description>d</description>{art}{items}</channel></rss>"
    )
}

/// Serves `bytes` at `at`, expecting `times` requests.
pub async fn serve(source: &MockServer, at: &str, bytes: Vec<u8>, times: u64) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(bytes))
        .expect(times)
        .mount(source)
        .await;
}

/// An app that may fetch from the local stand-in, with a 1 s stall timeout.
pub async fn copy_app(extra: &[(&str, &str)]) -> TestApp {
    let mut env = vec![
        ("PODPUB_IMPORT_ALLOW_PRIVATE", "true"),
        ("PODPUB_MEDIA_COPY_STALL_SECS", "1"),
    ];
    env.extend_from_slice(extra);
    spawn_app_with(false, &env).await
}

/// Imports the old feed; the new show's slug and id.
pub async fn import(app: &TestApp, user: &TestUser, xml: String) -> (String, Uuid) {
    let (status, body) = app
        .api(
            Method::POST,
            "/import",
            Some(user),
            Some(json!({ "rss": xml })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let slug = body["slug"].as_str().unwrap().to_string();
    app.run_pending_jobs().await;
    (slug, body["id"].as_str().unwrap().parse().unwrap())
}

/// Starts the copy, runs the jobs, and returns the progress.
pub async fn copy(app: &TestApp, user: &TestUser, slug: &str) -> Value {
    let at = format!("/shows/{slug}/copy-media");
    let (status, started) = app.api(Method::POST, &at, Some(user), None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    assert_eq!(started["queued"], true, "{started}");
    app.run_pending_jobs().await;
    progress(app, user, slug).await
}

pub async fn progress(app: &TestApp, user: &TestUser, slug: &str) -> Value {
    let at = format!("/shows/{slug}/copy-media");
    let (status, progress) = app.api(Method::GET, &at, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    progress
}

pub async fn episodes(app: &TestApp, user: &TestUser, slug: &str) -> Vec<Value> {
    let at = format!("/shows/{slug}/episodes?limit=500");
    let (status, list) = app.api(Method::GET, &at, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

fn by_guid<'a>(episodes: &'a [Value], guid: &str) -> &'a Value {
    episodes.iter().find(|e| e["guid"] == guid).unwrap()
}

/// The media objects in the local store (not their metadata).
fn objects(app: &TestApp) -> usize {
    files_under(&app.publish_dir, "_media")
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains(".meta"))
        .count()
}

async fn copies(app: &TestApp, show_id: Uuid) -> i64 {
    sqlx::query_scalar("select count(*) from media where show_id = $1 and source_url is not null")
        .bind(show_id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Where the copies are read back from: the edge (local target) or the bucket itself (moto
/// serves no anonymous reads).
#[derive(Clone, Copy)]
enum Store<'a> {
    Local,
    S3 { bucket: &'a Bucket, base: &'a str },
}

async fn fetch(app: &TestApp, store: Store<'_>, url: &str) -> Vec<u8> {
    if let Store::S3 { bucket, base } = store {
        let key = url
            .strip_prefix(&format!("{base}/"))
            .expect("under the media base");
        let object = bucket.s3.get_object().bucket(&bucket.name).key(key).send();
        let object = object.await.unwrap_or_else(|e| panic!("{key}: {e}"));
        assert!(object.cache_control().unwrap().contains("immutable"));
        return object.body.collect().await.unwrap().into_bytes().to_vec();
    }
    let resp = app.client.get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{url}");
    resp.bytes().await.unwrap().to_vec()
}

/// The whole copy: two enclosures, an episode's artwork and the show's, each switched once
/// verified, guids kept, the feed re-rendered with the new URLs; a second copy does nothing.
async fn the_whole_copy_switches_every_file(app: &TestApp, media_base: &str, store: Store<'_>) {
    let source = MockServer::start().await;
    let base = source.uri();
    let mut first = OldEpisode::new("ep-1", "/audio/one.mp3", Sample::Mp3Cbr);
    first.art = Some("/art/one.jpg");
    let second = OldEpisode::new("ep-2", "/audio/two.mp3", Sample::Mp3Vbr);
    let show_art = sample(Sample::PngArtwork(1400, 1400));
    let episode_art = sample(Sample::JpegArtwork(1400, 1400));
    serve(&source, "/audio/one.mp3", first.bytes.clone(), 1).await;
    serve(&source, "/audio/two.mp3", second.bytes.clone(), 1).await;
    serve(&source, "/art/show.png", show_art.clone(), 1).await;
    serve(&source, "/art/one.jpg", episode_art.clone(), 1).await;
    let user = app.create_user(false).await;
    let xml = old_feed(&base, Some("/art/show.png"), &[first, second]);
    let (slug, show_id) = import(app, &user, xml).await;

    let done = copy(app, &user, &slug).await;
    assert_eq!(done["total"], 4, "{done}");
    assert_eq!(done["copied"], 4, "{done}");
    assert_eq!(done["failed"], 0, "{done}");
    assert_eq!(done["finished"], true, "{done}");
    let eps = episodes(app, &user, &slug).await;
    let samples = [
        ("ep-1", sample(Sample::Mp3Cbr)),
        ("ep-2", sample(Sample::Mp3Vbr)),
    ];
    for (guid, bytes) in &samples {
        let ep = by_guid(&eps, guid);
        let url = ep["enclosure"]["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("{media_base}/_media/")), "{url}");
        assert_eq!(ep["enclosure"]["length"], bytes.len(), "{guid}");
        assert_eq!(ep["enclosure"]["type"], "audio/mpeg", "{guid}");
        assert_eq!(ep["duration_seconds"], 3, "{guid}: {ep}");
        assert_eq!(
            &fetch(app, store, url).await,
            bytes,
            "{guid}: the copy is the file"
        );
    }
    let art = by_guid(&eps, "ep-1")["image_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(art.starts_with(media_base), "{art}");
    assert_eq!(fetch(app, store, &art).await, episode_art);
    let (_, show) = app
        .api(Method::GET, &format!("/shows/{slug}"), Some(&user), None)
        .await;
    let show_url = show["image_url"].as_str().unwrap().to_string();
    assert!(show_url.starts_with(media_base), "{show}");
    assert_eq!(fetch(app, store, &show_url).await, show_art);

    let feed = match store {
        Store::Local => app.feed_xml(&slug).await,
        Store::S3 { bucket, .. } => bucket.text(&format!("{slug}/feed.xml")).await,
    };
    let feed = feed.expect("the feed is published");
    assert!(
        !feed.contains(&base),
        "no URL of the old host is left: {feed}"
    );
    for ep in &eps {
        let url = ep["enclosure"]["url"].as_str().unwrap();
        assert!(feed.contains(url), "the feed names {url}");
    }
    assert!(feed.contains(&show_url));
    assert!(
        feed.contains(">ep-1</guid>") && feed.contains(">ep-2</guid>"),
        "guids kept"
    );

    let again = copy(app, &user, &slug).await;
    assert_eq!(again["copied"], 4, "{again}");
    assert_eq!(copies(app, show_id).await, 4, "no second copy of any file");
    // Each source was fetched exactly once (checked when the stand-in drops).
}

#[tokio::test]
async fn the_whole_copy_switches_enclosures_and_artwork_on_the_local_target() {
    let app = copy_app(&[]).await;
    let media_base = app.edge_address.clone();
    the_whole_copy_switches_every_file(&app, &media_base, Store::Local).await;
    assert_eq!(objects(&app), 4);
}

#[tokio::test]
async fn the_whole_copy_switches_enclosures_and_artwork_on_s3() {
    let bucket = Bucket::create("copy").await;
    let base = format!("{}/{}", moto_url(), bucket.name);
    let app = copy_app(&[
        ("PODPUB_PUBLISH_URL", &bucket.publish_url("")),
        ("AWS_ENDPOINT_URL", &moto_url()),
        ("PODPUB_MEDIA_BASE_URL", &base),
    ])
    .await;
    let store = Store::S3 {
        bucket: &bucket,
        base: &base,
    };
    the_whole_copy_switches_every_file(&app, &base, store).await;
}

/// A one-episode show whose audio the stand-in answers with `response`; the failed file.
async fn one_failure(app: &TestApp, response: ResponseTemplate, declared: Option<usize>) -> Value {
    let source = MockServer::start().await;
    let mut ep = OldEpisode::new("ep-1", "/one.mp3", Sample::Mp3Cbr);
    if let Some(declared) = declared {
        ep.declared = declared;
    }
    Mock::given(method("GET"))
        .and(path("/one.mp3"))
        .respond_with(response)
        .mount(&source)
        .await;
    let user = app.create_user(false).await;
    let old_url = format!("{}/one.mp3", source.uri());
    let (slug, _) = import(app, &user, old_feed(&source.uri(), None, &[ep])).await;
    let before = episodes(app, &user, &slug).await;
    let done = copy(app, &user, &slug).await;
    assert_eq!(done["failed"], 1, "{done}");
    assert_eq!(done["copied"], 0, "{done}");
    assert_eq!(done["finished"], true, "{done}");
    let after = episodes(app, &user, &slug).await;
    assert_eq!(after, before, "the episode is as it was");
    assert_eq!(after[0]["enclosure"]["url"], old_url.as_str());
    assert_eq!(objects(app), 0, "nothing is left in the store");
    done["items"][0].clone()
}

#[tokio::test]
async fn a_stalled_source_fails_as_copy_stalled_and_keeps_the_episode() {
    let app = copy_app(&[]).await;
    let slow = ResponseTemplate::new(200)
        .set_body_bytes(sample(Sample::Mp3Cbr))
        .set_delay(Duration::from_secs(3));
    let item = one_failure(&app, slow, None).await;
    assert_eq!(item["state"], "failed", "{item}");
    assert_eq!(item["error"]["code"], "copy_stalled", "{item}");
}

#[tokio::test]
async fn a_failing_source_fails_with_its_status_and_can_be_retried() {
    let app = copy_app(&[]).await;
    let item = one_failure(&app, ResponseTemplate::new(500), None).await;
    assert_eq!(item["error"]["code"], "copy_source_failed", "{item}");
    let message = item["error"]["message"].as_str().unwrap();
    assert!(message.contains("500"), "{message}");
}

#[tokio::test]
async fn a_source_whose_length_changed_is_not_switched() {
    let app = copy_app(&[]).await;
    let bytes = sample(Sample::Mp3Cbr);
    let declared = bytes.len() + 417;
    let ok = ResponseTemplate::new(200).set_body_bytes(bytes);
    let item = one_failure(&app, ok, Some(declared)).await;
    assert_eq!(item["error"]["code"], "copy_length_changed", "{item}");
}

#[tokio::test]
async fn a_source_that_is_not_audio_is_refused_with_the_probe_code() {
    let app = copy_app(&[]).await;
    let text = b"<html>moved</html>".repeat(100);
    let declared = Some(text.len());
    let page = ResponseTemplate::new(200).set_body_bytes(text);
    let item = one_failure(&app, page, declared).await;
    assert_eq!(item["error"]["code"], "media_unreadable", "{item}");
}

#[tokio::test]
async fn a_failed_copy_is_retried_when_the_copy_is_started_again() {
    let app = copy_app(&[]).await;
    let source = MockServer::start().await;
    let ep = OldEpisode::new("ep-1", "/one.mp3", Sample::Mp3Cbr);
    let bytes = ep.bytes.clone();
    let user = app.create_user(false).await;
    let (slug, show_id) = import(&app, &user, old_feed(&source.uri(), None, &[ep])).await;
    Mock::given(method("GET"))
        .and(path("/one.mp3"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&source)
        .await;
    let failed = copy(&app, &user, &slug).await;
    assert_eq!(failed["failed"], 1, "{failed}");
    serve(&source, "/one.mp3", bytes.clone(), 1).await;
    let done = copy(&app, &user, &slug).await;
    assert_eq!(done["copied"], 1, "{done}");
    assert_eq!(done["failed"], 0, "{done}");
    assert_eq!(
        copies(&app, show_id).await,
        1,
        "the failed copy is forgotten"
    );
    let eps = episodes(&app, &user, &slug).await;
    assert_eq!(eps[0]["enclosure"]["length"], bytes.len());
}

/// A run cut off in the middle (as a crash would) leaves one file half-done; the next run
/// finishes it, fetches nothing twice that was done, and makes one copy of each file.
#[tokio::test]
async fn a_copy_cut_off_in_the_middle_finishes_on_the_next_run_without_duplicates() {
    let app = copy_app(&[("PODPUB_MEDIA_COPY_STALL_SECS", "10")]).await;
    let source = MockServer::start().await;
    let eps = [
        OldEpisode::new("ep-1", "/one.mp3", Sample::Mp3Cbr),
        OldEpisode::new("ep-2", "/two.mp3", Sample::Mp3Vbr),
        OldEpisode::new("ep-3", "/three.mp3", Sample::Mp3Cbr),
    ];
    serve(&source, "/one.mp3", eps[0].bytes.clone(), 1).await;
    serve(&source, "/two.mp3", eps[1].bytes.clone(), 1).await;
    let slow = ResponseTemplate::new(200)
        .set_body_bytes(eps[2].bytes.clone())
        .set_delay(Duration::from_millis(2500));
    Mock::given(method("GET"))
        .and(path("/three.mp3"))
        .respond_with(slow)
        .expect(2)
        .mount(&source)
        .await;
    let user = app.create_user(false).await;
    let (slug, show_id) = import(&app, &user, old_feed(&source.uri(), None, &eps)).await;

    let ctx = podpub::jobs::JobContext::new(&app.settings, app.pool.clone())
        .await
        .unwrap();
    let run = podpub::jobs::copy_media::run(&ctx, show_id);
    let cut = tokio::time::timeout(Duration::from_millis(1500), run).await;
    assert!(cut.is_err(), "the first run is cut off");
    let midway = progress(&app, &user, &slug).await;
    assert_eq!(midway["copied"], 2, "{midway}");
    assert_eq!(midway["in_progress"], 1, "{midway}");

    let done = copy(&app, &user, &slug).await;
    assert_eq!(done["copied"], 3, "{done}");
    assert_eq!(done["in_progress"], 0, "{done}");
    assert_eq!(copies(&app, show_id).await, 3, "one copy of each file");
    assert_eq!(objects(&app), 3, "one object of each file");
    let list = episodes(&app, &user, &slug).await;
    for ep in &eps {
        let got = by_guid(&list, ep.guid);
        assert_eq!(got["enclosure"]["length"], ep.bytes.len(), "{}", ep.guid);
        assert!(got["enclosure"]["url"]
            .as_str()
            .unwrap()
            .starts_with(&app.edge_address));
    }
}

#[tokio::test]
async fn copy_media_is_refused_for_a_show_the_caller_cannot_see() {
    let app = copy_app(&[]).await;
    let owner = app.create_user(false).await;
    let other = app.create_user(false).await;
    app.post_show(&owner, "mine", json!({})).await;
    let (status, body) = app
        .api(Method::POST, "/shows/mine/copy-media", Some(&other), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) = app
        .api(Method::GET, "/shows/mine/copy-media", Some(&other), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
