//! Moves: renames, moving out, and undoing both, seen the way podcast apps see them.

use chrono::{Duration, Utc};
use podpub::jobs::{render::render_show, JobContext};
use reqwest::{redirect::Policy, Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::kit::{
    app::{spawn_app, spawn_app_with, TestApp, TestUser},
    moto::{moto_url, Bucket},
};

const ELSEWHERE: &str = "https://hosting.example.net/shows/leaving.rss";

/// What the local CDN answers for a path, without following redirects.
async fn fetch(app: &TestApp, slug: &str) -> (StatusCode, Option<String>, String) {
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();
    let resp = client
        .get(format!("{}/{slug}/feed.xml", app.edge_address))
        .send()
        .await
        .unwrap();
    let location = resp
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    (resp.status(), location, resp.text().await.unwrap())
}

fn url_of(app: &TestApp, slug: &str) -> String {
    format!("{}/{slug}/feed.xml", app.edge_address)
}

fn new_feed_url(xml: &str) -> Option<&str> {
    let start = xml.find("<itunes:new-feed-url>")? + "<itunes:new-feed-url>".len();
    let end = xml[start..].find("</itunes:new-feed-url>")?;
    Some(&xml[start..start + end])
}

fn guids(xml: &str) -> Vec<&str> {
    xml.split("<guid isPermaLink=\"false\">")
        .skip(1)
        .map(|rest| &rest[..rest.find("</guid>").unwrap()])
        .collect()
}

async fn show_with_episodes(app: &TestApp, user: &TestUser, slug: &str) {
    app.post_show(user, slug, json!({"title": "Moving Pictures"}))
        .await;
    for title in ["One", "Two"] {
        app.post_episode(user, slug, json!({"title": title})).await;
    }
    app.run_pending_jobs().await;
}

async fn feed_state(app: &TestApp, user: &TestUser, slug: &str) -> Value {
    let (status, state) = app
        .api(
            Method::GET,
            &format!("/shows/{slug}/feed"),
            Some(user),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    state
}

#[tokio::test]
async fn a_renamed_show_redirects_its_old_url_and_names_its_new_one() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    show_with_episodes(&app, &user, "old-name").await;
    let (_, _, before) = fetch(&app, "old-name").await;

    let (status, show) = app
        .api(
            Method::PATCH,
            "/shows/old-name",
            Some(&user),
            Some(json!({"slug": "new-name"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{show}");
    assert_eq!(show["feed_url"], url_of(&app, "new-name"));
    app.run_pending_jobs().await;

    // The old URL answers 301 with the new absolute URL ...
    let (status, location, body) = fetch(&app, "old-name").await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location.as_deref(), Some(url_of(&app, "new-name").as_str()));
    assert!(body.is_empty());
    // ... and an app that follows it gets the new feed, same episodes, same guids, naming its
    // new URL for the grace period.
    let followed = app
        .feed_xml("old-name")
        .await
        .expect("the redirect leads to a feed");
    let (status, _, after) = fetch(&app, "new-name").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(followed, after);
    assert_eq!(guids(&after), guids(&before));
    assert_eq!(guids(&after).len(), 2);
    assert_eq!(
        new_feed_url(&after),
        Some(url_of(&app, "new-name").as_str())
    );
    assert_eq!(new_feed_url(&before), None);

    let state = feed_state(&app, &user, "new-name").await;
    assert_eq!(state["redirects"][0]["from_url"], url_of(&app, "old-name"));
    assert_eq!(state["redirects"][0]["to_url"], url_of(&app, "new-name"));
    assert_eq!(state["new_feed_url"], url_of(&app, "new-name"));
    assert_eq!(state["state"], "up_to_date");

    // While the redirect stands, nobody else can take the old slug.
    let other = app.create_user(false).await;
    let (status, body) = app
        .api(
            Method::POST,
            "/shows",
            Some(&other),
            Some(json!({"slug": "old-name", "title": "Squatter"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "slug_taken");
    let (status, _, _) = fetch(&app, "old-name").await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
}

#[tokio::test]
async fn renames_chain_without_redirect_chains_and_can_be_undone() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    show_with_episodes(&app, &user, "first").await;
    let (_, _, original) = fetch(&app, "first").await;
    for (from, to) in [("first", "second"), ("second", "third")] {
        let (status, body) = app
            .api(
                Method::PATCH,
                &format!("/shows/{from}"),
                Some(&user),
                Some(json!({"slug": to})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        app.run_pending_jobs().await;
    }
    // Every old URL points straight at the current one: one hop, never two.
    for old in ["first", "second"] {
        let (status, location, _) = fetch(&app, old).await;
        assert_eq!(status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(location.as_deref(), Some(url_of(&app, "third").as_str()));
    }

    // Undo the last rename: back at "second", and "third" redirects there.
    let (status, show) = app
        .api(Method::DELETE, "/shows/third/move", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{show}");
    assert_eq!(show["slug"], "second");
    app.run_pending_jobs().await;
    let (status, _, xml) = fetch(&app, "second").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(guids(&xml), guids(&original));
    for old in ["first", "third"] {
        let (status, location, _) = fetch(&app, old).await;
        assert_eq!(status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert_eq!(location.as_deref(), Some(url_of(&app, "second").as_str()));
    }

    // Taking the very first slug back replaces its stub with the feed.
    let (status, body) = app
        .api(
            Method::PATCH,
            "/shows/second",
            Some(&user),
            Some(json!({"slug": "first"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.run_pending_jobs().await;
    let (status, _, xml) = fetch(&app, "first").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(guids(&xml), guids(&original));
    let state = feed_state(&app, &user, "first").await;
    let froms: Vec<&str> = state["redirects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["from_url"].as_str().unwrap())
        .collect();
    assert_eq!(froms.len(), 2, "{state}");
    assert!(!froms.contains(&url_of(&app, "first").as_str()));
}

#[tokio::test]
async fn a_rename_leaves_a_redirect_stub_in_the_bucket() {
    let bucket = Bucket::create("podpub").await;
    let s3 = &bucket.s3;
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("feeds")),
            ("AWS_ENDPOINT_URL", &moto_url()),
            ("PODPUB_FEED_BASE_URL", "https://feeds.example.com"),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    show_with_episodes(&app, &user, "was-here").await;
    let (status, body) = app
        .api(
            Method::PATCH,
            "/shows/was-here",
            Some(&user),
            Some(json!({"slug": "is-here"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.run_pending_jobs().await;

    let stub = s3
        .get_object()
        .bucket(&bucket.name)
        .key("feeds/was-here/feed.xml")
        .send()
        .await
        .expect("the old key holds a stub");
    assert_eq!(
        stub.website_redirect_location(),
        Some("https://feeds.example.com/is-here/feed.xml")
    );
    let metadata = stub.metadata().cloned().unwrap_or_default();
    assert!(metadata.contains_key("podpub-installation"));
    assert!(stub.body.collect().await.unwrap().into_bytes().is_empty());
    let feed = s3
        .get_object()
        .bucket(&bucket.name)
        .key("feeds/is-here/feed.xml")
        .send()
        .await
        .expect("the new key holds the feed");
    assert_eq!(feed.website_redirect_location(), None);
    let xml = feed.body.collect().await.unwrap().into_bytes();
    assert!(String::from_utf8_lossy(&xml).contains("Moving Pictures"));
}

#[tokio::test]
async fn a_move_out_announces_then_redirects_on_its_day_and_can_be_undone() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    show_with_episodes(&app, &user, "leaving").await;
    let (_, _, original) = fetch(&app, "leaving").await;

    let (status, show) = app
        .api(
            Method::POST,
            "/shows/leaving/move",
            Some(&user),
            Some(json!({"new_feed_url": ELSEWHERE, "redirect_after_days": 30})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{show}");
    assert_eq!(show["status"], "moving");
    assert_eq!(show["move"]["new_feed_url"], ELSEWHERE);
    let redirect_at: chrono::DateTime<Utc> = show["move"]["redirect_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(redirect_at > Utc::now() + Duration::days(29));
    app.run_pending_jobs().await;

    // Phase one: the feed stays, and tells apps where the show is going.
    let (status, _, xml) = fetch(&app, "leaving").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(new_feed_url(&xml), Some(ELSEWHERE));
    assert_eq!(guids(&xml), guids(&original));
    // The switch is already queued, for its time.
    let show_id: Uuid = sqlx::query_scalar("select id from shows where slug = 'leaving'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let queued: Vec<chrono::DateTime<Utc>> = sqlx::query_scalar(
        "select run_at from jobs where show_id = $1 and kind = 'render' and state = 'queued'",
    )
    .bind(show_id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(
        queued
            .iter()
            .any(|at| (*at - redirect_at).num_milliseconds().abs() < 1),
        "{queued:?} vs {redirect_at}"
    );

    // Phase two, on the clock of that job: the feed's key becomes a 301 to the new home.
    let ctx = JobContext::new(&app.settings, app.pool.clone())
        .await
        .unwrap();
    render_show(&ctx, show_id, redirect_at - Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(fetch(&app, "leaving").await.0, StatusCode::OK);
    render_show(&ctx, show_id, redirect_at).await.unwrap();
    let (status, location, _) = fetch(&app, "leaving").await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location.as_deref(), Some(ELSEWHERE));
    let (_, show) = app
        .api(Method::GET, "/shows/leaving", Some(&user), None)
        .await;
    assert_eq!(show["status"], "moved");
    let state = feed_state(&app, &user, "leaving").await;
    assert_eq!(state["redirects"][0]["from_url"], url_of(&app, "leaving"));
    assert_eq!(state["redirects"][0]["to_url"], ELSEWHERE);
    // Later renders leave the stub alone.
    render_show(&ctx, show_id, redirect_at + Duration::days(3))
        .await
        .unwrap();
    assert_eq!(
        fetch(&app, "leaving").await.0,
        StatusCode::MOVED_PERMANENTLY
    );

    // Undo, even after the redirect: the feed is back, without new-feed-url.
    let (status, show) = app
        .api(Method::DELETE, "/shows/leaving/move", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{show}");
    assert_eq!(show["status"], "active");
    assert_eq!(show["move"], Value::Null);
    app.run_pending_jobs().await;
    let (status, _, xml) = fetch(&app, "leaving").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(new_feed_url(&xml), None);
    assert_eq!(guids(&xml), guids(&original));
    let state = feed_state(&app, &user, "leaving").await;
    assert_eq!(state["redirects"], json!([]));
}

#[tokio::test]
async fn a_move_out_with_no_delay_redirects_at_once() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    show_with_episodes(&app, &user, "gone-now").await;
    let (status, body) = app
        .api(
            Method::POST,
            "/shows/gone-now/move",
            Some(&user),
            Some(json!({"new_feed_url": ELSEWHERE, "redirect_after_days": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    app.run_pending_jobs().await;
    let (status, location, _) = fetch(&app, "gone-now").await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location.as_deref(), Some(ELSEWHERE));
}

#[tokio::test]
async fn bad_moves_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    show_with_episodes(&app, &user, "staying").await;
    let own = url_of(&app, "staying");
    let cases = [
        (
            json!({"new_feed_url": "ftp://example.com/feed"}),
            "new_feed_url",
        ),
        (
            json!({"new_feed_url": "/relative/feed.xml"}),
            "new_feed_url",
        ),
        (
            json!({"new_feed_url": "http://127.0.0.1/feed"}),
            "new_feed_url",
        ),
        (
            json!({"new_feed_url": "http://10.1.2.3/feed"}),
            "new_feed_url",
        ),
        (json!({"new_feed_url": own}), "new_feed_url"),
        (
            json!({"new_feed_url": ELSEWHERE, "redirect_after_days": -1}),
            "redirect_after_days",
        ),
        (
            json!({"new_feed_url": ELSEWHERE, "redirect_after_days": 100000}),
            "redirect_after_days",
        ),
    ];
    for (body, field) in cases {
        let (status, resp) = app
            .api(
                Method::POST,
                "/shows/staying/move",
                Some(&user),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {resp}");
        assert!(resp["error"]["fields"][field].is_string(), "{body}: {resp}");
    }
    let (status, _) = app
        .api(
            Method::POST,
            "/shows/staying/move",
            Some(&user),
            Some(json!({"new_feed_url": ELSEWHERE, "surprise": 1})),
        )
        .await;
    assert!(status.is_client_error());
    // Someone else's show, and nothing to undo.
    let other = app.create_user(false).await;
    let (status, _) = app
        .api(
            Method::POST,
            "/shows/staying/move",
            Some(&other),
            Some(json!({"new_feed_url": ELSEWHERE})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .api(Method::DELETE, "/shows/staying/move", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "not_moving");

    let (_, show) = app
        .api(Method::GET, "/shows/staying", Some(&user), None)
        .await;
    assert_eq!(show["status"], "active");
    assert_eq!(show["move"], Value::Null);
    app.run_pending_jobs().await;
    let (status, _, xml) = fetch(&app, "staying").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(new_feed_url(&xml), None);
}
