//! The database pool under pressure: a full pool answers 503 and is counted, and writers
//! queued on one show leave the pool to the others.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::json;
use sqlx::Connection;

use crate::kit::app::spawn_app_with;
use crate::metrics::{sample, scrape};

#[tokio::test]
async fn a_full_pool_answers_503_with_retry_after_and_is_counted() {
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_POOL_SIZE", "2"),
            ("PODPUB_ACQUIRE_TIMEOUT_MS", "300"),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    app.post_show(&user, "crowded", json!({})).await;

    // Everything the pool has, held elsewhere: as if two slow requests were running.
    let held = [
        app.pool.acquire().await.unwrap(),
        app.pool.acquire().await.unwrap(),
    ];
    let resp = app
        .client
        .get(format!("{}/api/v1/shows/crowded/episodes", app.address))
        .bearer_auth(&user.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(resp.headers()["retry-after"], "1");
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");

    // A scrape while the pool is full still answers, and shows the wait.
    let text = scrape(&app).await;
    assert_eq!(
        sample(&text, r#"podpub_db_pool_connections{state="in_use"}"#),
        Some(2.0),
        "{text}"
    );
    assert!(
        sample(&text, "podpub_db_pool_wait_seconds") >= Some(0.3),
        "{text}"
    );
    drop(held);

    let text = scrape(&app).await;
    assert_eq!(sample(&text, "podpub_db_pool_timeouts_total"), Some(1.0));
    assert!(
        sample(&text, "podpub_db_pool_wait_seconds") < Some(0.3),
        "{text}"
    );
    let (status, _) = app
        .api(Method::GET, "/shows/crowded/episodes", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "the pool serves again");
}

#[tokio::test]
async fn writers_queued_on_one_show_leave_the_pool_to_other_shows() {
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_POOL_SIZE", "3"),
            ("PODPUB_ACQUIRE_TIMEOUT_MS", "3000"),
        ],
    )
    .await;
    let user = app.create_user(false).await;
    app.post_show(&user, "hot", json!({})).await;
    app.post_show(&user, "calm", json!({})).await;

    // Something slow holds the hot show's row lock, on a connection outside the app's pool.
    let mut outside = sqlx::PgConnection::connect(app.settings.database_url.expose_secret())
        .await
        .unwrap();
    sqlx::query("begin").execute(&mut outside).await.unwrap();
    sqlx::query("select 1 from shows where slug = 'hot' for update")
        .execute(&mut outside)
        .await
        .unwrap();

    let episode = |title: &str| json!({"title": title, "enclosure": {"url": "https://example.com/a.mp3", "length": 1, "type": "audio/mpeg"}});
    let hot = futures::future::join_all((0..6).map(|n| {
        app.api(
            Method::POST,
            "/shows/hot/episodes",
            Some(&user),
            Some(episode(&format!("Hot {n}"))),
        )
    }));
    let calm = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        // With six writers waiting for the hot show, the calm show is still served at once:
        // the writers wait for their turn in memory, not each on a pooled connection.
        let answered = tokio::time::timeout(
            Duration::from_secs(2),
            app.api(
                Method::POST,
                "/shows/calm/episodes",
                Some(&user),
                Some(episode("Calm")),
            ),
        )
        .await;
        sqlx::query("rollback").execute(&mut outside).await.unwrap();
        answered
    };
    let (hot, calm) = tokio::join!(hot, calm);
    let (status, body) = calm.expect("the calm show answered while the hot one was locked");
    assert_eq!(status, StatusCode::CREATED, "{body}");
    for (status, body) in hot {
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
}
