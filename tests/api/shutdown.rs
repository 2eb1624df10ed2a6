//! Deploys: a worker told to stop (SIGTERM) in the middle of a refresh of every show finishes
//! the jobs it holds, claims no more, and the next worker picks up the rest; a web server told
//! to stop answers the requests it has before it exits.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use secrecy::ExposeSecret;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};

use crate::kit::{
    app::spawn_app_with,
    moto::{moto_url, Bucket},
    ports::free_port,
    procs::{podpub, Deadline, Proc},
    scratch::scratch,
};

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
    let bucket = Bucket::create("podpub").await;
    let upstream: SocketAddr = moto.trim_start_matches("http://").parse().unwrap();
    let (held, release) = holding_proxy(upstream).await;
    let publish = bucket.publish_url("feeds");
    let app = spawn_app_with(false, &[("PODPUB_PUBLISH_URL", &publish)]).await;
    let user = app.create_user(false).await;
    for n in 0..SHOWS {
        app.post_show(&user, &format!("deploy-{n}"), json!({}))
            .await;
    }
    let db = app.settings.database_url.expose_secret().to_string();
    let logs = scratch("shutdown-logs");
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
        logs.path(),
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
        logs.path(),
    );
    let deadline = Deadline::new("every refresh done", Duration::from_secs(60));
    while count(&app.pool, "done").await < SHOWS as i64 {
        second.assert_running();
        deadline.tick().await;
    }
    second.kill();
    for n in 0..SHOWS {
        let key = format!("feeds/deploy-{n}/feed.xml");
        bucket
            .s3
            .head_object()
            .bucket(&bucket.name)
            .key(&key)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{key} published: {e}"));
    }
}

/// A feed server that takes the request and answers only once `release` turns true (raw TCP:
/// wiremock can only delay an answer by a fixed time, not until the test says so).
async fn held_feed() -> (String, Arc<AtomicBool>, Arc<AtomicBool>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/feed.xml", listener.local_addr().unwrap());
    let (asked, released) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let (seen, gate) = (asked.clone(), released.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (seen, gate) = (seen.clone(), gate.clone());
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                seen.store(true, Ordering::SeqCst);
                while !gate.load(Ordering::SeqCst) {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>\
                    <title>Drained</title><item><title>One</title><guid>drained-1</guid>\
                    <pubDate>Mon, 06 Jul 2020 04:00:00 GMT</pubDate>\
                    <enclosure url=\"https://cdn.example.com/1.mp3\" length=\"1\" type=\"audio/mpeg\"/>\
                    </item></channel></rss>";
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{feed}",
                    feed.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    (url, asked, released)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_web_server_finish_the_requests_it_has() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    let (feed_url, asked, release) = held_feed().await;
    let port = free_port();
    let address = format!("http://127.0.0.1:{port}");
    let logs = scratch("drain-logs");
    let mut serve = Proc::spawn(
        "serve-drained",
        podpub(
            app.settings.database_url.expose_secret(),
            &["serve", "--no-worker"],
            &[
                ("PODPUB_LISTEN", format!("127.0.0.1:{port}")),
                ("PODPUB_IMPORT_ALLOW_PRIVATE", "true".to_string()),
            ],
        ),
        logs.path(),
    );
    let client = reqwest::Client::new();
    let deadline = Deadline::new("serve to start", Duration::from_secs(30));
    while client
        .get(format!("{address}/healthz"))
        .send()
        .await
        .is_err()
    {
        serve.assert_running();
        deadline.tick().await;
    }

    // An import in flight, waiting for its feed ...
    let import = tokio::spawn({
        let request = client
            .post(format!("{address}/api/v1/import"))
            .bearer_auth(&user.token)
            .json(&json!({ "url": feed_url, "slug": "drained" }));
        async move { request.send().await }
    });
    let deadline = Deadline::new("the import to fetch its feed", Duration::from_secs(30));
    while !asked.load(Ordering::SeqCst) {
        deadline.tick().await;
    }
    // ... when the stop comes: the server waits for it.
    serve.terminate();
    tokio::time::sleep(Duration::from_millis(500)).await;
    serve.assert_running();
    release.store(true, Ordering::SeqCst);

    let answer = import
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(answer.status(), reqwest::StatusCode::CREATED);
    let status = serve.exited(Duration::from_secs(30)).await;
    assert!(
        status.success(),
        "the drained server exits cleanly: {status}"
    );
    let (status, show) = app
        .api(reqwest::Method::GET, "/shows/drained", Some(&user), None)
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{show}");
    assert_eq!(show["title"], "Drained");
}
