//! Deleting an episode asks first, in the browser too, and the Trash brings it back.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;

#[tokio::test]
async fn deleting_an_episode_needs_the_box_ticked_and_the_trash_restores_it() {
    let app = spawn_app_with(true, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "binned", json!({"title": "Binned"}))
        .await;
    let episode = app
        .post_episode(
            &api,
            "binned",
            json!({"title": "Pilot", "season": 1, "episode": 1}),
        )
        .await;
    let id = episode["id"].as_str().unwrap();
    let api_path = format!("/shows/binned/episodes/{id}");
    b.sign_in("host@example.com", PASSWORD).await;

    b.goto(&format!("/shows/binned/episodes/{id}")).await;
    b.click("a.button.danger").await;
    let confirm = format!("/shows/binned/episodes/{id}/delete");
    b.at(&confirm).await;
    assert!(b.text("main").await.contains("leaves the feed"));
    b.screenshot("confirm-delete").await;

    // The box is required: the browser does not send the form without it.
    b.find("main form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    b.at(&confirm).await;
    let (status, _) = app.api(Method::GET, &api_path, Some(&api), None).await;
    assert_eq!(status, StatusCode::OK, "nothing was deleted");

    b.find("#f-confirm").await.click().await.unwrap();
    b.click("main form button[type=submit]").await;
    b.at("/shows/binned/episodes").await;
    assert!(b.text(".notice").await.contains("trash"));
    let (status, _) = app.api(Method::GET, &api_path, Some(&api), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    b.click("nav.tabs a[href$='/trash']").await;
    b.at("/shows/binned/trash").await;
    assert!(b.text("table.list").await.contains("Pilot"));
    b.screenshot("trash").await;
    b.click("table.list button[type=submit]").await;
    b.at("/shows/binned/episodes").await;
    assert!(b.text(".notice").await.contains("Restored"));
    assert!(b.text("table.list").await.contains("Pilot"));
    let (_, back) = app.api(Method::GET, &api_path, Some(&api), None).await;
    assert_eq!(back, episode, "restored as it was");
    b.close().await;
}
