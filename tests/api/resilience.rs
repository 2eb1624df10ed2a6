//! Process-level resilience: real `podpub` processes racing each other, killed mid-job,
//! publishing through an S3 outage, and releasing a scheduled episode on time.
//!
//! Every test has its own database, ports, bucket and directories; every process it starts is
//! SIGKILLed when the test ends, and its log is printed if the test failed.

use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use aws_sdk_s3::primitives::ByteStream;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use sqlx::PgPool;
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

use crate::kit::{
    app::{spawn_app_with, TestApp},
    db::fresh_database,
    moto::{moto_url, object_text, s3_client, start_moto, Bucket},
    ports::free_port,
    procs::{podpub, process_cpu, Deadline, Proc},
    scratch::scratch,
};

// ------------------------------------------------------------------------------------ support

/// `(state, attempts, last_error, run_at is in the future, locked_until, finished_at)`.
type JobRow = (
    String,
    i32,
    Option<String>,
    bool,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

async fn job_row(pool: &PgPool, id: Uuid) -> JobRow {
    sqlx::query_as(
        "select state, attempts, last_error, run_at > now(), locked_until, finished_at
         from jobs where id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
    .expect("the job exists")
}

/// The newest job of a show.
async fn latest_job(pool: &PgPool, slug: &str) -> Uuid {
    sqlx::query_scalar(
        "select j.id from jobs j join shows s on s.id = j.show_id
         where s.slug = $1 order by j.created_at desc limit 1",
    )
    .bind(slug)
    .fetch_one(pool)
    .await
    .expect("the show has a job")
}

async fn show_revision(pool: &PgPool, slug: &str) -> i64 {
    sqlx::query_scalar("select revision from shows where slug = $1")
        .bind(slug)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn done_jobs(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from jobs where state = 'done'")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A TCP endpoint that accepts connections, reads what comes and never answers.
struct BlackHole {
    addr: SocketAddr,
    /// Connections accepted so far.
    accepted: Arc<AtomicUsize>,
    /// Connections the client still holds open.
    open: Arc<AtomicUsize>,
    /// The most connections held open at once.
    peak: Arc<AtomicUsize>,
}

async fn black_hole() -> BlackHole {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hole = BlackHole {
        addr: listener.local_addr().unwrap(),
        accepted: Arc::default(),
        open: Arc::default(),
        peak: Arc::default(),
    };
    let (accepted, open, peak) = (hole.accepted.clone(), hole.open.clone(), hole.peak.clone());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            accepted.fetch_add(1, Ordering::SeqCst);
            let now_open = open.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now_open, Ordering::SeqCst);
            let open = open.clone();
            tokio::spawn(async move {
                let mut sink = tokio::io::sink();
                let _ = tokio::io::copy(&mut stream, &mut sink).await; // until the client closes
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    hole
}

/// A TCP proxy to `upstream`; while its gate is closed it drops every new connection.
async fn gated_proxy(upstream: SocketAddr) -> (SocketAddr, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let open = Arc::new(AtomicBool::new(true));
    let gate = open.clone();
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            if !gate.load(Ordering::SeqCst) {
                continue; // dropped: closed without an answer
            }
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    (addr, open)
}

/// An app (API only, no worker) whose jobs may be retried up to ten times.
async fn api_only_app() -> TestApp {
    spawn_app_with(false, &[("PODPUB_MAX_ATTEMPTS", "10")]).await
}

// -------------------------------------------------------------------------------------- tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_racing_on_200_shows_publish_every_latest_revision() {
    const SHOWS: usize = 200;
    const EDITS: usize = 200;
    let app = api_only_app().await;
    let user = app.create_user(false).await;
    let logs = scratch("race-logs");
    let slug = |i: usize| format!("race-{i:03}");

    futures::stream::iter(0..SHOWS)
        .map(|i| {
            let (app, user, slug) = (&app, &user, slug(i));
            async move {
                app.post_show(user, &slug, json!({"title": format!("Show {i:03}")}))
                    .await;
                for n in 1..=2 {
                    app.post_episode(user, &slug, json!({"title": format!("Episode {n}")}))
                        .await;
                }
            }
        })
        .buffer_unordered(16)
        .collect::<Vec<()>>()
        .await;

    let env = [
        (
            "PODPUB_PUBLISH_URL",
            format!("file://{}", app.publish_dir.display()),
        ),
        ("PODPUB_FEED_BASE_URL", app.settings.feed_base_url.clone()),
        ("PODPUB_POLL_INTERVAL_MS", "50".into()),
        ("PODPUB_MAX_ATTEMPTS", "10".into()),
    ];
    let db = app.settings.database_url.expose_secret();
    let args = ["worker", "--concurrency", "4"];
    let mut workers = [
        Proc::spawn("worker-a", podpub(db, &args, &env), logs.path()),
        Proc::spawn("worker-b", podpub(db, &args, &env), logs.path()),
    ];

    // Edits to random shows while the workers publish, starting once they are under way; each
    // title is new, so each edit changes the feed's bytes.
    let deadline = Deadline::new("the workers to get going", Duration::from_secs(30));
    while done_jobs(&app.pool).await < 40 {
        for w in &mut workers {
            w.assert_running();
        }
        deadline.tick().await;
    }
    futures::stream::iter(1..=EDITS)
        .map(|k| {
            let (app, user) = (&app, &user);
            let i = rand::random_range(0..SHOWS);
            let slug = slug(i);
            async move {
                let title = format!("Show {i:03} edit {k}");
                let (status, body) = app
                    .api(
                        Method::PATCH,
                        &format!("/shows/{slug}"),
                        Some(user),
                        Some(json!({"title": title})),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{body}");
            }
        })
        .buffer_unordered(4)
        .collect::<Vec<()>>()
        .await;

    let deadline = Deadline::new("the queue to drain", Duration::from_secs(60));
    loop {
        let (pending, dead, doubled): (i64, i64, i64) = sqlx::query_as(
            "select count(*) filter (where state in ('queued', 'running', 'failed')),
                    count(*) filter (where state = 'dead'),
                    (select count(*) from (select 1 from jobs where state = 'running'
                        group by kind, show_id having count(*) > 1) d)
             from jobs",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(dead, 0, "a job died");
        assert_eq!(doubled, 0, "two jobs ran for one show at once");
        if pending == 0 {
            break;
        }
        for w in &mut workers {
            w.assert_running();
        }
        deadline.tick().await;
    }

    let (jobs, not_done, retried): (i64, i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where state <> 'done'),
                count(*) filter (where attempts <> 1)
         from jobs",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(not_done, 0, "every job is done");
    assert_eq!(
        retried, 0,
        "every job ran exactly once (no failure, no expired lease)"
    );
    assert!(
        jobs > SHOWS as i64,
        "{jobs} jobs for {SHOWS} shows: no edit came after its show's first render"
    );
    let workers_used: i64 = sqlx::query_scalar("select count(distinct locked_by) from jobs")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(workers_used, 2, "both workers took jobs");

    let shows: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
        "select s.slug, s.title, s.revision, p.revision from shows s
         left join publications p on p.key = s.slug || '/feed.xml'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(shows.len(), SHOWS);
    let edited = shows.iter().filter(|s| s.1.contains(" edit ")).count();
    assert!(edited > SHOWS / 2, "only {edited} shows were edited");
    for (slug, title, revision, published) in &shows {
        let meta_path = app.publish_dir.join(format!(".meta/{slug}/feed.xml.json"));
        let meta: Value = serde_json::from_slice(
            &std::fs::read(&meta_path).unwrap_or_else(|e| panic!("{}: {e}", meta_path.display())),
        )
        .unwrap();
        assert_eq!(
            meta["revision"].as_i64(),
            Some(*revision),
            "{slug}: the object holds revision {}, the show is at {revision}",
            meta["revision"]
        );
        assert_eq!(*published, Some(*revision), "{slug}: recorded publication");
        let xml = std::fs::read_to_string(app.publish_dir.join(slug).join("feed.xml")).unwrap();
        assert!(
            xml.contains(&format!("<title>{title}</title>")),
            "{slug}: the feed lacks the latest title {title:?}"
        );
        assert_eq!(xml.matches("<item>").count(), 2, "{slug}");
    }
    drop(workers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_job_is_retried_after_its_lease() {
    let moto = moto_url();
    let bucket = Bucket::create("podpub").await;
    let app = api_only_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "killed", json!({})).await;
    app.post_episode(&user, "killed", json!({"title": "Survives a crash"}))
        .await;
    let job = latest_job(&app.pool, "killed").await;
    let logs = scratch("killed-logs");

    let hole = black_hole().await;
    let env = |endpoint: String| {
        [
            ("PODPUB_PUBLISH_URL", bucket.publish_url("p")),
            ("AWS_ENDPOINT_URL", endpoint),
            ("PODPUB_FEED_BASE_URL", app.settings.feed_base_url.clone()),
            ("PODPUB_JOB_LEASE_SECS", "2".into()),
            ("PODPUB_POLL_INTERVAL_MS", "50".into()),
            ("PODPUB_MAX_ATTEMPTS", "10".into()),
        ]
    };
    let db = app.settings.database_url.expose_secret();
    let mut doomed = Proc::spawn(
        "worker-doomed",
        podpub(db, &["worker"], &env(format!("http://{}", hole.addr))),
        logs.path(),
    );
    // Running, and its PUT has reached the black hole: the worker is mid-job.
    let deadline = Deadline::new("the job to hang in its PUT", Duration::from_secs(20));
    loop {
        let (state, ..) = job_row(&app.pool, job).await;
        if state == "running" && hole.accepted.load(Ordering::SeqCst) > 0 {
            break;
        }
        doomed.assert_running();
        deadline.tick().await;
    }
    doomed.kill();
    let (state, attempts, _, _, lease_end, _) = job_row(&app.pool, job).await;
    assert_eq!(
        (state.as_str(), attempts),
        ("running", 1),
        "the killed worker's job is left running"
    );
    let lease_end = lease_end.expect("a running job has a lease");

    let mut rescuer = Proc::spawn(
        "worker-rescuer",
        podpub(db, &["worker"], &env(moto.clone())),
        logs.path(),
    );
    let deadline = Deadline::new("the job to be retried", Duration::from_secs(20));
    let (attempts, finished) = loop {
        let (state, attempts, error, _, _, finished) = job_row(&app.pool, job).await;
        assert!(
            state == "running" || state == "done",
            "the job is {state}: {error:?}"
        );
        if state == "done" {
            break (attempts, finished.expect("a done job has finished_at"));
        }
        rescuer.assert_running();
        deadline.tick().await;
    };
    assert_eq!(attempts, 2, "the same job, claimed a second time");
    assert!(
        finished >= lease_end,
        "the job was taken over at {finished} before its lease ran out at {lease_end}"
    );
    let xml = bucket
        .text("p/killed/feed.xml")
        .await
        .expect("the feed object exists");
    assert!(xml.contains("Survives a crash"), "{xml}");
    drop(rescuer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_retry_with_backoff_while_s3_is_down_and_succeed_once_it_is_back() {
    let logs = scratch("outage-logs");
    let port = free_port();
    let mut moto = start_moto(port, "moto-private", logs.path()).await;
    let moto_url = format!("http://127.0.0.1:{port}");
    let s3 = s3_client(&moto_url).await;
    // Not a `Bucket`: it goes with the private moto_server.
    let bucket = format!("podpub-{}", Uuid::new_v4().simple());
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    // The worker reaches moto through a proxy the test can close while it restores the bucket.
    let (proxy, gate) = gated_proxy(([127, 0, 0, 1], port).into()).await;

    let app = api_only_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "outage", json!({"title": "Before the outage"}))
        .await;
    app.post_episode(&user, "outage", json!({})).await;
    let env = [
        ("PODPUB_PUBLISH_URL", format!("s3://{bucket}/feeds")),
        ("AWS_ENDPOINT_URL", format!("http://{proxy}")),
        ("PODPUB_FEED_BASE_URL", app.settings.feed_base_url.clone()),
        ("PODPUB_POLL_INTERVAL_MS", "50".into()),
        ("PODPUB_MAX_ATTEMPTS", "10".into()),
    ];
    let mut worker = Proc::spawn(
        "worker",
        podpub(app.settings.database_url.expose_secret(), &["worker"], &env),
        logs.path(),
    );
    let key = "feeds/outage/feed.xml";
    let deadline = Deadline::new("the first publish", Duration::from_secs(20));
    while !object_text(&s3, &bucket, key)
        .await
        .is_some_and(|xml| xml.contains("<title>Before the outage</title>"))
    {
        worker.assert_running();
        deadline.tick().await;
    }
    let before = s3
        .get_object()
        .bucket(&bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    let (content_type, cache_control, metadata) = (
        before.content_type().map(str::to_string),
        before.cache_control().map(str::to_string),
        before.metadata().cloned(),
    );
    let before_body = before.body.collect().await.unwrap().into_bytes();

    // S3 goes down; an edit comes in.
    moto.kill();
    let (status, body) = app
        .api(
            Method::PATCH,
            "/shows/outage",
            Some(&user),
            Some(json!({"title": "During the outage"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let job = latest_job(&app.pool, "outage").await;
    let deadline = Deadline::new("the job to fail", Duration::from_secs(30));
    loop {
        let (state, attempts, error, later, ..) = job_row(&app.pool, job).await;
        assert_ne!(state, "done", "published while S3 was down?");
        assert_ne!(state, "dead", "{error:?}");
        if state == "failed" {
            assert!(attempts >= 1);
            assert!(
                error.as_deref().is_some_and(|e| !e.is_empty()),
                "a failed job keeps its error"
            );
            assert!(
                later,
                "a failed job is retried after a backoff, not at once"
            );
            break;
        }
        worker.assert_running();
        deadline.tick().await;
    }

    // S3 comes back, with its data: moto keeps it in memory only, so the test restores the
    // bucket and the object as they were (while the proxy keeps the worker out).
    gate.store(false, Ordering::SeqCst);
    let _moto = start_moto(port, "moto-private-restarted", logs.path()).await;
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    s3.put_object()
        .bucket(&bucket)
        .key(key)
        .body(ByteStream::from(before_body.to_vec()))
        .set_content_type(content_type)
        .set_cache_control(cache_control)
        .set_metadata(metadata)
        .send()
        .await
        .unwrap();
    gate.store(true, Ordering::SeqCst);

    let deadline = Deadline::new("the job to succeed", Duration::from_secs(30));
    let attempts = loop {
        let (state, attempts, error, ..) = job_row(&app.pool, job).await;
        assert_ne!(state, "dead", "{error:?}");
        if state == "done" {
            assert_eq!(error, None, "a done job has no error");
            break attempts;
        }
        worker.assert_running();
        deadline.tick().await;
    };
    assert!(attempts >= 2, "done after {attempts} attempt(s)");
    let object = s3
        .get_object()
        .bucket(&bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    let revision = object
        .metadata()
        .and_then(|m| m.get("podpub-revision"))
        .cloned();
    let xml =
        String::from_utf8(object.body.collect().await.unwrap().into_bytes().to_vec()).unwrap();
    assert!(xml.contains("<title>During the outage</title>"), "{xml}");
    assert_eq!(
        revision,
        Some(show_revision(&app.pool, "outage").await.to_string())
    );
    let unfinished: i64 = sqlx::query_scalar("select count(*) from jobs where state <> 'done'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(unfinished, 0, "nothing lost, nothing left behind");
    drop(worker);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_episode_reaches_the_s3_object_at_its_time() {
    let moto = moto_url();
    let bucket = Bucket::create("podpub").await;
    let database_url = fresh_database().await;
    let token = {
        let pool = PgPool::connect(&database_url).await.unwrap();
        let email = format!("{}@example.com", Uuid::new_v4().simple());
        let user = podpub::db::users::create(&pool, &email, None, false)
            .await
            .unwrap();
        let token = podpub::db::users::create_token(&pool, user.id, "test")
            .await
            .unwrap();
        pool.close().await;
        token
    };
    let logs = scratch("scheduled-logs");
    let web = free_port();
    let env = [
        ("PODPUB_LISTEN", format!("127.0.0.1:{web}")),
        ("PODPUB_PUBLISH_URL", bucket.publish_url("feeds")),
        ("AWS_ENDPOINT_URL", moto.clone()),
        ("PODPUB_FEED_BASE_URL", "https://feeds.example.com".into()),
        ("PODPUB_MAX_ATTEMPTS", "10".into()),
    ];
    let mut serve = Proc::spawn(
        "serve",
        podpub(&database_url, &["serve"], &env),
        logs.path(),
    );
    let client = reqwest::Client::new();
    let deadline = Deadline::new("podpub serve to come up", Duration::from_secs(20));
    loop {
        let health = client
            .get(format!("http://127.0.0.1:{web}/healthz"))
            .send()
            .await;
        if health.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        serve.assert_running();
        deadline.tick().await;
    }
    let post = |path: &str, body: Value| {
        let req = client
            .post(format!("http://127.0.0.1:{web}/api/v1{path}"))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let resp = req.send().await.unwrap();
            let status = resp.status();
            assert_eq!(status, 201, "{}", resp.text().await.unwrap());
        }
    };
    post(
        "/shows",
        json!({"slug": "timely", "title": "Timely", "description": "On time",
               "author": "Host", "owner_name": "Host", "owner_email": "host@example.com",
               "language": "en-us", "categories": [{"name": "Technology"}],
               "image_url": "https://example.com/art.jpg"}),
    )
    .await;
    let enclosure =
        json!({"url": "https://example.com/ep.mp3", "length": 1234, "type": "audio/mpeg"});
    post(
        "/shows/timely/episodes",
        json!({"title": "Out already", "enclosure": enclosure}),
    )
    .await;
    let release = Utc::now() + chrono::Duration::seconds(3);
    post(
        "/shows/timely/episodes",
        json!({"title": "Right on time", "enclosure": enclosure,
               "publish_at": release.to_rfc3339()}),
    )
    .await;

    let key = "feeds/timely/feed.xml";
    let mut seen_first = false;
    let deadline = Deadline::new("the scheduled episode", Duration::from_secs(20));
    loop {
        let xml = bucket.text(key).await.unwrap_or_default();
        // Taken after the read finished: the object held what we read at some moment before.
        let looked_at = Utc::now();
        if xml.contains("Right on time") {
            assert!(
                seen_first,
                "the scheduled episode arrived with the first publish"
            );
            assert!(
                looked_at >= release,
                "published {} ms early",
                (release - looked_at).num_milliseconds()
            );
            assert!(
                looked_at <= release + chrono::Duration::seconds(2),
                "published {} ms late",
                (looked_at - release).num_milliseconds()
            );
            break;
        }
        seen_first |= xml.contains("Out already");
        serve.assert_running();
        deadline.tick().await;
    }
    drop(serve);
}

// ------------------------------------------------- bugs these tests expose (ignored until fixed)

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_worker_does_not_spin_while_a_shows_next_render_waits_for_the_running_one() {
    let app = api_only_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "waiting", json!({})).await;
    let job = latest_job(&app.pool, "waiting").await;
    let logs = scratch("spin-logs");
    let hole = black_hole().await;
    let env = [
        ("PODPUB_PUBLISH_URL", "s3://bucket/p".to_string()),
        ("AWS_ENDPOINT_URL", format!("http://{}", hole.addr)),
        ("PODPUB_FEED_BASE_URL", app.settings.feed_base_url.clone()),
    ];
    let db = app.settings.database_url.expose_secret();
    let mut worker = Proc::spawn("worker", podpub(db, &["worker"], &env), logs.path());
    let deadline = Deadline::new("the render to hang in its PUT", Duration::from_secs(20));
    loop {
        let (state, ..) = job_row(&app.pool, job).await;
        if state == "running" && hole.accepted.load(Ordering::SeqCst) > 0 {
            break;
        }
        worker.assert_running();
        deadline.tick().await;
    }
    // An edit queues the next render, due now but blocked by the running one.
    let (status, body) = app
        .api(
            Method::PATCH,
            "/shows/waiting",
            Some(&user),
            Some(json!({"title": "Edited"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let before = process_cpu(worker.pid());
    tokio::time::sleep(Duration::from_secs(2)).await;
    let used = process_cpu(worker.pid()) - before;
    worker.assert_running();
    // Idle (polling every 500 ms) is ~0 ms; the busy loop burns ~300-600 of 2,000.
    assert!(
        used < Duration::from_millis(200),
        "the worker used {used:?} of CPU in 2 s while it had nothing it could run"
    );
    drop(worker);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_outlives_its_lease_never_runs_twice_at_once_nor_past_its_attempts() {
    let app = spawn_app_with(false, &[("PODPUB_MAX_ATTEMPTS", "2")]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "slow", json!({})).await;
    let job = latest_job(&app.pool, "slow").await;
    let logs = scratch("overrun-logs");
    let hole = black_hole().await;
    let env = [
        ("PODPUB_PUBLISH_URL", "s3://bucket/p".to_string()),
        ("AWS_ENDPOINT_URL", format!("http://{}", hole.addr)),
        ("PODPUB_FEED_BASE_URL", app.settings.feed_base_url.clone()),
        ("PODPUB_JOB_LEASE_SECS", "1".into()),
        ("PODPUB_POLL_INTERVAL_MS", "50".into()),
    ];
    let db = app.settings.database_url.expose_secret();
    let mut workers = [
        Proc::spawn("worker-a", podpub(db, &["worker"], &env), logs.path()),
        Proc::spawn("worker-b", podpub(db, &["worker"], &env), logs.path()),
    ];
    // Both workers stay alive; the PUT hangs for far longer than the lease.
    let watch = Instant::now();
    let mut most_attempts = 0;
    while watch.elapsed() < Duration::from_secs(5) {
        let (_, attempts, ..) = job_row(&app.pool, job).await;
        most_attempts = most_attempts.max(attempts);
        for w in &mut workers {
            w.assert_running();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let peak = hole.peak.load(Ordering::SeqCst);
    let (state, attempts, ..) = job_row(&app.pool, job).await;
    assert_eq!(
        peak, 1,
        "the job ran {peak} times at once (state {state}, attempts {attempts})"
    );
    assert!(
        most_attempts <= 2,
        "{most_attempts} attempts of a job allowed 2 (state now {state})"
    );
    drop(workers);
}
