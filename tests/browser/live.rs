//! The Live tab in a browser: a podcaster announces a stream, sees it pending, and goes live
//! early with one button; the feed follows.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;

#[tokio::test]
async fn a_live_stream_is_announced_and_goes_live_with_one_button() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "air", json!({"title": "On Air"})).await;
    b.sign_in("host@example.com", PASSWORD).await;

    b.goto("/shows/air").await;
    b.click("nav.tabs a[href$='/live']").await;
    b.at("/shows/air/live").await;
    b.click("a.button[href$='/live/new']").await;
    b.at("/shows/air/live/new").await;
    let start = (Utc::now() + Duration::days(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let end = (Utc::now() + Duration::days(1) + Duration::hours(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    b.fill("title", "Friday night live").await;
    b.set_value("start", &start).await;
    b.set_value("end", &end).await;
    b.fill("enclosure_url", "https://stream.example.com/live.mp3")
        .await;
    b.fill("enclosure_type", "audio/mpeg").await;
    b.fill("content_links_0_href", "https://example.com/live")
        .await;
    b.fill("content_links_0_text", "Watch on our site").await;
    b.click("button[value=add_content_links]").await;
    b.at("/shows/air/live/new").await;
    b.fill(
        "content_links_1_href",
        "https://www.youtube.com/@onair/live",
    )
    .await;
    b.fill("content_links_1_text", "YouTube").await;
    b.screenshot("live-form").await;
    b.click(".actions button[value=save]").await;
    b.at("/shows/air/live").await;
    assert!(b.text(".notice").await.contains("Saved"));
    assert!(b.text("table.list").await.contains("pending"));

    b.click("button[value=live]").await;
    b.at("/shows/air/live").await;
    assert!(b.text("table.list").await.contains("set by hand"));
    b.screenshot("live-list").await;

    let (_, show) = app.api(Method::GET, "/shows/air", Some(&api), None).await;
    let item = &show["live_items"][0];
    assert_eq!(item["status"], "live", "{show}");
    assert_eq!(item["content_links"][1]["text"], "YouTube", "{show}");
    app.run_pending_jobs().await;
    let feed = app.feed_xml("air").await.expect("feed published");
    assert!(
        feed.contains(r#"<podcast:liveItem status="live""#),
        "{feed}"
    );
    b.close().await;
}
