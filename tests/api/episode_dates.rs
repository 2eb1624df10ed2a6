//! Episode dates: a draft published later is dated when it is published, a save in the UI keeps
//! what the podcaster did not touch, and new episodes in the UI start as drafts.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::{spawn_app, TestApp};
use crate::ui::{account, owner_and_editor, Ui};

async fn stored(app: &TestApp, title: &str) -> (String, DateTime<Utc>, String) {
    sqlx::query_as("select status, publish_at, description from episodes where title = $1")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn near_now(at: DateTime<Utc>) -> bool {
    (Utc::now() - at).num_seconds().abs() < 60
}

#[tokio::test]
async fn a_draft_published_later_is_dated_when_it_is_published() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "dates", json!({})).await;
    let mut ids = Vec::new();
    for title in ["Drafted", "Dated", "Planned"] {
        let e = app
            .post_episode(&user, "dates", json!({"title": title, "status": "draft"}))
            .await;
        ids.push(e["id"].as_str().unwrap().to_string());
    }
    // Drafted a month ago; one of them planned for next week.
    sqlx::query("update episodes set publish_at = now() - interval '30 days'")
        .execute(&app.pool)
        .await
        .unwrap();
    let next_week = Utc::now() + Duration::days(7);
    sqlx::query("update episodes set publish_at = $1 where title = 'Planned'")
        .bind(next_week)
        .execute(&app.pool)
        .await
        .unwrap();
    let publish = |id: &str, body: serde_json::Value| {
        let path = format!("/shows/dates/episodes/{id}");
        let app = &app;
        let user = &user;
        async move {
            let (status, e) = app.api(Method::PATCH, &path, Some(user), Some(body)).await;
            assert_eq!(status, StatusCode::OK, "{e}");
            e
        }
    };
    let e = publish(&ids[0], json!({"status": "published"})).await;
    let at: DateTime<Utc> = e["publish_at"].as_str().unwrap().parse().unwrap();
    assert!(near_now(at), "published now, not when drafted: {at}");
    let e = publish(
        &ids[1],
        json!({"status": "published", "publish_at": "2025-05-05T05:05:05Z"}),
    )
    .await;
    assert_eq!(
        e["publish_at"], "2025-05-05T05:05:05Z",
        "a time given is kept"
    );
    let e = publish(&ids[2], json!({"status": "published"})).await;
    let at: DateTime<Utc> = e["publish_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        at.timestamp(),
        next_week.timestamp(),
        "a date still ahead schedules it"
    );
    assert_eq!(e["state"], "scheduled");
}

#[tokio::test]
async fn saving_an_episode_in_the_ui_keeps_the_fields_left_alone_exactly() {
    let app = spawn_app().await;
    let (mut ui, csrf, user) = owner_and_editor(&app, "exact", "Exact").await;
    let notes = "<p>line one</p>\n<p>line two</p>";
    let e = app
        .post_episode(
            &user,
            "exact",
            json!({"title": "Old title", "description": notes,
                   "publish_at": "2026-03-04T05:06:07.123456Z"}),
        )
        .await;
    let id = e["id"].as_str().unwrap();
    let edit = ui.get(&format!("/shows/exact/episodes/{id}")).await;
    assert!(
        edit.body.contains("value=\"2026-03-04T05:06:07\"") && edit.body.contains("step=\"1\""),
        "the form shows the seconds"
    );
    // Posted back as a browser does: the notes with CRLF line ends, the time as shown.
    let page = ui
        .post(
            &format!("/shows/exact/episodes/{id}"),
            &[
                ("csrf", &csrf),
                ("title", "New title"),
                ("description", &notes.replace('\n', "\r\n")),
                ("enclosure_url", "https://example.com/ep.mp3"),
                ("enclosure_length", "1234"),
                ("enclosure_type", "audio/mpeg"),
                ("duration", "0:30:00"),
                ("episode_type", "full"),
                ("publish_at", "2026-03-04T05:06:07"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (status, at, description) = stored(&app, "New title").await;
    assert_eq!(status, "published");
    assert_eq!(at.to_rfc3339(), "2026-03-04T05:06:07.123456+00:00");
    assert_eq!(description, notes);
}

async fn new_episode(
    ui: &mut Ui,
    csrf: &str,
    title: &str,
    action: &str,
    at: &str,
) -> crate::ui::Page {
    let form = [
        ("csrf", csrf),
        ("title", title),
        ("enclosure_url", "https://example.com/a.mp3"),
        ("enclosure_length", "10"),
        ("enclosure_type", "audio/mpeg"),
        ("episode_type", "full"),
        ("publish_at", at),
        ("action", action),
    ];
    ui.post("/shows/drafts/episodes/new", &form).await
}

#[tokio::test]
async fn new_episodes_in_the_ui_are_drafts_until_published_or_scheduled() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "drafts", "Drafts").await;
    let new = ui.get("/shows/drafts/episodes/new").await;
    let form = new
        .body
        .find("action=\"/shows/drafts/episodes/new\"")
        .unwrap();
    let first_button = form + new.body[form..].find("type=\"submit\"").unwrap();
    assert!(
        new.body[first_button..].starts_with("type=\"submit\" name=\"action\" value=\"draft\""),
        "Enter in a field saves a draft, never publishes"
    );
    let past = "2020-01-01T10:00";
    let ahead = (Utc::now() + Duration::days(3))
        .format("%Y-%m-%dT%H:%M")
        .to_string();

    let page = new_episode(&mut ui, &csrf, "Idea", "draft", "").await;
    assert_eq!(page.location.as_deref(), Some("/shows/drafts/episodes"));
    assert_eq!(stored(&app, "Idea").await.0, "draft");
    let page = new_episode(&mut ui, &csrf, "No button", "", "").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(stored(&app, "No button").await.0, "draft");

    let page = new_episode(&mut ui, &csrf, "Now", "publish", past).await;
    assert_eq!(page.location.as_deref(), Some("/shows/drafts/episodes"));
    let (status, at, _) = stored(&app, "Now").await;
    assert_eq!(status, "published");
    assert!(near_now(at), "Publish now is now: {at}");

    let page = new_episode(&mut ui, &csrf, "Too late", "schedule", past).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("must be ahead to schedule"),
        "{}",
        page.body
    );
    let page = new_episode(&mut ui, &csrf, "Unscheduled", "schedule", "").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = new_episode(&mut ui, &csrf, "Later", "schedule", &ahead).await;
    assert_eq!(page.location.as_deref(), Some("/shows/drafts/episodes"));
    let (status, at, _) = stored(&app, "Later").await;
    assert_eq!(status, "published");
    assert!(at > Utc::now() + Duration::days(2));
    let count: i64 = sqlx::query_scalar("select count(*) from episodes")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 4, "the refused forms stored nothing");

    // A draft's form offers to publish it; publishing it dates it now.
    let id: uuid::Uuid = sqlx::query_scalar("select id from episodes where title = 'Idea'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let edit = ui.get(&format!("/shows/drafts/episodes/{id}")).await;
    assert!(edit.body.contains("value=\"publish\""));
    let list = ui.get("/shows/drafts/episodes").await;
    assert!(list.body.contains("state-draft"));
}
