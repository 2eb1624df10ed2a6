//! Show notes in Markdown or HTML: converted once at save, sanitized, carried by the feed as
//! HTML, the source kept for the editor; the editor's live preview and byte counter.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::{spawn_app, TestApp};
use crate::ui::{account, Ui};

/// Notes as a browser sends them from the editor (CRLF), with a script to drop.
pub(crate) const LINE_ONE: &str = "Line *one*\r\n\r\n<script>x()</script>";

const MARKDOWN: &str = "Hello **world**\n\n- [our site](https://example.com/)\n- <script>alert('x')</script><iframe src=\"https://evil.example/\"></iframe>two\n\n[click](javascript:alert(1))";

fn item_of<'a>(xml: &'a str, title: &str) -> &'a str {
    let at = xml
        .find(&format!("<title>{title}</title>"))
        .expect("the episode is in the feed");
    let start = xml[..at].rfind("<item>").unwrap();
    let end = at + xml[at..].find("</item>").unwrap();
    &xml[start..end]
}

#[tokio::test]
async fn markdown_notes_reach_the_feed_as_sanitized_html_and_the_source_round_trips() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "md", json!({})).await;
    let ep = app
        .post_episode(
            &user,
            "md",
            json!({"title": "Marked", "description": null, "description_markdown": MARKDOWN}),
        )
        .await;
    assert_eq!(ep["description_markdown"], MARKDOWN);
    let html = ep["description"].as_str().unwrap();
    assert!(
        html.starts_with("<p>Hello <strong>world</strong></p>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://example.com/\""), "{html}");
    for bad in ["script", "alert", "iframe", "evil.example", "javascript"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }

    app.run_pending_jobs().await;
    let xml = app.feed_xml("md").await.unwrap();
    let item = item_of(&xml, "Marked");
    assert!(item.contains("<strong>world</strong>"), "{item}");
    assert!(
        !item.contains("**world**") && !item.contains("<script"),
        "{item}"
    );

    let path = format!("/shows/md/episodes/{}", ep["id"].as_str().unwrap());
    let (status, got) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["description_markdown"], MARKDOWN);
    assert_eq!(got["description"], ep["description"]);

    // HTML sent alone: the notes are HTML again, and the old Markdown source is dropped.
    let (status, got) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"description": "<p>plain</p>"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["description"], "<p>plain</p>");
    assert_eq!(got["description_markdown"], Value::Null);
}

#[tokio::test]
async fn markdown_notes_that_are_not_text_are_refused_whole() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "md", json!({})).await;
    let body = json!({
        "title": "Bad", "description_markdown": "a\u{1}b",
        "enclosure": {"url": "https://example.com/ep.mp3", "length": 1, "type": "audio/mpeg"},
    });
    let (status, err) = app
        .api(Method::POST, "/shows/md/episodes", Some(&user), Some(body))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        err["error"]["fields"]["description_markdown"].is_string(),
        "{err}"
    );
    let (_, list) = app
        .api(Method::GET, "/shows/md/episodes", Some(&user), None)
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0, "{list}");
}

async fn preview(ui: &mut Ui, csrf: &str, slug: &str, body: Value) -> (StatusCode, Value) {
    let resp = ui
        .client
        .post(format!("{}/shows/{slug}/notes/preview", ui.base))
        .header("cookie", cookie(ui))
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

/// A form page previewing [`LINE_ONE`] written in Markdown: converted, sanitized, counted.
pub(crate) fn assert_previews_line_one(body: &str) {
    assert!(body.contains("<p>Line <em>one</em></p>"), "{body}");
    assert!(body.contains("24 of 4,000 bytes in the feed."), "{body}");
    assert!(!body.contains("x()</script>"), "{body}");
}

/// A form page reopening [`LINE_ONE`], saved: the Markdown source, its format ticked, the
/// preview.
pub(crate) fn assert_reopens_line_one(body: &str) {
    assert!(
        body.contains("Line *one*"),
        "the editor reopens the Markdown: {body}"
    );
    assert!(body.contains(r#"value="markdown" checked"#), "{body}");
    assert!(body.contains("<p>Line <em>one</em></p>"), "{body}");
}

pub(crate) fn cookie(ui: &Ui) -> String {
    ui.cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) async fn signed_in_with_show(app: &TestApp, slug: &str) -> (Ui, String) {
    let email = account(app, false).await;
    let mut ui = Ui::new(app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, slug, "Notes Show").await;
    (ui, csrf)
}

#[tokio::test]
async fn the_preview_shows_what_apps_will_and_counts_the_feeds_bytes() {
    let app = spawn_app().await;
    let (mut ui, csrf) = signed_in_with_show(&app, "pv").await;
    let (status, p) = preview(
        &mut ui,
        &csrf,
        "pv",
        json!({"format": "markdown", "text": MARKDOWN}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    let html = p["html"].as_str().unwrap();
    assert!(
        html.contains("<strong>world</strong>") && !html.contains("script"),
        "{html}"
    );
    assert_eq!(p["limit"], 4000);
    let bytes = p["bytes"].as_u64().unwrap();
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{bytes} of 4,000 bytes")),
        "{p}"
    );
    assert_eq!(p["over_limit"], false);

    // HTML counts as written (the feed carries it so), in bytes, not characters.
    let long = "é".repeat(2001);
    let (_, p) = preview(
        &mut ui,
        &csrf,
        "pv",
        json!({"format": "html", "text": long}),
    )
    .await;
    assert_eq!(p["bytes"], 4002);
    assert_eq!(p["over_limit"], true);
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("over Apple's limit by 2"),
        "{p}"
    );

    // Bad input: clear 4xx codes, never a 500.
    let (status, err) = preview(&mut ui, &csrf, "pv", json!({"format": "rtf", "text": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["error"]["fields"]["format"].is_string(), "{err}");
    let (status, _) = preview(
        &mut ui,
        "wrong",
        "pv",
        json!({"format": "html", "text": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = preview(
        &mut ui,
        &csrf,
        "nope",
        json!({"format": "html", "text": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_episode_form_saves_markdown_and_reopens_it_with_its_counter() {
    let app = spawn_app().await;
    let (mut ui, csrf) = signed_in_with_show(&app, "form").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("title", "Formed"),
        ("notes_format", "markdown"),
        ("description", LINE_ONE),
        ("enclosure_url", "https://example.com/a.mp3"),
        ("enclosure_length", "10"),
        ("enclosure_type", "audio/mpeg"),
        ("episode_type", "full"),
        ("action", "preview"),
    ];
    // Preview notes (the way without JavaScript): converted, sanitized, counted; nothing saved.
    let page = ui.post("/shows/form/episodes/new", &form).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_previews_line_one(&page.body);

    let mut save = form.to_vec();
    save.retain(|(k, _)| *k != "action");
    save.push(("action", "publish"));
    let page = ui.post("/shows/form/episodes/new", &save).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (id, html, md): (uuid::Uuid, String, Option<String>) = sqlx::query_as(
        "select id, description, description_markdown from episodes where title = 'Formed'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(html, "<p>Line <em>one</em></p>");
    assert_eq!(md.as_deref(), Some("Line *one*\n\n<script>x()</script>"));

    let page = ui.get(&format!("/shows/form/episodes/{id}")).await;
    assert_reopens_line_one(&page.body);

    app.run_pending_jobs().await;
    let xml = app.feed_xml("form").await.unwrap();
    assert!(
        item_of(&xml, "Formed").contains("<p>Line <em>one</em></p>"),
        "{xml}"
    );
}
