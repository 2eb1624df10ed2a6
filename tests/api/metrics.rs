//! `GET /metrics`: what an operator's Prometheus sees.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::json;

use crate::kit::app::{spawn_app_with, TestApp};

pub(crate) async fn scrape(app: &TestApp) -> String {
    let resp = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    resp.text().await.unwrap()
}

/// The value of the sample whose line starts with `series` (name and labels), if any.
pub(crate) fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_jobs_publishes_and_the_queue() {
    let app = spawn_app_with(true, &[]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "measured", json!({})).await;
    app.post_episode(&user, "measured", json!({"title": "Counted"}))
        .await;
    // The in-process worker publishes; wait for it.
    let mut up_to_date = false;
    for _ in 0..100 {
        let (_, state) = app
            .api(Method::GET, "/shows/measured/feed", Some(&user), None)
            .await;
        if state["state"] == "up_to_date" && state["episode_count"] == 1 {
            up_to_date = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(up_to_date, "the worker published the feed");
    for slug in ["measured", "missing-one", "missing-two"] {
        app.api(Method::GET, &format!("/shows/{slug}"), Some(&user), None)
            .await;
    }

    let text = scrape(&app).await;
    // Requests are labelled by route template, never by the raw path.
    let route =
        r#"podpub_http_request_duration_seconds_count{method="GET",route="/api/v1/shows/{slug}""#;
    assert_eq!(
        sample(&text, &format!(r#"{route},status="200"}}"#)),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, &format!(r#"{route},status="404"}}"#)),
        Some(2.0)
    );
    assert!(!text.contains("missing-one"));
    // Jobs and publishes by this process's worker.
    let renders = sample(
        &text,
        r#"podpub_job_duration_seconds_count{kind="render",outcome="done"}"#,
    );
    assert!(renders >= Some(1.0), "{text}");
    let written = sample(
        &text,
        r#"podpub_publish_total{kind="feed",outcome="written"}"#,
    );
    assert!(written >= Some(1.0), "{text}");
    // Gauges read at scrape time.
    assert_eq!(
        sample(&text, r#"podpub_db_pool_connections{state="max"}"#),
        Some(5.0)
    );
    assert_eq!(sample(&text, r#"podpub_jobs{state="dead"}"#), Some(0.0));
    assert!(sample(&text, r#"podpub_jobs{state="queued"}"#).is_some());
    assert!(sample(&text, "podpub_jobs_oldest_due_seconds").is_some());
}

#[tokio::test]
async fn a_worker_given_a_metrics_address_serves_its_own_metrics() {
    use crate::kit::procs::{podpub, Deadline, Proc};
    let app = spawn_app_with(false, &[]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "worked", json!({})).await;
    let port = crate::kit::ports::free_port();
    let address = format!("http://127.0.0.1:{port}");
    let publish = format!("file://{}", app.publish_dir.display());
    let logs = crate::kit::scratch::scratch("worker-metrics-logs");
    let mut worker = Proc::spawn(
        "worker-metrics",
        podpub(
            app.settings.database_url.expose_secret(),
            &["worker", "--metrics-listen", &format!("127.0.0.1:{port}")],
            &[("PODPUB_PUBLISH_URL", publish)],
        ),
        logs.path(),
    );
    let client = reqwest::Client::new();
    let series = r#"podpub_job_duration_seconds_count{kind="render",outcome="done"}"#;
    let deadline = Deadline::new(
        "the worker's render in its metrics",
        Duration::from_secs(30),
    );
    let text = loop {
        worker.assert_running();
        if let Ok(resp) = client.get(format!("{address}/metrics")).send().await {
            let text = resp.text().await.unwrap();
            if sample(&text, series) >= Some(1.0) {
                break text;
            }
        }
        deadline.tick().await;
    };
    assert!(
        sample(
            &text,
            r#"podpub_publish_total{kind="feed",outcome="written"}"#
        ) >= Some(1.0),
        "{text}"
    );
    assert!(sample(&text, r#"podpub_jobs{state="queued"}"#).is_some());
    let health = client
        .get(format!("{address}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    worker.terminate();
    let status = worker.exited(Duration::from_secs(30)).await;
    assert!(status.success(), "{status}");
}
