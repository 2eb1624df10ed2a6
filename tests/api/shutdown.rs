//! Deploys: a worker told to stop (SIGTERM) in the middle of a refresh of every show finishes
//! the jobs it holds, claims no more, and the next worker picks up the rest.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

use crate::helpers::{moto_url, s3_client, scratch_dir, spawn_app_with};
use crate::resilience::{podpub, Deadline, Proc};

/// A TCP proxy to `upstream` that holds every connection until `release` turns true: the PUTs
/// of the jobs in flight hang there, so the stop arrives while they run.
async fn holding_proxy(upstream: SocketAddr) -> (SocketAddr, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let released = Arc::new(AtomicBool::new(false));
    let gate = released.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            let gate = gate.clone();
            tokio::spawn(async move {
                while !gate.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (addr, released)
}

async fn count(pool: &sqlx::PgPool, state: &str) -> i64 {
    sqlx::query_scalar("select count(*) from jobs where kind = 'render' and state = $1")
        .bind(state)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_refresh_finishes_the_jobs_in_flight_and_the_rest_resume_later() {
    const SHOWS: usize = 12;
    let moto = moto_url();
    let s3 = s3_client(&moto).await;
    let bucket = format!("podpub-{}", Uuid::new_v4().simple());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let upstream: SocketAddr = moto.trim_start_matches("http://").parse().unwrap();
    let (held, release) = holding_proxy(upstream).await;
    let publish = format!("s3://{bucket}/feeds");
    let app = spawn_app_with(false, &[("PODPUB_PUBLISH_URL", &publish)]).await;
    let user = app.create_user(false).await;
    for n in 0..SHOWS {
        app.post_show(&user, &format!("deploy-{n}"), json!({}))
            .await;
    }
    let db = app.settings.database_url.clone();
    let logs = scratch_dir("shutdown-logs");
    let env = |endpoint: String| {
        vec![
            ("PODPUB_PUBLISH_URL", publish.clone()),
            ("AWS_ENDPOINT_URL", endpoint),
            ("PODPUB_POLL_INTERVAL_MS", "100".to_string()),
        ]
    };

    let mut first = Proc::spawn(
        "worker-stopped",
        podpub(
            &db,
            &["worker", "--concurrency", "4"],
            &env(format!("http://{held}")),
        ),
        &logs,
    );
    // Four jobs claimed and hanging in their PUTs ...
    let deadline = Deadline::new("four jobs in flight", Duration::from_secs(30));
    while count(&app.pool, "running").await < 4 {
        first.assert_running();
        deadline.tick().await;
    }
    // ... when the stop comes. The worker claims nothing more, and waits for them.
    first.terminate();
    tokio::time::sleep(Duration::from_millis(500)).await;
    first.assert_running();
    assert_eq!(count(&app.pool, "running").await, 4);
    release.store(true, Ordering::SeqCst);
    let status = first.exited(Duration::from_secs(30)).await;
    assert!(
        status.success(),
        "the stopped worker exits cleanly: {status}"
    );
    assert_eq!(
        count(&app.pool, "running").await,
        0,
        "nothing left half-done"
    );
    assert_eq!(
        count(&app.pool, "done").await,
        4,
        "the jobs in flight finished"
    );
    assert_eq!(count(&app.pool, "queued").await, (SHOWS - 4) as i64);

    // The next worker (a new deploy) resumes where the first stopped.
    let mut second = Proc::spawn(
        "worker-next",
        podpub(&db, &["worker", "--concurrency", "4"], &env(moto.clone())),
        &logs,
    );
    let deadline = Deadline::new("every refresh done", Duration::from_secs(60));
    while count(&app.pool, "done").await < SHOWS as i64 {
        second.assert_running();
        deadline.tick().await;
    }
    second.kill();
    for n in 0..SHOWS {
        let key = format!("feeds/deploy-{n}/feed.xml");
        s3.head_object()
            .bucket(&bucket)
            .key(&key)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{key} published: {e}"));
    }
}
