//! Faults an operator meets: the database restarting under a running app.

use std::{path::Path, process::Command, time::Duration};

use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{free_port, spawn_app_with};

/// A private Postgres cluster (scripts/pg.sh), so that restarting it disturbs no other test;
/// destroyed when the guard goes.
struct Cluster {
    name: String,
    port: u16,
}

impl Cluster {
    fn pg(&self, cmd: &str) -> String {
        let out = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg.sh"))
            .args([cmd, &self.name])
            .env_remove("DATABASE_URL")
            .env("PODPUB_PG_PORT", self.port.to_string())
            .output()
            .expect("scripts/pg.sh runs");
        assert!(
            out.status.success(),
            "pg.sh {cmd} {}: {}",
            self.name,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg.sh"))
            .args(["destroy", &self.name])
            .env_remove("DATABASE_URL")
            .output();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_loses_no_accepted_edit_and_the_app_recovers_by_itself() {
    let cluster = Cluster {
        name: format!("fault-{}", &Uuid::new_v4().simple().to_string()[..8]),
        port: free_port(),
    };
    let url = cluster.pg("start");
    let app = spawn_app_with(
        true,
        &[("DATABASE_URL", &url), ("PODPUB_ACQUIRE_TIMEOUT_MS", "300")],
    )
    .await;
    let user = app.create_user(false).await;
    app.post_show(&user, "sturdy", json!({"title": "Title 0"}))
        .await;

    // Edits keep coming while the database goes down and comes back.
    let editor = {
        let (client, address, token) =
            (app.client.clone(), app.address.clone(), user.token.clone());
        tokio::spawn(async move {
            let mut answers = Vec::new();
            for i in 1..=120 {
                let resp = client
                    .patch(format!("{address}/api/v1/shows/sturdy"))
                    .bearer_auth(&token)
                    .json(&json!({"title": format!("Title {i}")}))
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await;
                let status = resp.map(|r| r.status()).ok();
                answers.push((i, status));
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            answers
        })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.pg("stop");
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.pg("start");
    let answers = editor.await.unwrap();

    // Every answer was a success or a 503 to retry: never a 500, never a hang.
    for (i, status) in &answers {
        let status = status.unwrap_or_else(|| panic!("edit {i} got no answer"));
        assert!(
            status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
            "edit {i} answered {status}"
        );
    }
    let refused = answers
        .iter()
        .filter(|(_, s)| *s == Some(StatusCode::SERVICE_UNAVAILABLE))
        .count();
    assert!(refused > 0, "the outage was seen: {answers:?}");
    let last_ok = answers
        .iter()
        .rev()
        .find(|(_, s)| *s == Some(StatusCode::OK))
        .map(|(i, _)| *i)
        .expect("edits succeed again after the restart, without restarting podpub");

    // The last accepted edit is what is stored, and the worker publishes it.
    let (status, show) = app
        .api(Method::GET, "/shows/sturdy", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(show["title"], format!("Title {last_ok}"));
    let mut published = false;
    for _ in 0..200 {
        if app
            .feed_xml("sturdy")
            .await
            .is_some_and(|x| x.contains(&format!("<title>Title {last_ok}</title>")))
        {
            published = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        published,
        "the worker recovered and published the last edit"
    );
}
