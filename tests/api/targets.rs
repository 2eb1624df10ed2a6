//! Changing PODPUB_PUBLISH_URL: the next worker publishes every show to the new store, whole,
//! without a refresh.

use std::time::Duration;

use podpub::jobs::{
    worker::{self, WorkerOptions},
    JobContext,
};
use serde_json::json;

use crate::kit::app::spawn_app_with;

/// Runs a worker with `settings` until `done` holds (or 30 s pass), then stops it.
async fn work_until(
    app: &crate::kit::app::TestApp,
    settings: &podpub::config::Settings,
    done: impl Fn() -> bool,
) -> bool {
    work_within(app, settings, done, 600).await
}

/// `work_until`, for at most `turns` × 50 ms.
async fn work_within(
    app: &crate::kit::app::TestApp,
    settings: &podpub::config::Settings,
    done: impl Fn() -> bool,
    turns: usize,
) -> bool {
    let ctx = JobContext::new(settings, app.pool.clone()).await.unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker::run(
        ctx,
        WorkerOptions::from_settings(settings),
        stopped,
    ));
    let mut met = false;
    for _ in 0..turns {
        if done() {
            met = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    running.await.unwrap();
    met
}

#[tokio::test]
async fn a_worker_publishing_somewhere_new_publishes_every_show_there() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    for slug in ["first", "second"] {
        app.post_show(&user, slug, json!({})).await;
        app.post_episode(&user, slug, json!({})).await;
    }
    let old_dir = app.publish_dir.clone();
    let in_old = |slug: &str| old_dir.join(slug).join("feed.xml");
    assert!(
        work_until(&app, &app.settings, || in_old("first").is_file()
            && in_old("second").is_file())
        .await,
        "the first worker publishes both shows"
    );

    // The operator points PODPUB_PUBLISH_URL somewhere else, with nothing edited since.
    let scratch = crate::kit::scratch::scratch("new-target");
    let new_dir = scratch.path().to_path_buf();
    let mut moved = app.settings.clone();
    moved.publish = podpub::config::PublishTarget::Dir(new_dir.clone());
    let in_new = |slug: &str| new_dir.join(slug).join("feed.xml");
    assert!(
        work_until(&app, &moved, || in_new("first").is_file()
            && in_new("second").is_file())
        .await,
        "the new store gets every show without a refresh"
    );
    assert_eq!(
        std::fs::read(in_new("first")).unwrap(),
        std::fs::read(in_old("first")).unwrap(),
        "the same feed"
    );
}

#[tokio::test]
async fn a_new_feed_content_type_is_written_to_every_object_without_an_edit() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    for slug in ["first", "second"] {
        app.post_show(&user, slug, json!({})).await;
        app.post_episode(&user, slug, json!({})).await;
    }
    let dir = app.publish_dir.clone();
    let content_type = |key: &str| -> Option<String> {
        let meta = std::fs::read(dir.join(".meta").join(format!("{key}.json"))).ok()?;
        let meta: serde_json::Value = serde_json::from_slice(&meta).unwrap();
        meta["content_type"].as_str().map(str::to_string)
    };
    let all_are = |wanted: &str| {
        ["first/feed.xml", "second/feed.xml"]
            .iter()
            .all(|key| content_type(key).as_deref() == Some(wanted))
    };
    let rss = "application/rss+xml; charset=utf-8";
    assert!(
        work_until(&app, &app.settings, || all_are(rss)).await,
        "feeds are application/rss+xml by default"
    );
    let before = std::fs::read(dir.join("first/feed.xml")).unwrap();

    // The operator sets PODPUB_FEED_CONTENT_TYPE=application/xml; nothing is edited.
    let xml = "application/xml; charset=utf-8";
    let mut styled = app.settings.clone();
    styled.feed_content_type = xml.into();
    assert!(
        work_until(&app, &styled, || all_are(xml)).await,
        "every feed is uploaded again with the new Content-Type: {:?}",
        content_type("first/feed.xml")
    );
    assert_eq!(
        std::fs::read(dir.join("first/feed.xml")).unwrap(),
        before,
        "the same bytes"
    );
    let resp = app
        .client
        .get(format!("{}/first/feed.xml", app.edge_address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], xml, "the edge serves it so");

    // A restart with the same settings queues nothing.
    let jobs = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from jobs")
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let queued = jobs().await;
    assert!(!work_within(&app, &styled, || false, 40).await);
    assert_eq!(jobs().await, queued, "no show is queued again on a restart");
}
