//! Arbitrary shows and episodes: the feed is well-formed XML 1.0, and what goes in comes back
//! out, once cleaned as the renderer documents (see `support::clean`).

use podpub::domain::{Episode, EpisodeFields};
use podpub::feed::{model::FeedShow, render::render};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{FileFailurePersistence, TestRunner},
};
use serde_json::Value;

use crate::{
    arbitrary::{as_of, feed},
    kit::{python::python, scratch::scratch},
    support::{clean, parse_strict, Doc},
};

/// The episodes of the feed, in its order: published ones, newest first, then by guid.
fn in_feed(episodes: &[Episode]) -> Vec<&EpisodeFields> {
    let mut eps: Vec<_> = episodes
        .iter()
        .filter(|e| e.included(as_of()))
        .map(|e| &e.fields)
        .collect();
    eps.sort_by(|a, b| {
        b.publish_at
            .cmp(&a.publish_at)
            .then_with(|| a.guid.cmp(&b.guid))
    });
    eps
}

/// `value` cleaned, unless nothing is left (the element is then left out).
fn present(value: Option<&String>) -> Vec<String> {
    value
        .map(|v| clean(v))
        .filter(|v| !v.is_empty())
        .into_iter()
        .collect()
}

fn check_round_trip(feed: &FeedShow, episodes: &[Episode], doc: &Doc) {
    let show = &feed.fields;
    let ch = "rss/channel";
    assert_eq!(doc.all(&format!("{ch}/title")), [clean(&show.title)]);
    assert_eq!(
        doc.all(&format!("{ch}/description")),
        [clean(&show.description)]
    );
    assert_eq!(
        doc.all(&format!("{ch}/itunes:author")),
        present(show.author.as_ref())
    );
    assert_eq!(
        doc.all(&format!("{ch}/atom:link@href")),
        [clean(&feed.feed_url)]
    );
    let image_titles = match present(show.image_url.as_ref()).is_empty() {
        true => vec![],
        false => vec![clean(&show.title)],
    };
    assert_eq!(doc.all(&format!("{ch}/image/title")), image_titles);
    let x = &show.extras;
    let frequency = x.update_frequency.as_ref().map(|u| &u.text);
    assert_eq!(
        doc.all(&format!("{ch}/podcast:updateFrequency")),
        present(frequency)
    );
    let mut txt: Vec<String> = x.txt.iter().flat_map(|t| present(Some(&t.value))).collect();
    txt.extend(present(x.apple_verify.as_ref()));
    assert_eq!(doc.all(&format!("{ch}/podcast:txt")), txt);
    let social = doc.all(&format!("{ch}/podcast:socialInteract@protocol"));
    let protocols: Vec<String> = x
        .social_interact
        .iter()
        .flat_map(|s| present(Some(&s.protocol)))
        .collect();
    assert_eq!(social, protocols);

    let eps = in_feed(episodes);
    let each = |f: fn(&EpisodeFields) -> &String| -> Vec<String> {
        eps.iter().map(|e| clean(f(e))).collect()
    };
    let item = |leaf: &str| doc.all(&format!("{ch}/item/{leaf}"));
    assert_eq!(doc.all(&format!("{ch}/item")).len(), eps.len());
    assert_eq!(item("title"), each(|e| &e.title));
    assert_eq!(item("itunes:title"), each(|e| &e.title));
    assert_eq!(item("description"), each(|e| &e.description));
    let notes: Vec<String> = each(|e| &e.description)
        .into_iter()
        .filter(|d| !d.is_empty())
        .collect();
    assert_eq!(item("content:encoded"), notes);
    assert_eq!(item("guid"), each(|e| &e.guid));
    assert_eq!(item("enclosure@url"), each(|e| &e.enclosure_url));
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        // Next to this file, not proptest's default `tests/proptest-regressions/`.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "tests/render/proptest-regressions.txt",
        ))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text_renders_well_formed_and_round_trips_once_cleaned(
        (show, episodes) in feed()
    ) {
        let out = render(&show, &episodes, as_of());
        let doc = parse_strict(&out).unwrap_or_else(|e| {
            panic!("not well-formed: {e}\n{}", String::from_utf8_lossy(&out))
        });
        check_round_trip(&show, &episodes, &doc);
    }
}

/// For each file: every element's direct text and every attribute (namespace declarations
/// aside), keyed by path, in the order `support::Doc` lists them.
const LXML_VALUES: &str = r#"
import json, sys
from lxml import etree

def name(el):
    q = etree.QName(el)
    return (el.prefix + ":" if el.prefix else "") + q.localname

def walk(el, parent, out):
    path = parent + "/" + name(el) if parent else name(el)
    for k, v in el.attrib.items():
        out.append([path + "@" + k, v])
    for child in el:
        if isinstance(child.tag, str):
            walk(child, path, out)
    out.append([path, (el.text or "") + "".join(c.tail or "" for c in el)])

result = []
for path in sys.argv[1:]:
    try:
        root = etree.parse(path, etree.XMLParser(recover=False, resolve_entities=False)).getroot()
        out = []
        walk(root, "", out)
        result.append(out)
    except etree.XMLSyntaxError as exc:
        result.append("not well-formed: %s" % exc)
json.dump(result, sys.stdout)
"#;

/// libxml2 (through lxml) is a strict, conforming XML 1.0 parser: it must accept every
/// generated feed, and read the same text and attributes as `support::parse_strict`.
#[test]
fn arbitrary_text_reads_the_same_through_libxml2() {
    let mut runner = TestRunner::deterministic();
    let dir = scratch("libxml2");
    let mut files = Vec::new();
    let mut docs = Vec::new();
    for i in 0..64 {
        let (show, episodes) = feed().new_tree(&mut runner).unwrap().current();
        let out = render(&show, &episodes, as_of());
        let doc = parse_strict(&out).unwrap_or_else(|e| panic!("feed {i}: {e}"));
        let path = dir.path().join(format!("feed-{i}.xml"));
        std::fs::write(&path, &out).unwrap();
        files.push(path);
        docs.push(doc);
    }
    let out = std::process::Command::new(python())
        .arg("-c")
        .arg(LXML_VALUES)
        .args(&files)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    for (i, (doc, lxml)) in docs.iter().zip(&read).enumerate() {
        let lxml: Vec<(String, String)> =
            serde_json::from_value(lxml.clone()).unwrap_or_else(|_| {
                let xml = std::fs::read_to_string(&files[i]).unwrap_or_default();
                panic!("feed {i}: {lxml}\n{xml}")
            });
        let ours: Vec<(String, String)> = doc
            .values
            .iter()
            .filter(|(k, _)| !k.contains("@xmlns"))
            .cloned()
            .collect();
        assert_eq!(ours, lxml, "feed {i}: quick-xml and libxml2 disagree");
    }
}
