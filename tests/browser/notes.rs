//! The notes editor (live preview and byte counter as you type, Markdown saved and reopened),
//! the Preview tab, and a feed opened in the browser through `podpub edge`, styled by its XSL.

use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;

/// Waits until the script `js` (returning a string) gives something `done` accepts.
pub(crate) async fn until(b: &Browser, js: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = b.c.execute(js, vec![]).await.unwrap();
        let got = got.as_str().unwrap_or_default().to_string();
        if done(&got) {
            return got;
        }
        assert!(Instant::now() < deadline, "{js} stayed {got:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) const PREVIEW: &str = "return document.getElementById('notes-preview').innerHTML;";
pub(crate) const COUNTER: &str = "return document.getElementById('notes-bytes').textContent;";

#[tokio::test]
async fn typing_markdown_previews_and_counts_live_then_saves_and_reopens_it() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "notes", json!({"title": "Notes Show"}))
        .await;
    b.sign_in("host@example.com", PASSWORD).await;
    b.goto("/shows/notes/episodes/new").await;
    assert_eq!(
        b.text("#notes-bytes").await,
        "0 of 4,000 bytes in the feed."
    );
    b.find("input[name=notes_format][value=markdown]")
        .await
        .click()
        .await
        .unwrap();
    b.fill("title", "Typed notes").await;
    b.fill(
        "description",
        "Hello **bold** world\n\n- one\n- [two](https://example.com/)",
    )
    .await;
    let shown = until(&b, PREVIEW, |h| h.contains("<li>")).await;
    assert!(shown.contains("<strong>bold</strong>"), "{shown}");
    let counter = until(&b, COUNTER, |t| !t.starts_with("0 of")).await;
    assert!(
        counter.ends_with("of 4,000 bytes in the feed."),
        "{counter}"
    );
    b.fill("enclosure_url", "https://example.com/typed.mp3")
        .await;
    b.fill("enclosure_length", "1000").await;
    b.screenshots("notes-editor-markdown").await;

    // Past Apple's limit the counter says so in words.
    let el = b.find("textarea[name=description]").await;
    b.c.execute(
        "arguments[0].value = 'x'.repeat(4100); arguments[0].dispatchEvent(new Event('input'));",
        vec![serde_json::to_value(&el).unwrap()],
    )
    .await
    .unwrap();
    let over = until(&b, COUNTER, |t| t.contains("over Apple's limit")).await;
    assert!(over.starts_with("4,107 of 4,000 bytes"), "{over}");
    b.screenshots("notes-editor-over-limit").await;
    b.fill("description", "Hello **bold** world").await;
    until(&b, COUNTER, |t| t.ends_with("in the feed.")).await;

    b.click("button[value=draft]").await;
    b.at("/shows/notes/episodes").await;
    let id: uuid::Uuid = sqlx::query_scalar("select id from episodes where title = 'Typed notes'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    b.goto(&format!("/shows/notes/episodes/{id}")).await;
    let source = b
        .find("textarea[name=description]")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(source.as_deref(), Some("Hello **bold** world"));
    let markdown = b.find("input[name=notes_format][value=markdown]").await;
    assert_eq!(
        markdown.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );
    assert!(b.text("#notes-preview").await.contains("Hello bold world"));
    b.close().await;
}

#[tokio::test]
async fn the_preview_tab_and_the_feed_opened_in_a_browser_read_well() {
    let app = spawn_app_with(false, &[("PODPUB_FEED_CONTENT_TYPE", "application/xml")]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(
        &api,
        "seen",
        json!({"title": "Seen Show", "author": "Ada Host"}),
    )
    .await;
    app.post_episode(
        &api,
        "seen",
        json!({"title": "Out now", "season": 1, "episode": 1,
        "description": "<p>The <b>first</b> one.</p>"}),
    )
    .await;
    let later = Utc::now() + chrono::Duration::days(2);
    app.post_episode(
        &api,
        "seen",
        json!({"title": "Next week", "publish_at": later}),
    )
    .await;
    app.post_episode(
        &api,
        "seen",
        json!({"title": "Still a draft", "status": "draft"}),
    )
    .await;
    b.sign_in("host@example.com", PASSWORD).await;
    b.goto("/shows/seen/preview").await;
    let page = b.text("main").await;
    assert!(page.contains("1 of 3 episodes in the feed"), "{page}");
    assert!(page.contains("Season 1, episode 1"), "{page}");
    assert!(
        page.contains("Scheduled for ") && page.contains("Draft: not in the feed"),
        "{page}"
    );
    b.screenshots("show-preview").await;

    app.run_pending_jobs().await;
    // Served as XML (PODPUB_FEED_CONTENT_TYPE), the feed URL opens as a page: Chromium applies
    // the stylesheet the feed names, fetched from the edge beside it.
    b.c.goto(&format!("{}/seen/feed.xml", app.edge_address))
        .await
        .unwrap();
    assert_eq!(b.text("h1").await, "Seen Show");
    assert_eq!(b.text("article h3").await, "Out now");
    let apple = b.find("a[href^='podcasts://']").await;
    assert_eq!(apple.text().await.unwrap(), "Apple Podcasts");
    assert!(b.exists("audio[src='https://example.com/ep.mp3']").await);
    assert!(b.text("main").await.contains("By Ada Host"));
    b.screenshots("feed-in-browser").await;
    b.close().await;
}
