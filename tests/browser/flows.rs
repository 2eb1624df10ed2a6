//! A podcaster's first hour: set up, sign in, create a show, publish, fix a warning.

use crate::browser::{Browser, PASSWORD};
use crate::kit::app::spawn_app_with;

#[tokio::test]
async fn first_run_to_a_published_feed_with_a_scheduled_episode_and_a_fixed_warning() {
    let app = spawn_app_with(true, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };

    // First run: no users, so / leads to /setup, which creates an admin.
    b.goto("/").await;
    b.at("/setup").await;
    b.fill("email", "host@example.com").await;
    b.fill("password", PASSWORD).await;
    b.fill("password_again", "not the same").await;
    b.click("main form button[type=submit]").await;
    assert!(b.text(".errors").await.contains("does not match"));
    assert_eq!(
        b.find("[name=email]")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("host@example.com"),
        "what was typed is kept"
    );
    b.screenshot("setup").await;
    b.fill("password", PASSWORD).await;
    b.fill("password_again", PASSWORD).await;
    b.click("main form button[type=submit]").await;
    b.at("/shows").await;

    // Setup is gone once a user exists; sign out and back in.
    b.goto("/setup").await;
    assert!(b.source().await.contains("Not found"));
    b.goto("/shows").await;
    b.click("header form button").await;
    b.at("/login").await;
    b.fill("email", "host@example.com").await;
    b.fill("password", "wrong password").await;
    b.click("main form button[type=submit]").await;
    assert!(b.text(".errors").await.contains("wrong"));
    b.screenshot("login").await;
    b.sign_in("host@example.com", PASSWORD).await;

    // A show without artwork: it publishes, with a warning to fix.
    b.goto("/shows/new").await;
    b.fill("slug", "Bad Slug").await;
    b.fill("title", "Night Shift").await;
    b.fill("description", "<p>Stories from the <b>night</b></p>")
        .await;
    b.fill("author", "Ann Host").await;
    b.fill("owner_name", "Ann Host").await;
    b.select("category_0", "Technology").await;
    b.click("main form button[type=submit]").await;
    assert!(
        b.exists(".field.invalid #f-slug").await,
        "the slug is refused"
    );
    assert_eq!(
        b.find("#f-title")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Night Shift")
    );
    b.fill("slug", "night-shift").await;
    b.screenshot("show-form").await;
    b.click("main form button[type=submit]").await;
    b.at("/shows/night-shift").await;

    // One episode out now, one scheduled far ahead.
    b.goto("/shows/night-shift/episodes/new").await;
    b.fill("title", "Pilot").await;
    b.fill(
        "description",
        "<p>Hello <a href=\"https://example.com\">there</a></p>",
    )
    .await;
    b.fill("enclosure_url", "https://cdn.example.com/pilot.mp3")
        .await;
    b.fill("enclosure_length", "12345678").await;
    b.fill("duration", "0:31:05").await;
    b.click("button[value=publish]").await;
    b.at("/shows/night-shift/episodes").await;

    // A new episode is a draft unless it is published or scheduled.
    b.goto("/shows/night-shift/episodes/new").await;
    b.fill("title", "Rough Idea").await;
    b.fill("enclosure_url", "https://cdn.example.com/idea.mp3")
        .await;
    b.fill("enclosure_length", "345").await;
    b.click("button[value=draft]").await;
    b.at("/shows/night-shift/episodes").await;
    assert!(b.source().await.contains("state-draft"));

    b.goto("/shows/night-shift/episodes/new").await;
    b.fill("title", "Next Week").await;
    b.fill("enclosure_url", "https://cdn.example.com/next.mp3")
        .await;
    b.fill("enclosure_length", "23456789").await;
    b.fill("duration", "1:00:00").await;
    b.set_value("publish_at", "2099-01-01T09:00").await;
    b.screenshot("episode-form").await;
    b.click("button[value=schedule]").await;
    b.at("/shows/night-shift/episodes").await;
    let list = b.source().await;
    assert!(
        list.contains("state-published") && list.contains("state-scheduled"),
        "{list}"
    );
    b.screenshot("episodes").await;

    // The panel turns up to date, and the edge serves the published episode only.
    b.goto("/shows/night-shift").await;
    b.reload_until("#feed-state", "up to date").await;
    let feed = app.feed_xml("night-shift").await.expect("feed published");
    assert!(feed.contains("<title>Pilot</title>"), "{feed}");
    assert!(
        !feed.contains("Next Week"),
        "scheduled episodes wait for their time"
    );
    assert!(!feed.contains("Rough Idea"), "drafts stay out of the feed");
    assert!(b
        .find("#feed-url")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap()
        .ends_with("/night-shift/feed.xml"));

    // The missing artwork warning links to the field that fixes it.
    b.screenshot("feed-panel").await;
    b.click("li[data-code=artwork_missing] a").await;
    b.at("/shows/night-shift/edit").await;
    b.fill("image_url", "https://cdn.example.com/art.jpg").await;
    b.click("main form.card button[type=submit]").await;
    b.at("/shows/night-shift/edit").await;
    assert!(b.text(".notice").await.contains("Saved"));
    b.goto("/shows/night-shift").await;
    assert!(!b.exists("li[data-code=artwork_missing]").await);
    b.reload_until("#feed-state", "up to date").await;
    let feed = app.feed_xml("night-shift").await.unwrap();
    assert!(feed.contains("https://cdn.example.com/art.jpg"));

    // Phone width: nothing scrolls sideways.
    b.c.set_window_size(390, 844).await.unwrap();
    for (path, shot) in [
        ("/shows/night-shift", "phone-feed-panel"),
        ("/shows/night-shift/episodes", "phone-episodes"),
    ] {
        b.goto(path).await;
        let wide =
            b.c.execute(
                "return document.documentElement.scrollWidth > window.innerWidth + 1;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(wide, serde_json::Value::Bool(false), "{path} fits a phone");
        b.screenshot(shot).await;
    }
    b.close().await;
}
