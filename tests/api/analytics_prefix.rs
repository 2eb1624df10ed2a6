//! A show's analytics prefix (OP3, Podtrac...): checked by following it to the media when it
//! is saved, then put in front of every enclosure URL. A local stand-in plays the tracker.

use reqwest::{Method, StatusCode};
use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::kit::app::{spawn_app_with, TestApp, TestUser};

const MEDIA: &str = "https://cdn.example.com/shows/stats/1.mp3";

/// A tracker that counts a download, then redirects to the media named after its prefix.
async fn tracker() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path_regex("^/e/cdn.example.com/.+"))
        .respond_with(|req: &wiremock::Request| {
            let rest = req.url.path().trim_start_matches("/e/");
            ResponseTemplate::new(302).insert_header("location", format!("https://{rest}"))
        })
        .mount(&server)
        .await;
    server
}

async fn show_with_an_episode(app: &TestApp) -> TestUser {
    let user = app.create_user(false).await;
    app.post_show(&user, "stats", json!({})).await;
    let body = json!({"enclosure": {"url": MEDIA, "length": 1000, "type": "audio/mpeg"}});
    app.post_episode(&user, "stats", body).await;
    user
}

async fn set_prefix(
    app: &TestApp,
    user: &TestUser,
    prefix: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let body = json!({ "analytics_prefix": prefix });
    app.api(Method::PATCH, "/shows/stats", Some(user), Some(body))
        .await
}

#[tokio::test]
async fn a_prefix_that_leads_to_the_media_goes_in_front_of_every_enclosure() {
    let app = spawn_app_with(false, &[("PODPUB_IMPORT_ALLOW_PRIVATE", "true")]).await;
    let user = show_with_an_episode(&app).await;
    let tracker = tracker().await;
    let prefix = format!("{}/e", tracker.uri());
    let (status, show) = set_prefix(&app, &user, json!(prefix)).await;
    assert_eq!(status, StatusCode::OK, "{show}");
    assert_eq!(show["analytics_prefix"], format!("{prefix}/"));
    let followed = tracker.received_requests().await.unwrap();
    assert_eq!(followed.len(), 1, "followed once, without a download");
    assert_eq!(followed[0].method.as_str(), "HEAD");

    app.run_pending_jobs().await;
    let xml = app.feed_xml("stats").await.unwrap();
    let expected = format!("<enclosure url=\"{prefix}/cdn.example.com/shows/stats/1.mp3\"");
    assert!(xml.contains(&expected), "{expected} in\n{xml}");
    // An http tracker is published, and warned about.
    let codes = app.warning_codes(&user, "stats").await;
    assert!(
        codes.contains(&"podcast_tag_not_https".to_string()),
        "{codes:?}"
    );

    // Saving the show again does not follow it again; null removes it.
    let (status, _) = set_prefix(&app, &user, json!(format!("{prefix}/"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tracker.received_requests().await.unwrap().len(), 1);
    let (status, show) = set_prefix(&app, &user, json!(null)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(show["analytics_prefix"].is_null());
    app.run_pending_jobs().await;
    let xml = app.feed_xml("stats").await.unwrap();
    assert!(
        xml.contains(&format!("<enclosure url=\"{MEDIA}\"")),
        "{xml}"
    );
}

#[tokio::test]
async fn a_prefix_that_does_not_reach_the_media_is_refused_and_nothing_changes() {
    let app = spawn_app_with(false, &[("PODPUB_IMPORT_ALLOW_PRIVATE", "true")]).await;
    let user = show_with_an_episode(&app).await;
    let server = MockServer::start().await;
    // A page of its own instead of a redirect; a 404; a redirect somewhere else.
    Mock::given(path_regex("^/page/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>hi</html>"))
        .mount(&server)
        .await;
    Mock::given(path_regex("^/elsewhere/"))
        .respond_with(
            ResponseTemplate::new(301)
                .insert_header("location", "https://cdn.example.com/other.mp3"),
        )
        .mount(&server)
        .await;
    for (prefix, says) in [
        (format!("{}/page/", server.uri()), "ends at"),
        (format!("{}/missing/", server.uri()), "ends at"),
        (format!("{}/elsewhere/", server.uri()), "other.mp3"),
        ("http://127.0.0.1:9/e/".to_string(), "failed"),
        ("ftp://op3.dev/e/".to_string(), "http"),
        ("https://op3.dev/e/?u=".to_string(), "query"),
    ] {
        let (status, err) = set_prefix(&app, &user, json!(prefix)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{prefix}: {err}");
        let message = err["error"]["fields"]["analytics_prefix"]
            .as_str()
            .unwrap_or_default();
        assert!(message.contains(says), "{prefix}: {err}");
    }
    let (_, show) = app
        .api(Method::GET, "/shows/stats", Some(&user), None)
        .await;
    assert!(show["analytics_prefix"].is_null(), "{show}");
}

#[tokio::test]
async fn a_tracker_without_head_is_followed_with_a_one_byte_get() {
    let app = spawn_app_with(false, &[("PODPUB_IMPORT_ALLOW_PRIVATE", "true")]).await;
    let user = show_with_an_episode(&app).await;
    let server = MockServer::start().await;
    Mock::given(method("HEAD"))
        .respond_with(ResponseTemplate::new(405))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/redirect.mp3/cdn.example.com/shows/stats/1.mp3"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", MEDIA))
        .mount(&server)
        .await;
    let prefix = format!("{}/redirect.mp3/", server.uri());
    let (status, show) = set_prefix(&app, &user, json!(prefix)).await;
    assert_eq!(status, StatusCode::OK, "{show}");
}

#[tokio::test]
async fn a_tracker_on_a_private_address_is_refused_like_an_import() {
    let app = spawn_app_with(false, &[]).await;
    let user = show_with_an_episode(&app).await;
    let tracker = tracker().await;
    let (status, err) = set_prefix(&app, &user, json!(format!("{}/e/", tracker.uri()))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let message = err["error"]["fields"]["analytics_prefix"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("private"), "{err}");
    assert!(tracker.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_settings_form_sets_the_prefix_and_shows_its_error_beside_it() {
    let app = spawn_app_with(false, &[("PODPUB_IMPORT_ALLOW_PRIVATE", "true")]).await;
    let email = crate::ui::account(&app, false).await;
    let mut ui = crate::ui::Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "stats", "Stats").await;
    let form = |prefix: &'static str| {
        [
            ("csrf", csrf.as_str()),
            ("title", "Stats"),
            ("language", "en"),
            ("type", "episodic"),
            ("analytics_prefix", prefix),
        ]
    };
    let page = ui
        .post("/shows/stats/edit", &form("ftp://op3.dev/e/"))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("id=\"e-analytics_prefix\""),
        "{}",
        page.body
    );
    let page = ui
        .post("/shows/stats/edit", &form("https://op3.dev/e/"))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = ui.get("/shows/stats/edit").await;
    assert!(
        page.body.contains("value=\"https://op3.dev/e/\""),
        "{}",
        page.body
    );
}
