//! Import under hostile input: each cap on a feed's shape refuses with its own code, parsing
//! stays linear, and it runs off the async workers so that the service keeps answering.

use std::{
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::import::import;
use crate::kit::app::{spawn_app, spawn_app_with};

const RSS: &str = "<rss version=\"2.0\" xmlns:x=\"urn:x\"><channel><title>Limits</title>";

fn item(guid: usize, extra: &str) -> String {
    format!(
        "<item><title>Episode {guid}</title><guid>g{guid}</guid>\
         <pubDate>Mon, 06 Jul 2020 04:00:00 GMT</pubDate>\
         <enclosure url=\"https://cdn.example.com/{guid}.mp3\" length=\"1\" type=\"audio/mpeg\"/>\
         {extra}</item>"
    )
}

fn feed(channel_extra: &str, items: &str) -> String {
    format!("{RSS}{channel_extra}{items}</channel></rss>")
}

fn attributes(n: usize) -> String {
    (0..n).map(|i| format!(" a{i}=\"{i}\"")).collect()
}

async fn refused_with(app: &crate::kit::app::TestApp, rss: String, code: &str) -> Value {
    let user = app.create_user(false).await;
    let (status, body) = import(app, &user, json!({ "rss": rss })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    let (_, shows) = app
        .api(reqwest::Method::GET, "/shows", Some(&user), None)
        .await;
    assert_eq!(shows["items"], json!([]), "nothing is stored: {shows}");
    body
}

#[tokio::test]
async fn each_cap_on_a_feeds_shape_is_refused_with_its_own_code() {
    let app = spawn_app().await;

    let many = format!("<x:e{}/>", attributes(101));
    let body = refused_with(&app, feed(&many, &item(1, "")), "feed_too_many_attributes").await;
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("<x:e>") && message.contains("100"),
        "{message}"
    );

    let declarations: String = (0..201)
        .map(|i| format!("<x:n xmlns:p{i}=\"urn:p{i}\"/>"))
        .collect();
    refused_with(&app, feed(&declarations, ""), "feed_too_many_namespaces").await;

    let crowded = item(1, &"<x:part/>".repeat(1_000));
    refused_with(&app, feed("", &crowded), "feed_item_too_many_elements").await;

    refused_with(
        &app,
        feed("", &"<item/>".repeat(50_001)),
        "feed_too_many_items",
    )
    .await;

    let sprawl = "<x:a/>".repeat(1_000_001);
    refused_with(&app, feed(&sprawl, ""), "feed_too_many_elements").await;
}

#[tokio::test]
async fn a_feed_at_every_cap_imports() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let declarations: String = (0..150)
        .map(|i| format!("<x:n xmlns:p{i}=\"urn:p{i}\"/>"))
        .collect();
    let wide = format!("<x:e{}/>", attributes(100));
    // 1,000 elements in the item: its 4 own, and 996 more.
    let full = item(1, &"<x:part/>".repeat(996));
    let rss = feed(&format!("{declarations}{wide}"), &full);
    let (status, body) = import(&app, &user, json!({ "rss": rss })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["import"]["episodes_created"], 1);
}

/// One element with 90,000 attributes (under 1 MB) held a core for 100 s, and an item with
/// 100,000 enclosures took 57 s; both are now refused at once. The bound is generous on purpose:
/// speed is measured in `make bench`.
#[tokio::test]
async fn attribute_and_enclosure_floods_are_refused_in_linear_time() {
    let app = spawn_app().await;
    let started = Instant::now();
    let flood = format!("<x:e{}/>", attributes(90_000));
    refused_with(&app, feed(&flood, ""), "feed_too_many_attributes").await;
    let enclosures: String = (0..100_000)
        .map(|i| format!("<enclosure url=\"https://cdn.example.com/{i}.mp3\"/>"))
        .collect();
    refused_with(
        &app,
        feed("", &item(1, &enclosures)),
        "feed_item_too_many_elements",
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

/// Two big imports parsing at once froze `/healthz` for 31 s: parsing held the async workers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_while_big_imports_parse() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    // About 9 MB, within every cap: 10,000 channel elements of 100 attributes each.
    let wide = format!("<x:e{}/>", attributes(100));
    let rss = feed(&wide.repeat(10_000), &item(1, ""));
    let finished = AtomicBool::new(false);
    let imports = async {
        let (app, user) = (&app, &user);
        let imports = (0..2).map(|i| {
            let body = json!({ "rss": rss, "slug": format!("big-{i}") });
            async move { import(app, user, body).await }
        });
        let done = futures::future::join_all(imports).await;
        finished.store(true, Ordering::SeqCst);
        done
    };
    // Probes all the while the imports are posted, parsed and stored.
    let probe = async {
        let (mut slowest, mut probes) = (Duration::ZERO, 0);
        while !finished.load(Ordering::SeqCst) {
            let started = Instant::now();
            let resp = app
                .client
                .get(format!("{}/healthz", app.address))
                .timeout(Duration::from_secs(60))
                .send()
                .await
                .expect("healthz answers");
            assert_eq!(resp.status(), StatusCode::OK);
            slowest = slowest.max(started.elapsed());
            probes += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (slowest, probes)
    };
    let started = Instant::now();
    let (done, (slowest, probes)) = tokio::join!(imports, probe);
    eprintln!(
        "imports took {:?}; {probes} probes of /healthz, the slowest {slowest:?}",
        started.elapsed()
    );
    for (status, body) in done {
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["import"]["episodes_created"], 1);
    }
    assert!(
        slowest < Duration::from_secs(5),
        "/healthz took {slowest:?} while imports parsed"
    );
}
