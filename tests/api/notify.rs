//! Telling the world: WebSub, Podping and pubnotify pings, against a wiremock stand-in for the
//! three services (they are third parties that cannot run here).

use reqwest::{Method, StatusCode};
use serde_json::json;
use wiremock::{
    matchers::{any, path},
    Mock, MockServer, Request, ResponseTemplate,
};

use crate::kit::app::{spawn_app, spawn_app_with, TestApp};

/// The three services on one mock server: every request is recorded and answered 204.
async fn services() -> MockServer {
    let server = MockServer::start().await;
    answer_every_request(&server).await;
    server
}

/// Answers 204 to whatever no mock mounted before this one answers.
async fn answer_every_request(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(server)
        .await;
}

/// The requests the services received at `path`.
async fn received(services: &MockServer, path: &str) -> Vec<Request> {
    let all = services
        .received_requests()
        .await
        .expect("requests are recorded");
    all.into_iter().filter(|r| r.url.path() == path).collect()
}

async fn app_with_services(base: &str) -> TestApp {
    let hubs = format!("{base}/hub-a,{base}/hub-b");
    let podping = format!("{base}/podping");
    let pubnotify = format!("{base}/pubnotify");
    spawn_app_with(
        false,
        &[
            ("PODPUB_WEBSUB_HUBS", &hubs),
            ("PODPUB_PODPING_URL", &podping),
            ("PODPUB_PODPING_TOKEN", "podping-secret"),
            ("PODPUB_PUBNOTIFY_URL", &pubnotify),
        ],
    )
    .await
}

fn encoded(url: &str) -> String {
    url::form_urlencoded::byte_serialize(url.as_bytes()).collect()
}

#[tokio::test]
async fn each_changed_publish_pings_every_service_once_and_an_unchanged_one_none() {
    let services = services().await;
    let base = services.uri();
    let app = app_with_services(&base).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "pinged", json!({})).await;
    app.post_episode(&user, "pinged", json!({"title": "One"}))
        .await;
    app.run_pending_jobs().await;
    let feed_url = format!("{}/pinged/feed.xml", app.edge_address);

    for path in ["/hub-a", "/hub-b", "/podping", "/pubnotify"] {
        assert_eq!(received(&services, path).await.len(), 1, "{path}");
    }
    let hub = &received(&services, "/hub-a").await[0];
    assert_eq!(hub.method, "POST");
    assert_eq!(
        String::from_utf8_lossy(&hub.body),
        format!("hub.mode=publish&hub.url={}", encoded(&feed_url))
    );
    let podping = &received(&services, "/podping").await[0];
    assert_eq!(podping.method, "GET");
    assert_eq!(
        podping.headers.get("authorization").map(|v| v.as_bytes()),
        Some(&b"podping-secret"[..])
    );
    let query = podping.url.query().unwrap_or_default();
    assert!(query.contains(&format!("url={}", encoded(&feed_url))));
    assert!(query.contains("reason=update"));
    let pubnotify = &received(&services, "/pubnotify").await[0];
    assert_eq!(
        pubnotify.url.query(),
        Some(&*format!("url={}", encoded(&feed_url)))
    );

    // The feed names its hubs, so subscribers can find them.
    let xml = app.feed_xml("pinged").await.unwrap();
    assert!(
        xml.contains(&format!(r#"<atom:link href="{base}/hub-a" rel="hub"/>"#)),
        "{xml}"
    );
    assert!(xml.contains(&format!(r#"<atom:link href="{base}/hub-b" rel="hub"/>"#)));

    // A refresh that changes nothing tells nobody.
    let (status, _) = app
        .api(Method::POST, "/shows/pinged/refresh", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    app.run_pending_jobs().await;
    for path in ["/hub-a", "/hub-b", "/podping", "/pubnotify"] {
        assert_eq!(
            received(&services, path).await.len(),
            1,
            "{path} after an unchanged refresh"
        );
    }

    // An edit that changes the feed: one more ping each.
    let (status, _) = app
        .api(
            Method::PATCH,
            "/shows/pinged",
            Some(&user),
            Some(json!({"title": "Pinged, again"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.run_pending_jobs().await;
    for path in ["/hub-a", "/hub-b", "/podping", "/pubnotify"] {
        assert_eq!(
            received(&services, path).await.len(),
            2,
            "{path} after an edit"
        );
    }
}

#[tokio::test]
async fn a_ping_to_a_service_that_is_down_is_retried_until_it_answers() {
    let services = MockServer::start().await;
    // Down (503) until this guard goes. Mounted first so that it answers first: wiremock 0.6.5
    // unmounts the wrong mock when a scoped one has another priority.
    let down = Mock::given(path("/pubnotify"))
        .respond_with(ResponseTemplate::new(503))
        .mount_as_scoped(&services)
        .await;
    answer_every_request(&services).await;
    let app = spawn_app_with(
        false,
        &[(
            "PODPUB_PUBNOTIFY_URL",
            &format!("{}/pubnotify", services.uri()),
        )],
    )
    .await;
    let user = app.create_user(false).await;
    app.post_show(&user, "patient", json!({})).await;
    // The render succeeds; the ping fails and waits for its retry.
    let ctx = podpub::jobs::JobContext::new(&app.settings, app.pool.clone())
        .await
        .unwrap();
    let lease = std::time::Duration::from_secs(30);
    let mut failures = 0;
    while let Some(job) = podpub::jobs::queue::claim(&app.pool, "w", lease)
        .await
        .unwrap()
    {
        match podpub::jobs::worker::run_job(&ctx, &job).await {
            Ok(()) => podpub::jobs::queue::complete(&app.pool, job.id, "w")
                .await
                .unwrap(),
            Err(err) => {
                assert_eq!(job.kind, podpub::domain::JobKind::Notify);
                assert!(format!("{err:#}").contains("503"), "{err:#}");
                failures += 1;
                podpub::jobs::queue::fail(&app.pool, job.id, "w", &format!("{err:#}"))
                    .await
                    .unwrap();
            }
        }
    }
    assert_eq!(failures, 1);
    assert!(app.feed_xml("patient").await.is_some());

    drop(down);
    sqlx::query("update jobs set run_at = now() where state = 'failed'")
        .execute(&app.pool)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(received(&services, "/pubnotify").await.len(), 2);
    let state: String = sqlx::query_scalar("select state from jobs where kind = 'notify'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "done");
}

#[tokio::test]
async fn without_configuration_nobody_is_pinged_and_feeds_name_no_hub() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "quiet", json!({})).await;
    app.run_pending_jobs().await;
    let notify_jobs: i64 = sqlx::query_scalar("select count(*) from jobs where kind = 'notify'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(notify_jobs, 0);
    assert!(!app.feed_xml("quiet").await.unwrap().contains("rel=\"hub\""));
}
