//! The README's quick start, run as a new user would: the real binary, as processes.

use std::{
    process::Command,
    time::{Duration, Instant},
};

use chrono::Utc;
use serde_json::{json, Value};

use crate::kit::{db::fresh_database, ports::free_port, procs::Proc, scratch::scratch};

/// How the product runs: one `serve` with its in-process worker (the quick start), or scaled
/// out as the README's Operating section describes.
#[derive(Clone, Copy)]
enum Topology {
    Single,
    /// Two `serve --no-worker` and two `worker` processes on one database.
    TwoWebTwoWorkers,
}

#[tokio::test]
async fn the_quick_start_publishes_a_show_with_the_real_binary() {
    quick_start(Topology::Single, chrono::Duration::seconds(10)).await;
}

#[tokio::test]
async fn two_web_and_two_worker_processes_on_one_database_run_the_same_flow() {
    quick_start(Topology::TwoWebTwoWorkers, chrono::Duration::seconds(4)).await;
}

async fn quick_start(topology: Topology, release_in: chrono::Duration) {
    let database_url = fresh_database().await;
    let (publish, logs) = (scratch("readme"), scratch("readme-logs"));
    let dir = publish.path();
    let (web, web2, edge) = (free_port(), free_port(), free_port());
    let podpub = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_podpub"));
        cmd.args(args)
            .env("DATABASE_URL", &database_url)
            .env("PODPUB_LISTEN", format!("127.0.0.1:{web}"))
            .env("PODPUB_EDGE_LISTEN", format!("127.0.0.1:{edge}"))
            .env("PODPUB_FEED_BASE_URL", format!("http://127.0.0.1:{edge}"))
            .env("PODPUB_PUBLISH_URL", format!("file://{}", dir.display()))
            .env("RUST_LOG", "warn");
        cmd
    };
    let out = podpub(&["user", "create", "--email", "a@example.com", "--admin"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = podpub(&["token", "create", "--email", "a@example.com"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap();
    assert_eq!(token.lines().count(), 1, "the token alone on one line");
    let token = token.trim().to_string();

    let spawn = |name: &str, cmd: Command| Proc::spawn(name, cmd, logs.path());
    let mut processes = vec![spawn("edge", podpub(&["edge"]))];
    let webs = match topology {
        Topology::Single => {
            processes.push(spawn("serve", podpub(&["serve"])));
            vec![web]
        }
        Topology::TwoWebTwoWorkers => {
            processes.push(spawn("serve-1", podpub(&["serve", "--no-worker"])));
            let mut second = podpub(&["serve", "--no-worker"]);
            second.env("PODPUB_LISTEN", format!("127.0.0.1:{web2}"));
            processes.push(spawn("serve-2", second));
            for n in 1..=2 {
                let worker = podpub(&["worker", "--concurrency", "2"]);
                processes.push(spawn(&format!("worker-{n}"), worker));
            }
            vec![web, web2]
        }
    };
    let client = reqwest::Client::new();
    let started = Instant::now();
    for port in &webs {
        loop {
            let health = client
                .get(format!("http://127.0.0.1:{port}/healthz"))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "serve on {port} never came up"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // Requests go round the web processes, as behind a load balancer.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let post = |path: String, body: Value| {
        let port = webs[next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) % webs.len()];
        let req = client
            .post(format!("http://127.0.0.1:{port}/api/v1{path}"))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
        }
    };
    post(
        "/shows".into(),
        json!({"slug": "my-show", "title": "My Show", "description": "About my show",
               "author": "Me", "owner_name": "Me", "owner_email": "a@example.com",
               "language": "en-us", "categories": [{"name": "Technology"}],
               "image_url": "https://example.com/art.jpg"}),
    )
    .await;
    let enclosure =
        json!({"url": "https://example.com/ep1.mp3", "length": 12345678, "type": "audio/mpeg"});
    post(
        "/shows/my-show/episodes".into(),
        json!({"title": "Episode 1", "description": "<p>Hello</p>", "enclosure": enclosure}),
    )
    .await;
    let release = Utc::now() + release_in;
    post(
        "/shows/my-show/episodes".into(),
        json!({"title": "Episode 2", "enclosure": enclosure, "publish_at": release.to_rfc3339()}),
    )
    .await;
    let posted = Instant::now();

    let feed_url = format!("http://127.0.0.1:{edge}/my-show/feed.xml");
    let feed = || async {
        match client.get(&feed_url).send().await {
            Ok(r) if r.status() == 200 => r.text().await.unwrap_or_default(),
            _ => String::new(),
        }
    };
    while !feed().await.contains("Episode 1") {
        assert!(
            posted.elapsed() < Duration::from_secs(2),
            "episode 1 not in the feed within 2 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        !feed().await.contains("Episode 2"),
        "episode 2 published early"
    );
    while !feed().await.contains("Episode 2") {
        assert!(
            Utc::now() < release + chrono::Duration::seconds(2),
            "episode 2 not in the feed within 2 s of its time"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // An admin refresh of everything, waited for: nothing changed, so it succeeds at once.
    let out = podpub(&["refresh", "--all", "--wait"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("1/1 finished, 0 failed"), "{stderr}");
    let out = podpub(&["refresh", "--show", "no-such-show"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-show"));
    drop(processes);
}
