//! The command line as an operator meets it.

use std::process::Command;

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
