//! The Podcasting 2.0 pages (a show's and an episode's, with their value blocks) and the live
//! stream form report every error in one submit: what does not even parse, and what the
//! stored checks refuse, together. Nothing is stored.

use reqwest::StatusCode;
use serde_json::json;

use crate::kit::app::{spawn_app, TestApp};
use crate::ui::{owner_and_editor, Ui};

/// The error summary's messages.
fn summary(body: &str) -> String {
    let start = body
        .find("<ul data-error-summary>")
        .expect("an error summary");
    body[start..start + body[start..].find("</ul>").unwrap()].to_string()
}

async fn extras(app: &TestApp) -> serde_json::Value {
    sqlx::query_scalar("select to_jsonb(extras) from shows where slug = 'once'")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_show_podcasting_page_shows_parse_and_check_errors_together() {
    let app = spawn_app().await;
    let (mut ui, csrf, _) = owner_and_editor(&app, "once", "Once").await;
    let before = extras(&app).await;
    let page = post(
        &mut ui,
        "/shows/once/podcasting",
        &csrf,
        &[
            ("item_limit", "lots"),
            ("trailers_0_title", "Coming soon"),
            ("trailers_0_url", "not a url"),
            ("trailers_0_pubdate", "2026-01-02T03:04:05"),
            ("trailers_0_type", "audio/mpeg"),
            ("value_0_type", "lightning"),
            ("value_0_method", "keysend"),
            ("value_0_recipients_0_name", "Host"),
            ("value_0_recipients_0_type", "node"),
            ("value_0_recipients_0_address", ""),
            ("value_0_recipients_0_split", "lots"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = summary(&page.body);
    assert!(list.contains("not a whole number"), "the limit: {list}");
    assert!(list.contains("Trailers"), "the trailer's URL: {list}");
    assert!(list.contains("split"), "the value block: {list}");
    assert_eq!(extras(&app).await, before, "nothing stored");
}

#[tokio::test]
async fn the_episode_podcasting_page_shows_parse_and_check_errors_together() {
    let app = spawn_app().await;
    let (mut ui, csrf, user) = owner_and_editor(&app, "once", "Once").await;
    let e = app.post_episode(&user, "once", json!({})).await;
    let id = e["id"].as_str().unwrap();
    let path = format!("/shows/once/episodes/{id}/podcasting");
    let page = post(
        &mut ui,
        &path,
        &csrf,
        &[
            ("episode_number", "one hundred"),
            ("social_interact_0_protocol", "activitypub"),
            ("social_interact_0_uri", "not a url"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = summary(&page.body);
    assert!(list.contains("100.5"), "the episode number: {list}");
    assert!(
        list.contains("Social interact"),
        "the comment thread's URL: {list}"
    );
}

#[tokio::test]
async fn the_live_form_shows_parse_and_check_errors_together() {
    let app = spawn_app().await;
    let (mut ui, csrf, _) = owner_and_editor(&app, "once", "Once").await;
    let page = post(
        &mut ui,
        "/shows/once/live/new",
        &csrf,
        &[
            ("guid", ""),
            ("title", "Friday night live"),
            ("start", "someday"),
            ("status", "schedule"),
            ("enclosure_url", "not a url"),
            ("enclosure_type", "audio/mpeg"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = summary(&page.body);
    assert!(list.contains("Start"), "the start time: {list}");
    assert!(
        list.contains("Stream URL") || list.contains("URL"),
        "the stream: {list}"
    );
    assert_eq!(
        extras(&app).await["live_items"],
        json!([]),
        "nothing stored"
    );
}

async fn post(ui: &mut Ui, path: &str, csrf: &str, fields: &[(&str, &str)]) -> crate::ui::Page {
    let mut form = vec![("csrf", csrf), ("action", "save")];
    form.extend_from_slice(fields);
    ui.post(path, &form).await
}
