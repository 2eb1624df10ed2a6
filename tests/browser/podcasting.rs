//! The Podcasting 2.0 page in a browser: repeatable rows grow with "Add a row", and what is
//! saved reaches the feed.

use reqwest::Method;
use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;

#[tokio::test]
async fn people_added_row_by_row_reach_the_feed() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "rows", json!({"title": "Rows"})).await;
    b.sign_in("host@example.com", PASSWORD).await;

    b.goto("/shows/rows").await;
    b.click("nav.tabs a[href$='/podcasting']").await;
    b.at("/shows/rows/podcasting").await;
    b.fill("persons_0_name", "Ada Host").await;
    b.fill("persons_0_role", "host").await;
    assert!(
        !b.exists("#f-persons_1_name").await,
        "one blank row to start"
    );
    b.click("button[value=add_persons]").await;
    b.at("/shows/rows/podcasting").await;
    // What was typed stays, and a blank row joins it.
    assert_eq!(
        b.find("#f-persons_0_name")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Ada Host")
    );
    b.fill("persons_1_name", "Grace Guest").await;
    b.fill("persons_1_role", "guest").await;
    b.select("medium", "music").await;
    b.screenshot("podcasting").await;
    b.click(".actions button[value=save]").await;
    b.at("/shows/rows/podcasting").await;
    assert!(b.text(".notice").await.contains("Saved"));

    let (_, show) = app.api(Method::GET, "/shows/rows", Some(&api), None).await;
    assert_eq!(show["persons"][1]["name"], "Grace Guest", "{show}");
    app.run_pending_jobs().await;
    let feed = app.feed_xml("rows").await.expect("feed published");
    assert!(
        feed.contains(r#"<podcast:person role="guest">Grace Guest</podcast:person>"#),
        "{feed}"
    );
    assert!(feed.contains("<podcast:medium>music</podcast:medium>"));
    b.close().await;
}
