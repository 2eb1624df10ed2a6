//! The command line as an operator meets it.

use std::process::Command;

use secrecy::ExposeSecret;

#[test]
fn bad_settings_stop_start_up_with_one_line_each() {
    let out = Command::new(env!("CARGO_BIN_EXE_podpub"))
        .arg("serve")
        .env_remove("DATABASE_URL")
        .env("PODPUB_POOL_SIZE", "zero")
        .env("PODPUB_PUBLISH_URL", "ftp://example.com/feeds")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let problems: Vec<&str> = stderr.lines().skip(1).map(str::trim).collect();
    assert_eq!(problems.len(), 3, "{stderr}");
    assert!(
        problems[0].starts_with("DATABASE_URL is not set"),
        "{stderr}"
    );
    assert!(
        problems[1].starts_with("PODPUB_POOL_SIZE must be a number"),
        "{stderr}"
    );
    assert!(
        problems[2].starts_with("PODPUB_PUBLISH_URL must start with"),
        "{stderr}"
    );
}

#[test]
fn the_edge_needs_no_database() {
    // A port already taken, so the edge stops right after loading its settings.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_podpub"))
        .args(["edge", "--listen", &addr])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(stderr.contains(&format!("listening on {addr}")), "{stderr}");
    assert!(!out.status.success());
}

#[tokio::test]
async fn status_summarises_the_queue_and_exits_1_when_something_needs_a_person() {
    let app = crate::kit::app::spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "fine", serde_json::json!({})).await;
    app.post_show(&user, "clashing", serde_json::json!({}))
        .await;
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_podpub"))
            .arg("status")
            .env("DATABASE_URL", app.settings.database_url.expose_secret())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, out) = run();
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("jobs: 2 queued, 0 running, 0 failed (will retry), 0 dead"),
        "{out}"
    );
    assert!(out.contains("feeds: 0 in conflict, 0 failing"), "{out}");

    app.run_pending_jobs().await;
    sqlx::query(
        "update shows set publish_conflict = true,
            publish_error = 'clashing/feed.xml belongs to installation x'
         where slug = 'clashing'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into jobs (kind, state, attempts, max_attempts, last_error, finished_at)
         values ('invalidate', 'dead', 5, 5, 'TooManyInvalidationsInProgress', now())",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let (code, out) = run();
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("0 queued, 0 running, 0 failed (will retry), 1 dead"),
        "{out}"
    );
    assert!(out.contains("TooManyInvalidationsInProgress"), "{out}");
    assert!(out.contains("feeds: 1 in conflict, 0 failing"), "{out}");
    assert!(
        out.contains("conflict clashing: clashing/feed.xml belongs"),
        "{out}"
    );
}
