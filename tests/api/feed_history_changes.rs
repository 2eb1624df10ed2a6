//! What changed in each feed version is worked out once, kept, and read back; when the
//! version it was worked out against is pruned, it is worked out again against the one before.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::{spawn_app, TestApp, TestUser};

/// The versions, newest first.
async fn versions(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let path = "/shows/kept/feed/versions?limit=100";
    let (status, list) = app.api(Method::GET, path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

fn added(v: &Value) -> Vec<&str> {
    v["changes"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn what_changed_is_kept_once_worked_out_and_redone_when_its_base_is_pruned() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "kept", json!({"title": "Kept"})).await;
    for title in ["One", "Two", "Three"] {
        let enclosure = json!({"url": format!("https://example.com/{title}.mp3"),
            "length": 1234, "type": "audio/mpeg"});
        app.post_episode(
            &user,
            "kept",
            json!({"title": title, "enclosure": enclosure}),
        )
        .await;
        app.run_pending_jobs().await;
    }
    let list = versions(&app, &user).await;
    let ids: Vec<i64> = list.iter().map(|v| v["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{list:?}");
    assert_eq!(added(&list[0]), ["Three"]);
    assert_eq!(
        added(&list[2]),
        ["One"],
        "the first version adds everything"
    );

    let kept: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "select id, changes_against from feed_versions where changes is not null order by id desc",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        kept,
        [
            (ids[0], Some(ids[1])),
            (ids[1], Some(ids[2])),
            (ids[2], None)
        ],
        "each kept, with the version it was worked out against"
    );

    // The list reads what was kept rather than parsing the documents again.
    let marked = json!({"added": [{"guid": "g", "title": "As kept"}],
        "removed": [], "changed": [], "channel": []});
    sqlx::query("update feed_versions set changes = $1 where id = $2")
        .bind(&marked)
        .bind(ids[0])
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(added(&versions(&app, &user).await[0]), ["As kept"]);

    // Housekeeping prunes the middle version: the newest is now compared with the first.
    sqlx::query("delete from feed_versions where id = $1")
        .bind(ids[1])
        .execute(&app.pool)
        .await
        .unwrap();
    let list = versions(&app, &user).await;
    assert_eq!(list[0]["previous_id"], ids[2]);
    assert_eq!(added(&list[0]), ["Three", "Two"], "{}", list[0]);
    let against: Option<i64> =
        sqlx::query_scalar("select changes_against from feed_versions where id = $1")
            .bind(ids[0])
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(against, Some(ids[2]), "kept again, against the first");
}
