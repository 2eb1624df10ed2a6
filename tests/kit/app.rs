//! `spawn_app()`: each test gets its own database, port, publish directory and edge server.

use std::{collections::BTreeMap, path::PathBuf};

use podpub::{
    config::Settings,
    db::users,
    jobs::{queue, worker::run_job, JobContext},
    Application,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use tempfile::TempDir;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::{db::fresh_database, scratch::scratch};

pub struct TestApp {
    pub address: String,
    pub edge_address: String,
    pub publish_dir: PathBuf,
    pub pool: PgPool,
    pub settings: Settings,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    _publish: TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A running app without a worker: tests drive jobs with `run_pending_jobs()`.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(false, &[]).await
}

/// A running app; `with_worker` starts the in-process worker as `podpub serve` does.
pub async fn spawn_app_with(with_worker: bool, extra_env: &[(&str, &str)]) -> TestApp {
    let database_url = fresh_database().await;
    let publish = scratch("public");
    let publish_dir = publish.path().to_path_buf();
    let edge_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let edge_address = format!("http://{}", edge_listener.local_addr().unwrap());
    let (edge_stop_tx, edge_stop_rx) = oneshot::channel::<()>();
    tokio::spawn(podpub::edge::serve(
        edge_listener,
        publish_dir.clone(),
        async {
            let _ = edge_stop_rx.await;
        },
    ));

    let mut env: BTreeMap<String, String> = BTreeMap::from([
        ("DATABASE_URL".into(), database_url.clone()),
        ("PODPUB_LISTEN".into(), "127.0.0.1:0".into()),
        ("PODPUB_POOL_SIZE".into(), "5".into()),
        ("PODPUB_FEED_BASE_URL".into(), edge_address.clone()),
        (
            "PODPUB_PUBLISH_URL".into(),
            format!("file://{}", publish_dir.display()),
        ),
        ("PODPUB_POLL_INTERVAL_MS".into(), "100".into()),
        ("PODPUB_MAX_ATTEMPTS".into(), "3".into()),
    ]);
    for (k, v) in extra_env {
        env.insert(k.to_string(), v.to_string());
    }
    let settings = Settings::from_env_map(&env).expect("test settings are valid");
    let app = Application::build(settings.clone(), with_worker)
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let pool = app.pool().clone();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async move {
        let _ = stop_rx.await;
        let _ = edge_stop_tx.send(());
    }));
    TestApp {
        address,
        edge_address,
        publish_dir,
        pool,
        settings,
        client: reqwest::Client::new(),
        stop: Some(stop_tx),
        _publish: publish,
    }
}

/// A user with an API token.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub token: String,
}

impl TestApp {
    pub async fn create_user(&self, admin: bool) -> TestUser {
        let email = format!("{}@example.com", Uuid::new_v4().simple());
        let user = users::create(&self.pool, &email, None, admin)
            .await
            .unwrap();
        let token = users::create_token(&self.pool, user.id, "test")
            .await
            .unwrap();
        TestUser { token }
    }

    /// Sends an API request; returns the status and the JSON body (`Null` when empty).
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        user: Option<&TestUser>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .request(method, format!("{}/api/v1{path}", self.address));
        if let Some(user) = user {
            req = req.bearer_auth(&user.token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{status}: body is not JSON: {text}"))
        };
        (status, json)
    }

    /// Sends a raw body with a content type.
    pub async fn api_raw(
        &self,
        method: Method,
        path: &str,
        user: &TestUser,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> (StatusCode, Value) {
        let resp = self
            .client
            .request(method, format!("{}/api/v1{path}", self.address))
            .bearer_auth(&user.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent");
        let status = resp.status();
        let text = resp.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    /// Creates a show with sensible defaults, overridden by `fields`.
    pub async fn post_show(&self, user: &TestUser, slug: &str, fields: Value) -> Value {
        let mut body = json!({
            "slug": slug,
            "title": "A Show",
            "description": "<p>About the show</p>",
            "author": "Host",
            "owner_name": "Host",
            "owner_email": "host@example.com",
            "language": "en-us",
            "categories": [{"name": "Technology"}],
            "image_url": "https://example.com/art.jpg",
        });
        merge(&mut body, fields);
        let (status, show) = self
            .api(Method::POST, "/shows", Some(user), Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{show}");
        show
    }

    /// Creates an episode with sensible defaults, overridden by `fields`.
    pub async fn post_episode(&self, user: &TestUser, slug: &str, fields: Value) -> Value {
        let mut body = json!({
            "title": "An Episode",
            "description": "<p>Notes</p>",
            "enclosure": {"url": "https://example.com/ep.mp3", "length": 1234, "type": "audio/mpeg"},
            "duration_seconds": 1800,
        });
        merge(&mut body, fields);
        let (status, episode) = self
            .api(
                Method::POST,
                &format!("/shows/{slug}/episodes"),
                Some(user),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{episode}");
        episode
    }

    /// Runs every due job, as a worker would; fails the test if any job fails.
    pub async fn run_pending_jobs(&self) {
        let ctx = JobContext::new(&self.settings, self.pool.clone())
            .await
            .unwrap();
        let lease = std::time::Duration::from_secs(30);
        while let Some(job) = queue::claim(&self.pool, "test", lease).await.unwrap() {
            if let Err(err) = run_job(&ctx, &job).await {
                panic!("job {} ({}) failed: {err:#}", job.id, job.kind);
            }
            queue::complete(&self.pool, job.id, "test").await.unwrap();
        }
    }

    /// The codes of the warnings `GET …/feed` gives for the show at `slug`, in order.
    pub async fn warning_codes(&self, user: &TestUser, slug: &str) -> Vec<String> {
        let path = format!("/shows/{slug}/feed");
        let (_, state) = self.api(Method::GET, &path, Some(user), None).await;
        let warnings = state["warnings"].as_array().unwrap();
        warnings
            .iter()
            .map(|w| w["code"].as_str().unwrap().to_string())
            .collect()
    }

    /// The feed as the local CDN serves it.
    pub async fn feed_xml(&self, slug: &str) -> Option<String> {
        let resp = self
            .client
            .get(format!("{}/{slug}/feed.xml", self.edge_address))
            .send()
            .await
            .unwrap();
        match resp.status() {
            StatusCode::OK => Some(resp.text().await.unwrap()),
            StatusCode::NOT_FOUND => None,
            other => panic!("edge answered {other}"),
        }
    }
}

/// Shallow-merges `extra` into `base`.
pub fn merge(base: &mut Value, extra: Value) {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        for (k, v) in extra {
            base.insert(k, v);
        }
    }
}
