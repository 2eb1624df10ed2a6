//! Conformance tests of the feed renderer (`podpub::feed::render`), from the outside:
//!
//! - `roundtrip`: a property test over arbitrary shows and episodes: the output is well-formed
//!   XML 1.0 and text comes back exactly, once cleaned as the renderer documents;
//! - `xsd`: the `podcast:` elements against the Podcast Index XML Schema (`tests/xsdcheck.py`);
//! - `parsers`: the full-featured feed through feedparser and podcastparser (`tests/feedcheck.py`);
//! - `golden`: the full-featured feed pinned byte for byte in `tests/golden/full-featured.xml`.
//!
//! The Python tests need `PODPUB_TEST_PYTHON` (the test venv's python), as `make test` sets it.

#[path = "../kit/mod.rs"]
mod kit;

mod arbitrary;
mod fixtures;
mod golden;
mod items;
mod listing;
mod parsers;
mod roundtrip;
mod strict;
mod support;
mod value;
mod xsd;
