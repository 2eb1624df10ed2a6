//! Importing the items group's tags: kept when valid, dropped with a report when not.

use chrono::{TimeZone, Utc};

use super::*;
use crate::import::report::code;

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title>Show</title>
  <description>About</description>
  <podcast:image href="https://example.com/wide.jpg" alt="Wide art" aspect-ratio="16/9" width="1920"
                 height="1080" type="image/jpeg" purpose="social  banner"/>
  <podcast:images srcset="https://example.com/a-1500.jpg 1500w, https://example.com/a-600.jpg 600w"/>
  <item>
    <title>One</title>
    <guid>one</guid>
    <enclosure url="https://cdn.example.com/1.mp3" length="10" type="audio/mpeg"/>
    <itunes:duration>600</itunes:duration>
    <podcast:season name="Egyptology: The 19th Century">1</podcast:season>
    <podcast:episode display="Ch.3">204</podcast:episode>
    <podcast:transcript url="https://example.com/1.vtt" type="text/vtt"/>
    <podcast:transcript url="https://example.com/1.es.json" type="application/json" language="es" rel="captions"/>
    <podcast:transcript url="https://example.com/1.x" type="text/plain" rel="subtitles"/>
    <podcast:soundbite startTime="73.0" duration="60.0"/>
    <podcast:soundbite startTime="1234.5" duration="42.25">Why it matters</podcast:soundbite>
    <podcast:soundbite startTime="-5" duration="10">Negative</podcast:soundbite>
    <podcast:contentLink href="https://www.youtube.com/watch?v=example">Watch on YouTube!</podcast:contentLink>
    <podcast:contentLink href="javascript:alert(1)">Bad</podcast:contentLink>
    <podcast:funding url="https://example.com/ep-donate">Support this episode</podcast:funding>
    <podcast:image href="https://example.com/ep1.jpg" alt="Episode art"/>
    <podcast:alternateEnclosure type="video/mp4" length="7924786">
      <podcast:source uri="https://example.com/file-720.mp4"/>
      <podcast:integrity type="sri" value="sha384-ExVqijgYHm15PqQqdXfW95x+Rs6C+d6E/ICxyQOeFevnxNLR/wtJNrNYTjIysUBo"/>
    </podcast:alternateEnclosure>
    <podcast:alternateEnclosure type="audio/opus">
      <podcast:source uri="https://example.com/file.opus"/>
      <podcast:integrity type="md5" value="abc"/>
    </podcast:alternateEnclosure>
  </item>
</channel>
</rss>"#;

fn read() -> ParsedFeed {
    let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    parse(FEED.as_bytes(), None, now).unwrap()
}

#[test]
fn items_group_tags_are_imported() {
    let feed = read();
    let s = &feed.show.extras;
    let hrefs: Vec<_> = s.images.iter().map(|i| (&*i.href, i.width)).collect();
    assert_eq!(
        hrefs,
        [
            ("https://example.com/wide.jpg", Some(1920)),
            ("https://example.com/a-1500.jpg", Some(1500)),
            ("https://example.com/a-600.jpg", Some(600)),
        ]
    );
    assert_eq!(s.images[0].aspect_ratio.as_deref(), Some("16/9"));
    assert_eq!(s.images[0].purpose.as_deref(), Some("social banner"));

    let e = &feed.episodes[0].fields;
    assert_eq!((e.season, e.episode), (Some(1), Some(204)));
    let x = &e.extras;
    assert_eq!(
        x.season_name.as_deref(),
        Some("Egyptology: The 19th Century")
    );
    assert_eq!(x.episode_display.as_deref(), Some("Ch.3"));
    assert_eq!(
        e.transcript_url.as_deref(),
        Some("https://example.com/1.vtt")
    );
    assert_eq!(x.transcripts.len(), 1, "{:?}", x.transcripts);
    assert_eq!(x.transcripts[0].language.as_deref(), Some("es"));
    assert_eq!(x.transcripts[0].rel.as_deref(), Some("captions"));
    let bites: Vec<_> = x
        .soundbites
        .iter()
        .map(|s| (s.start_time, s.duration))
        .collect();
    assert_eq!(bites, [(73.0, 60.0), (1234.5, 42.25)]);
    assert_eq!(x.soundbites[1].title.as_deref(), Some("Why it matters"));
    assert_eq!(x.content_links.len(), 1);
    assert_eq!(x.content_links[0].text, "Watch on YouTube!");
    assert_eq!(x.funding[0].url, "https://example.com/ep-donate");
    assert_eq!(x.funding[0].label, "Support this episode");
    assert_eq!(x.images[0].alt.as_deref(), Some("Episode art"));
    let integrity = x.alternate_enclosures[0].integrity.as_ref().unwrap();
    assert_eq!(integrity.kind, "sri");
    assert!(integrity.value.starts_with("sha384-"));
    assert_eq!(
        x.alternate_enclosures.len(),
        2,
        "a bad integrity drops only itself"
    );
    assert!(x.alternate_enclosures[1].integrity.is_none());
}

#[test]
fn invalid_items_group_tags_are_dropped_and_reported() {
    let feed = read();
    let entries = feed.report.clone().into_entries();
    let dropped: Vec<_> = entries
        .iter()
        .filter(|e| e.code == code::VALUE_DROPPED)
        .map(|e| e.message.as_str())
        .collect();
    for field in [
        "transcripts",
        "soundbites",
        "content_links",
        "alternate_enclosures",
    ] {
        assert!(
            dropped.iter().any(|m| m.starts_with(&format!("{field}:"))),
            "{field} not reported in {dropped:?}"
        );
    }
    assert_eq!(dropped.len(), 4, "{dropped:?}");
}

#[test]
fn a_season_name_without_a_season_number_is_dropped_and_reported() {
    let feed = FEED.replace(
        r#"<podcast:season name="Egyptology: The 19th Century">1</podcast:season>"#,
        r#"<podcast:season name="Egyptology: The 19th Century">first</podcast:season>"#,
    );
    let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    let feed = parse(feed.as_bytes(), None, now).unwrap();
    let e = &feed.episodes[0].fields;
    assert_eq!((e.season, e.extras.season_name.as_deref()), (None, None));
    let entries = feed.report.clone().into_entries();
    assert!(
        entries
            .iter()
            .any(|e| e.message.starts_with("season_name:")),
        "{entries:?}"
    );
}
