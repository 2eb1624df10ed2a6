//! `spawn_app()`: each test gets its own database, port, publish directory and edge server.

use std::{
    collections::BTreeMap,
    path::PathBuf,
    sync::atomic::{AtomicU64, Ordering},
};

use podpub::{
    config::Settings,
    db::{self, users},
    jobs::{queue, worker::run_job, JobContext},
    Application,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use tokio::sync::oneshot;
use uuid::Uuid;

/// The Postgres cluster `make test` started.
pub fn cluster_url() -> String {
    std::env::var("DATABASE_URL")
        .expect("DATABASE_URL must point at a Postgres cluster: run the tests with `make test`")
}

fn with_database(url: &str, name: &str) -> String {
    let mut url = url::Url::parse(url).expect("DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

/// A migrated template database, made once per set of migrations; each test clones it.
async fn template() -> String {
    let mut fingerprint = String::new();
    for m in db::MIGRATOR.iter() {
        fingerprint.push_str(&format!("{}:{};", m.version, hex::encode(&m.checksum)));
    }
    let hash = &hex::encode(<sha2::Sha256 as sha2::Digest>::digest(fingerprint))[..16];
    let name = format!("podpub_tmpl_{hash}");
    let mut admin = PgConnection::connect(&cluster_url())
        .await
        .expect("connect");
    admin
        .execute("select pg_advisory_lock(727274)")
        .await
        .expect("lock");
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .expect("query");
    if !exists {
        let building = format!("{name}_build");
        admin
            .execute(format!("drop database if exists {building}").as_str())
            .await
            .expect("drop");
        admin
            .execute(format!("create database {building}").as_str())
            .await
            .expect("create template");
        let pool = PgPool::connect(&with_database(&cluster_url(), &building))
            .await
            .expect("connect template");
        db::MIGRATOR.run(&pool).await.expect("migrate template");
        pool.close().await;
        admin
            .execute(format!("alter database {building} rename to {name}").as_str())
            .await
            .expect("rename template");
    }
    admin
        .execute("select pg_advisory_unlock(727274)")
        .await
        .expect("unlock");
    name
}

/// A fresh database cloned from the template; returns its URL.
pub async fn fresh_database() -> String {
    let template = template().await;
    let name = format!("podpub_test_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&cluster_url())
        .await
        .expect("connect");
    admin
        .execute(format!("create database {name} template {template}").as_str())
        .await
        .expect("create test database");
    let url = with_database(&cluster_url(), &name);
    // Each test database is its own installation, as a real one would be.
    let mut conn = PgConnection::connect(&url)
        .await
        .expect("connect test database");
    conn.execute("update instance set installation_id = gen_random_uuid()")
        .await
        .expect("new installation id");
    url
}

/// A unique scratch directory.
pub fn scratch_dir(label: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "podpub-test-{label}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub struct TestApp {
    pub address: String,
    pub edge_address: String,
    pub publish_dir: PathBuf,
    pub pool: PgPool,
    pub settings: Settings,
    pub client: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.publish_dir);
    }
}

/// A running app without a worker: tests drive jobs with `run_pending_jobs()`.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(false, &[]).await
}

/// A running app; `with_worker` starts the in-process worker as `podpub serve` does.
pub async fn spawn_app_with(with_worker: bool, extra_env: &[(&str, &str)]) -> TestApp {
    let database_url = fresh_database().await;
    let publish_dir = scratch_dir("public");
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

/// Parses `xml` with feedparser and podcastparser (tests/feedcheck.py).
pub fn feedcheck(xml: &str) -> Value {
    let python = std::env::var("PODPUB_TEST_PYTHON").expect(
        "PODPUB_TEST_PYTHON must name the test venv's python: run the tests with `make test`",
    );
    let dir = scratch_dir("feedcheck");
    let path = dir.join("feed.xml");
    std::fs::write(&path, xml).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/feedcheck.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(&path)
        .output()
        .expect("feedcheck.py runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "feedcheck failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("feedcheck prints JSON")
}

/// The moto_server `make test` started, for S3 and CloudFront.
pub fn moto_url() -> String {
    std::env::var("PODPUB_TEST_MOTO_URL").expect(
        "PODPUB_TEST_MOTO_URL must name a running moto_server: run the tests with `make test`",
    )
}

/// An S3 client for `endpoint` (moto), path-style.
pub async fn s3_client(endpoint: &str) -> aws_sdk_s3::Client {
    let shared = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .load()
        .await;
    let config = aws_sdk_s3::config::Builder::from(&shared)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// A port that was free a moment ago, for a process the test starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
