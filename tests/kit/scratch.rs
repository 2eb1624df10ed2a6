//! Scratch directories: `tempfile::TempDir`s, removed when they drop, also when a test fails.
//! `PODPUB_KEEP_SCRATCH=1` keeps them to look at afterwards; each one's path is printed.

use tempfile::TempDir;

/// A new directory named `podpub-<label>-…` in the system's temporary directory.
pub fn scratch(label: &str) -> TempDir {
    let mut dir = tempfile::Builder::new()
        .prefix(&format!("podpub-{label}-"))
        .tempdir()
        .expect("a scratch directory");
    if std::env::var_os("PODPUB_KEEP_SCRATCH").is_some_and(|v| !v.is_empty() && v != "0") {
        dir.disable_cleanup(true);
        eprintln!("PODPUB_KEEP_SCRATCH: keeping {}", dir.path().display());
    }
    dir
}
