//! The feed stylesheet: every feed names it (`<?xml-stylesheet?>`), it is published beside the
//! feeds and served by the edge, a browser's XSLT turns the feed into a readable page with
//! subscribe links, and the parsers and the W3C validator still accept the feed.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::kit::{
    app::spawn_app,
    python::{feedcheck, run_python, xsdcheck},
    scratch::scratch,
};
use podpub::feed::render::{STYLESHEET, STYLESHEET_KEY};

const PI: &str = "<?xml-stylesheet type=\"text/xsl\" href=\"../_static/feed.xsl\"?>\n";

fn run_with_files(script: &str, files: &[(&str, &[u8])], extra: &[&str]) -> Value {
    let dir = scratch("stylesheet");
    let mut args: Vec<String> = files
        .iter()
        .map(|(name, body)| {
            let path = dir.path().join(name);
            std::fs::write(&path, body).unwrap();
            path.to_string_lossy().into_owned()
        })
        .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    run_python(script, args)
}

#[tokio::test]
async fn a_published_feed_names_its_stylesheet_which_the_edge_serves_beside_it() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(
        &user,
        "styled",
        json!({"title": "Styled Show", "author": "Ada"}),
    )
    .await;
    app.post_episode(
        &user,
        "styled",
        json!({"title": "First light", "season": 2, "episode": 7}),
    )
    .await;
    app.run_pending_jobs().await;
    let xml = app.feed_xml("styled").await.unwrap();
    assert!(
        xml.starts_with(&format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{PI}<rss "
        )),
        "{}",
        &xml[..200]
    );

    let url = format!("{}/{STYLESHEET_KEY}", app.edge_address);
    let resp = app.client.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(content_type, "text/xsl; charset=utf-8");
    assert_eq!(resp.text().await.unwrap(), STYLESHEET);
    let (kind, show): (String, Option<uuid::Uuid>) =
        sqlx::query_as("select kind, show_id from publications where key = $1")
            .bind(STYLESHEET_KEY)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((kind.as_str(), show), ("static", None));

    // What a browser shows: the show, its episodes with a player, and ways to subscribe.
    let page = run_with_files(
        "xslcheck.py",
        &[
            ("feed.xml", xml.as_bytes()),
            ("feed.xsl", STYLESHEET.as_bytes()),
        ],
        &[],
    );
    assert_eq!(page["title"], "Styled Show", "{}", page["html"]);
    assert_eq!(page["episodes"], json!(["First light"]));
    let html = page["html"].as_str().unwrap();
    assert!(
        html.contains("Season 2 · ") && html.contains("Episode 7 · "),
        "{html}"
    );
    assert!(html.contains("By Ada"), "{html}");
    let feed_url = format!("{}/styled/feed.xml", app.edge_address);
    let bare = feed_url.split_once("://").unwrap().1;
    let links = page["links"].as_array().unwrap();
    for expected in [format!("podcasts://{bare}"), format!("podcast://{bare}")] {
        assert!(
            links.iter().any(|l| l == &expected),
            "{expected} in {links:?}"
        );
    }
    assert!(
        html.contains(&format!("value=\"{feed_url}\"")),
        "copy box: {html}"
    );
    assert_eq!(page["audio"], json!(["https://example.com/ep.mp3"]));
}

#[tokio::test]
async fn the_parsers_the_schema_and_the_w3c_validator_still_accept_the_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "valid", json!({"link": "https://example.com/"}))
        .await;
    app.post_episode(&user, "valid", json!({"title": "One"}))
        .await;
    app.post_episode(
        &user,
        "valid",
        json!({"title": "Two", "description": "<p>Hi <b>there</b></p>"}),
    )
    .await;
    app.run_pending_jobs().await;
    let xml = app.feed_xml("valid").await.unwrap();
    assert!(xml.contains(PI));

    let parsed = feedcheck(&xml);
    let fp = &parsed["feedparser"];
    assert_eq!(fp["bozo"], 0, "feedparser: {}", fp["bozo_exception"]);
    assert_eq!(fp["entries"].as_array().unwrap().len(), 2, "{fp}");
    let pp = &parsed["podcastparser"];
    assert!(pp.get("error").is_none(), "podcastparser: {pp}");
    assert_eq!(pp["episodes"].as_array().unwrap().len(), 2, "{pp}");
    let report = xsdcheck(xml.as_bytes());
    assert_eq!(report["valid"], true, "{report:#}");

    let feed_url = format!("{}/valid/feed.xml", app.edge_address);
    let w3c = run_with_files(
        "feedvalidate.py",
        &[("feed.xml", xml.as_bytes())],
        &[&feed_url],
    );
    assert_eq!(w3c["valid"], true, "W3C feed validator: {w3c:#}");
    // The stylesheet instruction itself draws no remark: the same feed without it says the same.
    let bare = xml.replacen(PI, "", 1);
    let without = run_with_files(
        "feedvalidate.py",
        &[("feed.xml", bare.as_bytes())],
        &[&feed_url],
    );
    let remarks = |v: &Value| -> Vec<String> {
        let all = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .chain(v["warnings"].as_array().unwrap());
        all.map(|e| format!("{} {}", e["type"], e["element"]))
            .collect()
    };
    assert_eq!(remarks(&w3c), remarks(&without));
}

#[tokio::test]
async fn a_stylesheet_another_installation_wrote_is_left_alone_and_the_feed_still_publishes() {
    let app = spawn_app().await;
    let target = podpub::publish::DirTarget::new(app.publish_dir.clone());
    let theirs = podpub::publish::PutRequest {
        content_type: "text/xsl".into(),
        cache_control: "max-age=60".into(),
        revision: 1,
        installation: "another-installation".into(),
        redirect_location: None,
        last_modified: chrono::Utc::now(),
    };
    target
        .put(STYLESHEET_KEY, b"<theirs/>", theirs)
        .await
        .unwrap();
    let user = app.create_user(false).await;
    app.post_show(&user, "fenced", json!({})).await;
    app.post_episode(&user, "fenced", json!({})).await;
    app.run_pending_jobs().await;
    assert!(app.feed_xml("fenced").await.unwrap().contains(PI));
    let url = format!("{}/{STYLESHEET_KEY}", app.edge_address);
    let body = app
        .client
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, "<theirs/>");
}
