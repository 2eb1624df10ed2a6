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
    let ctx = JobContext::new(settings, app.pool.clone()).await.unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker::run(
        ctx,
        WorkerOptions::from_settings(settings),
        stopped,
    ));
    let mut met = false;
    for _ in 0..600 {
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
