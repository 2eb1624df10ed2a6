//! Databases on the Postgres cluster `make test` starts: a fresh, migrated one per test (cloned
//! from a template), and throwaway empty ones that are dropped when their guard goes.

use podpub::db;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use uuid::Uuid;

use super::block_on_aside;

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
    // `make test` drops the databases of its run (PODPUB_TEST_RUN) when it ends: `pg.sh prune`.
    let run: String = std::env::var("PODPUB_TEST_RUN")
        .unwrap_or_default()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    let id = Uuid::new_v4().simple();
    let name = if run.is_empty() {
        format!("podpub_test_{id}")
    } else {
        format!("podpub_test_{run}_{id}")
    };
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

/// An empty database on `cluster`, dropped (with its sessions) when the guard goes.
pub struct Database {
    cluster: String,
    pub name: String,
    pub url: String,
}

impl Database {
    pub async fn create(cluster: &str, label: &str) -> Database {
        let name = format!("podpub_bench_{label}_{}", Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(cluster).await.expect("connect");
        admin
            .execute(format!("create database {name}").as_str())
            .await
            .expect("create the database");
        Database {
            cluster: cluster.into(),
            url: with_database(cluster, &name),
            name,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let (cluster, name) = (self.cluster.clone(), self.name.clone());
        block_on_aside(async move {
            match PgConnection::connect(&cluster).await {
                Ok(mut admin) => {
                    let sql = format!("drop database if exists {name} with (force)");
                    if let Err(e) = admin.execute(sql.as_str()).await {
                        eprintln!("dropping {name}: {e}");
                    }
                }
                Err(e) => eprintln!("dropping {name}: {e}"),
            }
        });
    }
}
