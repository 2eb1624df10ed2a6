//! The History tab in the browser: an edit shows up with its old and new values, and
//! "Revert this change" (after its confirmation) brings the old title back.

use reqwest::Method;
use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;

/// A screenshot of the whole page at `width` px, as `target/ui-screenshots/<name>-<width>.png`;
/// fails the test if the page scrolls sideways.
async fn shot(b: &Browser, name: &str, width: u32) {
    b.c.set_window_size(width, 1000).await.unwrap();
    let widest = b
        .c
        .execute(
            "let w = null; for (const e of document.querySelectorAll('main *')) { \
             if (e.getBoundingClientRect().right > window.innerWidth + 1) w = e.outerHTML.slice(0, 200); } \
             return w;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        widest.is_null(),
        "{name} at {width} px scrolls sideways: {widest}"
    );
    b.screenshot_page_at(&format!("{name}-{width}"), width)
        .await;
}

#[tokio::test]
async fn an_edited_title_is_in_the_history_and_revert_brings_it_back() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "undo", json!({"title": "Undo Radio"}))
        .await;
    let notes = format!("<p>{}</p>", "Long notes that go on. ".repeat(12));
    let episode = app
        .post_episode(
            &api,
            "undo",
            json!({"title": "The original title", "description": notes}),
        )
        .await;
    let id = episode["id"].as_str().unwrap();
    b.sign_in("host@example.com", PASSWORD).await;

    b.goto(&format!("/shows/undo/episodes/{id}")).await;
    b.fill("title", "A title typed by mistake").await;
    b.fill("description", "Short now").await;
    b.click("button[value=save]").await;

    b.goto(&format!("/shows/undo/episodes/{id}")).await;
    b.click(&format!("a[href='/shows/undo/episodes/{id}/history']"))
        .await;
    b.at(&format!("/shows/undo/episodes/{id}/history")).await;
    let first = b.text("table.history tbody tr").await;
    assert!(first.contains("host@example.com"), "{first}");
    assert!(first.contains("through the web UI"), "{first}");
    assert!(
        first.contains("Title: The original title → A title typed by mistake"),
        "{first}"
    );
    assert!(first.contains("Description"), "{first}");
    assert!(
        b.exists("table.history tbody tr details").await,
        "long notes are folded away"
    );
    shot(&b, "history-episode", 1280).await;
    shot(&b, "history-episode", 390).await;

    b.click("table.history tbody tr a.button").await;
    assert!(b.text("main").await.contains("Title goes back from"));
    shot(&b, "history-revert-confirm", 1280).await;
    shot(&b, "history-revert-confirm", 390).await;
    b.find("#f-confirm").await.click().await.unwrap();
    b.click("main form button[type=submit]").await;
    b.at(&format!("/shows/undo/episodes/{id}/history")).await;
    assert!(b.text(".notice").await.contains("Reverted"));
    assert!(b
        .text("table.history tbody tr")
        .await
        .contains("Reverted episode"));
    let (_, now) = app
        .api(
            Method::GET,
            &format!("/shows/undo/episodes/{id}"),
            Some(&api),
            None,
        )
        .await;
    assert_eq!(now["title"], "The original title");
    assert_eq!(now["description"], episode["description"]);

    // Lists and Podcasting 2.0 details read as words, not JSON.
    let details = json!({
        "categories": [{"name": "Technology", "sub": "Tech News"}, {"name": "Comedy"}],
        "persons": [{"name": "Ada Lovelace", "role": "host"}, {"name": "Grace Hopper", "role": "guest"}],
        "funding": [{"url": "https://give.example.com/undo", "label": "Support Undo Radio"}],
        "location": {"name": "Austin, TX", "geo": "geo:30.2672,97.7431"},
        "value": [{"type": "lightning", "method": "keysend", "recipients": [
            {"name": "Alice", "type": "node", "split": 95,
             "address": "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52"},
            {"name": "Host", "type": "node", "split": 5, "fee": true,
             "address": "03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a"}]}],
    });
    let (status, body) = app
        .api(Method::PATCH, "/shows/undo", Some(&api), Some(details))
        .await;
    assert!(status.is_success(), "{body}");
    b.click("nav.tabs a[href='/shows/undo/history']").await;
    let table = b.text("table.history").await;
    assert!(table.contains("Created the show"), "{table}");
    for words in [
        "Technology › Tech News, Comedy",
        "Ada Lovelace (host), Grace Hopper (guest)",
        "Support Undo Radio: https://give.example.com/undo",
        "Austin, TX (30.2672,97.7431)",
        "lightning (keysend) to Alice 95%, Host 5% fee",
    ] {
        assert!(table.contains(words), "{words} in {table}");
    }
    shot(&b, "history-show", 1280).await;
    shot(&b, "history-show", 390).await;

    // An admin's settings change, on the admin's Settings history.
    b.goto("/admin/settings").await;
    b.fill("instance_name", "Undo Studios").await;
    b.click("main form button[type=submit]").await;
    b.click("nav.tabs a[href='/admin/history']").await;
    let row = b.text("table.history tbody tr").await;
    assert!(
        row.contains("Instance name") && row.contains("Undo Studios"),
        "{row}"
    );
    shot(&b, "history-settings", 1280).await;
    shot(&b, "history-settings", 390).await;
    b.close().await;
}
