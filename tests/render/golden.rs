//! The full-featured feed, pinned byte for byte. After an intended change to the output:
//! `UPDATE_GOLDEN=1 cargo test --test render golden`, then review the diff of the golden file.

use std::path::Path;

use crate::fixtures;

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/golden/full-featured.xml"
);

#[test]
fn full_featured_feed_matches_the_golden_file_byte_for_byte() {
    let out = fixtures::render();
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(Path::new(GOLDEN).parent().unwrap()).unwrap();
        std::fs::write(GOLDEN, &out).unwrap();
        return;
    }
    let golden = std::fs::read(GOLDEN)
        .unwrap_or_else(|e| panic!("{GOLDEN}: {e}; run with UPDATE_GOLDEN=1 to create it"));
    if out == golden {
        return;
    }
    let (out, golden) = (
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&golden),
    );
    let line = out
        .lines()
        .zip(golden.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| out.lines().count().min(golden.lines().count()));
    panic!(
        "the rendered feed differs from {GOLDEN} from line {}:\n  golden:   {:?}\n  rendered: {:?}\n\
         If the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff.",
        line + 1,
        golden.lines().nth(line),
        out.lines().nth(line),
    );
}

#[test]
fn full_featured_feed_does_not_depend_on_when_it_is_rendered() {
    let later = fixtures::at(27, 23); // before the future episode's publish time
    let (show, episodes) = (fixtures::show(), fixtures::episodes());
    assert_eq!(
        fixtures::render(),
        podpub::feed::render::render(&show, &episodes, later)
    );
}
