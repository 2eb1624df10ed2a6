use chrono::TimeZone;
use proptest::prelude::*;

use super::*;
use crate::domain::{Medium, ShowType};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
}

fn read(xml: &str) -> ParsedFeed {
    parse(
        xml.as_bytes(),
        Some("https://old.example.com/feeds/show.xml"),
        now(),
    )
    .unwrap()
}

fn codes(feed: &ParsedFeed) -> Vec<&'static str> {
    feed.report
        .clone()
        .into_entries()
        .iter()
        .map(|e| e.code)
        .collect()
}

const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0"
     xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title> The  Show </title>
  <link>https://show.example.com/</link>
  <description><![CDATA[<p>About &amp; more</p>]]></description>
  <language>en_US</language>
  <copyright>© 2026 Host</copyright>
  <atom:link href="https://old.example.com/feeds/show.xml" rel="self" type="application/rss+xml"/>
  <image><url>https://old.example.com/small.jpg</url></image>
  <itunes:image href="art.jpg"/>
  <itunes:author>Host Name</itunes:author>
  <itunes:owner><itunes:name>Owner</itunes:name><itunes:email>owner@example.com</itunes:email></itunes:owner>
  <itunes:category text="Technology"><itunes:category text="Podcasting"/></itunes:category>
  <itunes:category text="society &amp; culture"><itunes:category text="Documentary"/></itunes:category>
  <itunes:category text="Games &amp; Hobbies"/>
  <itunes:explicit>Yes</itunes:explicit>
  <itunes:type>serial</itunes:type>
  <itunes:keywords>a, b</itunes:keywords>
  <podcast:guid>9b024349-ccf0-5f69-a609-6b82873eab3c</podcast:guid>
  <podcast:locked owner="owner@example.com">no</podcast:locked>
  <podcast:funding url="https://donate.example.com">Support us</podcast:funding>
  <podcast:medium>podcast</podcast:medium>
  <podcast:person role="Host" href="https://host.example.com">Host Name</podcast:person>
  <podcast:txt purpose="verify">abc</podcast:txt>
  <podcast:value type="lightning"/>
  <item>
    <title>Episode 2</title>
    <guid isPermaLink="false">ep-2</guid>
    <pubDate>Tue, 10 Jun 2003 04:00:00 EST</pubDate>
    <description>short</description>
    <content:encoded><![CDATA[<p>Long notes</p>]]></content:encoded>
    <enclosure url="https://cdn.example.com/ep2.mp3" length="12345" type="audio/mpeg"/>
    <itunes:duration>1:02:03</itunes:duration>
    <itunes:season>2</itunes:season>
    <itunes:episode>7</itunes:episode>
    <itunes:episodeType>Bonus</itunes:episodeType>
    <itunes:explicit>clean</itunes:explicit>
    <itunes:image href="https://cdn.example.com/ep2.jpg"/>
    <podcast:transcript url="https://cdn.example.com/ep2.vtt" type="text/vtt"/>
    <podcast:chapters url="https://cdn.example.com/ep2.json" type="application/json+chapters"/>
    <podcast:person role="guest">Guest</podcast:person>
    <link>https://show.example.com/2</link>
  </item>
  <item>
    <title>Episode 1</title>
    <enclosure url="media/ep1.m4a" length="" />
    <podcast:season>1</podcast:season>
    <podcast:episode>1.0</podcast:episode>
    <pubDate>not a date</pubDate>
  </item>
</channel>
</rss>"#;

#[test]
fn a_full_feed_maps_onto_show_and_episode_fields() {
    let feed = read(FULL);
    let s = &feed.show;
    assert_eq!(s.title, "The Show");
    assert_eq!(s.link.as_deref(), Some("https://show.example.com/"));
    assert_eq!(s.description, "<p>About &amp; more</p>");
    assert_eq!(
        s.description_markdown, None,
        "an imported description is HTML"
    );
    assert_eq!(s.language, "en-us");
    assert_eq!(
        s.image_url.as_deref(),
        Some("https://old.example.com/feeds/art.jpg")
    );
    assert_eq!(s.author.as_deref(), Some("Host Name"));
    assert_eq!(s.owner_name.as_deref(), Some("Owner"));
    assert_eq!(s.owner_email.as_deref(), Some("owner@example.com"));
    let cats: Vec<(&str, Option<&str>)> = s
        .categories
        .iter()
        .map(|c| (c.name.as_str(), c.sub.as_deref()))
        .collect();
    assert_eq!(
        cats,
        [
            ("Technology", None),
            ("Society & Culture", Some("Documentary"))
        ]
    );
    assert!(s.explicit);
    assert_eq!(s.show_type, ShowType::Serial);
    assert_eq!(s.funding[0].url, "https://donate.example.com/");
    assert_eq!(s.funding[0].label, "Support us");
    assert_eq!(s.extras.medium, Some(Medium::Podcast));
    assert_eq!(s.extras.persons[0].role.as_deref(), Some("host"));
    assert_eq!(s.extras.txt[0].value, "abc");
    assert_eq!(
        feed.podcast_guid.unwrap().to_string(),
        "9b024349-ccf0-5f69-a609-6b82873eab3c"
    );
    assert_eq!(
        feed.self_url.as_deref(),
        Some("https://old.example.com/feeds/show.xml")
    );

    assert_eq!(feed.items, 2);
    let e = &feed.episodes[0].fields;
    assert_eq!(e.guid, "ep-2");
    assert_eq!(e.title, "Episode 2");
    assert_eq!(e.description, "<p>Long notes</p>");
    assert_eq!(e.enclosure_url, "https://cdn.example.com/ep2.mp3");
    assert_eq!(
        (e.enclosure_length, e.enclosure_type.as_str()),
        (12345, "audio/mpeg")
    );
    assert_eq!(e.publish_at.to_rfc3339(), "2003-06-10T09:00:00+00:00");
    assert_eq!(
        (e.duration_seconds, e.season, e.episode),
        (Some(3723), Some(2), Some(7))
    );
    assert_eq!(
        (e.episode_type.as_str(), e.explicit),
        ("bonus", Some(false))
    );
    assert_eq!(
        e.image_url.as_deref(),
        Some("https://cdn.example.com/ep2.jpg")
    );
    assert_eq!(e.transcript_type.as_deref(), Some("text/vtt"));
    assert_eq!(
        e.chapters_url.as_deref(),
        Some("https://cdn.example.com/ep2.json")
    );
    assert_eq!(e.extras.persons[0].name, "Guest");
    assert!(feed.episodes[0].dated);

    let e = &feed.episodes[1].fields;
    assert_eq!(e.guid, "https://old.example.com/feeds/media/ep1.m4a");
    assert_eq!(
        e.enclosure_url,
        "https://old.example.com/feeds/media/ep1.m4a"
    );
    assert_eq!(
        (e.enclosure_length, e.enclosure_type.as_str()),
        (0, "audio/x-m4a")
    );
    assert_eq!((e.season, e.episode), (Some(1), Some(1)));
    assert!(!feed.episodes[1].dated);
    assert_eq!(e.publish_at, now() - Duration::seconds(2));

    let codes = codes(&feed);
    for code in [
        code::VALUE_DROPPED, // Games & Hobbies, Technology > Podcasting, podcast:value
        code::VALUE_CHANGED, // society & culture respelled
        code::ELEMENT_NOT_IMPORTED, // itunes:keywords, the item's link
        code::GUID_DERIVED,  // episode 1
        code::ENCLOSURE_TYPE_GUESSED, // episode 1
        code::DATE_INVALID,  // episode 1
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn items_podpub_cannot_keep_are_skipped_and_reported() {
    let feed = read(
        r#"<rss><channel><title>T</title>
        <item><title>No enclosure</title><guid>a</guid></item>
        <item><title>Relative, no base</title><guid>b</guid><enclosure url="ftp://x/b.mp3"/></item>
        <item><enclosure url="https://x/one.mp3"/><enclosure url="https://x/two.mp3"/></item>
        <item><title>Dup</title><guid>c</guid><enclosure url="https://x/c.mp3"/></item>
        <item><title>Dup again</title><guid>c</guid><enclosure url="https://x/c2.mp3"/></item>
        <item><title>Linked</title><link>https://x/page</link><enclosure url="https://x/d.mp3"/></item>
        </channel></rss>"#,
    );
    let guids: Vec<&str> = feed
        .episodes
        .iter()
        .map(|e| e.fields.guid.as_str())
        .collect();
    assert_eq!(guids, ["c", "https://x/page"]);
    assert_eq!(feed.items, 6);
    let codes = codes(&feed);
    for code in [
        code::ITEM_SKIPPED_NO_ENCLOSURE,
        code::ITEM_SKIPPED_INVALID_ENCLOSURE,
        code::ITEM_SKIPPED_NO_GUID,
        code::ITEM_SKIPPED_DUPLICATE_GUID,
        code::GUID_DERIVED,
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

#[test]
fn feeds_that_cannot_be_imported_say_why() {
    let err = |xml: &str| parse(xml.as_bytes(), None, now()).unwrap_err();
    assert_eq!(
        err(
            r#"<rss><channel><podcast:locked owner="me@example.com">yes</podcast:locked></channel></rss>"#
        ),
        ParseError::Locked(Some("me@example.com".into()))
    );
    assert_eq!(
        err("<rss><channel><podcast:locked>YES</podcast:locked></channel></rss>"),
        ParseError::Locked(None)
    );
    assert!(
        matches!(err(r#"<feed xmlns="http://www.w3.org/2005/Atom"/>"#), ParseError::NotRss(what) if what == "an Atom feed")
    );
    assert!(matches!(
        err("<html><body>hi</body></html>"),
        ParseError::NotRss(_)
    ));
    assert_eq!(err("<rss/>"), ParseError::NoChannel);
    assert_eq!(
        err("<rss><redirect><newLocation> https://new.example.com/rss </newLocation></redirect></rss>"),
        ParseError::Moved("https://new.example.com/rss".into())
    );
    assert_eq!(
        err("<rss><channel><title>a &amp b</title></channel></rss>").code(),
        "feed_malformed"
    );
    assert_eq!(err("").code(), "feed_empty");
}

#[test]
fn a_feed_without_a_title_is_named_after_its_url() {
    let feed = parse(
        b"<rss><channel/></rss>",
        Some("https://x.example.com/shows/my-show.rss"),
        now(),
    )
    .unwrap();
    assert_eq!(feed.show.title, "my-show");
    let feed = parse(b"<rss><channel/></rss>", None, now()).unwrap();
    assert_eq!(feed.show.title, "Untitled show");
    assert_eq!(feed.report.count(code::TITLE_DERIVED), 1);
}

#[test]
fn control_characters_and_overlong_values_are_cleaned() {
    let long = "x".repeat(1500);
    let xml = format!(
        "<rss><channel><title>A&#x1;B {long}</title><item><title>T</title><guid>g</guid>\
         <enclosure url=\"https://x/a.mp3\" length=\"-5\" type=\"audio/mpeg\"/>\
         <itunes:duration>forever</itunes:duration><itunes:episode>-1</itunes:episode></item>\
         </channel></rss>"
    );
    let feed = parse(xml.as_bytes(), None, now()).unwrap();
    assert!(feed.show.title.starts_with("AB xxx"));
    assert_eq!(feed.show.title.chars().count(), 1000);
    let e = &feed.episodes[0].fields;
    assert_eq!(
        (e.enclosure_length, e.duration_seconds, e.episode),
        (0, None, None)
    );
    assert_eq!(feed.report.count(code::VALUE_DROPPED), 3);
    assert_eq!(feed.report.count(code::VALUE_TRUNCATED), 1);
    assert_eq!(feed.report.count(code::VALUE_CHANGED), 1);
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<rss>".to_string()),
        Just("</rss>".to_string()),
        Just("<channel>".to_string()),
        Just("</channel>".to_string()),
        Just("<item>".to_string()),
        Just("</item>".to_string()),
        Just("<enclosure url=\"a.mp3\" length=\"x\"/>".to_string()),
        Just("<guid>".to_string()),
        Just("</guid>".to_string()),
        Just("<itunes:duration>1:2:3</itunes:duration>".to_string()),
        Just("<pubDate>Mon, 32 Foo 99 25:00 XYZ</pubDate>".to_string()),
        Just("<![CDATA[<b>]]>".to_string()),
        Just("&amp;&#0;&#xD800;&nope;".to_string()),
        Just("<podcast:locked>yes</podcast:locked>".to_string()),
        "[ -~]{0,12}",
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #[test]
    fn no_input_makes_the_parser_panic(parts in prop::collection::vec(fragment(), 0..40)) {
        let xml = parts.concat();
        let _ = parse(xml.as_bytes(), Some("https://x.example.com/feed"), now());
    }

    #[test]
    fn no_bytes_make_the_parser_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse(&bytes, None, now());
    }
}

#[test]
fn posted_text_ignores_the_encoding_its_declaration_names() {
    let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>Café</title></channel></rss>";
    assert_eq!(
        parse_text(xml.into(), None, now()).unwrap().show.title,
        "Café"
    );
    // As bytes without a BOM, the declaration is believed.
    let bytes = xml.trim_start_matches('\u{feff}').as_bytes();
    assert_eq!(parse(bytes, None, now()).unwrap().show.title, "CafÃ©");
}
