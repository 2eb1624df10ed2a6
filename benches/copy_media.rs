//! "Copy media to podpub": the time to copy 100 episodes' media from a local source (a
//! wiremock server serving a generated 30 s, 256 kb/s MP3 for each) into the local directory
//! target, with the job's bounded concurrency; then a second run, which has nothing to do.
//! Needs DATABASE_URL and ffmpeg (`make bench` provides both).

#[path = "../tests/kit/mod.rs"]
mod kit;

use std::time::Instant;

use podpub::jobs::{copy_media, JobContext};
use reqwest::Method;
use serde_json::json;
use wiremock::{
    matchers::{method, path_regex},
    Mock, MockServer, ResponseTemplate,
};

const EPISODES: usize = 100;

fn feed(base: &str, length: usize) -> String {
    let items: String = (0..EPISODES)
        .map(|i| {
            format!(
                "<item><title>Episode {i}</title><guid isPermaLink=\"false\">ep-{i}</guid>\
                 <pubDate>01 Jan 2020 04:{m:02}:{s:02} GMT</pubDate>\
                 <enclosure url=\"{base}/audio/{i}.mp3\" length=\"{length}\" type=\"audio/mpeg\"/></item>",
                m = i / 60,
                s = i % 60,
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Copy Bench</title>\
         <link>https://old.example.com</link><description>d</description>{items}</channel></rss>"
    )
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    if std::env::var("DATABASE_URL").is_err() {
        eprintln!("copy_media: DATABASE_URL is not set (run `make bench`); skipped");
        return;
    }
    let mp3 = kit::uploads::long_mp3(30);
    let source = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/audio/\d+\.mp3$"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(mp3.clone()))
        .mount(&source)
        .await;
    let app = kit::app::spawn_app_with(false, &[("PODPUB_IMPORT_ALLOW_PRIVATE", "true")]).await;
    let user = app.create_user(false).await;
    let xml = feed(&source.uri(), mp3.len());
    let (status, show) = app
        .api(
            Method::POST,
            "/import",
            Some(&user),
            Some(json!({ "rss": xml })),
        )
        .await;
    assert!(status.is_success(), "{show}");
    let show_id = show["id"].as_str().unwrap().parse().unwrap();
    app.run_pending_jobs().await;
    let ctx = JobContext::new(&app.settings, app.pool.clone())
        .await
        .unwrap();

    let started = Instant::now();
    copy_media::run(&ctx, show_id).await.expect("the copy runs");
    let copy = started.elapsed();
    let copied: i64 = sqlx::query_scalar(
        "select count(*) from media where show_id = $1 and state = 'ready' and source_url is not null",
    )
    .bind(show_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(copied, EPISODES as i64, "every episode's media was copied");
    let started = Instant::now();
    copy_media::run(&ctx, show_id)
        .await
        .expect("the rerun runs");
    let rerun = started.elapsed();
    let requests = source.received_requests().await.map_or(0, |r| r.len());
    assert_eq!(requests, EPISODES, "the rerun fetched nothing");

    let bytes = (mp3.len() * EPISODES) as f64;
    let secs = copy.as_secs_f64();
    println!(
        "copy_media: {EPISODES} episodes x {} KB from a local source to the directory target, \
         {} at a time",
        mp3.len() / 1024,
        copy_media::CONCURRENCY
    );
    println!(
        "copy_media: copy {:.2} s ({:.1} episodes/s, {:.1} MB/s); rerun with nothing to do {:.0} ms",
        secs,
        EPISODES as f64 / secs,
        bytes / secs / 1e6,
        rerun.as_secs_f64() * 1000.0
    );
}
