use super::super::model::*;
use super::*;
use chrono::TimeZone;

fn t(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap()
}

const NOW: u32 = 20;

fn person() -> FeedPerson {
    FeedPerson {
        name: "Ann".into(),
        role: Some("host".into()),
        group: None,
        img: Some("https://example.com/ann.jpg".into()),
        href: Some("https://example.com/ann".into()),
    }
}

fn license() -> Option<FeedLicense> {
    Some(FeedLicense {
        name: "my-license".into(),
        url: Some("https://example.com/license".into()),
    })
}

/// A show using every feature, with nothing to warn about.
fn show() -> FeedShow {
    FeedShow {
        title: "Show".into(),
        description: "<p>About</p>".into(),
        author: Some("Ann".into()),
        owner_name: Some("Ann".into()),
        owner_email: Some("ann@example.com".into()),
        language: "en-us".into(),
        categories: vec![
            FeedCategory {
                name: "Society & Culture".into(),
                sub: Some("Documentary".into()),
            },
            FeedCategory {
                name: "Technology".into(),
                sub: None,
            },
        ],
        serial: true,
        image_url: Some("https://example.com/art.jpg".into()),
        image_size: Some((3000, 3000)),
        funding: vec![FeedFunding {
            url: "https://example.com/donate".into(),
            label: "Support us".into(),
        }],
        feed_url: "https://feeds.example.com/show/feed.xml".into(),
        persons: vec![person()],
        license: license(),
        trailers: vec![FeedTrailer {
            title: "Trailer".into(),
            url: "https://example.com/trailer.mp3".into(),
            pubdate: t(1),
            ..Default::default()
        }],
        podroll: vec![FeedRemoteItem {
            feed_guid: "917393e3-1b1e-5cef-ace4-edaa54e1f810".into(),
            feed_url: Some("https://example.com/other.xml".into()),
        }],
        ..Default::default()
    }
}

fn ep(n: i32, day: u32) -> FeedEpisode {
    FeedEpisode {
        guid: format!("guid-{n}"),
        title: format!("Episode {n}"),
        description: "<p>Notes</p>".into(),
        enclosure_url: format!("https://cdn.example.com/{n}.mp3"),
        enclosure_length: 1234,
        enclosure_type: "audio/mpeg".into(),
        episode: Some(n),
        season: Some(1),
        episode_type: "full".into(),
        transcript_url: Some(format!("https://example.com/{n}.vtt")),
        transcript_type: Some("text/vtt".into()),
        chapters_url: Some(format!("https://example.com/{n}.json")),
        publish_at: t(day),
        updated_at: t(day),
        persons: vec![person()],
        license: license(),
        alternate_enclosures: vec![FeedAlternateEnclosure {
            mime_type: "audio/opus".into(),
            sources: vec![
                format!("https://cdn.example.com/{n}.opus"),
                "ipfs://QmdwGqd3d2gFPGeJNLLCshdiPert45fMu84552Y4XHTy4y".into(),
            ],
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn eps() -> Vec<FeedEpisode> {
    vec![ep(1, 1), ep(2, 8), ep(3, 15)]
}

fn run(show: &FeedShow, eps: &[FeedEpisode]) -> Vec<Warning> {
    warnings(show, eps, t(NOW))
}

/// (code, episode guid) of each warning.
fn codes(ws: &[Warning]) -> Vec<(&'static str, Option<&str>)> {
    ws.iter()
        .map(|w| (w.code, w.episode_guid.as_deref()))
        .collect()
}

fn only<'a>(ws: &'a [Warning], code: &str) -> Vec<Option<&'a str>> {
    let hits = ws.iter().filter(|w| w.code == code);
    hits.map(|w| w.episode_guid.as_deref()).collect()
}

#[test]
fn clean_full_featured_show_has_no_warnings() {
    assert_eq!(run(&show(), &eps()), []);
    let mut s = show();
    s.serial = false;
    s.image_size = Some((1400, 1400));
    let mut es = eps();
    for (e, kind) in es
        .iter_mut()
        .zip(["audio/x-m4a", "video/mp4", "application/pdf"])
    {
        e.enclosure_type = kind.into();
        e.episode = None;
    }
    assert_eq!(run(&s, &es), []);
}

#[test]
fn artwork_missing() {
    let mut s = show();
    s.image_url = None;
    assert_eq!(only(&run(&s, &eps()), code::ARTWORK_MISSING), [None]);
    s.image_url = Some("  ".into());
    let ws = run(&s, &eps());
    assert_eq!(codes(&ws), [(code::ARTWORK_MISSING, None)]);
    assert!(ws[0].message.contains("1400"), "{}", ws[0].message);
}

#[test]
fn artwork_size() {
    for size in [(1399, 1399), (3001, 3001), (2000, 1500), (500, 500)] {
        let mut s = show();
        s.image_size = Some(size);
        let ws = run(&s, &eps());
        assert_eq!(codes(&ws), [(code::ARTWORK_SIZE, None)], "{size:?}");
        assert!(ws[0].message.contains("3000"));
    }
    let mut s = show();
    s.image_size = None;
    assert_eq!(run(&s, &eps()), []);
}

#[test]
fn category_missing() {
    let mut s = show();
    s.categories.clear();
    assert_eq!(codes(&run(&s, &eps())), [(code::CATEGORY_MISSING, None)]);
    s.categories = vec![FeedCategory::default()];
    assert_eq!(codes(&run(&s, &eps())), [(code::CATEGORY_MISSING, None)]);
}

#[test]
fn category_unknown() {
    let cat = |name: &str, sub: Option<&str>| FeedCategory {
        name: name.into(),
        sub: sub.map(Into::into),
    };
    let mut s = show();
    s.categories = vec![
        cat("Society and Culture", None),
        cat("Technology", Some("Gadgets")),
        cat("technology", None),
        cat("Arts", Some("")),
    ];
    let ws = run(&s, &eps());
    assert_eq!(only(&ws, code::CATEGORY_UNKNOWN), [None, None, None]);
    assert_eq!(ws.len(), 3);
    assert!(ws[0].message.contains("\"Society and Culture\""));
    assert!(ws[1].message.contains("\"Technology > Gadgets\""));
    assert!(
        ws[2].message.contains("\"Technology\""),
        "{}",
        ws[2].message
    );
}

#[test]
fn enclosure_type_rejected() {
    let mut es = eps();
    es[0].enclosure_type = "audio/ogg".into();
    es[1].enclosure_type = String::new();
    es[2].enclosure_type = "Audio/MPEG".into();
    let ws = run(&show(), &es);
    let hits = only(&ws, code::ENCLOSURE_TYPE_REJECTED);
    assert_eq!(hits, [Some("guid-2"), Some("guid-1")]);
    assert!(ws[1].message.contains("audio/ogg") && ws[1].message.contains("audio/x-m4a"));
}

#[test]
fn enclosure_length_missing() {
    let mut es = eps();
    es[1].enclosure_length = 0;
    let ws = run(&show(), &es);
    assert_eq!(
        codes(&ws),
        [(code::ENCLOSURE_LENGTH_MISSING, Some("guid-2"))]
    );
}

#[test]
fn description_too_long() {
    let mut s = show();
    s.description = "é".repeat(2001);
    let mut es = eps();
    es[2].description = "x".repeat(4001);
    es[1].description = "x".repeat(4000);
    let ws = run(&s, &es);
    let hits = only(&ws, code::DESCRIPTION_TOO_LONG);
    assert_eq!(hits, [None, Some("guid-3")]);
    assert!(ws[0].message.contains("4000") && ws[0].message.contains("4002"));
}

#[test]
fn title_too_long() {
    let mut s = show();
    s.title = "x".repeat(256);
    let mut es = eps();
    es[0].title = "é".repeat(255);
    es[1].title = "é".repeat(256);
    let ws = run(&s, &es);
    assert_eq!(only(&ws, code::TITLE_TOO_LONG), [None, Some("guid-2")]);
    assert!(ws[0].message.contains("255"));
}

#[test]
fn serial_without_episode_numbers() {
    let mut es = eps();
    es[0].episode = None;
    es[2].episode = None;
    let ws = run(&show(), &es);
    let hits = only(&ws, code::SERIAL_WITHOUT_EPISODE_NUMBERS);
    assert_eq!(hits, [Some("guid-3"), Some("guid-1")]);
    let mut s = show();
    s.serial = false;
    assert_eq!(run(&s, &es), []);
}

#[test]
fn duplicate_enclosure_url() {
    let mut es = eps();
    es[0].enclosure_url = es[2].enclosure_url.clone();
    es[1].enclosure_url = es[2].enclosure_url.clone();
    let ws = run(&show(), &es);
    let hits = only(&ws, code::DUPLICATE_ENCLOSURE_URL);
    assert_eq!(hits, [Some("guid-2"), Some("guid-1")]);
}

#[test]
fn duplicate_guid() {
    let mut es = eps();
    es[0].guid = "guid-3".into();
    let ws = run(&show(), &es);
    assert_eq!(codes(&ws), [(code::DUPLICATE_GUID, Some("guid-3"))]);
    // The older of the two is the duplicate; its message names the guid.
    assert!(ws[0].message.contains("\"guid-3\""), "{}", ws[0].message);
}

#[test]
fn podcast_tag_not_https() {
    let mut s = show();
    s.funding[0].url = "http://example.com/donate".into();
    s.persons[0].img = Some("http://example.com/ann.jpg".into());
    s.trailers[0].url = "http://example.com/trailer.mp3".into();
    s.podroll[0].feed_url = Some("HTTP://example.com/other.xml".into());
    s.license.as_mut().unwrap().url = Some("ftp://example.com/l".into());
    let mut es = eps();
    es[2].transcript_url = Some("http://example.com/3.vtt".into());
    es[2].chapters_url = Some("http://example.com/3.json".into());
    es[2].persons[0].href = Some("http://example.com/ann".into());
    es[2].alternate_enclosures[0].sources[0] = "http://cdn.example.com/3.opus".into();
    es[1].license.as_mut().unwrap().url = Some("http://example.com/l".into());
    let ws = run(&s, &es);
    let hits = only(&ws, code::PODCAST_TAG_NOT_HTTPS);
    let mut want = vec![None; 5];
    want.extend([Some("guid-3"); 4]);
    want.push(Some("guid-2"));
    assert_eq!(hits, want);
    assert_eq!(ws.len(), 10);
    assert!(
        ws[0].message.contains("podcast:funding"),
        "{}",
        ws[0].message
    );
    assert!(ws[1].message.contains("podcast:person img"));
    assert!(ws[3].message.contains("podcast:trailer"));
    assert!(ws[8].message.contains("podcast:alternateEnclosure source"));
}

#[test]
fn https_check_accepts_https_any_case() {
    let mut s = show();
    s.funding[0].url = "HTTPS://example.com/donate".into();
    assert_eq!(run(&s, &eps()), []);
}

#[test]
fn author_and_owner_email_missing() {
    let mut s = show();
    s.author = None;
    s.owner_email = Some(" ".into());
    let ws = run(&s, &eps());
    let want = [
        (code::AUTHOR_MISSING, None),
        (code::OWNER_EMAIL_MISSING, None),
    ];
    assert_eq!(codes(&ws), want);
    assert!(ws[1].message.contains("verify"));
}

#[test]
fn empty_show_counts_only_included_episodes() {
    assert_eq!(codes(&run(&show(), &[])), [(code::EMPTY_SHOW, None)]);
    let mut es = eps();
    es[0].draft = true;
    es[1].publish_at = t(NOW + 1);
    es[2].publish_at = t(NOW + 2);
    // Problems in episodes that are not published yet do not count.
    es[1].enclosure_length = 0;
    es[2].guid = "guid-1".into();
    assert_eq!(codes(&run(&show(), &es)), [(code::EMPTY_SHOW, None)]);
    // Once guid-2 is out, its problem counts; guid-1 is still unpublished.
    let ws = warnings(&show(), &es, t(NOW + 1));
    assert_eq!(
        codes(&ws),
        [(code::ENCLOSURE_LENGTH_MISSING, Some("guid-2"))]
    );
}

#[test]
fn order_is_show_first_then_episodes_newest_first() {
    let mut s = show();
    s.image_url = None;
    s.author = None;
    s.categories.clear();
    s.title = "x".repeat(300);
    let mut es = eps();
    // Same publish time as guid-3: the guid breaks the tie, as in render.
    es[0].publish_at = t(15);
    es[0].enclosure_length = 0;
    es[0].enclosure_url = es[1].enclosure_url.clone();
    es[1].enclosure_type = "audio/wav".into();
    es[2].episode = None;
    let ws = run(&s, &es);
    let want = [
        (code::ARTWORK_MISSING, None),
        (code::CATEGORY_MISSING, None),
        (code::TITLE_TOO_LONG, None),
        (code::AUTHOR_MISSING, None),
        (code::ENCLOSURE_LENGTH_MISSING, Some("guid-1")),
        (code::SERIAL_WITHOUT_EPISODE_NUMBERS, Some("guid-3")),
        (code::ENCLOSURE_TYPE_REJECTED, Some("guid-2")),
        (code::DUPLICATE_ENCLOSURE_URL, Some("guid-2")),
    ];
    assert_eq!(codes(&ws), want);
    // Deterministic: the input order does not matter.
    es.reverse();
    assert_eq!(run(&s, &es), ws);
}

#[test]
fn serializes_without_null_guid() {
    let w = Warning::show(code::EMPTY_SHOW, "m".into());
    let json = serde_json::to_string(&w).unwrap();
    assert_eq!(json, r#"{"code":"empty_show","message":"m"}"#);
    let w = Warning::episode(code::DUPLICATE_GUID, "m".into(), "g");
    let json = serde_json::to_string(&w).unwrap();
    assert_eq!(
        json,
        r#"{"code":"duplicate_guid","message":"m","episode_guid":"g"}"#
    );
}

#[test]
fn urls_that_do_not_render_are_not_checked() {
    let mut s = show();
    s.persons[0].name = String::new();
    s.persons[0].img = Some("http://example.com/ann.jpg".into());
    s.podroll[0].feed_guid = " ".into();
    s.podroll[0].feed_url = Some("http://example.com/other.xml".into());
    s.license.as_mut().unwrap().name = String::new();
    s.license.as_mut().unwrap().url = Some("http://example.com/l".into());
    let mut es = eps();
    es[0].alternate_enclosures[0].mime_type = String::new();
    es[0].alternate_enclosures[0].sources[0] = "http://cdn.example.com/1.opus".into();
    es[1].alternate_enclosures[0].sources[0] = "magnet:?xt=urn:btih:c4ca4238".into();
    assert_eq!(run(&s, &es), []);
}
