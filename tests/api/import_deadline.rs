//! The request deadline and committed work: an import that is past its deadline before it
//! commits writes nothing (503), and one whose commit is under way when the deadline passes
//! gets its real answer (201), so that a client never retries a write that happened.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use wiremock::{
    matchers::{method, path},
    Mock, MockServer, ResponseTemplate,
};

use crate::import::import;
use crate::kit::app::{spawn_app_with, TestApp};

const FEED: &str = "<rss version=\"2.0\"><channel><title>Deadline</title>\
    <item><title>One</title><guid>one</guid>\
    <enclosure url=\"https://cdn.example.com/1.mp3\" length=\"1\" type=\"audio/mpeg\"/></item>\
    </channel></rss>";

async fn shows(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from shows")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_import_past_its_deadline_before_committing_answers_503_and_creates_nothing() {
    let host = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/late.xml"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(FEED)
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&host)
        .await;
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_IMPORT_ALLOW_PRIVATE", "true"),
            ("PODPUB_REQUEST_TIMEOUT_SECS", "1"),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    let url = format!("{}/late.xml", host.uri());
    let (status, body) = import(&app, &user, json!({ "url": url })).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    // Long enough for the feed to have arrived and been stored, had the import gone on.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(shows(&app).await, 0, "a 503 leaves nothing behind");
}

#[tokio::test]
async fn an_import_committing_when_its_deadline_passes_gets_its_201() {
    let app = spawn_app_with(false, &[("PODPUB_REQUEST_TIMEOUT_SECS", "1")]).await;
    // Makes COMMIT itself take 3 s: a deferred constraint trigger runs at commit time.
    for sql in [
        "create function slow_commit() returns trigger language plpgsql as \
         $$ begin perform pg_sleep(3); return null; end $$",
        "create constraint trigger slow_commit after insert on shows \
         deferrable initially deferred for each row execute function slow_commit()",
    ] {
        sqlx::query(sql).execute(&app.pool).await.unwrap();
    }
    let user = app.create_user(false).await;
    let (status, body) = import(&app, &user, json!({ "rss": FEED })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["slug"], "deadline");
    assert_eq!(shows(&app).await, 1);
}
