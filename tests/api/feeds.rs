//! From an API edit to the feed on the local CDN.

use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::{
    app::{spawn_app, spawn_app_with},
    python::feedcheck,
};

const TRICKY: &str = "Tom & Jerry <live> \"quoted\" 'single' — café naïve 🎙️ 日本語";

/// Polls `check` every 50 ms until it holds or `limit` passes.
async fn eventually<F, Fut>(limit: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn published_episode_reaches_the_feed_and_a_scheduled_one_appears_at_its_time() {
    let app = spawn_app_with(true, &[]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "daily", json!({})).await;
    app.post_episode(&user, "daily", json!({"title": "Out now"}))
        .await;
    let release = Utc::now() + chrono::Duration::seconds(3);
    app.post_episode(
        &user,
        "daily",
        json!({"title": "Coming soon", "publish_at": release.to_rfc3339()}),
    )
    .await;

    let published = eventually(Duration::from_secs(2), || async {
        app.feed_xml("daily")
            .await
            .is_some_and(|x| x.contains("Out now"))
    })
    .await;
    assert!(published, "the published episode is in the feed within 2 s");
    let early = app.feed_xml("daily").await.unwrap();
    assert!(
        Utc::now() < release,
        "test machine too slow to check the early feed"
    );
    assert!(
        !early.contains("Coming soon"),
        "scheduled episode leaked early"
    );

    let appeared = eventually(Duration::from_secs(6), || async {
        app.feed_xml("daily")
            .await
            .is_some_and(|x| x.contains("Coming soon"))
    })
    .await;
    assert!(appeared, "the scheduled episode appears without a refresh");
    let late_by = Utc::now() - release;
    assert!(
        late_by < chrono::Duration::seconds(2),
        "appeared {late_by} after its time"
    );
}

#[tokio::test]
async fn editing_an_episode_changes_the_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "edits", json!({})).await;
    let episode = app
        .post_episode(&user, "edits", json!({"title": "First title"}))
        .await;
    app.run_pending_jobs().await;
    assert!(app.feed_xml("edits").await.unwrap().contains("First title"));

    let id = episode["id"].as_str().unwrap();
    let (status, _) = app
        .api(
            Method::PATCH,
            &format!("/shows/edits/episodes/{id}"),
            Some(&user),
            Some(json!({"title": "Second title"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.run_pending_jobs().await;
    let xml = app.feed_xml("edits").await.unwrap();
    assert!(xml.contains("Second title"));
    assert!(!xml.contains("First title"));
}

#[tokio::test]
async fn drafts_and_deleted_episodes_stay_out_of_the_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "drafts", json!({})).await;
    app.post_episode(
        &user,
        "drafts",
        json!({"title": "Still a draft", "status": "draft"}),
    )
    .await;
    let gone = app
        .post_episode(&user, "drafts", json!({"title": "Soon deleted"}))
        .await;
    app.run_pending_jobs().await;
    let xml = app.feed_xml("drafts").await.unwrap();
    assert!(!xml.contains("Still a draft"));
    assert!(xml.contains("Soon deleted"));

    let path = format!("/shows/drafts/episodes/{}", gone["id"].as_str().unwrap());
    let (status, _) = app.api(Method::DELETE, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.run_pending_jobs().await;
    assert!(!app
        .feed_xml("drafts")
        .await
        .unwrap()
        .contains("Soon deleted"));
}

#[tokio::test]
async fn an_identical_rerender_writes_nothing() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "steady", json!({})).await;
    app.post_episode(&user, "steady", json!({})).await;
    app.run_pending_jobs().await;
    let file = app.publish_dir.join("steady/feed.xml");
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    let (_, state_before) = app
        .api(Method::GET, "/shows/steady/feed", Some(&user), None)
        .await;

    let (status, body) = app
        .api(Method::POST, "/shows/steady/refresh", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let job_id = body["job_id"].as_str().unwrap().to_string();
    app.run_pending_jobs().await;

    let (_, job) = app
        .api(Method::GET, &format!("/jobs/{job_id}"), Some(&user), None)
        .await;
    assert_eq!(job["state"], "done", "{job}");
    let after = std::fs::metadata(&file).unwrap().modified().unwrap();
    assert_eq!(before, after, "the feed file was rewritten");
    let (_, state_after) = app
        .api(Method::GET, "/shows/steady/feed", Some(&user), None)
        .await;
    assert_eq!(state_before["published_at"], state_after["published_at"]);
    assert_eq!(state_after["state"], "up_to_date");
}

#[tokio::test]
async fn feed_state_goes_from_pending_to_up_to_date() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show = app.post_show(&user, "stateful", json!({})).await;
    app.post_episode(&user, "stateful", json!({})).await;
    let (status, state) = app
        .api(Method::GET, "/shows/stateful/feed", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["state"], "pending");
    assert_eq!(state["feed_url"], show["feed_url"]);

    app.run_pending_jobs().await;
    let (_, state) = app
        .api(Method::GET, "/shows/stateful/feed", Some(&user), None)
        .await;
    assert_eq!(state["state"], "up_to_date", "{state}");
    assert_eq!(state["published_revision"], state["revision"]);
    assert_eq!(state["episode_count"], 1);
    let xml = app.feed_xml("stateful").await.unwrap();
    assert_eq!(state["bytes"], xml.len());
}

#[tokio::test]
async fn text_round_trips_exactly_through_feedparser_and_podcastparser() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(
        &user,
        "tricky",
        json!({"title": TRICKY, "author": TRICKY, "owner_name": TRICKY}),
    )
    .await;
    // Well-formed HTML, so feedparser's sanitizer gives it back unchanged.
    let notes = "<p>Tom &amp; Jerry: <a href=\"https://example.com/\">café</a> ]]> 🎙️</p>";
    let episode = app
        .post_episode(
            &user,
            "tricky",
            json!({"title": TRICKY, "description": notes, "guid": "tag:example.com,2026:<1&2>"}),
        )
        .await;
    app.run_pending_jobs().await;
    let xml = app.feed_xml("tricky").await.unwrap();
    let parsed = feedcheck(&xml);

    let fp = &parsed["feedparser"];
    assert_eq!(fp["bozo"], 0, "feedparser: {}", fp["bozo_exception"]);
    assert_eq!(fp["title"], TRICKY);
    assert_eq!(fp["author"], TRICKY);
    let entry = &fp["entries"][0];
    assert_eq!(entry["title"], TRICKY);
    assert_eq!(entry["id"], "tag:example.com,2026:<1&2>");
    assert_eq!(entry["content"], notes);
    assert_eq!(entry["enclosures"][0]["href"], "https://example.com/ep.mp3");
    assert_eq!(entry["enclosures"][0]["length"], "1234");

    let pp = &parsed["podcastparser"];
    assert!(pp.get("error").is_none(), "podcastparser: {pp}");
    assert_eq!(pp["title"], TRICKY);
    let ep = &pp["episodes"][0];
    assert_eq!(ep["title"], TRICKY);
    assert_eq!(ep["guid"], episode["guid"]);
    assert_eq!(ep["total_time"], 1800);
    assert_eq!(ep["description_html"], notes);
    assert_eq!(ep["enclosures"][0]["file_size"], 1234);
    assert_eq!(ep["enclosures"][0]["mime_type"], "audio/mpeg");
}

#[tokio::test]
async fn the_feed_carries_the_podcast_guid_of_its_url() {
    assert_eq!(
        podpub::feed::guid::podcast_guid("https://podnews.net/rss").to_string(),
        "9b024349-ccf0-5f69-a609-6b82873eab3c"
    );
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show = app.post_show(&user, "guided", json!({})).await;
    let expected = podpub::feed::guid::podcast_guid(show["feed_url"].as_str().unwrap());
    assert_eq!(show["podcast_guid"], expected.to_string());
    app.run_pending_jobs().await;
    let xml = app.feed_xml("guided").await.unwrap();
    assert!(xml.contains(&format!("<podcast:guid>{expected}</podcast:guid>")));
}

#[tokio::test]
async fn a_deleted_show_keeps_a_blocked_feed_and_a_purged_one_disappears() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "retired", json!({})).await;
    app.post_episode(&user, "retired", json!({})).await;
    app.run_pending_jobs().await;

    let (status, _) = app
        .api(Method::DELETE, "/shows/retired", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.run_pending_jobs().await;
    let xml = app.feed_xml("retired").await.expect("feed stays published");
    assert!(xml.contains("<itunes:block>Yes</itunes:block>"));
    assert!(xml.contains("<itunes:complete>Yes</itunes:complete>"));

    let (status, _) = app
        .api(
            Method::DELETE,
            "/shows/retired?purge=true",
            Some(&user),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.run_pending_jobs().await;
    assert!(app.feed_xml("retired").await.is_none());
}

#[tokio::test]
async fn the_edge_serves_feeds_like_a_cdn() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "cached", json!({})).await;
    app.run_pending_jobs().await;
    let url = format!("{}/cached/feed.xml", app.edge_address);
    let resp = app.client.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers()["content-type"],
        "application/rss+xml; charset=utf-8"
    );
    assert_eq!(resp.headers()["cache-control"], "public, max-age=300");
    let etag = resp.headers()["etag"].clone();
    let resp = app
        .client
        .get(&url)
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);
    let resp = app
        .client
        .get(&url)
        .header("range", "bytes=0-4")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(resp.text().await.unwrap(), "<?xml");
}

#[tokio::test]
async fn a_large_show_publishes_archive_pages_beside_a_limited_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(
        &user,
        "big",
        json!({"item_limit": 10, "archive_page_size": 10}),
    )
    .await;
    let start = Utc::now() - chrono::Duration::days(100);
    for i in 0..25 {
        let at = start + chrono::Duration::days(i);
        app.post_episode(
            &user,
            "big",
            json!({"title": format!("Part {i:02}"), "publish_at": at.to_rfc3339()}),
        )
        .await;
    }
    app.run_pending_jobs().await;
    let main = app.feed_xml("big").await.unwrap();
    assert_eq!(main.matches("<item>").count(), 10);
    assert!(main.contains("Part 24") && !main.contains("Part 14"));
    let archive = |n: u32| {
        let url = format!("{}/big/archive/{n}.xml", app.edge_address);
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap() }
    };
    let first = archive(1).await.text().await.unwrap();
    assert_eq!(first.matches("<item>").count(), 10);
    assert!(first.contains("Part 00") && first.contains("Part 09"));
    assert!(first.contains("<fh:archive/>"));
    let second = archive(2).await.text().await.unwrap();
    assert!(second.contains("Part 10") && second.contains("Part 19"));
    assert_eq!(
        archive(3).await.status(),
        StatusCode::NOT_FOUND,
        "only full pages"
    );
    let parsed = feedcheck(&first);
    assert_eq!(parsed["feedparser"]["bozo"], 0);

    // Deleting old episodes shrinks the archive: the page that is no longer full goes away.
    let (_, list) = app
        .api(
            Method::GET,
            "/shows/big/episodes?limit=500",
            Some(&user),
            None,
        )
        .await;
    for ep in list["items"].as_array().unwrap().iter().take(6) {
        let path = format!("/shows/big/episodes/{}", ep["id"].as_str().unwrap());
        app.api(Method::DELETE, &path, Some(&user), None).await;
    }
    app.run_pending_jobs().await;
    assert_eq!(archive(2).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(archive(1).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn feed_state_warns_before_directories_reject_the_feed_and_clears_once_fixed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(
        &user,
        "warned",
        json!({"image_url": null, "categories": [{"name": "technology"}]}),
    )
    .await;
    let episode = app
        .post_episode(
            &user,
            "warned",
            json!({"enclosure": {"url": "https://example.com/e.ogg", "length": 0, "type": "audio/ogg"}}),
        )
        .await;
    let (_, state) = app
        .api(Method::GET, "/shows/warned/feed", Some(&user), None)
        .await;
    let codes: Vec<&str> = state["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "artwork_missing",
            "category_unknown",
            "enclosure_type_rejected",
            "enclosure_length_missing"
        ],
        "{state}"
    );
    assert!(state["warnings"][1]["message"]
        .as_str()
        .unwrap()
        .contains("Technology"));
    assert_eq!(state["warnings"][2]["episode_id"], episode["id"]);

    app.api(
        Method::PATCH,
        "/shows/warned",
        Some(&user),
        Some(json!({"image_url": "https://example.com/art.jpg", "categories": [{"name": "Technology"}]})),
    )
    .await;
    let path = format!("/shows/warned/episodes/{}", episode["id"].as_str().unwrap());
    let fixed = json!({"enclosure": {"url": "https://example.com/e.mp3", "length": 10, "type": "audio/mpeg"}});
    app.api(Method::PATCH, &path, Some(&user), Some(fixed))
        .await;
    let (_, state) = app
        .api(Method::GET, "/shows/warned/feed", Some(&user), None)
        .await;
    assert_eq!(state["warnings"], json!([]));
}

/// The feed panel's warnings are about the feed as published: a renamed show's feed names its
/// new URL in `<itunes:new-feed-url>`, and here that URL is http.
#[tokio::test]
async fn feed_state_warns_about_the_feed_as_published_new_feed_url_included() {
    let base = ("PODPUB_FEED_BASE_URL", "http://feeds.example.com");
    let app = spawn_app_with(false, &[base]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "old-name", json!({})).await;
    app.post_episode(&user, "old-name", json!({})).await;
    let (_, state) = app
        .api(Method::GET, "/shows/old-name/feed", Some(&user), None)
        .await;
    assert_eq!(state["warnings"], json!([]), "{state}");

    let (status, _) = app
        .api(
            Method::PATCH,
            "/shows/old-name",
            Some(&user),
            Some(json!({"slug": "new-name"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.run_pending_jobs().await;
    let own = "http://feeds.example.com/new-name/feed.xml";
    let xml = app.feed_xml("new-name").await.expect("the renamed feed");
    assert!(
        xml.contains(&format!("<itunes:new-feed-url>{own}</itunes:new-feed-url>")),
        "{xml}"
    );
    let (_, state) = app
        .api(Method::GET, "/shows/new-name/feed", Some(&user), None)
        .await;
    assert_eq!(state["new_feed_url"], own);
    let warnings = state["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{state}");
    assert_eq!(warnings[0]["code"], "podcast_tag_not_https");
    let message = warnings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("itunes:new-feed-url") && message.contains(own),
        "{message}"
    );
}
