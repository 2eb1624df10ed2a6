//! Feed history: every publish keeps the bytes it uploaded; what changed, downloads, diffs,
//! retention and who may see them.

use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::{
    app::{spawn_app_with, TestApp, TestUser},
    moto::{moto_url, Bucket},
};

async fn versions(app: &TestApp, user: &TestUser, slug: &str) -> Vec<Value> {
    let path = format!("/shows/{slug}/feed/versions?limit=100");
    let (status, list) = app.api(Method::GET, &path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

/// `GET …/versions/{id}/xml`: status, content type, disposition and bytes.
async fn download(
    app: &TestApp,
    user: &TestUser,
    slug: &str,
    id: &Value,
) -> (StatusCode, String, String, Vec<u8>) {
    let url = format!("{}/api/v1/shows/{slug}/feed/versions/{id}/xml", app.address);
    let resp = app
        .client
        .get(url)
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let header = |name| {
        resp.headers()
            .get(name)
            .map(|v: &header::HeaderValue| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (kind, disposition) = (
        header(header::CONTENT_TYPE),
        header(header::CONTENT_DISPOSITION),
    );
    (
        status,
        kind,
        disposition,
        resp.bytes().await.unwrap().to_vec(),
    )
}

async fn episode(app: &TestApp, user: &TestUser, slug: &str, title: &str) -> Value {
    let url = format!("https://example.com/{}.mp3", title.replace(' ', "-"));
    let enclosure = json!({"url": url, "length": 1234, "type": "audio/mpeg"});
    app.post_episode(
        user,
        slug,
        json!({"title": title, "enclosure": enclosure, "status": "published"}),
    )
    .await
}

async fn patch(app: &TestApp, user: &TestUser, path: &str, body: Value) {
    let (status, out) = app.api(Method::PATCH, path, Some(user), Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{out}");
}

/// Publishes four times, reading the object from the store after each with `read`; each
/// version's download is those bytes.
async fn n_publishes_keep_n_identical_versions<F, Fut>(app: &TestApp, read: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Vec<u8>>,
{
    let user = app.create_user(false).await;
    app.post_show(&user, "kept", json!({})).await;
    app.run_pending_jobs().await;
    let mut published = vec![read().await];
    episode(app, &user, "kept", "First light").await;
    app.run_pending_jobs().await;
    published.push(read().await);
    patch(
        app,
        &user,
        "/shows/kept",
        json!({"title": "Renamed & better"}),
    )
    .await;
    app.run_pending_jobs().await;
    published.push(read().await);
    episode(app, &user, "kept", "Second wind").await;
    app.run_pending_jobs().await;
    published.push(read().await);
    // A refresh that changes nothing publishes nothing, and keeps nothing.
    let (status, _) = app
        .api(Method::POST, "/shows/kept/refresh", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    app.run_pending_jobs().await;

    let listed = versions(app, &user, "kept").await;
    assert_eq!(
        listed.len(),
        4,
        "four publishes, four versions: {listed:#?}"
    );
    for (v, bytes) in listed.iter().rev().zip(&published) {
        let (status, kind, disposition, body) = download(app, &user, "kept", &v["id"]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(kind, "application/rss+xml");
        assert!(
            disposition.starts_with("attachment; filename=\"kept-r"),
            "{disposition}"
        );
        assert_eq!(&body, bytes, "version {} is what was published", v["id"]);
        assert_eq!(v["bytes"], bytes.len());
        assert_eq!(v["key"].as_str().unwrap(), "kept/feed.xml");
    }
    let revisions: Vec<i64> = listed
        .iter()
        .map(|v| v["revision"].as_i64().unwrap())
        .collect();
    assert!(
        revisions.windows(2).all(|w| w[0] > w[1]),
        "newest first: {revisions:?}"
    );
}

#[tokio::test]
async fn every_publish_to_a_directory_keeps_the_bytes_it_wrote() {
    let app = spawn_app_with(false, &[]).await;
    let path = app.publish_dir.join("kept/feed.xml");
    n_publishes_keep_n_identical_versions(&app, || {
        let path = path.clone();
        async move { std::fs::read(path).unwrap() }
    })
    .await;
}

#[tokio::test]
async fn every_publish_to_s3_keeps_the_bytes_it_wrote() {
    let bucket = Bucket::create("history").await;
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PUBLISH_URL", &bucket.publish_url("feeds")),
            ("AWS_ENDPOINT_URL", &moto_url()),
        ],
    )
    .await;
    n_publishes_keep_n_identical_versions(&app, || async {
        let object = bucket
            .s3
            .get_object()
            .bucket(&bucket.name)
            .key("feeds/kept/feed.xml");
        let object = object.send().await.expect("the feed object exists");
        object.body.collect().await.unwrap().into_bytes().to_vec()
    })
    .await;
}

#[tokio::test]
async fn a_version_tells_which_episodes_were_added_removed_and_changed() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "story", json!({})).await;
    let gone = episode(&app, &user, "story", "Going away").await;
    let kept = episode(&app, &user, "story", "Old title").await;
    app.run_pending_jobs().await;

    let first = versions(&app, &user, "story").await;
    let added: Vec<_> = first[0]["changes"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].clone())
        .collect();
    assert_eq!(
        added.len(),
        2,
        "the first version adds every episode: {added:?}"
    );

    let id = gone["id"].as_str().unwrap();
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/shows/story/episodes/{id}"),
            Some(&user),
            None,
        )
        .await;
    assert!(status.is_success(), "{status}");
    let id = kept["id"].as_str().unwrap();
    patch(
        &app,
        &user,
        &format!("/shows/story/episodes/{id}"),
        json!({"title": "New title"}),
    )
    .await;
    let new = episode(&app, &user, "story", "Brand new").await;
    patch(
        &app,
        &user,
        "/shows/story",
        json!({"title": "A Show, renamed"}),
    )
    .await;
    app.run_pending_jobs().await;

    let listed = versions(&app, &user, "story").await;
    assert_eq!(listed.len(), 2);
    let latest = listed[0]["id"].clone();
    let (status, v) = app
        .api(
            Method::GET,
            &format!("/shows/story/feed/versions/{latest}"),
            Some(&user),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let changes = &v["changes"];
    assert_eq!(
        changes["added"],
        json!([{"guid": new["guid"], "title": "Brand new"}])
    );
    assert_eq!(
        changes["removed"],
        json!([{"guid": gone["guid"], "title": "Going away"}])
    );
    let changed = changes["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changes}");
    assert_eq!(changed[0]["guid"], kept["guid"]);
    assert_eq!(changed[0]["title"], "New title");
    assert!(
        changed[0]["fields"]
            .as_array()
            .unwrap()
            .contains(&json!("title")),
        "{changes}"
    );
    assert!(
        changes["channel"]
            .as_array()
            .unwrap()
            .contains(&json!("title")),
        "{changes}"
    );
    assert_eq!(v["previous_id"], listed[1]["id"]);

    // The diff of the two, as a unified diff.
    let url = format!(
        "{}/api/v1/shows/story/feed/versions/{latest}/diff?against={}",
        app.address, listed[1]["id"]
    );
    let resp = app
        .client
        .get(url)
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let diff = resp.text().await.unwrap();
    assert!(diff.starts_with("--- story/feed.xml (version "), "{diff}");
    assert!(
        diff.contains("\n-      <title>Old title</title>\n"),
        "{diff}"
    );
    assert!(
        diff.contains("\n+      <title>New title</title>\n"),
        "{diff}"
    );
    assert!(
        diff.contains("\n-      <title>Going away</title>\n"),
        "{diff}"
    );
}

#[tokio::test]
async fn only_members_see_a_shows_versions_and_unknown_ids_are_not_found() {
    let app = spawn_app_with(false, &[]).await;
    let (owner, stranger) = (app.create_user(false).await, app.create_user(false).await);
    app.post_show(&owner, "private", json!({})).await;
    app.post_show(&stranger, "theirs", json!({})).await;
    app.run_pending_jobs().await;
    let mine = versions(&app, &owner, "private").await[0]["id"].clone();
    let theirs = versions(&app, &stranger, "theirs").await[0]["id"].clone();

    let not_found = [
        ("/shows/private/feed/versions".to_string(), &stranger),
        (format!("/shows/private/feed/versions/{mine}"), &stranger),
        (
            format!("/shows/private/feed/versions/{mine}/diff?against={mine}"),
            &stranger,
        ),
        (format!("/shows/private/feed/versions/{theirs}"), &owner),
        (
            format!("/shows/private/feed/versions/{mine}/diff?against={theirs}"),
            &owner,
        ),
        ("/shows/private/feed/versions/999999".to_string(), &owner),
        ("/shows/private/feed/versions/abc".to_string(), &owner),
        ("/shows/nowhere/feed/versions".to_string(), &owner),
    ];
    for (path, who) in not_found {
        let (status, body) = app.api(Method::GET, &path, Some(who), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["error"]["code"], "not_found", "{path}: {body}");
    }
    let (status, ..) = download(&app, &stranger, "private", &mine).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .api(
            Method::GET,
            "/shows/private/feed/versions?cursor=x",
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = app
        .api(Method::GET, "/shows/private/feed/versions", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn versions_are_listed_a_page_at_a_time() {
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "paged", json!({})).await;
    app.run_pending_jobs().await;
    for n in 0..4 {
        patch(
            &app,
            &user,
            "/shows/paged",
            json!({"title": format!("Title {n}")}),
        )
        .await;
        app.run_pending_jobs().await;
    }
    let mut seen = Vec::new();
    let mut path = "/shows/paged/feed/versions?limit=2".to_string();
    loop {
        let (status, page) = app.api(Method::GET, &path, Some(&user), None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["id"].as_i64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/shows/paged/feed/versions?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "{seen:?}");
}

#[tokio::test]
async fn a_refused_publish_keeps_no_version() {
    let bucket = Bucket::create("history-fence").await;
    let on_bucket = [
        ("PODPUB_PUBLISH_URL", bucket.publish_url("feeds")),
        ("AWS_ENDPOINT_URL", moto_url()),
    ];
    let env: Vec<(&str, &str)> = on_bucket.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (first, second) = (
        spawn_app_with(false, &env).await,
        spawn_app_with(false, &env).await,
    );
    let (a, b) = (
        first.create_user(false).await,
        second.create_user(false).await,
    );
    first.post_show(&a, "shared", json!({})).await;
    first.run_pending_jobs().await;
    second.post_show(&b, "shared", json!({})).await;
    second.run_pending_jobs().await;

    let (_, state) = second
        .api(Method::GET, "/shows/shared/feed", Some(&b), None)
        .await;
    assert_eq!(state["state"], "conflict", "{state}");
    assert!(versions(&second, &b, "shared").await.is_empty());
    assert_eq!(versions(&first, &a, "shared").await.len(), 1);
}

#[tokio::test]
async fn housekeeping_keeps_the_last_versions_or_the_recent_ones_whichever_is_more() {
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_FEED_HISTORY_MIN_VERSIONS", "2"),
            ("PODPUB_FEED_HISTORY_DAYS", "1"),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    app.post_show(&user, "aging", json!({})).await;
    app.run_pending_jobs().await;
    for n in 0..4 {
        patch(
            &app,
            &user,
            "/shows/aging",
            json!({"title": format!("Title {n}")}),
        )
        .await;
        app.run_pending_jobs().await;
    }
    let ids: Vec<i64> = versions(&app, &user, "aging")
        .await
        .iter()
        .rev()
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 5);
    // Oldest first: 1 and 2 are old and not among the last two; 3 is recent; 4 is old but
    // among the last two; 5 is both.
    let old = [ids[0], ids[1], ids[3]];
    sqlx::query(
        "update feed_versions set published_at = now() - interval '3 days' where id = any($1)",
    )
    .bind(&old[..])
    .execute(&app.pool)
    .await
    .unwrap();

    let s = &app.settings;
    let pruned = podpub::jobs::housekeeping::prune_feed_history(
        &app.pool,
        s.feed_history_min_versions,
        s.feed_history_days,
    )
    .await
    .unwrap();
    assert_eq!(pruned, 2);
    let left: Vec<i64> = versions(&app, &user, "aging")
        .await
        .iter()
        .rev()
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert_eq!(left, [ids[2], ids[3], ids[4]]);
    for gone in [ids[0], ids[1]] {
        let path = format!("/shows/aging/feed/versions/{gone}/xml");
        let (status, _) = app
            .api_raw(Method::GET, &path, &user, "text/plain", "")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}
