//! Import, then render: every `podcast:` element a feed had is still there, with the same
//! attributes, in the same place. Over a feed of our own that uses every tag
//! (tests/feeds/every-tag.xml) and over the namespace's own example (podcast-example.xml).

use std::collections::BTreeMap;

use quick_xml::events::Event;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::{
    app::{spawn_app, TestApp, TestUser},
    python::{feedcheck, xsdcheck},
};

const EVERY_TAG: &str = include_str!("../feeds/every-tag.xml");
const EXAMPLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/testdata/feeds/podcast-namespace/podcast-example.xml"
));

/// One namespace element: where it is (its parent's name), its name and its attributes' names.
type Shape = (String, String, Vec<String>);

/// How many times each shape of `podcast:` element (and `itunes:block`) occurs in `xml`.
fn shapes(xml: &str) -> BTreeMap<Shape, usize> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut out = BTreeMap::new();
    let mut note = |stack: &[String], e: &quick_xml::events::BytesStart| {
        let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
        if !(name.starts_with("podcast:") || name == "itunes:block") {
            return;
        }
        let mut attrs: Vec<String> = e
            .attributes()
            .map(|a| String::from_utf8_lossy(a.unwrap().key.as_ref()).to_string())
            .filter(|k| k != "isPermaLink")
            .collect();
        attrs.sort();
        let parent = stack.last().cloned().unwrap_or_default();
        *out.entry((parent, name, attrs)).or_insert(0) += 1;
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                note(&stack, &e);
                stack.push(String::from_utf8_lossy(e.name().as_ref()).to_string());
            }
            Event::Empty(e) => note(&stack, &e),
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Imports `rss` as `slug` and returns the feed podpub publishes for it.
async fn import_and_render(app: &TestApp, user: &TestUser, rss: &str, slug: &str) -> String {
    let body = json!({ "rss": rss, "slug": slug });
    let (status, report) = app
        .api(Method::POST, "/import", Some(user), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{report:#}");
    app.run_pending_jobs().await;
    app.feed_xml(slug).await.unwrap()
}

/// The shapes of `before` that `after` lacks (or has fewer of).
fn missing(before: &str, after: &str) -> Vec<(Shape, usize)> {
    let after = shapes(after);
    shapes(before)
        .into_iter()
        .filter_map(|(shape, n)| {
            let kept = after.get(&shape).copied().unwrap_or(0);
            (kept < n).then_some((shape, n - kept))
        })
        .collect()
}

#[tokio::test]
async fn a_feed_with_every_tag_keeps_every_element_and_attribute_through_import_and_render() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let xml = import_and_render(&app, &user, EVERY_TAG, "every-tag").await;
    let lost = missing(EVERY_TAG, &xml);
    assert!(lost.is_empty(), "lost {lost:#?} in\n{xml}");
    // And back again: a second round changes nothing.
    let again = import_and_render(&app, &user, &xml, "every-tag-again").await;
    assert_eq!(shapes(&again), shapes(&xml));
    for expected in [
        r#"<podcast:episode display="Special">1.5</podcast:episode>"#,
        r#"<podcast:source uri="magnet:?xt=urn:btih:6a1d6b3a7c7f0b3b" contentType="application/x-bittorrent"/>"#,
        r#"<podcast:liveItem status="live" start="2021-09-26T13:30:00.000Z" end="2099-09-26T15:30:00.000Z">"#,
        r#"<podcast:location rel="creator" geo="geo:51.5718706,-0.7769654" osm="R3727240" country="GB">Marlow</podcast:location>"#,
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }

    let report = xsdcheck(xml.as_bytes());
    assert_eq!(report["valid"], true, "{report:#}");
    assert_eq!(
        report["unchecked"],
        json!({}),
        "every element checked: {report:#}"
    );
    let parsed = feedcheck(&xml);
    let fp = &parsed["feedparser"];
    assert_eq!(fp["bozo"], 0, "feedparser: {}", fp["bozo_exception"]);
    assert_eq!(fp["entries"].as_array().unwrap().len(), 2, "{fp}");
    let pp = &parsed["podcastparser"];
    assert!(pp.get("error").is_none(), "podcastparser: {pp}");
    assert_eq!(pp["title"], "Every Tag");
    assert_eq!(pp["episodes"].as_array().unwrap().len(), 2, "{pp}");
}

#[tokio::test]
async fn the_namespace_example_keeps_every_element_through_import_and_render() {
    // podcast-example.xml is the schema's test document: its elements, in an item of a feed
    // (locked "no", since podpub refuses to import a locked feed).
    let body = EXAMPLE
        .split_once("<podcast:episode>")
        .map(|(_, rest)| format!("<podcast:episode>{rest}"))
        .unwrap();
    let body = body.replace("</test-wrapper>", "");
    let (locked, body) = {
        let start = body.find("<podcast:locked").unwrap();
        let end = start + body[start..].find("</podcast:locked>").unwrap() + 17;
        (
            body[start..end].replace(">yes<", ">no<"),
            format!("{}{}", &body[..start], &body[end..]),
        )
    };
    let feed = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>
<title>Example</title><description>The namespace example</description>{locked}
<item><title>One</title><guid>example-1</guid>
<enclosure url="https://example.com/1.mp3" length="1" type="audio/mpeg"/>{body}</item>
</channel></rss>"#
    );
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let xml = import_and_render(&app, &user, &feed, "example").await;
    let count = |xml: &str| {
        let mut n: BTreeMap<String, usize> = BTreeMap::new();
        for ((_, name, _), k) in shapes(xml) {
            *n.entry(name).or_default() += k;
        }
        n
    };
    let (before, after) = (count(&feed), count(&xml));
    for (name, n) in &before {
        assert!(
            after.get(name).copied().unwrap_or(0) >= *n,
            "{name}: {n} before, {:?} after, in\n{xml}",
            after.get(name)
        );
    }
    // The second location's geo="12345" is not a geo: URI: the place is kept without it.
    assert!(xml.contains("<podcast:location>1234567890"), "{xml}");
    // Apart from that one bad attribute, the attributes are all kept.
    let lost = missing(&feed, &xml);
    assert_eq!(lost.len(), 1, "{lost:#?}");
    assert_eq!(lost[0].0 .2, ["geo"], "{lost:#?}");
}
