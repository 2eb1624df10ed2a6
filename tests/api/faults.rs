//! Faults an operator meets: the database restarting under a running app.

use std::{path::Path, process::Command, time::Duration};

use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::kit::{app::spawn_app_with, ports::free_port, scratch::scratch};

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

/// A tiny tmpfs as the publish directory, unmounted when the guard goes. Mounting needs root
/// (with CAP_SYS_ADMIN); without it the test says so and skips.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Option<SmallDisk> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| SmallDisk(dir.to_path_buf()))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Runs the due jobs once, like a worker; returns the errors of those that failed.
async fn work_once(app: &crate::kit::app::TestApp) -> Vec<String> {
    use podpub::jobs::{queue, worker::run_job, JobContext};
    let ctx = JobContext::new(&app.settings, app.pool.clone())
        .await
        .unwrap();
    let mut errors = Vec::new();
    while let Some(job) = queue::claim(&app.pool, "w", Duration::from_secs(30))
        .await
        .unwrap()
    {
        match run_job(&ctx, &job).await {
            Ok(()) => queue::complete(&app.pool, job.id, "w").await.unwrap(),
            Err(err) => {
                let message = format!("{err:#}");
                queue::fail(&app.pool, job.id, "w", &message).await.unwrap();
                errors.push(message);
            }
        }
    }
    errors
}

#[tokio::test]
async fn a_read_only_or_full_publish_directory_fails_clearly_corrupts_nothing_and_recovers() {
    let scratch = scratch("small-disk");
    let dir = scratch.path();
    let Some(disk) = SmallDisk::mount(dir, "256k") else {
        eprintln!("mounting a tmpfs is not permitted here: skipped");
        return;
    };
    let publish = format!("file://{}", dir.display());
    let app = spawn_app_with(false, &[("PODPUB_PUBLISH_URL", &publish)]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "tight", json!({"title": "First"}))
        .await;
    assert!(work_once(&app).await.is_empty());
    let first = feed(dir).expect("published");
    let make_due = || async {
        sqlx::query("update jobs set run_at = now() where state = 'failed'")
            .execute(&app.pool)
            .await
            .unwrap();
    };
    let patch = |title: &'static str| {
        let (app, user) = (&app, &user);
        async move {
            let (status, _) = app
                .api(
                    Method::PATCH,
                    "/shows/tight",
                    Some(user),
                    Some(json!({ "title": title })),
                )
                .await;
            assert_eq!(status, StatusCode::OK);
        }
    };

    // Read-only: the render fails with the system's reason, and the old feed is untouched.
    disk.remount("ro");
    patch("Second").await;
    let errors = work_once(&app).await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("Read-only file system"), "{errors:?}");
    assert_eq!(feed(dir).as_ref(), Some(&first));
    let (_, state) = app
        .api(Method::GET, "/shows/tight/feed", Some(&user), None)
        .await;
    assert_eq!(state["state"], "failed");
    assert!(state["last_error"].as_str().unwrap().contains("Read-only"));
    disk.remount("rw");
    make_due().await;
    assert!(work_once(&app).await.is_empty());
    let second = feed(dir).unwrap();
    assert!(second.contains("<title>Second</title>"));

    // Full: a filler takes the free space; the write fails and leaves the feed as it was.
    let filler = dir.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).unwrap();
        let page = [0u8; 4096];
        while f.write_all(&page).is_ok() {}
        let byte = [0u8; 1];
        while f.write_all(&byte).is_ok() {}
    }
    patch("Third").await;
    let errors = work_once(&app).await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("No space left on device"), "{errors:?}");
    assert_eq!(feed(dir).as_ref(), Some(&second));
    std::fs::remove_file(&filler).unwrap();
    make_due().await;
    assert!(work_once(&app).await.is_empty());
    assert!(feed(dir).unwrap().contains("<title>Third</title>"));
    // Nothing half-written is left in the directory.
    let leftovers: Vec<_> = walk(dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.contains(".tmp") || name.starts_with('.') && name != ".meta"
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The published feed, as the directory holds it (the edge of this app serves another one).
fn feed(dir: &Path) -> Option<String> {
    std::fs::read_to_string(dir.join("tight/feed.xml")).ok()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}
