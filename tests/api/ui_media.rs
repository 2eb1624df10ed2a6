//! The show's Media page: after an import, the result page points at it; its "Copy media to
//! podpub" button (a CSRF form) queues the copy, the progress JSON it polls counts the files,
//! and the page lists the copies among the show's uploads.

use reqwest::StatusCode;
use serde_json::Value;
use wiremock::MockServer;

use crate::copy_media::{copy_app, old_feed, serve, OldEpisode};
use crate::kit::{app::TestApp, media::Sample};
use crate::ui::{account, Ui};

async fn progress(ui: &mut Ui, slug: &str) -> Value {
    let page = ui.get(&format!("/shows/{slug}/media/copy.json")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    serde_json::from_str(&page.body).unwrap()
}

async fn signed_in(app: &TestApp) -> (Ui, String) {
    let email = account(app, false).await;
    let mut ui = Ui::new(app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    (ui, csrf)
}

#[tokio::test]
async fn the_media_page_copies_an_imported_shows_media_with_live_progress() {
    let app = copy_app(&[]).await;
    let source = MockServer::start().await;
    let ep = OldEpisode::new("ep-1", "/old/one.mp3", Sample::Mp3Cbr);
    serve(&source, "/old/one.mp3", ep.bytes.clone(), 1).await;
    let (mut ui, csrf) = signed_in(&app).await;
    let xml = old_feed(&source.uri(), None, &[ep]);
    let done = ui.post("/import", &[("csrf", &csrf), ("rss", &xml)]).await;
    assert!(done.status.is_success(), "{}: {}", done.status, done.body);
    assert!(
        done.body.contains("href=\"/shows/moving-in/media\"")
            && done.body.contains("Copy the media to podpub"),
        "the import result points at the Media page: {}",
        done.body
    );
    app.run_pending_jobs().await;

    let page = ui.get("/shows/moving-in/media").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("aria-current=\"page\">Media</a>"),
        "the Media tab"
    );
    assert!(page.body.contains("action=\"/shows/moving-in/media/copy\""));
    assert!(page
        .body
        .contains("data-progress=\"/shows/moving-in/media/copy.json\""));
    assert!(page.body.contains("id=\"uploads-empty\""), "no uploads yet");
    let before = progress(&mut ui, "moving-in").await;
    assert_eq!(before["total"], 1, "{before}");
    assert_eq!(before["done"], 0, "{before}");

    let refused = ui.post("/shows/moving-in/media/copy", &[]).await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "no CSRF token, no copy"
    );
    assert_eq!(progress(&mut ui, "moving-in").await["finished"], true);

    let started = ui
        .post("/shows/moving-in/media/copy", &[("csrf", &csrf)])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    assert_eq!(started.location.as_deref(), Some("/shows/moving-in/media"));
    let queued = progress(&mut ui, "moving-in").await;
    assert_eq!(queued["finished"], false, "{queued}");
    app.run_pending_jobs().await;
    let copied = progress(&mut ui, "moving-in").await;
    assert_eq!(copied["done"], 1, "{copied}");
    assert_eq!(copied["failed"], 0, "{copied}");
    assert_eq!(copied["finished"], true, "{copied}");

    let page = ui.get("/shows/moving-in/media").await;
    assert!(
        page.body.contains("<tr data-state=\"copied\">"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(">one.mp3</a>"),
        "the copy is listed as an upload"
    );
    assert!(page.body.contains(&format!(
        "copied from <code>{}/old/one.mp3</code>",
        source.uri()
    )));
    assert!(page.body.contains("0:03"), "its duration: {}", page.body);
}
