//! What `serve` guards beyond the pages: `/metrics` behind a token or its own address, and
//! clients too slow with their headers or bodies.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::kit::app::spawn_app_with;

const TOKEN: &str = "scrape-me-0123456789abcdef";

#[tokio::test]
async fn metrics_need_the_bearer_token_when_one_is_set() {
    let app = spawn_app_with(false, &[("PODPUB_METRICS_TOKEN", TOKEN)]).await;
    let url = format!("{}/metrics", app.address);
    let resp = app.client.get(&url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    let body = resp.text().await.unwrap();
    assert!(!body.contains("podpub_"), "{body}");
    for wrong in ["Bearer nope", "Bearer scrape-me-0123456789abcdeF", TOKEN] {
        let resp = app
            .client
            .get(&url)
            .header("authorization", wrong)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{wrong}");
    }
    let resp = app
        .client
        .get(&url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("podpub_jobs"));
    // Health checks need no token.
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn metrics_on_their_own_address_are_not_on_the_public_one() {
    let port = crate::kit::ports::free_port();
    let listen = format!("127.0.0.1:{port}");
    let env = [
        ("PODPUB_METRICS_LISTEN", listen.as_str()),
        ("PODPUB_METRICS_TOKEN", TOKEN),
    ];
    let app = spawn_app_with(false, &env).await;
    let public = app
        .client
        .get(format!("{}/metrics", app.address))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
    let private = format!("http://{listen}/metrics");
    let resp = app.client.get(&private).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = app
        .client
        .get(&private)
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("podpub_http_request_duration_seconds"));
    // Admins see where /metrics is and that a token guards it, never the token.
    let admin = crate::ui::account(&app, true).await;
    let mut ui = crate::ui::Ui::new(&app);
    ui.sign_in(&admin).await;
    let page = ui.get("/admin/settings").await;
    assert!(page.body.contains(&listen), "{}", page.body);
    assert!(page.body.contains("PODPUB_METRICS_TOKEN"));
    assert!(!page.body.contains(TOKEN));
}

#[tokio::test]
async fn a_worker_metrics_address_needs_the_token_too() {
    let app = spawn_app_with(false, &[]).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let router = podpub::web::worker_router(
        std::sync::Arc::new(podpub::metrics::Metrics::new()),
        app.pool.clone(),
        Some(TOKEN.into()),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    let resp = app
        .client
        .get(format!("{address}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = app
        .client
        .get(format!("{address}/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

/// Reads what the server sends until it closes the connection; `None` if it keeps it open
/// past `limit`.
async fn until_closed(conn: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(limit, conn.read_to_end(&mut got)).await;
    match read {
        Ok(_) => Some(String::from_utf8_lossy(&got).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test]
async fn a_client_sending_half_its_headers_is_disconnected() {
    let app = spawn_app_with(false, &[("PODPUB_HEADER_READ_TIMEOUT_SECS", "1")]).await;
    let addr = app.address.trim_start_matches("http://").to_string();
    let mut conn = TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let closed = until_closed(&mut conn, Duration::from_secs(10)).await;
    assert!(closed.is_some(), "the connection stayed open");
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
    // A prompt client on the same server is served.
    let resp = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_client_trickling_its_body_gets_408() {
    let app = spawn_app_with(false, &[("PODPUB_BODY_READ_TIMEOUT_SECS", "1")]).await;
    let addr = app.address.trim_start_matches("http://").to_string();
    let user = app.create_user(false).await;
    for (path, kind) in [
        ("/login", "application/x-www-form-urlencoded"),
        ("/api/v1/shows", "application/json"),
    ] {
        let mut conn = TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {kind}\r\n\
             Authorization: Bearer {}\r\nContent-Length: 1000\r\n\r\n",
            user.token
        );
        conn.write_all(head.as_bytes()).await.unwrap();
        let started = Instant::now();
        // A byte now and then, then nothing more (so the server has read all that was sent).
        for _ in 0..4 {
            conn.write_all(b"a").await.unwrap();
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let answer = until_closed(&mut conn, Duration::from_secs(10))
            .await
            .expect("the server closes the connection");
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer}");
        assert!(started.elapsed() < Duration::from_secs(8));
    }
}
