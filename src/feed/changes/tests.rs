use super::*;

fn feed(channel: &str, items: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">\n  <channel>\n",
    );
    xml.push_str(channel);
    xml.push_str("    <lastBuildDate>Thu, 19 Nov 2026 11:00:00 GMT</lastBuildDate>\n");
    for (guid, title, length) in items {
        xml.push_str(&format!(
            "    <item>\n      <title>{title}</title>\n      <guid isPermaLink=\"false\">{guid}</guid>\n      \
             <enclosure url=\"https://example.com/{guid}.mp3\" length=\"{length}\" type=\"audio/mpeg\"/>\n    </item>\n"
        ));
    }
    xml.push_str("  </channel>\n</rss>\n");
    xml.into_bytes()
}

const CHANNEL: &str =
    "    <title>Show</title>\n    <description><![CDATA[<p>About</p>]]></description>\n    \
                       <itunes:image href=\"https://example.com/a.jpg\"/>\n";

#[test]
fn an_added_a_removed_and_a_retitled_episode_are_told_apart() {
    let old = feed(CHANNEL, &[("b", "Second", "1"), ("a", "First", "1")]);
    let new = feed(
        CHANNEL,
        &[("c", "Third", "1"), ("b", "Second &amp; more", "1")],
    );
    let changes = between(&old, &new).unwrap();
    assert_eq!(
        changes.added,
        vec![EpisodeRef {
            guid: "c".into(),
            title: "Third".into()
        }]
    );
    assert_eq!(
        changes.removed,
        vec![EpisodeRef {
            guid: "a".into(),
            title: "First".into()
        }]
    );
    assert_eq!(
        changes.changed,
        vec![EpisodeChange {
            guid: "b".into(),
            title: "Second & more".into(),
            fields: vec!["title".into()]
        }]
    );
    assert!(changes.channel.is_empty());
}

#[test]
fn an_attribute_change_names_the_element() {
    let old = feed(CHANNEL, &[("a", "First", "1")]);
    let new = feed(CHANNEL, &[("a", "First", "2")]);
    let changes = between(&old, &new).unwrap();
    assert_eq!(changes.changed[0].fields, vec!["enclosure".to_string()]);
}

#[test]
fn channel_fields_are_named_for_people_and_the_build_date_is_not_a_change() {
    let old = feed(CHANNEL, &[("a", "First", "1")]);
    let edited = CHANNEL
        .replace("<title>Show</title>", "<title>New name</title>")
        .replace("a.jpg", "b.jpg");
    let new = feed(&edited, &[("a", "First", "1")]);
    let new = String::from_utf8(new)
        .unwrap()
        .replace("19 Nov", "20 Nov")
        .into_bytes();
    let changes = between(&old, &new).unwrap();
    assert_eq!(changes.channel, vec!["artwork".to_string(), "title".into()]);
    assert!(changes.added.is_empty() && changes.changed.is_empty());
}

#[test]
fn identical_documents_have_no_changes() {
    let doc = feed(CHANNEL, &[("a", "First", "1")]);
    assert!(between(&doc, &doc).unwrap().is_empty());
}

#[test]
fn a_first_version_adds_every_episode() {
    let doc = feed(CHANNEL, &[("b", "Second", "1"), ("a", "First", "1")]);
    let titles: Vec<_> = first(&doc)
        .unwrap()
        .added
        .into_iter()
        .map(|e| e.title)
        .collect();
    assert_eq!(titles, ["Second", "First"]);
}

#[test]
fn what_is_not_a_feed_has_no_changes() {
    assert!(between(b"not xml <", &feed(CHANNEL, &[])).is_none());
    assert!(between(b"<html></html>", &feed(CHANNEL, &[])).is_none());
}
