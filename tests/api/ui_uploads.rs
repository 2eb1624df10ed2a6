//! The upload widget's endpoints in the web UI: the same workflow as the API for a signed-in
//! podcaster, each write needing the session's CSRF token in `X-CSRF-Token`; the episode and
//! settings forms carry the widget.

use reqwest::{header, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::spawn_app;
use crate::kit::media::Sample;
use crate::kit::uploads::sample;
use crate::ui::{owner_and_editor, Ui};

async fn post_json(ui: &Ui, path: &str, csrf: Option<&str>, body: Value) -> (StatusCode, Value) {
    let mut req = ui
        .client
        .post(format!("{}{path}", ui.base))
        .header(
            header::COOKIE,
            ui.cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        )
        .json(&body);
    if let Some(csrf) = csrf {
        req = req.header("x-csrf-token", csrf);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_widget_uploads_through_the_session_with_its_csrf_token() {
    let app = spawn_app().await;
    let (mut ui, csrf, _) = owner_and_editor(&app, "widget", "Widget").await;
    let page = ui.get("/shows/widget/episodes/new").await;
    assert!(
        page.body.contains(r#"data-upload="/shows/widget/uploads""#),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"data-purpose="episode_media""#));
    assert!(page.body.contains(r#"data-purpose="episode_artwork""#));
    let settings = ui.get("/shows/widget/edit").await;
    assert!(settings.body.contains(r#"data-purpose="show_artwork""#));

    let bytes = sample(Sample::Mp3Cbr);
    let ask = json!({"purpose": "episode_media", "file_name": "a.mp3", "content_type": "audio/mpeg", "length": bytes.len()});
    let (status, _) = post_json(&ui, "/shows/widget/uploads", None, ask.clone()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a write without the CSRF token"
    );
    let (status, _) = post_json(
        &ui,
        "/shows/widget/uploads",
        Some(&"0".repeat(64)),
        ask.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a write with another token");
    let (status, upload) = post_json(&ui, "/shows/widget/uploads", Some(&csrf), ask).await;
    assert_eq!(status, StatusCode::CREATED, "{upload}");

    let (put, _) = app
        .put_part(&upload["send"]["parts"][0], bytes.clone())
        .await;
    assert!(put.is_success());
    let id = upload["id"].as_str().unwrap();
    let path = format!("/shows/widget/uploads/{id}/complete");
    let (status, done) = post_json(&ui, &path, Some(&csrf), json!({"parts": []})).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{done}");
    app.run_pending_jobs().await;
    let state = ui.get(&format!("/shows/widget/uploads/{id}")).await;
    let state: Value = serde_json::from_str(&state.body).unwrap();
    assert_eq!(state["state"], "ready", "{state}");
    assert_eq!(state["media"]["length"], bytes.len());

    // Someone else's show: 404, as everywhere.
    let email = crate::ui::account(&app, false).await;
    let mut stranger = Ui::new(&app);
    stranger.sign_in(&email).await;
    let theirs = stranger.token().await;
    let (status, _) = post_json(&stranger, &path, Some(&theirs), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_json(
        &ui,
        &format!("/shows/widget/uploads/{id}/delete"),
        Some(&csrf),
        json!({}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "unused: the podcaster never saved it"
    );
}
