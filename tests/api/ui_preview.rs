//! The Preview tab: the show as apps will show it, from the input the worker publishes.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::kit::app::spawn_app;
use crate::ui::{account, Ui};

fn card<'a>(body: &'a str, title: &str) -> &'a str {
    let at = body
        .find(&format!("<h3>{title}</h3>"))
        .expect("the episode is listed");
    let start = body[..at].rfind("<li").unwrap();
    &body[start..at + body[at..].find("</li>").unwrap()]
}

#[tokio::test]
async fn the_preview_marks_scheduled_episodes_with_their_time_and_drafts_as_not_in_the_feed() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "pre", "Preview Show").await;
    // The API user edits the same show.
    let user = app.create_user(true).await;
    let later = Utc::now() + Duration::days(3);
    app.post_episode(
        &user,
        "pre",
        json!({"title": "Out now", "season": 1, "episode": 2,
        "description": "<p>Hi <script>alert(1)</script><b>there</b></p>",
        "image_url": "https://example.com/ep-art.jpg"}),
    )
    .await;
    app.post_episode(
        &user,
        "pre",
        json!({"title": "Coming soon", "publish_at": later}),
    )
    .await;
    app.post_episode(
        &user,
        "pre",
        json!({"title": "Half written", "status": "draft"}),
    )
    .await;

    let page = ui.get("/shows/pre/preview").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(body.contains("aria-current=\"page\">Preview</a>"), "{body}");
    assert!(body.contains("1 of 3 episodes in the feed"), "{body}");
    let out = card(body, "Out now");
    assert!(out.contains("Season 1, episode 2"), "{out}");
    assert!(
        out.contains("<b>there</b>") && !out.contains("<script"),
        "{out}"
    );
    assert!(
        out.contains("src=\"https://example.com/ep-art.jpg\""),
        "{out}"
    );
    assert!(!out.contains("not-in-feed"), "{out}");
    let soon = card(body, "Coming soon");
    assert!(
        soon.contains("Scheduled for ") && soon.contains("not in the feed yet"),
        "{soon}"
    );
    assert!(
        soon.contains(&later.format("%Y-%m-%d").to_string()),
        "{soon}"
    );
    let draft = card(body, "Half written");
    assert!(draft.contains("Draft: not in the feed"), "{draft}");

    // What it says is in the feed is what the worker publishes.
    app.run_pending_jobs().await;
    let xml = app.feed_xml("pre").await.unwrap();
    assert!(xml.contains("<title>Out now</title>"));
    assert!(!xml.contains("Coming soon") && !xml.contains("Half written"));

    let other = account(&app, false).await;
    let mut stranger = Ui::new(&app);
    stranger.sign_in(&other).await;
    assert_eq!(
        stranger.get("/shows/pre/preview").await.status,
        StatusCode::NOT_FOUND
    );
}
