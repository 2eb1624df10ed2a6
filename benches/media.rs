//! Media: probing 100 MB files on S3 (moto) must read under 1 MB of them, with ranged GETs;
//! a 1 GB upload through `serve`'s local path (a release `podpub serve`) must keep its memory
//! flat, since the body is streamed to disk. Each limit fails the bench when passed.
//!
//! `make bench` runs it (`cargo bench --bench media`), with the test environment.

#[path = "../tests/kit/mod.rs"]
mod kit;

use std::time::{Duration, Instant};

use kit::db::Database;
use kit::media::{generate, Sample};
use kit::moto::Bucket;
use kit::ports::free_port;
use kit::procs::{podpub_at, release_binary, Proc};
use kit::scratch::scratch;
use kit::uploads::media_dir;
use podpub::jobs::probe;
use podpub::publish::{S3Target, Target};

/// The most a probe may read of a 100 MB file.
const PROBE_BYTES_LIMIT: u64 = 1 << 20;
/// The most `serve`'s peak memory may grow while it takes a 1 GB upload.
const UPLOAD_RSS_LIMIT_KIB: u64 = 64 << 10;
const UPLOAD_BYTES: usize = 1_000_000_000;

#[tokio::main]
async fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    probe_on_s3().await;
    upload_through_serve().await;
}

async fn probe_on_s3() {
    let bucket = Bucket::create("bench-probe").await;
    let target = Target::S3(
        S3Target::new(
            bucket.name.clone(),
            String::new(),
            Some(kit::moto::moto_url()),
        )
        .await,
    );
    println!("media/probe on S3 (moto): sample, length, bytes read, ranged GETs, time");
    for (kind, name) in [
        (Sample::LargeMp3Cbr, "100 MB MP3 CBR"),
        (Sample::LargeMp3Vbr, "100 MB MP3 VBR (Xing)"),
        (Sample::LargeM4a, "100 MB M4A, moov at the end"),
    ] {
        let path = generate(kind, &media_dir());
        let len = std::fs::metadata(&path).unwrap().len();
        let key = format!("bench/{name}").replace(' ', "-");
        let body = aws_sdk_s3::primitives::ByteStream::from_path(&path)
            .await
            .unwrap();
        let put = bucket
            .s3
            .put_object()
            .bucket(&bucket.name)
            .key(&key)
            .body(body);
        put.send().await.expect("the sample is in the bucket");
        let started = Instant::now();
        let reading = probe::read(&target, &key, len).await.expect("probed");
        let took = started.elapsed();
        let probed = reading.verdict.expect("a good file");
        println!(
            "  {name:<30} {len:>10} B {:>8} B {:>3} GETs {:>7.1} ms  ({}, {:.0} s)",
            reading.bytes_read,
            reading.requests,
            took.as_secs_f64() * 1000.0,
            probed.content_type,
            probed.duration_seconds.unwrap_or_default(),
        );
        assert!(
            reading.bytes_read < PROBE_BYTES_LIMIT,
            "probing {name} read {} bytes (limit {PROBE_BYTES_LIMIT})",
            reading.bytes_read
        );
    }
}

async fn upload_through_serve() {
    let cluster = kit::db::cluster_url();
    let bin = release_binary();
    assert!(
        bin.is_file(),
        "build the release binary first (`make bench` does)"
    );
    let db = Database::create(&cluster, "media").await;
    let run = |args: &[&str]| {
        let out = podpub_at(&bin, &db.url, args, &[])
            .output()
            .expect("podpub runs");
        assert!(out.status.success(), "podpub {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    run(&["migrate"]);
    run(&["user", "create", "--email", "bench@example.com"]);
    let token = run(&["token", "create", "--email", "bench@example.com"]);
    let public = scratch("media-bench-public");
    let logs = scratch("media-bench-logs");
    let port = free_port();
    let env = [
        ("PODPUB_LISTEN", format!("127.0.0.1:{port}")),
        (
            "PODPUB_PUBLISH_URL",
            format!("file://{}", public.path().display()),
        ),
        // One PUT of the whole gigabyte: the harshest case for memory.
        ("PODPUB_MEDIA_PART_BYTES", (2u64 << 30).to_string()),
    ];
    let serve = Proc::spawn(
        "serve",
        podpub_at(&bin, &db.url, &["serve", "--no-worker"], &env),
        logs.path(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "serve did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let api = |path: &str| format!("{base}/api/v1{path}");
    let show = client
        .post(api("/shows"))
        .bearer_auth(&token)
        .json(
            &serde_json::json!({"slug": "big", "title": "Big", "author": "A", "description": "D"}),
        )
        .send()
        .await
        .unwrap();
    assert!(show.status().is_success(), "{:?}", show.text().await);
    let ask = serde_json::json!({
        "purpose": "episode_media", "file_name": "big.mp4", "content_type": "video/mp4",
        "length": UPLOAD_BYTES,
    });
    let upload: serde_json::Value = client
        .post(api("/shows/big/uploads"))
        .bearer_auth(&token)
        .json(&ask)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let part = &upload["send"]["parts"][0];
    let (before_kib, _) = serve.usage();
    let body = vec![0u8; UPLOAD_BYTES];
    let started = Instant::now();
    let put = client
        .put(format!("{base}{}", part["url"].as_str().unwrap()))
        .header("content-type", "video/mp4")
        .body(body)
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert!(put.status().is_success(), "the PUT: {}", put.status());
    let (after_kib, _) = serve.usage();
    let stored = std::fs::read_dir(public.path().join(".uploads"))
        .unwrap()
        .flatten()
        .map(|d| std::fs::metadata(d.path().join("part-1")).unwrap().len())
        .sum::<u64>();
    assert_eq!(stored, UPLOAD_BYTES as u64, "the whole body is on disk");
    let grew = after_kib.saturating_sub(before_kib);
    println!(
        "media/upload 1 GB through serve (local path, one PUT): {:.1} s, {:.0} MB/s; \
         serve peak RSS {} MiB before, {} MiB after (grew {} MiB)",
        took.as_secs_f64(),
        UPLOAD_BYTES as f64 / 1e6 / took.as_secs_f64(),
        before_kib / 1024,
        after_kib / 1024,
        grew / 1024
    );
    assert!(
        grew < UPLOAD_RSS_LIMIT_KIB,
        "serve's peak memory grew {grew} KiB taking a 1 GB upload"
    );
}
