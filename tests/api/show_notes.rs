//! The show's description in Markdown or HTML, as episodes' notes: converted once at save,
//! sanitized, carried by the channel as HTML, the source kept for the editor and the history;
//! the show form's editor (preview, byte counter) with and without JavaScript.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::{spawn_app, TestApp, TestUser};
use crate::kit::python::feedcheck;
use crate::notes::{
    assert_previews_line_one, assert_reopens_line_one, cookie, signed_in_with_show, LINE_ONE,
};
use crate::ui::{account, Ui};

const MARKDOWN: &str = "About **our** show\n\n- [site](https://example.com/)\n- <script>alert('x')</script><iframe src=\"https://evil.example/\"></iframe>two\n\n[click](javascript:alert(1)) <b onclick=\"z()\">b</b>";

/// The channel's `<description>`, before the first item.
fn channel_description(xml: &str) -> &str {
    let channel = &xml[..xml.find("<item>").unwrap_or(xml.len())];
    let start = channel
        .find("<description>")
        .expect("a channel description");
    let end = channel[start..].find("</description>").unwrap() + start;
    &channel[start..end]
}

async fn get_show(app: &TestApp, user: &TestUser, slug: &str) -> Value {
    let (status, show) = app
        .api(Method::GET, &format!("/shows/{slug}"), Some(user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{show}");
    show
}

async fn patch_show(
    app: &TestApp,
    user: &TestUser,
    slug: &str,
    body: Value,
) -> (StatusCode, Value) {
    app.api(
        Method::PATCH,
        &format!("/shows/{slug}"),
        Some(user),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_markdown_description_reaches_the_feed_as_sanitized_html_and_its_source_round_trips() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show = app
        .post_show(
            &user,
            "mdshow",
            json!({"description": null, "description_markdown": MARKDOWN}),
        )
        .await;
    assert_eq!(show["description_markdown"], MARKDOWN);
    let html = show["description"].as_str().unwrap();
    assert!(
        html.starts_with("<p>About <strong>our</strong> show</p>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"https://example.com/\""), "{html}");
    assert!(html.contains("<b>b</b>"), "{html}");
    for bad in [
        "script",
        "alert",
        "iframe",
        "evil.example",
        "javascript",
        "onclick",
    ] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    assert_eq!(get_show(&app, &user, "mdshow").await, show);

    app.run_pending_jobs().await;
    let xml = app.feed_xml("mdshow").await.unwrap();
    let described = channel_description(&xml);
    assert!(described.contains("<strong>our</strong>"), "{described}");
    assert!(
        !described.contains("**our**") && !described.contains("<script"),
        "{described}"
    );
    let parsed = feedcheck(&xml);
    let fp = &parsed["feedparser"];
    assert_eq!(fp["bozo"], 0, "feedparser: {}", fp["bozo_exception"]);
    assert!(
        fp["subtitle"]
            .as_str()
            .unwrap()
            .contains("<strong>our</strong>"),
        "feedparser reads the HTML: {fp}"
    );
    let pp = &parsed["podcastparser"];
    assert!(pp.get("error").is_none(), "podcastparser: {pp}");
    assert!(pp["description"].as_str().unwrap().contains("our"), "{pp}");
}

#[tokio::test]
async fn switching_the_description_between_markdown_and_html_keeps_the_two_columns_in_step() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "switch", json!({})).await;

    let (status, show) = patch_show(
        &app,
        &user,
        "switch",
        json!({"description_markdown": "Now *marked*"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{show}");
    assert_eq!(show["description"], "<p>Now <em>marked</em></p>");
    assert_eq!(show["description_markdown"], "Now *marked*");

    // Other fields alone leave both as they are.
    let (_, show) = patch_show(&app, &user, "switch", json!({"title": "Renamed"})).await;
    assert_eq!(show["description_markdown"], "Now *marked*");

    // `null` Markdown keeps the HTML and drops the source: the description is HTML now.
    let (_, show) = patch_show(&app, &user, "switch", json!({"description_markdown": null})).await;
    assert_eq!(show["description"], "<p>Now <em>marked</em></p>");
    assert_eq!(show["description_markdown"], Value::Null);

    // A description given alone clears stale Markdown; one given beside Markdown is ignored.
    patch_show(
        &app,
        &user,
        "switch",
        json!({"description_markdown": "Again"}),
    )
    .await;
    let (_, show) = patch_show(
        &app,
        &user,
        "switch",
        json!({"description": "<p>plain</p>"}),
    )
    .await;
    assert_eq!(show["description"], "<p>plain</p>");
    assert_eq!(show["description_markdown"], Value::Null);
    let (_, show) = patch_show(
        &app,
        &user,
        "switch",
        json!({"description": "<p>ignored</p>", "description_markdown": "**won**"}),
    )
    .await;
    assert_eq!(show["description"], "<p><strong>won</strong></p>");

    // Empty Markdown is no description at all.
    let (_, show) = patch_show(&app, &user, "switch", json!({"description_markdown": ""})).await;
    assert_eq!(show["description"], "");
    assert_eq!(show["description_markdown"], Value::Null);
}

#[tokio::test]
async fn bad_markdown_descriptions_are_refused_whole_with_field_errors() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let mut body = json!({"slug": "bad", "title": "Bad", "description_markdown": "a\u{1}b"});
    let (status, err) = app
        .api(Method::POST, "/shows", Some(&user), Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        err["error"]["fields"]["description_markdown"].is_string(),
        "{err}"
    );
    let (status, _) = app.api(Method::GET, "/shows/bad", Some(&user), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was stored");

    body["description_markdown"] = json!(42);
    let (status, err) = app
        .api(Method::POST, "/shows", Some(&user), Some(body))
        .await;
    assert!(status.is_client_error(), "{status} {err}");
    assert!(err["error"]["code"].is_string(), "{err}");

    // Markdown within the field's 100,000 characters whose HTML is past them.
    app.post_show(&user, "long", json!({"description": "<p>kept</p>"}))
        .await;
    let links = "[a](https://example.com/) ".repeat(3800);
    let (status, err) =
        patch_show(&app, &user, "long", json!({"description_markdown": links})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let message = err["error"]["fields"]["description_markdown"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("over 100000 characters of HTML"),
        "{message}"
    );
    let show = get_show(&app, &user, "long").await;
    assert_eq!(show["description"], "<p>kept</p>");
    assert_eq!(show["description_markdown"], Value::Null);
}

#[tokio::test]
async fn reverting_a_description_change_restores_the_markdown_and_its_html() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(
        &user,
        "undo",
        json!({"description": null, "description_markdown": "First *one*"}),
    )
    .await;
    patch_show(
        &app,
        &user,
        "undo",
        json!({"description": "<p>html now</p>"}),
    )
    .await;

    let (status, list) = app
        .api(Method::GET, "/shows/undo/history", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let change = &list["items"][0];
    let labels: Vec<&str> = change["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["Description", "Description (Markdown)"],
        "{change}"
    );

    let path = format!("/shows/undo/history/{}/revert", change["id"]);
    let (status, body) = app.api(Method::POST, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let show = get_show(&app, &user, "undo").await;
    assert_eq!(show["description_markdown"], "First *one*");
    assert_eq!(show["description"], "<p>First <em>one</em></p>");
    app.run_pending_jobs().await;
    let xml = app.feed_xml("undo").await.unwrap();
    assert!(
        channel_description(&xml).contains("<p>First <em>one</em></p>"),
        "{xml}"
    );
}

#[tokio::test]
async fn the_show_form_previews_saves_and_reopens_a_markdown_description() {
    let app = spawn_app().await;
    let (mut ui, csrf) = signed_in_with_show(&app, "form").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("title", "Form Show"),
        ("language", "en"),
        ("type", "episodic"),
        ("notes_format", "markdown"),
        ("description", LINE_ONE),
        ("action", "preview"),
    ];
    // Preview (the way without JavaScript): converted, sanitized, counted; nothing saved.
    let page = ui.post("/shows/form/edit", &form).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_previews_line_one(&page.body);
    let stored: Option<String> =
        sqlx::query_scalar("select description_markdown from shows where slug = 'form'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, None, "a preview saves nothing");

    let mut save = form.to_vec();
    save.retain(|(k, _)| *k != "action");
    let page = ui.post("/shows/form/edit", &save).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (html, md): (String, Option<String>) =
        sqlx::query_as("select description, description_markdown from shows where slug = 'form'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(html, "<p>Line <em>one</em></p>");
    assert_eq!(md.as_deref(), Some("Line *one*\n\n<script>x()</script>"));

    let page = ui.get("/shows/form/edit").await;
    assert_reopens_line_one(&page.body);

    app.run_pending_jobs().await;
    let xml = app.feed_xml("form").await.unwrap();
    assert!(
        channel_description(&xml).contains("<p>Line <em>one</em></p>"),
        "{xml}"
    );
}

#[tokio::test]
async fn the_new_show_form_counts_bytes_and_says_when_apple_would_cut_the_description() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    let page = ui.get("/shows/new").await;
    assert!(
        page.body.contains("0 of 4,000 bytes in the feed."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(r#"data-preview-url="/notes/preview""#),
        "{}",
        page.body
    );

    // 2,001 characters, 4,002 bytes: within the field's limit, past Apple's.
    let long = "é".repeat(2001);
    let form = [
        ("csrf", csrf.as_str()),
        ("slug", "longdesc"),
        ("title", "Long"),
        ("language", "en"),
        ("type", "episodic"),
        ("notes_format", "html"),
        ("description", long.as_str()),
        ("action", "preview"),
    ];
    let page = ui.post("/shows/new", &form).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(r#"class="counter over""#)
            && page.body.contains("4,002 of 4,000 bytes: over Apple")
            && page
                .body
                .contains("s limit by 2. Apple Podcasts may cut this text short"),
        "{}",
        page.body
    );
    let (status, _) = {
        let user = app.create_user(true).await;
        app.api(Method::GET, "/shows/longdesc", Some(&user), None)
            .await
    };
    assert_eq!(status, StatusCode::NOT_FOUND, "a preview creates nothing");

    // The live preview of a show not created yet.
    let resp = ui
        .client
        .post(format!("{}/notes/preview", ui.base))
        .header("cookie", cookie(&ui))
        .header("x-csrf-token", &csrf)
        .json(&json!({"format": "markdown", "text": "**new**"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["html"], "<p><strong>new</strong></p>");
    let resp = ui
        .client
        .post(format!("{}/notes/preview", ui.base))
        .header("cookie", cookie(&ui))
        .header("x-csrf-token", &csrf)
        .json(&json!({"format": "rtf", "text": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resp = ui
        .client
        .post(format!("{}/notes/preview", ui.base))
        .header("x-csrf-token", &csrf)
        .json(&json!({"format": "markdown", "text": "x"}))
        .send()
        .await
        .unwrap();
    // Signed out: sent to sign in, never a preview.
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}
