use super::writer::W;
use super::*;
use crate::domain::{
    AlternateEnclosure, Category, EpisodeFields, EpisodeStatus, Funding, License, Location,
    LocationRel, Medium, Person, RemoteItem, ShowExtras, ShowFields, Trailer, Txt,
};
use chrono::TimeZone;
use quick_xml::events::Event;

const RFC: &str = "%a, %d %b %Y %H:%M:%S GMT";

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn show() -> FeedShow {
    let cat = |name: &str, sub: Option<&str>| Category {
        name: name.into(),
        sub: sub.map(Into::into),
    };
    let fields = ShowFields {
        title: "Show".into(),
        description: "<p>About</p>".into(),
        description_markdown: None,
        author: Some("Ann".into()),
        owner_name: None,
        owner_email: Some("ann@example.com".into()),
        language: "en-us".into(),
        categories: vec![
            cat("Society & Culture", Some("Documentary")),
            cat("Technology", None),
        ],
        explicit: false,
        image_url: Some("https://example.com/a.jpg".into()),
        link: None,
        copyright: None,
        locked: true,
        complete: false,
        block: false,
        funding: vec![Funding {
            url: "https://x/?a=1&b=2".into(),
            label: "Tip".into(),
        }],
        ..ShowFields::default()
    };
    FeedShow {
        fields,
        podcast_guid: uuid::Uuid::from_u128(7),
        feed_url: "https://example.com/s/feed.xml".into(),
        new_feed_url: None,
        updated_at: t(1, 0),
        ..Default::default()
    }
}

fn ep(guid: &str, publish_at: DateTime<Utc>) -> Episode {
    let fields = EpisodeFields {
        guid: guid.into(),
        title: format!("Episode {guid}"),
        description: "<b>notes</b>".into(),
        enclosure_url: format!("https://cdn.example/{guid}.mp3?x=1&y=2"),
        enclosure_length: 1234,
        enclosure_type: "audio/mpeg".into(),
        duration_seconds: Some(61),
        season: Some(1),
        episode: Some(2),
        explicit: Some(false),
        image_url: None,
        transcript_url: Some("https://cdn.example/t.vtt".into()),
        transcript_type: None,
        chapters_url: None,
        publish_at,
        ..EpisodeFields::default()
    };
    Episode {
        fields,
        updated_at: publish_at,
        ..Episode::default()
    }
}

/// Each element's text and each attribute (as `name@key`) in document order, as parsed.
fn parse(xml: &[u8]) -> Vec<(String, String)> {
    let mut r = quick_xml::Reader::from_str(std::str::from_utf8(xml).unwrap());
    r.config_mut().expand_empty_elements = true;
    let (mut stack, mut out) = (Vec::<String>::new(), Vec::new());
    let name = |n: &[u8]| String::from_utf8(n.to_vec()).unwrap();
    loop {
        let text = match r.read_event().unwrap() {
            Event::Start(s) => {
                for a in s.attributes().map(Result::unwrap) {
                    let key = format!("{}@{}", name(s.name().0), name(a.key.0));
                    let value = a.unescape_value_with(quick_xml::escape::resolve_xml_entity);
                    out.push((key, value.unwrap().into_owned()));
                }
                stack.push(String::new());
                continue;
            }
            Event::End(e) => {
                out.push((name(e.name().0), stack.pop().unwrap()));
                continue;
            }
            Event::Text(x) => x.xml10_content().unwrap().into_owned(),
            Event::CData(x) => x.xml10_content().unwrap().into_owned(),
            Event::GeneralRef(g) => match g.resolve_char_ref().unwrap() {
                Some(c) => c.to_string(),
                None => quick_xml::escape::resolve_xml_entity(&g.decode().unwrap())
                    .unwrap()
                    .into(),
            },
            Event::Eof => return out,
            _ => continue,
        };
        if let Some(top) = stack.last_mut() {
            top.push_str(&text);
        }
    }
}

fn values<'a>(doc: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    doc.iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn deterministic_and_independent_of_as_of() {
    let (s, eps) = (show(), vec![ep("a", t(2, 10)), ep("b", t(3, 10))]);
    let out = render(&s, &eps, t(20, 0));
    assert_eq!(out, render(&s, &eps, t(20, 0)));
    assert_eq!(out, render(&s, &eps, t(25, 0)));
    let mut buf = b"junk".to_vec();
    render_into(&s, &eps, t(20, 0), &mut buf);
    assert_eq!(out, buf);
    let doc = parse(&out);
    assert_eq!(
        values(&doc, "lastBuildDate"),
        ["Tue, 03 Nov 2026 10:00:00 GMT"]
    );
    assert_eq!(
        values(&doc, "podcast:guid"),
        ["00000000-0000-0000-0000-000000000007"]
    );
    assert_eq!(values(&doc, "podcast:locked@owner"), ["ann@example.com"]);
    assert_eq!(values(&doc, "podcast:funding@url"), ["https://x/?a=1&b=2"]);
    let cats = ["Society & Culture", "Documentary", "Technology"];
    assert_eq!(values(&doc, "itunes:category@text"), cats);
    assert_eq!(
        values(&doc, "link"),
        [s.feed_url.as_str(), s.feed_url.as_str()]
    );
    assert_eq!(values(&doc, "enclosure@length"), ["1234", "1234"]);
    assert!(values(&doc, "itunes:summary").is_empty());
}

#[test]
fn drafts_and_future_episodes_excluded_newest_first() {
    let mut draft = ep("d", t(4, 10));
    draft.fields.status = EpisodeStatus::Draft;
    let eps = [
        ep("old", t(2, 10)),
        ep("future", t(9, 10)),
        draft,
        ep("z", t(5, 10)),
        ep("y", t(5, 10)),
    ];
    let doc = parse(&render(&show(), &eps, t(6, 0)));
    assert_eq!(values(&doc, "guid"), ["y", "z", "old"]);
    assert_eq!(values(&doc, "pubDate")[0], t(5, 10).format(RFC).to_string());
    assert_eq!(
        values(&doc, "lastBuildDate"),
        ["Thu, 05 Nov 2026 10:00:00 GMT"]
    );
    assert!(!included(&eps[1], t(6, 0)) && included(&eps[1], t(9, 10)));
}

#[test]
fn tricky_text_round_trips() {
    let title = "Tom & Jerry <live> \"quoted\" 'single' 🎙️ café naïve";
    let desc = "<p>a]]>b]]]>c]]</p>\r\nline\ttab > done";
    let (mut s, mut e) = (show(), ep("g&<1>", t(2, 10)));
    (s.fields.title, s.fields.description) = (title.into(), desc.into());
    (e.fields.title, e.fields.description) = (title.into(), desc.into());
    e.fields.image_url = Some("https://x/?q=\"'<&>\t".into());
    let doc = parse(&render(&s, &[e.clone()], t(3, 0)));
    assert_eq!(values(&doc, "title"), [title, title, title]);
    assert_eq!(values(&doc, "itunes:title"), [title]);
    assert_eq!(values(&doc, "description"), [desc, desc]);
    assert_eq!(values(&doc, "content:encoded"), [desc]);
    assert_eq!(values(&doc, "guid"), ["g&<1>"]);
    assert_eq!(
        values(&doc, "enclosure@url"),
        [e.fields.enclosure_url.as_str()]
    );
    assert_eq!(values(&doc, "itunes:image@href")[1], "https://x/?q=\"'<&>");
}

#[test]
fn forbidden_characters_and_trailing_whitespace_stripped() {
    let mut s = show();
    s.fields.title = "A\u{1}B\u{b}C\u{fffe}D\u{ffff}  \u{0} \n".into();
    s.fields.description = "x\u{1f}]]\u{1}>y\r\u{2}".into();
    s.fields.author = Some(" \u{7}".into());
    let out = render(&s, &[], t(3, 0));
    let doc = parse(&out);
    assert_eq!(values(&doc, "title"), ["ABCD", "ABCD"]);
    assert_eq!(values(&doc, "description"), ["x]]>y"]);
    assert!(values(&doc, "itunes:author").is_empty());
    assert!(!out.iter().any(|&b| b < 0x20 && b != b'\n'));
}

#[test]
fn dates_match_chrono() {
    for d in [
        t(21, 10),
        Utc.with_ymd_and_hms(999, 12, 31, 23, 59, 59).unwrap(),
    ] {
        let mut out = Vec::new();
        W::new(&mut out).date("d", d);
        assert_eq!(out, format!("    <d>{}</d>\n", d.format(RFC)).into_bytes());
    }
}

#[test]
fn podcasting_two_point_zero_tags_render_with_their_attributes() {
    let person = Person {
        name: "Ann & Bob".into(),
        role: Some("host".into()),
        group: Some("cast".into()),
        img: Some("https://example.com/ann.jpg".into()),
        href: None,
    };
    let mut show = show();
    show.fields.extras = ShowExtras {
        medium: Some(Medium::Music),
        persons: vec![person.clone()],
        location: Some(Location {
            name: "Austin, TX".into(),
            geo: Some("geo:30.2672,97.7431".into()),
            osm: Some("R113314".into()),
            rel: Some(LocationRel::Creator),
            country: Some("US".into()),
        }),
        locations: vec![Location {
            name: "Dreamworld".into(),
            geo: Some("geo:-27.8611449,153.3162701".into()),
            osm: Some("R16317988".into()),
            rel: Some(LocationRel::Subject),
            country: Some("AU".into()),
        }],
        license: Some(License {
            name: "cc-by-4.0".into(),
            url: None,
        }),
        trailers: vec![Trailer {
            title: "Coming soon".into(),
            url: "https://example.com/trailer.mp3".into(),
            pubdate: t(2, 0),
            length: Some(12),
            mime_type: Some("audio/mpeg".into()),
            season: None,
        }],
        txt: vec![Txt {
            purpose: Some("verify".into()),
            value: "S6lpp-7ZCn8".into(),
        }],
        podroll: vec![RemoteItem {
            feed_guid: "917393e3-1b1e-5cef-ace4-edaa54e1f810".into(),
            feed_url: None,
        }],
        podping: true,
        ..ShowExtras::default()
    };
    let mut episode = ep("a", t(3, 0));
    episode.fields.extras.persons = vec![Person {
        role: Some("guest".into()),
        ..person
    }];
    episode.fields.extras.alternate_enclosures = vec![AlternateEnclosure {
        mime_type: "audio/opus".into(),
        length: Some(99),
        bitrate: Some(64000.0),
        default: true,
        sources: vec!["https://example.com/e.opus".into(), "ipfs://Qm1".into()],
        ..Default::default()
    }];
    let xml = String::from_utf8(render(&show, &[episode], t(4, 0))).unwrap();
    for expected in [
        "<podcast:medium>music</podcast:medium>",
        r#"<podcast:person role="host" group="cast" img="https://example.com/ann.jpg">Ann &amp; Bob</podcast:person>"#,
        r#"<podcast:location rel="creator" geo="geo:30.2672,97.7431" osm="R113314" country="US">Austin, TX</podcast:location>"#,
        r#"<podcast:location rel="subject" geo="geo:-27.8611449,153.3162701" osm="R16317988" country="AU">Dreamworld</podcast:location>"#,
        "<podcast:license>cc-by-4.0</podcast:license>",
        r#"<podcast:trailer pubdate="Mon, 02 Nov 2026 00:00:00 GMT" url="https://example.com/trailer.mp3" length="12" type="audio/mpeg">Coming soon</podcast:trailer>"#,
        r#"<podcast:txt purpose="verify">S6lpp-7ZCn8</podcast:txt>"#,
        r#"<podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810"/>"#,
        r#"<podcast:podping usesPodping="true"/>"#,
        r#"<podcast:person role="guest" group="cast""#,
        r#"<podcast:alternateEnclosure type="audio/opus" length="99" bitrate="64000" default="true">"#,
        r#"<podcast:source uri="ipfs://Qm1"/>"#,
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }
}

#[test]
fn archive_pages_hold_fixed_runs_of_episodes_linked_per_rfc_5005() {
    let mut show = show();
    show.fields.extras.item_limit = Some(1);
    show.fields.extras.archive_page_size = Some(2);
    let eps: Vec<Episode> = (1..=5).map(|d| ep(&format!("e{d}"), t(d, 0))).collect();
    let as_of = t(20, 0);
    assert_eq!(archive_pages(&show, &eps, as_of), 2);
    let page = |p: Page| {
        let mut out = Vec::new();
        let n = render_page_into(&show, &eps, as_of, p, &mut out);
        (n, String::from_utf8(out).unwrap())
    };
    let (n, main) = page(Page::Main);
    assert_eq!(n, 1, "the limit, and the one episode no full page holds");
    assert!(main.contains("Episode e5") && !main.contains("Episode e4"));
    assert!(main
        .contains(r#"<atom:link href="https://example.com/s/archive/2.xml" rel="prev-archive""#));
    assert!(main.contains("xmlns:fh="));

    let (n, first) = page(Page::Archive(1));
    assert_eq!(n, 2);
    assert!(first.contains("Episode e1") && first.contains("Episode e2"));
    assert!(first.contains("<fh:archive/>"));
    assert!(first.contains(r#"href="https://example.com/s/archive/2.xml" rel="next-archive""#));
    assert!(first.contains(r#"href="https://example.com/s/feed.xml" rel="current""#));
    assert!(!first.contains("prev-archive"));

    let (_, second) = page(Page::Archive(2));
    assert!(second.contains("Episode e3") && second.contains("Episode e4"));
    assert!(second.contains(r#"href="https://example.com/s/archive/1.xml" rel="prev-archive""#));
    assert!(!second.contains("next-archive"));

    // A show edit changes the main feed but not the archive pages.
    let edited = FeedShow {
        updated_at: t(19, 0),
        ..show.clone()
    };
    let mut again = Vec::new();
    render_page_into(&edited, &eps, as_of, Page::Archive(1), &mut again);
    assert_eq!(String::from_utf8(again).unwrap(), first);
}

#[test]
fn without_archives_the_item_limit_keeps_the_newest_episodes() {
    let mut show = show();
    show.fields.extras.item_limit = Some(2);
    let eps: Vec<Episode> = (1..=4).map(|d| ep(&format!("e{d}"), t(d, 0))).collect();
    let xml = String::from_utf8(render(&show, &eps, t(20, 0))).unwrap();
    assert_eq!(xml.matches("<item>").count(), 2);
    assert!(xml.contains("Episode e4") && xml.contains("Episode e3"));
    assert!(
        !xml.contains("xmlns:fh"),
        "no history namespace without archives"
    );
}
