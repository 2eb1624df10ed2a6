//! The trash: a deleted episode or show can be restored with everything it had, purge is final,
//! the sweep purges only what is past the retention, and only owners delete shows, purge, move
//! and rename.

use std::time::Duration;

use podpub::jobs::housekeeping::{sweep_trash, Purged};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::{spawn_app, TestApp, TestUser};

/// A user who is an editor of the show at `slug`.
pub async fn editor_of(app: &TestApp, slug: &str) -> TestUser {
    let email = format!("{}@example.com", uuid::Uuid::new_v4().simple());
    let user = podpub::db::users::create(&app.pool, &email, None, false)
        .await
        .unwrap();
    sqlx::query(
        "insert into show_members (show_id, user_id, role)
         select id, $2, 'editor' from shows where slug = $1",
    )
    .bind(slug)
    .bind(user.id)
    .execute(&app.pool)
    .await
    .unwrap();
    let token = podpub::db::users::create_token(&app.pool, user.id, "editor")
        .await
        .unwrap();
    TestUser { token }
}

/// An episode with every field set, published in the past at a time with seconds.
pub fn full_episode() -> Value {
    json!({
        "guid": "urn:example:ep-42",
        "title": "Forty-two",
        "description": "<p>The <b>answer</b></p>",
        "enclosure": {"url": "https://cdn.example.com/42.mp3", "length": 4242, "type": "audio/mpeg"},
        "duration_seconds": 2520,
        "season": 3,
        "episode": 42,
        "episode_type": "bonus",
        "explicit": true,
        "image_url": "https://cdn.example.com/42.jpg",
        "transcript_url": "https://cdn.example.com/42.vtt",
        "transcript_type": "text/vtt",
        "chapters_url": "https://cdn.example.com/42.json",
        "publish_at": "2024-03-05T06:07:08Z",
        "persons": [{"name": "Guest Star", "role": "guest"}],
    })
}

/// The `<item>` holding `guid`, byte for byte.
fn item_of<'a>(xml: &'a str, guid: &str) -> Option<&'a str> {
    let at = xml.find(&format!(">{guid}</guid>"))?;
    let start = xml[..at].rfind("<item>")?;
    let end = at + xml[at..].find("</item>")? + "</item>".len();
    Some(&xml[start..end])
}

async fn get(app: &TestApp, user: &TestUser, path: &str) -> (StatusCode, Value) {
    app.api(Method::GET, path, Some(user), None).await
}

#[tokio::test]
async fn a_deleted_episode_leaves_the_feed_and_a_restore_brings_it_back_byte_for_byte() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "trashy", json!({})).await;
    app.post_episode(&user, "trashy", json!({"title": "Stays"}))
        .await;
    let episode = app.post_episode(&user, "trashy", full_episode()).await;
    let id = episode["id"].as_str().unwrap();
    app.run_pending_jobs().await;
    let before = app.feed_xml("trashy").await.unwrap();
    let item = item_of(&before, "urn:example:ep-42")
        .expect("the episode is in the feed")
        .to_string();
    let path = format!("/shows/trashy/episodes/{id}");
    let (_, stored) = get(&app, &user, &path).await;

    let (status, body) = app.api(Method::DELETE, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    app.run_pending_jobs().await;
    let gone = app.feed_xml("trashy").await.unwrap();
    assert!(
        item_of(&gone, "urn:example:ep-42").is_none(),
        "a deleted episode leaves the feed at once"
    );
    assert!(gone.contains("Stays"), "the others stay");
    let (status, _) = get(&app, &user, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = get(&app, &user, "/shows/trashy/episodes").await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);

    let (status, trash) = get(&app, &user, "/shows/trashy/trash").await;
    assert_eq!(status, StatusCode::OK, "{trash}");
    let trashed = &trash["episodes"][0];
    for (k, v) in stored.as_object().unwrap() {
        assert_eq!(&trashed[k], v, "the trash keeps {k}");
    }
    assert!(trashed["deleted_at"].is_string());
    assert!(trashed["purge_at"].as_str().unwrap() > trashed["deleted_at"].as_str().unwrap());

    let (status, restored) = app
        .api(Method::POST, &format!("{path}/restore"), Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored, stored, "every field comes back unchanged");
    let (_, fetched) = get(&app, &user, &path).await;
    assert_eq!(fetched, stored);
    app.run_pending_jobs().await;
    let after = app.feed_xml("trashy").await.unwrap();
    assert_eq!(
        item_of(&after, "urn:example:ep-42"),
        Some(item.as_str()),
        "the item is back, byte for byte"
    );
    let (_, trash) = get(&app, &user, "/shows/trashy/trash").await;
    assert_eq!(trash["episodes"], json!([]));

    let (status, err) = app
        .api(Method::POST, &format!("{path}/restore"), Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not in the trash: {err}");
}

#[tokio::test]
async fn a_restore_meets_a_new_episode_with_the_same_guid_with_409() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "twice", json!({})).await;
    let episode = app.post_episode(&user, "twice", full_episode()).await;
    let path = format!("/shows/twice/episodes/{}", episode["id"].as_str().unwrap());
    app.api(Method::DELETE, &path, Some(&user), None).await;
    app.post_episode(&user, "twice", full_episode()).await;
    let (status, err) = app
        .api(Method::POST, &format!("{path}/restore"), Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "guid_taken");
    let (_, trash) = get(&app, &user, "/shows/twice/trash").await;
    assert_eq!(
        trash["episodes"].as_array().unwrap().len(),
        1,
        "still there"
    );
}

#[tokio::test]
async fn purging_an_episode_is_final() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "final", json!({})).await;
    let trashed = app.post_episode(&user, "final", full_episode()).await;
    let live = app
        .post_episode(&user, "final", json!({"title": "Live one"}))
        .await;
    app.run_pending_jobs().await;
    let trashed = format!("/shows/final/episodes/{}", trashed["id"].as_str().unwrap());
    let live = format!("/shows/final/episodes/{}", live["id"].as_str().unwrap());
    app.api(Method::DELETE, &trashed, Some(&user), None).await;

    for path in [&trashed, &live] {
        let (status, body) = app
            .api(
                Method::DELETE,
                &format!("{path}?purge=true"),
                Some(&user),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{path}: {body}");
        let (status, _) = app
            .api(Method::POST, &format!("{path}/restore"), Some(&user), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path} cannot come back");
        let (status, _) = get(&app, &user, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (_, trash) = get(&app, &user, "/shows/final/trash").await;
    assert_eq!(trash["episodes"], json!([]), "purge empties the trash");
    app.run_pending_jobs().await;
    let xml = app.feed_xml("final").await.unwrap();
    assert!(
        !xml.contains("Live one"),
        "a purged live episode leaves the feed"
    );
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("{trashed}?purge=true"),
            Some(&user),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing left to purge");
}

#[tokio::test]
async fn a_deleted_show_is_restored_with_everything_it_had() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(
        &user,
        "comeback",
        json!({"copyright": "© Host", "link": "https://example.com/", "locked": true}),
    )
    .await;
    let episode = app.post_episode(&user, "comeback", full_episode()).await;
    app.run_pending_jobs().await;
    let (_, stored) = get(&app, &user, "/shows/comeback").await;
    let before = app.feed_xml("comeback").await.unwrap();
    let item = item_of(&before, "urn:example:ep-42").unwrap().to_string();
    assert!(!before.contains("<itunes:block>"));

    let (status, _) = app
        .api(Method::DELETE, "/shows/comeback", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.run_pending_jobs().await;
    let blocked = app.feed_xml("comeback").await.unwrap();
    assert!(blocked.contains("<itunes:block>Yes</itunes:block>"));
    assert!(blocked.contains("<itunes:complete>Yes</itunes:complete>"));
    assert!(
        item_of(&blocked, "urn:example:ep-42").is_some(),
        "subscribers keep the episodes"
    );
    let (_, trash) = get(&app, &user, "/trash").await;
    assert_eq!(trash["shows"][0]["slug"], "comeback", "{trash}");
    assert_eq!(trash["shows"][0]["can_restore"], true);

    let (status, restored) = app
        .api(Method::POST, "/shows/comeback/restore", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    for (k, v) in stored.as_object().unwrap() {
        if !matches!(k.as_str(), "revision" | "updated_at") {
            assert_eq!(&restored[k], v, "restore keeps {k}");
        }
    }
    assert_eq!(restored["status"], "active");
    assert_eq!(
        restored["block"], false,
        "the show's own setting, not the trash's"
    );
    let (_, trash) = get(&app, &user, "/trash").await;
    assert_eq!(trash["shows"], json!([]));
    let (_, list) = get(&app, &user, "/shows").await;
    assert_eq!(list["items"][0]["slug"], "comeback");
    let path = format!(
        "/shows/comeback/episodes/{}",
        episode["id"].as_str().unwrap()
    );
    let (status, _) = get(&app, &user, &path).await;
    assert_eq!(status, StatusCode::OK, "its episodes came back with it");

    app.run_pending_jobs().await;
    let after = app.feed_xml("comeback").await.unwrap();
    assert!(
        !after.contains("<itunes:block>"),
        "directories list it again"
    );
    assert!(!after.contains("<itunes:complete>"));
    assert_eq!(item_of(&after, "urn:example:ep-42"), Some(item.as_str()));

    let (status, err) = app
        .api(Method::POST, "/shows/comeback/restore", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "not_deleted");
}

#[tokio::test]
async fn an_editor_edits_content_but_gets_403_for_delete_purge_move_and_rename() {
    let app = spawn_app().await;
    let owner = app.create_user(false).await;
    app.post_show(&owner, "shared", json!({})).await;
    let episode = app.post_episode(&owner, "shared", json!({})).await;
    let episode = format!("/shows/shared/episodes/{}", episode["id"].as_str().unwrap());
    let editor = editor_of(&app, "shared").await;

    let refused = [
        (Method::DELETE, "/shows/shared".to_string(), None),
        (Method::DELETE, "/shows/shared?purge=true".into(), None),
        (
            Method::PATCH,
            "/shows/shared".into(),
            Some(json!({"slug": "mine-now"})),
        ),
        (
            Method::POST,
            "/shows/shared/move".into(),
            Some(json!({"new_feed_url": "https://elsewhere.example/feed.xml"})),
        ),
        (Method::DELETE, "/shows/shared/move".into(), None),
        (Method::DELETE, format!("{episode}?purge=true"), None),
    ];
    for (method, path, body) in refused {
        let (status, err) = app.api(method.clone(), &path, Some(&editor), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {err}");
        assert_eq!(err["error"]["code"], "owner_only", "{method} {path}");
        assert!(err["error"]["message"].as_str().unwrap().contains("owners"));
    }
    let (_, show) = get(&app, &owner, "/shows/shared").await;
    assert_eq!(show["slug"], "shared");
    assert_eq!(show["status"], "active", "nothing happened");
    assert!(show["move"].is_null());

    // Content is theirs to edit: show fields, and episodes (deleting one keeps it restorable).
    let (status, body) = app
        .api(
            Method::PATCH,
            "/shows/shared",
            Some(&editor),
            Some(json!({"title": "Edited"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.api(Method::DELETE, &episode, Some(&editor), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .api(
            Method::POST,
            &format!("{episode}/restore"),
            Some(&editor),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // A show in the trash: only an owner restores it; the editor sees it there, without rights.
    app.api(Method::DELETE, "/shows/shared", Some(&owner), None)
        .await;
    let (status, err) = app
        .api(Method::POST, "/shows/shared/restore", Some(&editor), None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert_eq!(err["error"]["code"], "owner_only");
    let (_, trash) = get(&app, &editor, "/trash").await;
    assert_eq!(trash["shows"][0]["can_restore"], false);

    // Admins may do what owners do.
    let admin = app.create_user(true).await;
    let (status, _) = app
        .api(Method::POST, "/shows/shared/restore", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn backdate(app: &TestApp, sql: &str, days: i32) {
    sqlx::query(sql)
        .bind(days)
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_sweep_purges_only_trash_past_the_retention() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    for slug in ["old-show", "new-show", "live-show"] {
        app.post_show(&user, slug, json!({})).await;
    }
    let old = app
        .post_episode(&user, "live-show", json!({"title": "Old", "guid": "old"}))
        .await;
    let new = app
        .post_episode(&user, "live-show", json!({"title": "New", "guid": "new"}))
        .await;
    for e in [&old, &new] {
        let path = format!("/shows/live-show/episodes/{}", e["id"].as_str().unwrap());
        app.api(Method::DELETE, &path, Some(&user), None).await;
    }
    app.api(Method::DELETE, "/shows/old-show", Some(&user), None)
        .await;
    app.api(Method::DELETE, "/shows/new-show", Some(&user), None)
        .await;
    app.run_pending_jobs().await;
    assert!(app.feed_xml("old-show").await.is_some());
    backdate(
        &app,
        "update trashed_episodes set deleted_at = now() - make_interval(days => $1)
         where guid = 'old'",
        31,
    )
    .await;
    backdate(
        &app,
        "update shows set deleted_at = now() - make_interval(days => $1) where slug = 'old-show'",
        31,
    )
    .await;
    backdate(
        &app,
        "update shows set deleted_at = now() - make_interval(days => $1) where slug = 'new-show'",
        29,
    )
    .await;

    let thirty_days = Duration::from_secs(30 * 86_400);
    let purged = sweep_trash(&app.pool, thirty_days, 3).await.unwrap();
    assert_eq!(
        purged,
        Purged {
            shows: 1,
            episodes: 1
        }
    );
    app.run_pending_jobs().await;
    let (status, _) = get(&app, &user, "/shows/old-show").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the expired show is purged");
    assert!(
        app.feed_xml("old-show").await.is_none(),
        "and its feed object with it"
    );
    let (_, trash) = get(&app, &user, "/trash").await;
    assert_eq!(trash["shows"].as_array().unwrap().len(), 1);
    assert_eq!(trash["shows"][0]["slug"], "new-show");
    let (_, trash) = get(&app, &user, "/shows/live-show/trash").await;
    let left: Vec<&str> = trash["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["guid"].as_str().unwrap())
        .collect();
    assert_eq!(left, ["new"], "the recent one stays restorable");
    let (status, _) = app
        .api(Method::POST, "/shows/new-show/restore", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK);

    let again = sweep_trash(&app.pool, thirty_days, 3).await.unwrap();
    assert_eq!(again, Purged::default(), "nothing else is due");
}

#[tokio::test]
async fn restoring_a_show_that_was_moving_out_resumes_the_move() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "leaving", json!({})).await;
    let move_out =
        json!({"new_feed_url": "https://elsewhere.example/feed.xml", "redirect_after_days": 10});
    let (status, moving) = app
        .api(
            Method::POST,
            "/shows/leaving/move",
            Some(&user),
            Some(move_out),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{moving}");
    app.api(Method::DELETE, "/shows/leaving", Some(&user), None)
        .await;
    let (status, restored) = app
        .api(Method::POST, "/shows/leaving/restore", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["status"], "moving");
    assert_eq!(
        restored["move"], moving["move"],
        "the same move, the same day"
    );
    app.run_pending_jobs().await;
    let xml = app.feed_xml("leaving").await.unwrap();
    assert!(xml
        .contains("<itunes:new-feed-url>https://elsewhere.example/feed.xml</itunes:new-feed-url>"));
    assert!(!xml.contains("<itunes:block>"));
}
