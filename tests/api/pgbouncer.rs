//! podpub through pgBouncer in session mode: the API, the in-process worker (LISTEN/NOTIFY
//! included) and the published feed, with every connection going through the pooler.

use std::{
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use reqwest::Method;
use serde_json::json;

use crate::kit::{
    app::spawn_app_with, db::fresh_database, ports::free_port, procs::Proc, scratch::scratch,
    under_ci,
};

fn pgbouncer_binary() -> Option<PathBuf> {
    ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Starts pgbouncer in session mode in front of `database_url`'s server; returns the guard and
/// the same database's URL through pgbouncer. It refuses to run as root, so root runs it as
/// `postgres`, as scripts/pg.sh does for the server: the child takes that user itself, so the
/// guard's process is pgbouncer (`runuser` forks and waits, and SIGKILLing it left pgbouncer
/// running after the test).
fn start_bouncer(bin: &Path, database_url: &str, dir: &Path) -> (Proc, String) {
    let url = url::Url::parse(database_url).unwrap();
    let (host, port) = (url.host_str().unwrap(), url.port().unwrap_or(5432));
    let listen = free_port();
    std::fs::write(dir.join("users.txt"), "\"podpub\" \"\"\n").unwrap();
    std::fs::write(
        dir.join("pgbouncer.ini"),
        format!(
            "[databases]\n* = host={host} port={port}\n\n[pgbouncer]\nlisten_addr = 127.0.0.1\n\
             listen_port = {listen}\nunix_socket_dir =\nauth_type = trust\n\
             auth_file = {users}\npool_mode = session\nmax_client_conn = 200\n\
             default_pool_size = 20\nignore_startup_parameters = extra_float_digits\n\
             logfile = {log}\n",
            users = dir.join("users.txt").display(),
            log = dir.join("pgbouncer.log").display(),
        ),
    )
    .unwrap();
    let root = unsafe_is_root();
    if root {
        // The postgres user must be able to read the config and write the log.
        let _ = Command::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(dir)
            .status();
        let mut parent = dir.parent();
        while let Some(p) = parent {
            let _ = Command::new("chmod").arg("a+x").arg(p).status();
            parent = p.parent();
        }
    }
    let mut cmd = Command::new(bin);
    if root {
        let (uid, gid) = (id("-u"), id("-g"));
        cmd.uid(uid).gid(gid);
    }
    cmd.arg(dir.join("pgbouncer.ini"));
    let bouncer = Proc::spawn("pgbouncer-output", cmd, dir);
    let mut through = url.clone();
    through.set_port(Some(listen)).unwrap();
    (bouncer, through.to_string())
}

/// `id <flag> postgres`: the postgres user's uid (`-u`) or gid (`-g`).
fn id(flag: &str) -> u32 {
    let out = Command::new("id")
        .args([flag, "postgres"])
        .output()
        .expect("id runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no postgres user: {}", String::from_utf8_lossy(&out.stderr)))
}

fn unsafe_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[tokio::test]
async fn the_api_and_a_worker_run_through_pgbouncer_in_session_mode() {
    let Some(bin) = pgbouncer_binary() else {
        assert!(
            !under_ci(),
            "pgbouncer is missing under CI (scripts/testenv.sh setup installs it)"
        );
        eprintln!("pgbouncer not installed: skipped (sudo apt-get install pgbouncer)");
        return;
    };
    let database = fresh_database().await;
    let scratch = scratch("pgbouncer");
    let dir = scratch.path();
    let (_bouncer, through) = start_bouncer(&bin, &database, dir);
    // Wait until pgbouncer answers.
    let mut ready = false;
    for _ in 0..100 {
        if sqlx::PgPool::connect(&through).await.is_ok() {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        ready,
        "pgbouncer did not answer: {}",
        std::fs::read_to_string(dir.join("pgbouncer.log")).unwrap_or_default()
    );

    let app = spawn_app_with(true, &[("DATABASE_URL", &through)]).await;
    let user = app.create_user(false).await;
    app.post_show(&user, "pooled", json!({})).await;
    app.post_episode(&user, "pooled", json!({"title": "Through the pooler"}))
        .await;
    let scheduled = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    app.post_episode(
        &user,
        "pooled",
        json!({"title": "Scheduled through the pooler", "publish_at": scheduled}),
    )
    .await;
    // The in-process worker, woken by NOTIFY through pgbouncer, publishes the feed ...
    let mut xml = None;
    for _ in 0..100 {
        xml = app.feed_xml("pooled").await;
        if xml
            .as_deref()
            .is_some_and(|x| x.contains("Through the pooler"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let xml = xml.expect("the feed was published");
    assert!(xml.contains("Through the pooler"));
    assert!(!xml.contains("Scheduled through the pooler"));
    // ... and the scheduled episode on its own at its time.
    let mut released = false;
    for _ in 0..100 {
        if app
            .feed_xml("pooled")
            .await
            .is_some_and(|x| x.contains("Scheduled through the pooler"))
        {
            released = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        released,
        "the scheduled episode was released through pgbouncer"
    );
    let (status, state) = app
        .api(Method::GET, "/shows/pooled/feed", Some(&user), None)
        .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(state["state"], "up_to_date", "{state}");
}
