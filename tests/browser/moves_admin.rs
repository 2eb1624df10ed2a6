//! Renaming a show through the move wizard, and an admin refreshing every feed with live
//! progress.

use serde_json::json;

use crate::browser::{create_account, Browser};
use crate::kit::app::spawn_app_with;

#[tokio::test]
async fn a_renamed_show_lists_the_redirect_and_the_old_url_answers_301() {
    let app = spawn_app_with(true, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "admin@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "old-name", json!({"title": "Renamed Show"}))
        .await;
    app.post_episode(&api, "old-name", json!({})).await;
    b.sign_in("admin@example.com", crate::browser::PASSWORD)
        .await;

    b.goto("/shows/old-name/move").await;
    b.fill("new_slug", "new-name").await;
    b.click("form:has(input[value=rename]) button[type=submit]")
        .await;
    assert!(
        b.exists(".field.invalid #f-confirm_rename").await,
        "a rename must be confirmed"
    );
    assert_eq!(
        b.find("#f-new_slug")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("new-name"),
        "the new slug typed is kept"
    );
    b.screenshot("move-wizard").await;
    b.find("#f-confirm_rename").await.click().await.unwrap();
    b.click("form:has(input[value=rename]) button[type=submit]")
        .await;
    b.at("/shows/new-name").await;
    assert!(b.text(".notice").await.contains("Renamed"));
    let redirects = b.text("section[aria-labelledby=redir-h] table").await;
    assert!(redirects.contains("/old-name/feed.xml"), "{redirects}");
    assert!(redirects.contains("/new-name/feed.xml"), "{redirects}");

    b.reload_until("#feed-state", "up to date").await;
    let old = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/old-name/feed.xml", app.edge_address))
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), reqwest::StatusCode::MOVED_PERMANENTLY);
    assert!(app.feed_xml("new-name").await.is_some());
    b.close().await;
}

#[tokio::test]
async fn an_admin_refreshes_every_feed_and_watches_progress_reach_100_percent() {
    let app = spawn_app_with(true, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "admin@example.com", true).await;
    let api = app.create_user(false).await;
    for slug in ["alpha", "bravo", "charlie", "delta"] {
        app.post_show(&api, slug, json!({})).await;
    }
    b.sign_in("admin@example.com", crate::browser::PASSWORD)
        .await;
    b.goto("/admin/shows").await;
    let rows = b.source().await;
    for slug in ["alpha", "bravo", "charlie", "delta"] {
        assert!(
            rows.contains(&format!("/shows/{slug}")),
            "every show is listed"
        );
    }
    b.screenshot("admin-shows").await;
    b.find("#f-force").await.click().await.unwrap();
    b.click("#refresh-all").await;
    assert!(b.path().await.starts_with("/admin/refresh/"));
    // The page is not reloaded: the script polls and updates the bar in place.
    b.c.execute("window.__samePage = true;", vec![])
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let text = b.text("#batch-text").await;
        if text.contains("100%") {
            assert!(text.contains("4 done, 0 failed of 4"), "{text}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "progress stuck at {text}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let same =
        b.c.execute("return window.__samePage === true;", vec![])
            .await
            .unwrap();
    assert_eq!(same, serde_json::Value::Bool(true), "no full page reload");
    let value =
        b.c.execute(
            "return document.getElementById('batch-progress').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(value, serde_json::json!(100));
    b.screenshot("admin-refresh").await;

    b.goto("/admin/jobs").await;
    assert!(b.exists("#no-jobs").await);
    b.goto("/admin/users").await;
    b.screenshot("admin-users").await;
    b.close().await;
}
