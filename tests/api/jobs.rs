//! The job queue: coalescing, retries with backoff, dead jobs, and leases.

use std::time::Duration;

use podpub::jobs::{queue, worker::run_job, JobContext};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::{spawn_app, TestApp};

/// Runs due jobs like a worker, recording failures instead of failing the test.
async fn work_once(app: &TestApp) {
    let ctx = JobContext::new(&app.settings, app.pool.clone())
        .await
        .unwrap();
    while let Some(job) = queue::claim(&app.pool, "w", Duration::from_secs(30))
        .await
        .unwrap()
    {
        match run_job(&ctx, &job).await {
            Ok(()) => queue::complete(&app.pool, job.id, "w").await.unwrap(),
            Err(err) => {
                queue::fail(&app.pool, job.id, "w", &format!("{err:#}"))
                    .await
                    .unwrap();
            }
        }
    }
}

async fn make_due(app: &TestApp) {
    sqlx::query("update jobs set run_at = now() where state = 'failed'")
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_burst_of_edits_queues_one_render() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "bursty", json!({})).await;
    for i in 0..5 {
        app.post_episode(&user, "bursty", json!({"title": format!("Episode {i}")}))
            .await;
    }
    let pending: i64 = sqlx::query_scalar(
        "select count(*) from jobs where kind = 'render' and state = 'queued' and run_at <= now()",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(pending, 1);
    app.run_pending_jobs().await;
    let xml = app.feed_xml("bursty").await.unwrap();
    assert_eq!(xml.matches("<item>").count(), 5);
}

#[tokio::test]
async fn a_failed_publish_is_retried_with_backoff_and_then_succeeds() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    // A file where the show's directory should be makes every write fail.
    std::fs::write(app.publish_dir.join("blocked"), b"in the way").unwrap();
    app.post_show(&user, "blocked", json!({})).await;
    let (_, refresh) = app
        .api(Method::POST, "/shows/blocked/refresh", Some(&user), None)
        .await;
    let job_path = format!("/jobs/{}", refresh["job_id"].as_str().unwrap());
    work_once(&app).await;

    let (status, job) = app.api(Method::GET, &job_path, Some(&user), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(job["state"], "failed", "{job}");
    assert_eq!(job["attempts"], 1);
    assert!(
        job["last_error"]
            .as_str()
            .unwrap()
            .contains("blocked/feed.xml"),
        "{job}"
    );
    let retry_at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(job["run_at"].clone()).unwrap();
    assert!(retry_at > chrono::Utc::now(), "the retry waits a backoff");
    let (_, feed) = app
        .api(Method::GET, "/shows/blocked/feed", Some(&user), None)
        .await;
    assert_eq!(feed["state"], "failed", "{feed}");
    assert!(feed["last_error"].is_string());

    std::fs::remove_file(app.publish_dir.join("blocked")).unwrap();
    make_due(&app).await;
    work_once(&app).await;
    let (_, job) = app.api(Method::GET, &job_path, Some(&user), None).await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["attempts"], 2);
    let (_, feed) = app
        .api(Method::GET, "/shows/blocked/feed", Some(&user), None)
        .await;
    assert_eq!(feed["state"], "up_to_date", "{feed}");
    assert!(feed["last_error"].is_null());
    assert!(app.feed_xml("blocked").await.is_some());
}

#[tokio::test]
async fn a_job_that_keeps_failing_ends_dead_with_its_last_error() {
    let app = spawn_app().await; // PODPUB_MAX_ATTEMPTS=3 in tests
    let user = app.create_user(false).await;
    std::fs::write(app.publish_dir.join("doomed"), b"in the way").unwrap();
    app.post_show(&user, "doomed", json!({})).await;
    for _ in 0..3 {
        work_once(&app).await;
        make_due(&app).await;
    }
    let (state, attempts, error): (String, i32, Option<String>) = sqlx::query_as(
        "select state, attempts, last_error from jobs where kind = 'render' order by created_at limit 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((state.as_str(), attempts), ("dead", 3));
    assert!(error.unwrap().contains("doomed/feed.xml"));
    work_once(&app).await;
    let still: String = sqlx::query_scalar("select state from jobs where kind = 'render' limit 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(still, "dead", "a dead job is kept, not retried");
}

#[tokio::test]
async fn a_job_whose_lease_ran_out_is_claimed_again() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "leased", json!({})).await;
    let first = queue::claim(&app.pool, "crashed", Duration::from_millis(200))
        .await
        .unwrap()
        .expect("a job to claim");
    assert!(
        queue::claim(&app.pool, "other", Duration::from_secs(30))
            .await
            .unwrap()
            .is_none(),
        "a leased job is not claimed twice"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let again = queue::claim(&app.pool, "other", Duration::from_secs(30))
        .await
        .unwrap()
        .expect("the expired job is claimed again");
    assert_eq!(again.id, first.id);
    assert_eq!(again.attempts, 2);
    // The crashed worker's late completion no longer counts.
    queue::complete(&app.pool, first.id, "crashed")
        .await
        .unwrap();
    let state: String = sqlx::query_scalar("select state from jobs where id = $1")
        .bind(first.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "running");
}

#[tokio::test]
async fn two_renders_of_one_show_never_run_at_once() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "single", json!({})).await;
    let running = queue::claim(&app.pool, "a", Duration::from_secs(30))
        .await
        .unwrap()
        .expect("first render");
    // An edit while it runs queues another render, which must wait for the first.
    app.post_episode(&user, "single", json!({})).await;
    assert!(queue::claim(&app.pool, "b", Duration::from_secs(30))
        .await
        .unwrap()
        .is_none());
    queue::complete(&app.pool, running.id, "a").await.unwrap();
    let next = queue::claim(&app.pool, "b", Duration::from_secs(30))
        .await
        .unwrap()
        .expect("the second render after the first finished");
    assert_ne!(next.id, running.id);
}

#[tokio::test]
async fn one_claim_takes_a_batch_of_due_jobs_but_one_per_show() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    for slug in ["batch-a", "batch-b", "batch-c"] {
        app.post_show(&user, slug, json!({})).await;
    }
    let a: uuid::Uuid = sqlx::query_scalar("select id from shows where slug = 'batch-a'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // A second render of show a that is also due (a scheduled release that fell due).
    let past = chrono::Utc::now() - chrono::Duration::seconds(5);
    queue::enqueue_render(&app.pool, a, Some(past), 5)
        .await
        .unwrap();

    let lease = Duration::from_secs(30);
    let batch = queue::claim_batch(&app.pool, "w", lease, 10).await.unwrap();
    let mut shows: Vec<_> = batch.iter().map(|j| j.show_id.unwrap()).collect();
    shows.sort();
    shows.dedup();
    assert_eq!(batch.len(), 3, "one render per show: {batch:?}");
    assert_eq!(shows.len(), 3);
    // Show a's other render waits for the running one.
    assert!(queue::claim_batch(&app.pool, "w2", lease, 10)
        .await
        .unwrap()
        .is_empty());
    let first_a = batch.iter().find(|j| j.show_id == Some(a)).unwrap();
    queue::complete(&app.pool, first_a.id, "w").await.unwrap();
    let next = queue::claim_batch(&app.pool, "w2", lease, 10)
        .await
        .unwrap();
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].show_id, Some(a));

    // A limit is a limit.
    for slug in ["batch-d", "batch-e", "batch-f"] {
        app.post_show(&user, slug, json!({})).await;
    }
    let two = queue::claim_batch(&app.pool, "w3", lease, 2).await.unwrap();
    assert_eq!(two.len(), 2);
}

/// Two refreshes of every show and a worker queueing every show for a new store, at once, over
/// a few thousand shows: the bulk enqueues take turns, so none dies of a deadlock.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_refreshes_of_every_show_and_a_change_of_store_never_deadlock() {
    use podpub::app::{
        refresh::{self, By, ShowSelection},
        App,
    };
    let app = spawn_app().await;
    // Stored in the reverse of slug order: a re-queue of every show walks them one way, a
    // refresh (by slug) the other, so without turns they meet in the middle.
    sqlx::query(
        "insert into shows (slug, title, podcast_guid)
         select 'show-' || lpad(g::text, 4, '0'), 'Show ' || g, gen_random_uuid()
         from generate_series(2000, 1, -1) g",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let core = App::new(app.pool.clone(), std::sync::Arc::new(app.settings.clone()));
    for round in 0..4 {
        let adopt = async {
            let mut tx = app.pool.begin().await?;
            queue::enqueue_render_all(&mut tx, 10).await?;
            tx.commit().await
        };
        let (a, b, c) = tokio::join!(
            refresh::start(&core, By::Operator, ShowSelection::all(), false),
            adopt,
            refresh::start(&core, By::Operator, ShowSelection::all(), round % 2 == 1),
        );
        a.unwrap_or_else(|e| panic!("round {round}: first refresh: {e}"));
        b.unwrap_or_else(|e| panic!("round {round}: the new store's re-queue: {e}"));
        c.unwrap_or_else(|e| panic!("round {round}: second refresh: {e}"));
        let queued: i64 = sqlx::query_scalar(
            "select count(*) from jobs where kind = 'render' and state = 'queued'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(queued, 2000, "round {round}: one pending render per show");
        // The next round queues afresh.
        sqlx::query("update jobs set state = 'done', finished_at = now() where state = 'queued'")
            .execute(&app.pool)
            .await
            .unwrap();
    }
}
