//! Moving a show in: `POST /api/v1/import` and `podpub import`, from posted XML, a file or a URL.

use std::{process::Command, time::Duration};

use podpub::db::users;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{json, Value};
use wiremock::{
    matchers::{method, path},
    Mock, MockServer, ResponseTemplate,
};

use crate::kit::{
    app::{spawn_app, spawn_app_with, TestApp, TestUser},
    scratch::scratch,
};

/// Posts an import request.
pub async fn import(app: &TestApp, user: &TestUser, body: Value) -> (StatusCode, Value) {
    app.api(Method::POST, "/import", Some(user), Some(body))
        .await
}

/// A feed whose items come newest first, a day apart.
fn feed(title: &str, items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .enumerate()
        .map(|(i, (guid, title))| {
            let day = 28 - i;
            format!(
                "<item><title>{title}</title><guid isPermaLink=\"false\">{guid}</guid>\
                 <pubDate>{day:02} Jul 2020 04:00:00 GMT</pubDate>\
                 <enclosure url=\"https://cdn.example.com/{guid}.mp3\" length=\"100\" type=\"audio/mpeg\"/>\
                 </item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" \
         xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"><channel><title>{title}</title>\
         <podcast:guid>5a8e2b4c-1d2f-5a3b-9c4d-6e7f8a9b0c1d</podcast:guid>{items}</channel></rss>"
    )
}

fn codes(body: &Value) -> Vec<String> {
    body["import"]["report"]
        .as_array()
        .unwrap_or_else(|| panic!("no report in {body}"))
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect()
}

async fn episodes(app: &TestApp, user: &TestUser, slug: &str) -> Vec<Value> {
    let path = format!("/shows/{slug}/episodes?limit=500");
    let (status, list) = app.api(Method::GET, &path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn posted_xml_becomes_a_show_with_its_episodes_and_a_report() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let xml = feed("Café Stories", &[("b", "Second"), ("a", "First")]).replace(
        "</channel>",
        "<item><title>No audio</title><guid>c</guid></item></channel>",
    );
    let (status, body) = import(&app, &user, json!({ "rss": xml })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["slug"], "cafe-stories",
        "the slug comes from the title"
    );
    assert_eq!(body["title"], "Café Stories");
    assert_eq!(body["podcast_guid"], "5a8e2b4c-1d2f-5a3b-9c4d-6e7f8a9b0c1d");
    assert_eq!(
        body["feed_url"],
        format!("{}/cafe-stories/feed.xml", app.edge_address)
    );
    let summary = &body["import"];
    assert_eq!(summary["created"], true);
    assert_eq!(summary["items"], 3);
    assert_eq!(summary["episodes_created"], 2);
    assert_eq!(summary["items_skipped"], 1);
    assert!(codes(&body).contains(&"item_skipped_no_enclosure".to_string()));
    assert!(summary["next_steps"].as_str().unwrap().contains("301"));

    let guids: Vec<Value> = episodes(&app, &user, "cafe-stories")
        .await
        .iter()
        .map(|e| e["guid"].clone())
        .collect();
    assert_eq!(guids, [json!("b"), json!("a")]);
    app.run_pending_jobs().await;
    let published = app.feed_xml("cafe-stories").await.expect("rendered");
    assert!(published.contains(r#"<guid isPermaLink="false">b</guid>"#));

    // The same title again gets the next free slug.
    let (status, again) = import(&app, &user, json!({ "rss": xml })).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(again["slug"], "cafe-stories-2");
}

#[tokio::test]
async fn reimporting_into_the_same_show_updates_episodes_without_duplicating_them() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let first = feed("Show", &[("b", "Second"), ("a", "First")]);
    let (status, _) = import(&app, &user, json!({ "rss": first, "slug": "again" })).await;
    assert_eq!(status, StatusCode::CREATED);

    let second = feed(
        "Show renamed",
        &[("c", "Third"), ("b", "Second, fixed"), ("a", "First")],
    );
    let (status, body) = import(&app, &user, json!({ "rss": second, "slug": "again" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["title"], "Show renamed");
    assert_eq!(body["import"]["created"], false);
    assert_eq!(body["import"]["episodes_created"], 1);
    assert_eq!(body["import"]["episodes_updated"], 2);
    let list = episodes(&app, &user, "again").await;
    let mut titles: Vec<&str> = list.iter().map(|e| e["title"].as_str().unwrap()).collect();
    titles.sort();
    assert_eq!(titles, ["First", "Second, fixed", "Third"]);

    // Another podcast, or someone else's show, is not overwritten.
    let other = feed("Other", &[("x", "X")]).replace(
        "5a8e2b4c-1d2f-5a3b-9c4d-6e7f8a9b0c1d",
        "11111111-2222-5333-8444-555555555555",
    );
    let (status, body) = import(&app, &user, json!({ "rss": other, "slug": "again" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "import_mismatch");
    let stranger = app.create_user(false).await;
    let (status, body) = import(&app, &stranger, json!({ "rss": second, "slug": "again" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "slug_taken");
    assert_eq!(episodes(&app, &user, "again").await.len(), 3);
}

#[tokio::test]
async fn a_slug_a_rename_left_behind_is_not_taken_by_an_import() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "old-name", json!({"title": "Old Name"}))
        .await;
    let rename = json!({"slug": "new-name"});
    let (status, body) = app
        .api(Method::PATCH, "/shows/old-name", Some(&user), Some(rename))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let xml = feed("Old Name", &[("a", "A")]);
    let (status, body) = import(&app, &user, json!({ "rss": xml, "slug": "old-name" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "slug_taken");
    let (status, body) = import(&app, &user, json!({ "rss": xml })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["slug"], "old-name-2");
}

#[tokio::test]
async fn a_locked_feed_is_refused_naming_its_owner() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let xml = feed("Locked", &[("a", "A")]).replace(
        "<title>Locked</title>",
        "<title>Locked</title><podcast:locked owner=\"owner@example.com\">yes</podcast:locked>",
    );
    let (status, body) = import(&app, &user, json!({ "rss": xml })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "feed_locked");
    assert_eq!(body["error"]["owner"], "owner@example.com");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("owner@example.com"));
    let (_, shows) = app.api(Method::GET, "/shows", Some(&user), None).await;
    assert_eq!(shows["items"], json!([]), "nothing was written");
}

#[tokio::test]
async fn bad_requests_get_specific_errors() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let cases = [
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        (
            json!({"url": "https://x/", "rss": "<rss/>"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            json!({"rss": "<rss><channel>"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "feed_malformed",
        ),
        (
            json!({"rss": "<html><p>hi</p></html>"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "feed_not_rss",
        ),
        (
            json!({"rss": "<rss><channel/></rss>", "slug": "Bad Slug"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            json!({"url": "javascript:alert(1)"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_url",
        ),
        (
            json!({"url": "http://10.0.0.1/feed.xml"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "private_address",
        ),
        (
            json!({"rss": "<rss/>", "extra": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
        ),
    ];
    for (body, status, code) in cases {
        let (got, answer) = import(&app, &user, body.clone()).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{body}: {answer}"
        );
    }
    let (_, answer) = import(&app, &user, json!({"rss": "<rss>\n<channel>\n</rss>"})).await;
    assert_eq!(answer["error"]["line"], 3, "{answer}");
    let (status, _) = app
        .api(
            Method::POST,
            "/import",
            None,
            Some(json!({"rss": "<rss/>"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_feed_larger_than_the_general_body_limit_can_be_posted_up_to_the_import_limit() {
    let app = spawn_app_with(false, &[("PODPUB_IMPORT_MAX_BYTES", "3000000")]).await;
    let user = app.create_user(false).await;
    let padding = format!("<!-- {} -->", "x".repeat(1_500_000));
    let xml = feed("Big", &[("a", "A")]).replace("<channel>", &format!("<channel>{padding}"));
    let (status, body) = import(&app, &user, json!({ "rss": xml })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let too_big = xml.replace(&padding, &padding.repeat(2));
    let (status, body) = import(&app, &user, json!({ "rss": too_big })).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "feed_too_large");
}

/// A feed host with the failure modes importers meet.
async fn feed_host() -> MockServer {
    let host = MockServer::start().await;
    let get = |at: &str, answer: ResponseTemplate| {
        Mock::given(method("GET"))
            .and(path(at))
            .respond_with(answer)
    };
    let redirect =
        |status: u16, to: &str| ResponseTemplate::new(status).insert_header("location", to);
    let feed = ResponseTemplate::new(200)
        .set_body_raw(feed("Fetched", &[("a", "A")]), "application/rss+xml");
    for mock in [
        get("/feed.xml", feed),
        get("/moved", redirect(308, "/hop")),
        get("/hop", redirect(307, "/feed.xml")),
        get("/loop", redirect(307, "/loop")),
        get("/gone", ResponseTemplate::new(404)),
        get(
            "/big",
            ResponseTemplate::new(200).set_body_string("x".repeat(100_000)),
        ),
        // No Content-Length: the limit has to hold while the body is read.
        get(
            "/big-chunked",
            ResponseTemplate::new(200)
                .insert_header("transfer-encoding", "chunked")
                .set_body_string("y".repeat(100_000)),
        ),
        get(
            "/slow",
            ResponseTemplate::new(200)
                .set_body_string("late")
                .set_delay(Duration::from_secs(5)),
        ),
    ] {
        mock.mount(&host).await;
    }
    host
}

#[tokio::test]
async fn a_feed_is_fetched_from_a_url_with_limits_on_size_redirects_and_time() {
    let feeds = feed_host().await;
    let host = feeds.uri();
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_IMPORT_ALLOW_PRIVATE", "true"),
            ("PODPUB_IMPORT_MAX_BYTES", "50000"),
            ("PODPUB_IMPORT_TIMEOUT_SECS", "1"),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    let (status, body) = import(&app, &user, json!({ "url": format!("{host}/moved") })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["import"]["source_url"],
        format!("{host}/feed.xml"),
        "redirects were followed"
    );
    assert_eq!(body["import"]["episodes_created"], 1);

    for (path, status, code) in [
        (
            "/loop",
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_many_redirects",
        ),
        ("/gone", StatusCode::UNPROCESSABLE_ENTITY, "upstream_status"),
        ("/big", StatusCode::PAYLOAD_TOO_LARGE, "feed_too_large"),
        (
            "/big-chunked",
            StatusCode::PAYLOAD_TOO_LARGE,
            "feed_too_large",
        ),
        ("/slow", StatusCode::UNPROCESSABLE_ENTITY, "fetch_timeout"),
    ] {
        let (got, answer) = import(&app, &user, json!({ "url": format!("{host}{path}") })).await;
        assert_eq!(
            (got, answer["error"]["code"].as_str()),
            (status, Some(code)),
            "{path}: {answer}"
        );
    }
    let (_, answer) = import(&app, &user, json!({ "url": format!("{host}/gone") })).await;
    assert_eq!(answer["error"]["upstream_status"], 404);
    let closed = format!(
        "http://127.0.0.1:{}/feed.xml",
        crate::kit::ports::free_port()
    );
    let (status, answer) = import(&app, &user, json!({ "url": closed })).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("fetch_failed"))
    );
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let feeds = feed_host().await;
    let host = feeds.uri();
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let by_name = host.replace("127.0.0.1", "localhost");
    for url in [format!("{host}/feed.xml"), format!("{by_name}/feed.xml")] {
        let (status, body) = import(&app, &user, json!({ "url": url })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert_eq!(body["error"]["code"], "private_address", "{url}: {body}");
    }
}

#[tokio::test]
async fn the_command_line_imports_a_file_or_fails_with_one_line() {
    let app = spawn_app().await;
    let email = format!("{}@example.com", uuid::Uuid::new_v4().simple());
    let owner = users::create(&app.pool, &email, None, false).await.unwrap();
    let token = users::create_token(&app.pool, owner.id, "t").await.unwrap();
    let user = TestUser { token };
    let scratch = scratch("import-cli");
    let dir = scratch.path();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_podpub"))
            .arg("import")
            .args(args)
            .env("DATABASE_URL", app.settings.database_url.expose_secret())
            .env("PODPUB_FEED_BASE_URL", &app.edge_address)
            .env_remove("PODPUB_IMPORT_ALLOW_PRIVATE")
            .env_remove("PODPUB_CONFIG")
            .output()
            .unwrap()
    };

    let path = dir.join("feed.xml");
    std::fs::write(&path, feed("From a file", &[("a", "A"), ("b", "B")])).unwrap();
    let out = run(&[
        "--file",
        path.to_str().unwrap(),
        "--owner",
        &email,
        "--slug",
        "from-cli",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("as from-cli (new show)"), "{stdout}");
    assert!(
        stdout.contains(&format!("{}/from-cli/feed.xml", app.edge_address)),
        "{stdout}"
    );
    assert!(stdout.contains("episodes: 2 new"), "{stdout}");
    assert_eq!(episodes(&app, &user, "from-cli").await.len(), 2);
    app.run_pending_jobs().await;
    assert!(
        app.feed_xml("from-cli").await.is_some(),
        "the queued render publishes it"
    );

    let locked = dir.join("locked.xml");
    let xml = "<rss><channel><podcast:locked owner=\"boss@example.com\">yes</podcast:locked></channel></rss>";
    std::fs::write(&locked, xml).unwrap();
    for args in [
        vec!["--file", locked.to_str().unwrap(), "--owner", &email],
        vec!["--url", "http://127.0.0.1:9/feed.xml", "--owner", &email],
        vec![
            "--file",
            path.to_str().unwrap(),
            "--owner",
            "nobody@example.com",
        ],
    ] {
        let out = run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("podpub:"))
            .collect();
        assert_eq!(lines.len(), 1, "{args:?}: {stderr}");
    }
    let out = run(&["--file", locked.to_str().unwrap(), "--owner", &email]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("boss@example.com"));
}
