//! The `podcast:` elements against the Podcast Index namespace schema (`tests/xsdcheck.py`).

use serde_json::Value;

use crate::{
    fixtures,
    kit::{
        build,
        python::{run_xsdcheck, xsdcheck},
    },
    support::parse_strict,
};

/// Every `podcast:` element the full-featured show calls for, by local name.
const EXPECTED: &[&str] = &[
    "guid",
    "locked",
    "funding",
    "medium",
    "person",
    "location",
    "license",
    "trailer",
    "txt",
    "podroll",
    "remoteItem",
    "podping",
    "transcript",
    "chapters",
    "season",
    "episode",
    "alternateEnclosure",
    "source",
];

fn assert_valid(report: &Value) {
    assert_eq!(
        report["valid"], true,
        "podcast: elements are not valid:\n{report:#}"
    );
}

#[test]
fn full_featured_feed_podcast_elements_are_valid_against_the_namespace_schema() {
    let report = xsdcheck(&fixtures::render());
    assert_valid(&report);
    // Whatever the schema declares and the feed holds was validated, not skipped.
    let checked = report["checked"].as_object().unwrap();
    for name in ["guid", "locked", "funding", "medium", "season", "episode"] {
        assert!(checked.contains_key(name), "{name} not checked: {report:#}");
    }
    let unchecked = report["unchecked"].as_object().unwrap();
    assert!(unchecked.is_empty(), "no schema for {unchecked:?}");
}

#[test]
fn full_featured_feed_carries_every_podcast_element_the_show_sets() {
    let doc = parse_strict(&fixtures::render()).unwrap();
    let names: Vec<&str> = doc
        .values
        .iter()
        .filter_map(|(path, _)| path.rsplit('/').next())
        .filter_map(|leaf| leaf.split('@').next()?.strip_prefix("podcast:"))
        .collect();
    let missing: Vec<&&str> = EXPECTED.iter().filter(|n| !names.contains(n)).collect();
    assert!(missing.is_empty(), "podcast: elements missing: {missing:?}");
}

#[test]
fn minimal_show_podcast_elements_are_valid_against_the_namespace_schema() {
    let feed = build::show("minimal")
        .title("Minimal")
        .episode(build::episode(1).title("One"))
        .feed();
    assert_valid(&xsdcheck(&feed.render()));
}

/// podcast.xsd as shipped predates the current tag docs: it requires `season@name`, which
/// docs/tags/season.md makes optional, and it knows no `rel` or `country` on a location
/// (added in 2025). Those are the only complaints it may have about the feed.
#[test]
fn shipped_schema_alone_objects_at_most_to_what_it_predates() {
    let report = run_xsdcheck(&fixtures::render(), &["--shipped-only"]);
    for e in report["errors"].as_array().unwrap() {
        let e = e.as_str().unwrap();
        let season = e.contains("podcast:season") && e.contains("'name' is required");
        let location = e.contains("podcast:location")
            && (e.contains("'rel' is not allowed") || e.contains("'country' is not allowed"));
        assert!(season || location, "{e}");
    }
    assert_eq!(report["spec_errors"], serde_json::json!([]), "{report:#}");
}

/// The checker itself: broken elements are reported, so a pass above means something.
#[test]
fn xsdcheck_reports_invalid_and_misplaced_podcast_elements() {
    let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
<podcast:guid>not-a-uuid</podcast:guid>
<podcast:locked>maybe</podcast:locked>
<podcast:trailer pubdate="yesterday">No url</podcast:trailer>
<podcast:podroll><podcast:remoteItem feedUrl="https://example.com/f.xml"/></podcast:podroll>
<podcast:season>1</podcast:season>
<item><podcast:episode>two</podcast:episode><podcast:episode>3</podcast:episode>
<podcast:alternateEnclosure type="audio/opus" bitrate="NaN"/></item>
</channel></rss>"#;
    let report = xsdcheck(xml);
    assert_eq!(report["valid"], false);
    let text = report.to_string();
    for fragment in [
        "podcast:guid",
        "podcast:locked",
        "podcast:trailer",
        "podcast:podroll",
        "podcast:episode",
        "podcast:alternateEnclosure",
        "podcast:season is not allowed in <channel>",
        "podcast:episode appears 2 times",
    ] {
        assert!(
            text.contains(fragment),
            "{fragment} not reported: {report:#}"
        );
    }
}
