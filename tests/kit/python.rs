//! The test venv's tools (`scripts/testenv.sh setup`): feedparser and podcastparser through
//! `tests/feedcheck.py`, the Podcast Index schema through `tests/xsdcheck.py`, and the venv's
//! other commands.

use std::{
    ffi::OsStr,
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::Value;

use super::scratch::scratch;

/// The test venv's python (`scripts/testenv.sh python`).
pub fn python() -> String {
    std::env::var("PODPUB_TEST_PYTHON").expect(
        "PODPUB_TEST_PYTHON must name the test venv's python: run the tests with `make test`, \
         or export PODPUB_TEST_PYTHON=$(scripts/testenv.sh python)",
    )
}

/// The venv's `bin/`, where pip put its commands (moto_server, cfn-lint, schemathesis…).
pub fn venv_bin() -> PathBuf {
    Path::new(&python())
        .parent()
        .expect("python is in a bin directory")
        .to_path_buf()
}

/// Runs `tests/<script>` with `args`; returns the JSON it prints.
pub fn run_python<A: AsRef<OsStr>>(script: &str, args: impl IntoIterator<Item = A>) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(script);
    let out = Command::new(python())
        .arg(&path)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{script} runs: {e}"));
    assert!(
        out.status.success(),
        "{script} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{script} prints JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Parses `xml` with feedparser and podcastparser (`tests/feedcheck.py`).
pub fn feedcheck(xml: impl AsRef<[u8]>) -> Value {
    let dir = scratch("feedcheck");
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, xml).unwrap();
    run_python("feedcheck.py", [&path])
}

/// Validates the `podcast:` elements of `xml` (`tests/xsdcheck.py`).
pub fn xsdcheck(xml: &[u8]) -> Value {
    run_xsdcheck(xml, &[])
}

/// [`xsdcheck`] with extra options, e.g. `--shipped-only`.
pub fn run_xsdcheck(xml: &[u8], options: &[&str]) -> Value {
    let dir = scratch("xsdcheck");
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, xml).unwrap();
    let mut args = vec![path.into_os_string(), xsd_dir().into_os_string()];
    args.extend(options.iter().map(Into::into));
    run_python("xsdcheck.py", args)
}

/// The Podcast Index namespace schema (`podcast.xsd`, `podcast-wrapper.xsd`): the project's shared
/// test data next to the checkout, or `PODPUB_PODCAST_XSD_DIR`.
pub fn xsd_dir() -> PathBuf {
    let dir = match std::env::var_os("PODPUB_PODCAST_XSD_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/feeds/podcast-namespace")
        }
    };
    assert!(
        dir.join("podcast-wrapper.xsd").is_file(),
        "podcast-wrapper.xsd not found in {}: set PODPUB_PODCAST_XSD_DIR",
        dir.display()
    );
    dir
}
