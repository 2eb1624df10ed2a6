//! Telling the world: WebSub, Podping and pubnotify pings, against a local stand-in for the
//! three services (they are third parties that cannot run here).

use std::sync::{Arc, Mutex};

use axum::{
    body::Bytes,
    extract::{Request, State},
    http::StatusCode as AxumStatus,
    routing::any,
    Router,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::{spawn_app, spawn_app_with, TestApp};

/// One request the stand-in received.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    query: String,
    body: String,
    authorization: Option<String>,
}

#[derive(Clone, Default)]
struct StandIn {
    received: Arc<Mutex<Vec<Received>>>,
    /// Answer 503 while set, as a hub that is down.
    down: Arc<Mutex<bool>>,
}

impl StandIn {
    async fn start() -> (StandIn, String) {
        let stand_in = StandIn::default();
        let app = Router::new()
            .route("/{*path}", any(record))
            .with_state(stand_in.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (stand_in, base)
    }

    fn to(&self, path: &str) -> Vec<Received> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

async fn record(State(s): State<StandIn>, req: Request) -> AxumStatus {
    let (parts, body) = req.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    s.received.lock().unwrap().push(Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        body: String::from_utf8_lossy(&body).into_owned(),
        authorization: parts
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_string()),
    });
    if *s.down.lock().unwrap() {
        AxumStatus::SERVICE_UNAVAILABLE
    } else {
        AxumStatus::NO_CONTENT
    }
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
    let (services, base) = StandIn::start().await;
    let app = app_with_services(&base).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "pinged", json!({})).await;
    app.post_episode(&user, "pinged", json!({"title": "One"}))
        .await;
    app.run_pending_jobs().await;
    let feed_url = format!("{}/pinged/feed.xml", app.edge_address);

    for path in ["/hub-a", "/hub-b", "/podping", "/pubnotify"] {
        assert_eq!(services.to(path).len(), 1, "{path}");
    }
    let hub = &services.to("/hub-a")[0];
    assert_eq!(hub.method, "POST");
    assert_eq!(
        hub.body,
        format!("hub.mode=publish&hub.url={}", encoded(&feed_url))
    );
    let podping = &services.to("/podping")[0];
    assert_eq!(podping.method, "GET");
    assert_eq!(podping.authorization.as_deref(), Some("podping-secret"));
    assert!(podping
        .query
        .contains(&format!("url={}", encoded(&feed_url))));
    assert!(podping.query.contains("reason=update"));
    let pubnotify = &services.to("/pubnotify")[0];
    assert_eq!(pubnotify.query, format!("url={}", encoded(&feed_url)));

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
            services.to(path).len(),
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
        assert_eq!(services.to(path).len(), 2, "{path} after an edit");
    }
}

#[tokio::test]
async fn a_ping_to_a_service_that_is_down_is_retried_until_it_answers() {
    let (services, base) = StandIn::start().await;
    *services.down.lock().unwrap() = true;
    let app = spawn_app_with(
        false,
        &[("PODPUB_PUBNOTIFY_URL", &format!("{base}/pubnotify"))],
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

    *services.down.lock().unwrap() = false;
    sqlx::query("update jobs set run_at = now() where state = 'failed'")
        .execute(&app.pool)
        .await
        .unwrap();
    app.run_pending_jobs().await;
    assert_eq!(services.to("/pubnotify").len(), 2);
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
