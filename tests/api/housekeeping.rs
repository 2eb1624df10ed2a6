//! Housekeeping: old finished jobs, refresh batches, expired sessions and sign-in failures are
//! deleted; what a person still needs is kept.

use std::time::Duration;

use podpub::jobs::{
    housekeeping::{sweep, Swept},
    worker::{self, WorkerOptions},
    JobContext,
};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::kit::app::spawn_app_with;

const WEEK: Duration = Duration::from_secs(7 * 86_400);

/// A job in `state` whose last change was `days_ago`.
async fn job(pool: &PgPool, state: &str, days_ago: i32) -> Uuid {
    sqlx::query_scalar(
        "insert into jobs (kind, state, run_at, created_at, updated_at, finished_at)
         values ('render', $1, now() - make_interval(days => $2), now() - make_interval(days => $2),
                 now() - make_interval(days => $2),
                 case when $1 in ('done', 'dead') then now() - make_interval(days => $2) end)
         returning id",
    )
    .bind(state)
    .bind(days_ago)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn batch(pool: &PgPool, days_ago: i32, job: Uuid) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "insert into refresh_batches (created_at) values (now() - make_interval(days => $1))
         returning id",
    )
    .bind(days_ago)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("insert into refresh_batch_jobs (batch_id, job_id) values ($1, $2)")
        .bind(id)
        .bind(job)
        .execute(pool)
        .await
        .unwrap();
    id
}

async fn exists(pool: &PgPool, table: &str, column: &str, id: Uuid) -> bool {
    sqlx::query_scalar(&format!(
        "select exists (select 1 from {table} where {column} = $1)"
    ))
    .bind(id)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn a_sweep_deletes_what_is_past_its_time_and_keeps_the_rest() {
    let app = spawn_app_with(false, &[]).await;
    app.create_user(false).await;
    let pool = &app.pool;
    let user: Uuid = sqlx::query_scalar("select id from users limit 1")
        .fetch_one(pool)
        .await
        .unwrap();

    let old_done = job(pool, "done", 8).await;
    let recent_done = job(pool, "done", 6).await;
    let old_dead = job(pool, "dead", 30).await;
    let old_queued = job(pool, "queued", 30).await;
    let old_batch = batch(pool, 8, old_done).await;
    let recent_batch = batch(pool, 1, recent_done).await;
    for (secret, expires) in [
        (1u8, "now() - interval '1 minute'"),
        (2, "now() + interval '1 day'"),
    ] {
        sqlx::query(&format!(
            "insert into sessions (id_hash, user_id, csrf_token, expires_at)
             values ($1, $2, 'csrf', {expires})"
        ))
        .bind(vec![secret; 32])
        .bind(user)
        .execute(pool)
        .await
        .unwrap();
    }
    for at in ["now() - interval '2 days'", "now()"] {
        sqlx::query(&format!(
            "insert into login_failures (email, client, at) values ('a@example.com', '127.0.0.1', {at})"
        ))
        .execute(pool)
        .await
        .unwrap();
    }

    let swept = sweep(pool, WEEK).await.unwrap();
    assert_eq!(
        swept,
        Swept {
            jobs: 1,
            batches: 1,
            sessions: 1,
            login_failures: 1
        }
    );
    assert!(!exists(pool, "jobs", "id", old_done).await);
    assert!(!exists(pool, "refresh_batches", "id", old_batch).await);
    for kept in [recent_done, old_dead, old_queued] {
        assert!(exists(pool, "jobs", "id", kept).await, "job {kept} is kept");
    }
    assert!(exists(pool, "refresh_batches", "id", recent_batch).await);
    assert_eq!(
        count(
            pool,
            "select count(*) from sessions where expires_at > now()"
        )
        .await,
        1,
        "the live session is kept"
    );
    assert_eq!(count(pool, "select count(*) from sessions").await, 1);
    assert_eq!(count(pool, "select count(*) from login_failures").await, 1);

    assert_eq!(
        sweep(pool, WEEK).await.unwrap(),
        Swept::default(),
        "nothing is left to do"
    );
}

#[tokio::test]
async fn an_idle_worker_sweeps_with_the_configured_retention() {
    let app = spawn_app_with(false, &[("PODPUB_JOB_RETENTION_DAYS", "2")]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "kept", json!({})).await;
    let three_days = job(&app.pool, "done", 3).await;
    let one_day = job(&app.pool, "done", 1).await;

    let ctx = JobContext::new(&app.settings, app.pool.clone())
        .await
        .unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker::run(
        ctx,
        WorkerOptions::from_settings(&app.settings),
        stopped,
    ));
    // The worker first renders the show, then, idle, sweeps.
    let mut gone = false;
    for _ in 0..100 {
        if !exists(&app.pool, "jobs", "id", three_days).await {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.send(true).unwrap();
    running.await.unwrap();
    assert!(
        gone,
        "a job finished three days ago is deleted with a 2-day retention"
    );
    assert!(exists(&app.pool, "jobs", "id", one_day).await);
}
