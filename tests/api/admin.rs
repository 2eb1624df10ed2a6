//! Admin-only endpoints.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::spawn_app;

#[tokio::test]
async fn an_admin_refreshes_every_show_and_watches_the_batch_finish() {
    let app = spawn_app().await;
    let admin = app.create_user(true).await;
    let podcaster = app.create_user(false).await;
    for slug in ["one", "two", "three"] {
        app.post_show(&podcaster, slug, json!({})).await;
    }
    app.run_pending_jobs().await;

    let (status, body) = app
        .api(
            Method::POST,
            "/admin/refresh",
            Some(&admin),
            Some(json!({"shows": "all"})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let batch = format!("/admin/refresh/{}", body["batch_id"].as_str().unwrap());
    let (_, progress) = app.api(Method::GET, &batch, Some(&admin), None).await;
    assert_eq!(
        progress,
        json!({"total": 3, "done": 0, "failed": 0, "finished": false})
    );

    app.run_pending_jobs().await;
    let (_, progress) = app.api(Method::GET, &batch, Some(&admin), None).await;
    assert_eq!(
        progress,
        json!({"total": 3, "done": 3, "failed": 0, "finished": true})
    );
}

#[tokio::test]
async fn admin_endpoints_answer_403_to_podcasters() {
    let app = spawn_app().await;
    let podcaster = app.create_user(false).await;
    let (status, body) = app
        .api(
            Method::POST,
            "/admin/refresh",
            Some(&podcaster),
            Some(json!({"shows": "all"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "forbidden");
    let path = format!("/admin/refresh/{}", uuid::Uuid::new_v4());
    let (status, _) = app.api(Method::GET, &path, Some(&podcaster), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bad_refresh_request_is_refused_and_queues_nothing() {
    let app = spawn_app().await;
    let admin = app.create_user(true).await;
    app.post_show(&admin, "only", json!({})).await;
    app.run_pending_jobs().await;
    for body in [
        json!({"shows": "some"}),
        json!({"shows": ["only", "missing"]}),
        json!({"shows": 3}),
    ] {
        let (status, reply) = app
            .api(
                Method::POST,
                "/admin/refresh",
                Some(&admin),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {reply}");
    }
    let queued: i64 = sqlx::query_scalar("select count(*) from jobs where state = 'queued'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(queued, 0);
    let path = format!("/admin/refresh/{}", uuid::Uuid::new_v4());
    let (status, _) = app.api(Method::GET, &path, Some(&admin), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_refresh_trusts_the_recorded_inputs_and_a_forced_one_renders_again() {
    let app = spawn_app().await;
    let admin = app.create_user(true).await;
    let podcaster = app.create_user(false).await;
    app.post_show(&podcaster, "forced", json!({"title": "Before"}))
        .await;
    app.run_pending_jobs().await;
    assert!(app.feed_xml("forced").await.unwrap().contains("Before"));

    // An operator mends the title in SQL, behind podpub's back: no new revision.
    sqlx::query("update shows set title = 'After' where slug = 'forced'")
        .execute(&app.pool)
        .await
        .unwrap();
    let refresh = |force: bool| {
        let (app, admin) = (&app, &admin);
        async move {
            let (status, body) = app
                .api(
                    Method::POST,
                    "/admin/refresh",
                    Some(admin),
                    Some(json!({"shows": ["forced"], "force": force})),
                )
                .await;
            assert_eq!(status, StatusCode::ACCEPTED, "{body}");
            app.run_pending_jobs().await;
        }
    };
    // Same revision, same settings, same code: the feed is taken to be current.
    refresh(false).await;
    assert!(app.feed_xml("forced").await.unwrap().contains("Before"));
    // Forced, the show is rendered from what is stored now.
    refresh(true).await;
    let xml = app.feed_xml("forced").await.unwrap();
    assert!(xml.contains("After") && !xml.contains("Before"), "{xml}");

    // The bucket loses the object: a refresh believes its records, a forced one uploads again.
    let root = match &app.settings.publish {
        podpub::config::PublishTarget::Dir(root) => root.clone(),
        other => panic!("a directory target, not {other:?}"),
    };
    std::fs::remove_file(root.join("forced/feed.xml")).unwrap();
    std::fs::remove_file(root.join(".meta/forced/feed.xml.json")).unwrap();
    refresh(false).await;
    assert_eq!(app.feed_xml("forced").await, None);
    refresh(true).await;
    assert_eq!(app.feed_xml("forced").await, Some(xml));
}
