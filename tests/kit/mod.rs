//! The test kit every test binary and bench shares. A test includes it with
//! `#[path = "../kit/mod.rs"] mod kit;`, a bench with `#[path = "../tests/kit/mod.rs"] mod kit;`.
//!
//! - `app`: `spawn_app()`, a running app with its own database, port, publish directory and edge;
//! - `db`: the test cluster, a fresh migrated database per test, throwaway databases for benches;
//! - `procs`: child processes, killed with everything they started when their guard goes;
//! - `moto`: the moto_server `make test` starts, S3 and CloudFront clients, buckets;
//! - `ports`, `scratch`: free ports, and temporary directories removed on drop;
//! - `python`: the test venv's checkers (feedparser and podcastparser, the namespace schema);
//! - `build`: builders of the renderer's input (`FeedShow`, `Episode`).

// Each binary uses its own part of the kit.
#![allow(dead_code)]

pub mod app;
pub mod build;
pub mod db;
pub mod media;
pub mod moto;
pub mod ports;
pub mod procs;
pub mod python;
pub mod scratch;
pub mod uploads;

use std::future::Future;

/// Whether this run is CI's (`CI=true`): there a missing tool fails a test instead of skipping it.
pub fn under_ci() -> bool {
    matches!(
        std::env::var("CI").as_deref(),
        Ok("1" | "true" | "TRUE" | "True" | "yes")
    )
}

/// Runs `f` to completion on a runtime of its own in a thread of its own: usable from `Drop`,
/// inside or outside the caller's runtime.
pub fn block_on_aside<F: Future<Output = ()> + Send + 'static>(f: F) {
    let _ = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(f)
    })
    .join();
}
