//! The Live tab: live streams added, edited, switched by hand and removed in the web UI.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::kit::app::{spawn_app, TestApp};
use crate::ui::{account, Ui};

async fn live_items(app: &TestApp, slug: &str) -> serde_json::Value {
    let (items,): (serde_json::Value,) =
        sqlx::query_as("select extras->'live_items' from shows where slug = $1")
            .bind(slug)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    items
}

fn local(t: chrono::DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

async fn live_tag(app: &TestApp, slug: &str) -> String {
    app.run_pending_jobs().await;
    let xml = app.feed_xml(slug).await.unwrap();
    let start = xml.find("<podcast:liveItem ").expect("a live item");
    xml[start..start + xml[start..].find('>').unwrap()].to_string()
}

#[tokio::test]
async fn a_podcaster_announces_a_stream_goes_live_early_and_removes_it() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "on-air", "On Air").await;
    let list = ui.get("/shows/on-air/live").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("No live streams yet."), "{}", list.body);

    let start = Utc::now() + Duration::hours(2);
    let (start_s, end_s) = (local(start), local(start + Duration::hours(1)));
    let form = [
        ("csrf", csrf.as_str()),
        ("guid", ""),
        ("action", "save"),
        ("title", "Friday night live"),
        ("description", "Questions & answers"),
        ("start", start_s.as_str()),
        ("end", end_s.as_str()),
        ("status", "schedule"),
        ("enclosure_url", "https://stream.example.com/live.mp3"),
        ("enclosure_type", "audio/mpeg"),
        ("content_links_0_href", "https://example.com/live"),
        ("content_links_0_text", "Watch on our site"),
        ("persons_0_name", "Ada Host"),
        ("persons_0_role", "host"),
        ("chat_server", "irc.zeronode.net"),
        ("chat_protocol", "irc"),
        ("chat_space", "#on-air"),
        ("alternate_enclosures_0_type", "audio/aac"),
        (
            "alternate_enclosures_0_sources",
            "https://stream.example.com/live.aac\nipfs://QmLive audio/aac",
        ),
    ];
    let saved = ui.post("/shows/on-air/live/new", &form).await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/shows/on-air/live"),
        "{}",
        saved.body
    );
    let items = live_items(&app, "on-air").await;
    assert_eq!(items[0]["title"], "Friday night live");
    assert_eq!(items[0]["content_links"][0]["text"], "Watch on our site");
    assert_eq!(items[0]["persons"][0]["role"], "host");
    assert_eq!(items[0]["chat"]["space"], "#on-air");
    let alternate = &items[0]["alternate_enclosures"][0];
    assert_eq!(alternate["sources"][1], "ipfs://QmLive", "{items}");
    assert_eq!(alternate["content_types"]["ipfs://QmLive"], "audio/aac");
    let guid = items[0]["guid"].as_str().unwrap().to_string();
    assert!(live_tag(&app, "on-air")
        .await
        .contains(r#"status="pending""#));
    let list = ui.get("/shows/on-air/live").await;
    assert!(list.body.contains("state-pending"), "{}", list.body);

    // Started early: by hand, then back to the schedule.
    let go = [
        ("csrf", csrf.as_str()),
        ("guid", guid.as_str()),
        ("status", "live"),
    ];
    let done = ui.post("/shows/on-air/live/1/status", &go).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(live_tag(&app, "on-air").await.contains(r#"status="live""#));
    let list = ui.get("/shows/on-air/live").await;
    assert!(list.body.contains("(set by hand)"), "{}", list.body);
    assert!(list.body.contains("Follow the schedule"));
    let back = [
        ("csrf", csrf.as_str()),
        ("guid", guid.as_str()),
        ("status", "schedule"),
    ];
    ui.post("/shows/on-air/live/1/status", &back).await;
    assert!(live_tag(&app, "on-air")
        .await
        .contains(r#"status="pending""#));

    // The edit form shows what is stored.
    let edit = ui.get("/shows/on-air/live/1").await;
    assert_eq!(edit.status, StatusCode::OK);
    for expected in [
        "value=\"Friday night live\"",
        &format!("value=\"{start_s}\""),
        "value=\"https://stream.example.com/live.mp3\"",
        "value=\"Watch on our site\"",
        "value=\"Ada Host\"",
        "value=\"#on-air\"",
        &guid,
    ] {
        assert!(edit.body.contains(expected), "{expected} in {}", edit.body);
    }

    // Removing needs the box ticked.
    let remove = [
        ("csrf", csrf.as_str()),
        ("guid", guid.as_str()),
        ("action", "remove"),
        ("title", "Friday night live"),
    ];
    let refused = ui.post("/shows/on-air/live/1", &remove).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("tick the box"), "{}", refused.body);
    assert_eq!(
        live_items(&app, "on-air").await.as_array().unwrap().len(),
        1
    );
    let mut confirmed = remove.to_vec();
    confirmed.push(("confirm", "on"));
    let gone = ui.post("/shows/on-air/live/1", &confirmed).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert_eq!(live_items(&app, "on-air").await, json!([]));
}

#[tokio::test]
async fn the_live_form_shows_errors_beside_fields_and_keeps_what_it_does_not_show() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "studio", "Studio").await;
    // Set with artwork of the namespace's own (podcast:image), which the form does not show.
    let start = Utc::now() + Duration::days(1);
    sqlx::query(
        "update shows set extras = jsonb_set(extras, '{live_items}', $1) where slug = 'studio'",
    )
    .bind(
        json!([{"guid": "stream-1", "title": "Planned", "start": start,
                   "images": [{"href": "https://example.com/live-wide.jpg",
                               "aspect_ratio": "16/9"}]}]),
    )
    .execute(&app.pool)
    .await
    .unwrap();

    let start_s = local(start);
    let before = local(start - Duration::hours(1));
    let bad = [
        ("csrf", csrf.as_str()),
        ("guid", "stream-1"),
        ("action", "save"),
        ("title", "Planned"),
        ("start", start_s.as_str()),
        ("end", before.as_str()),
        ("enclosure_url", "not a url"),
    ];
    let page = ui.post("/shows/studio/live/1", &bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["end", "enclosure_url"] {
        let id = format!("id=\"e-{field}\"");
        assert!(page.body.contains(&id), "{id} in {}", page.body);
    }
    let items = live_items(&app, "studio").await;
    assert!(items[0].get("end").is_none(), "nothing stored: {items}");

    let good = [
        ("csrf", csrf.as_str()),
        ("guid", "stream-1"),
        ("action", "save"),
        ("title", "Planned, renamed"),
        ("start", start_s.as_str()),
    ];
    let saved = ui.post("/shows/studio/live/1", &good).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let items = live_items(&app, "studio").await;
    assert_eq!(items[0]["title"], "Planned, renamed");
    assert_eq!(items[0]["guid"], "stream-1");
    assert_eq!(
        items[0]["images"][0]["aspect_ratio"], "16/9",
        "kept: {items}"
    );

    // A form shown before the stream was replaced does not overwrite the new one.
    let stale = [
        ("csrf", csrf.as_str()),
        ("guid", "an-older-stream"),
        ("action", "save"),
        ("title", "Stale"),
    ];
    let page = ui.post("/shows/studio/live/1", &stale).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("meanwhile"), "{}", page.body);
    assert_eq!(
        live_items(&app, "studio").await[0]["title"],
        "Planned, renamed"
    );
    assert_eq!(
        ui.get("/shows/studio/live/7").await.status,
        StatusCode::NOT_FOUND
    );
}
