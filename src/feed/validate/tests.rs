use super::code::*;
use super::*;
use crate::domain::{
    AlternateEnclosure, Category, EpisodeFields, EpisodeStatus, Funding, RemoteItem, ShowFields,
    Trailer,
};
use chrono::TimeZone;

fn t(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap()
}

const NOW: u32 = 20;

fn some(s: &str) -> Option<String> {
    Some(s.into())
}

fn cat(name: &str, sub: Option<&str>) -> Category {
    let (name, sub) = (name.into(), sub.map(Into::into));
    Category { name, sub }
}

fn person() -> Person {
    let mut p = Person::default();
    (p.name, p.role) = ("Ann".into(), some("host"));
    (p.img, p.href) = (some("https://a.example/p.jpg"), some("https://a.example/"));
    p
}

fn license() -> Option<License> {
    Some(License {
        name: "my-license".into(),
        url: some("https://a.example/license"),
    })
}

/// A show using every feature, with nothing to warn about.
fn show() -> FeedShow {
    let mut fields = ShowFields {
        title: "Show".into(),
        description: "<p>About</p>".into(),
        description_markdown: None,
        author: some("Ann"),
        owner_name: some("Ann"),
        owner_email: some("ann@example.com"),
        language: "en-us".into(),
        categories: vec![
            cat("Society & Culture", Some("Documentary")),
            cat("Technology", None),
        ],
        show_type: ShowType::Serial,
        image_url: some("https://a.example/art.jpg"),
        funding: vec![Funding {
            url: "https://a.example/give".into(),
            label: "Give".into(),
        }],
        ..ShowFields::default()
    };
    fields.extras.persons = vec![person()];
    fields.extras.license = license();
    fields.extras.trailers = vec![Trailer {
        title: "Trailer".into(),
        url: "https://a.example/trailer.mp3".into(),
        pubdate: t(1),
        ..Default::default()
    }];
    fields.extras.podroll = vec![RemoteItem {
        feed_guid: "917393e3-1b1e-5cef-ace4-edaa54e1f810".into(),
        feed_url: some("https://a.example/other.xml"),
    }];
    FeedShow {
        fields,
        image_size: Some((3000, 3000)),
        feed_url: "https://feeds.example.com/show/feed.xml".into(),
        ..Default::default()
    }
}

fn ep(n: i32, day: u32) -> Episode {
    let mut fields = EpisodeFields {
        guid: format!("guid-{n}"),
        title: format!("Episode {n}"),
        description: "<p>Notes</p>".into(),
        enclosure_url: format!("https://cdn.example.com/{n}.mp3"),
        enclosure_length: 1234,
        enclosure_type: "audio/mpeg".into(),
        episode: Some(n),
        season: Some(1),
        transcript_url: Some(format!("https://a.example/{n}.vtt")),
        transcript_type: some("text/vtt"),
        chapters_url: Some(format!("https://a.example/{n}.json")),
        publish_at: t(day),
        ..EpisodeFields::default()
    };
    fields.extras.persons = vec![person()];
    fields.extras.license = license();
    fields.extras.alternate_enclosures = vec![AlternateEnclosure {
        mime_type: "audio/opus".into(),
        sources: vec![
            format!("https://cdn.example.com/{n}.opus"),
            "ipfs://QmdwGqd3d2gFPGeJNLLCshdiPert45fMu84552Y4XHTy4y".into(),
        ],
        ..Default::default()
    }];
    Episode {
        fields,
        updated_at: t(day),
        ..Episode::default()
    }
}

fn eps() -> Vec<Episode> {
    vec![ep(1, 1), ep(2, 8), ep(3, 15)]
}

fn run(show: &FeedShow, eps: &[Episode]) -> Vec<Warning> {
    warnings(show, eps, t(NOW))
}

/// (code, episode guid) of each warning.
fn codes(ws: &[Warning]) -> Vec<(&'static str, Option<&str>)> {
    let pairs = ws.iter().map(|w| (w.code, w.episode_guid.as_deref()));
    pairs.collect()
}

/// The episode guids of the warnings with `code`.
fn only<'a>(ws: &'a [Warning], code: &str) -> Vec<Option<&'a str>> {
    let hits = ws.iter().filter(|w| w.code == code);
    hits.map(|w| w.episode_guid.as_deref()).collect()
}

#[track_caller]
fn says(w: &Warning, part: &str) {
    assert!(w.message.contains(part), "{part:?} not in {:?}", w.message);
}

#[test]
fn clean_full_featured_show_has_no_warnings() {
    assert_eq!(run(&show(), &eps()), []);
    let mut s = show();
    s.fields.show_type = ShowType::Episodic;
    s.image_size = Some((1400, 1400));
    let mut es = eps();
    let kinds = ["audio/x-m4a", "video/mp4", "application/pdf"];
    for (e, kind) in es.iter_mut().zip(kinds) {
        (e.fields.enclosure_type, e.fields.episode) = (kind.into(), None);
    }
    assert_eq!(run(&s, &es), []);
}

#[test]
fn artwork_missing_or_wrong_size() {
    let mut s = show();
    s.fields.image_url = None;
    assert_eq!(only(&run(&s, &eps()), ARTWORK_MISSING), [None]);
    s.fields.image_url = some("  ");
    let ws = run(&s, &eps());
    assert_eq!(codes(&ws), [(ARTWORK_MISSING, None)]);
    says(&ws[0], "1400");
    for size in [(1399, 1399), (3001, 3001), (2000, 1500), (500, 500)] {
        let mut s = show();
        s.image_size = Some(size);
        let ws = run(&s, &eps());
        assert_eq!(codes(&ws), [(ARTWORK_SIZE, None)], "{size:?}");
        says(&ws[0], "3000");
    }
    let mut s = show();
    s.image_size = None;
    assert_eq!(run(&s, &eps()), []);
    s.image_not_rgb = Some("The artwork is CMYK; Apple wants RGB.".into());
    let ws = run(&s, &eps());
    assert_eq!(codes(&ws), [(ARTWORK_NOT_RGB, None)]);
    says(&ws[0], "CMYK");
    says(&ws[0], "upload it again");
}

#[test]
fn category_missing_or_unknown() {
    let mut s = show();
    s.fields.categories.clear();
    assert_eq!(codes(&run(&s, &eps())), [(CATEGORY_MISSING, None)]);
    s.fields.categories = vec![cat("", None)];
    assert_eq!(codes(&run(&s, &eps())), [(CATEGORY_MISSING, None)]);
    s.fields.categories = vec![
        cat("Society and Culture", None),
        cat("Technology", Some("Gadgets")),
        cat("technology", None),
        cat("Arts", Some("")),
    ];
    let ws = run(&s, &eps());
    assert_eq!(codes(&ws), [(CATEGORY_UNKNOWN, None); 3]);
    says(&ws[0], "\"Society and Culture\"");
    says(&ws[1], "\"Technology > Gadgets\"");
    says(&ws[2], "Spell the category \"Technology\"");
}

#[test]
fn enclosure_type_rejected_or_length_missing() {
    let mut es = eps();
    es[0].fields.enclosure_type = "audio/ogg".into();
    es[1].fields.enclosure_type = String::new();
    es[2].fields.enclosure_type = "Audio/MPEG".into();
    let ws = run(&show(), &es);
    let want = [Some("guid-2"), Some("guid-1")];
    assert_eq!(only(&ws, ENCLOSURE_TYPE_REJECTED), want);
    says(&ws[1], "audio/ogg");
    says(&ws[1], "audio/x-m4a");
    let mut es = eps();
    es[1].fields.enclosure_length = 0;
    let ws = run(&show(), &es);
    assert_eq!(codes(&ws), [(ENCLOSURE_LENGTH_MISSING, Some("guid-2"))]);
}

#[test]
fn description_and_title_too_long() {
    let mut s = show();
    s.fields.description = "é".repeat(2001);
    s.fields.title = "x".repeat(256);
    let mut es = eps();
    es[2].fields.description = "x".repeat(4001);
    es[1].fields.description = "x".repeat(4000);
    es[0].fields.title = "é".repeat(255);
    es[1].fields.title = "é".repeat(256);
    let ws = run(&s, &es);
    assert_eq!(only(&ws, DESCRIPTION_TOO_LONG), [None, Some("guid-3")]);
    assert_eq!(only(&ws, TITLE_TOO_LONG), [None, Some("guid-2")]);
    says(&ws[0], "at most 4000 bytes");
    says(&ws[0], "4002 bytes");
    says(&ws[1], "at most 255 characters");
}

#[test]
fn serial_without_episode_numbers() {
    let mut es = eps();
    es[0].fields.episode = None;
    es[2].fields.episode = None;
    let ws = run(&show(), &es);
    let hits = only(&ws, SERIAL_WITHOUT_EPISODE_NUMBERS);
    assert_eq!(hits, [Some("guid-3"), Some("guid-1")]);
    let mut s = show();
    s.fields.show_type = ShowType::Episodic;
    assert_eq!(run(&s, &es), []);
}

#[test]
fn duplicate_enclosure_url_and_guid() {
    let mut es = eps();
    es[0].fields.enclosure_url = es[2].fields.enclosure_url.clone();
    es[1].fields.enclosure_url = es[2].fields.enclosure_url.clone();
    let ws = run(&show(), &es);
    let want = [Some("guid-2"), Some("guid-1")];
    assert_eq!(only(&ws, DUPLICATE_ENCLOSURE_URL), want);
    let mut es = eps();
    es[0].fields.guid = "guid-3".into();
    let ws = run(&show(), &es);
    // The older of the two is the duplicate; its message names the guid.
    assert_eq!(codes(&ws), [(DUPLICATE_GUID, Some("guid-3"))]);
    says(&ws[0], "\"guid-3\"");
}

#[test]
fn podcast_tag_not_https() {
    let mut s = show();
    s.fields.funding[0].url = "http://a.example/give".into();
    s.fields.extras.persons[0].img = some("http://a.example/p.jpg");
    s.fields.extras.trailers[0].url = "http://a.example/trailer.mp3".into();
    s.fields.extras.podroll[0].feed_url = some("HTTP://a.example/other.xml");
    s.fields.extras.license.as_mut().unwrap().url = some("ftp://a.example/l");
    let mut es = eps();
    es[2].fields.transcript_url = some("http://a.example/3.vtt");
    es[2].fields.chapters_url = some("http://a.example/3.json");
    es[2].fields.extras.persons[0].href = some("http://a.example/");
    es[2].fields.extras.alternate_enclosures[0].sources[0] = "http://a.example/3.opus".into();
    es[1].fields.extras.license.as_mut().unwrap().url = some("http://a.example/l");
    let ws = run(&s, &es);
    let mut want = vec![None; 5];
    want.extend([Some("guid-3"); 4]);
    want.push(Some("guid-2"));
    assert_eq!(only(&ws, PODCAST_TAG_NOT_HTTPS), want);
    assert_eq!(ws.len(), 10);
    let tags = "funding,person img,license,trailer,remoteItem feedUrl,transcript,\
                chapters,person href,alternateEnclosure source,license";
    for (w, tag) in ws.iter().zip(tags.split(',')) {
        says(w, &format!("in podcast:{tag}:"));
    }
    says(&ws[0], "\"http://a.example/give\"");
    // https in any case, and p2p sources of alternate enclosures, are fine.
    let mut s = show();
    s.fields.funding[0].url = "HTTPS://a.example/give".into();
    let mut es = eps();
    es[1].fields.extras.alternate_enclosures[0].sources[0] = "magnet:?xt=urn:btih:c4ca4238".into();
    assert_eq!(run(&s, &es), []);
}

#[test]
fn urls_that_do_not_render_are_not_checked() {
    let mut s = show();
    s.fields.extras.persons[0].name = String::new();
    s.fields.extras.persons[0].img = some("http://a.example/p.jpg");
    s.fields.extras.podroll[0].feed_guid = " ".into();
    s.fields.extras.podroll[0].feed_url = some("http://a.example/other.xml");
    let l = s.fields.extras.license.as_mut().unwrap();
    (l.name, l.url) = (String::new(), some("http://a.example/l"));
    let mut es = eps();
    es[0].fields.extras.alternate_enclosures[0].mime_type = String::new();
    es[0].fields.extras.alternate_enclosures[0].sources[0] = "http://a.example/1.opus".into();
    assert_eq!(run(&s, &es), []);
}

#[test]
fn author_and_owner_email_missing() {
    let mut s = show();
    s.fields.author = None;
    s.fields.owner_email = some(" ");
    let ws = run(&s, &eps());
    let want = [(AUTHOR_MISSING, None), (OWNER_EMAIL_MISSING, None)];
    assert_eq!(codes(&ws), want);
    says(&ws[1], "verify");
}

#[test]
fn empty_show_counts_only_included_episodes() {
    assert_eq!(codes(&run(&show(), &[])), [(EMPTY_SHOW, None)]);
    let mut es = eps();
    es[0].fields.status = EpisodeStatus::Draft;
    es[1].fields.publish_at = t(NOW + 1);
    es[2].fields.publish_at = t(NOW + 2);
    // Problems in episodes that are not published yet do not count.
    es[1].fields.enclosure_length = 0;
    es[2].fields.guid = "guid-1".into();
    assert_eq!(codes(&run(&show(), &es)), [(EMPTY_SHOW, None)]);
    // Once guid-2 is out, its problem counts; the other two are still unpublished.
    let ws = warnings(&show(), &es, t(NOW + 1));
    assert_eq!(codes(&ws), [(ENCLOSURE_LENGTH_MISSING, Some("guid-2"))]);
}

#[test]
fn order_is_show_first_then_episodes_newest_first() {
    let mut s = show();
    s.fields.image_url = None;
    s.fields.author = None;
    s.fields.categories.clear();
    s.fields.title = "x".repeat(300);
    let mut es = eps();
    // Same publish time as guid-3: the guid breaks the tie, as in render.
    es[0].fields.publish_at = t(15);
    es[0].fields.enclosure_length = 0;
    es[0].fields.enclosure_url = es[1].fields.enclosure_url.clone();
    es[1].fields.enclosure_type = "audio/wav".into();
    es[2].fields.episode = None;
    let ws = run(&s, &es);
    let want = [
        (ARTWORK_MISSING, None),
        (CATEGORY_MISSING, None),
        (TITLE_TOO_LONG, None),
        (AUTHOR_MISSING, None),
        (ENCLOSURE_LENGTH_MISSING, Some("guid-1")),
        (SERIAL_WITHOUT_EPISODE_NUMBERS, Some("guid-3")),
        (ENCLOSURE_TYPE_REJECTED, Some("guid-2")),
        (DUPLICATE_ENCLOSURE_URL, Some("guid-2")),
    ];
    assert_eq!(codes(&ws), want);
    // Deterministic: the input order does not matter.
    es.reverse();
    assert_eq!(run(&s, &es), ws);
}

#[test]
fn serializes_without_null_guid() {
    let mut es = eps();
    es[0].fields.enclosure_length = 0;
    let ws = run(&show(), &es).into_iter().chain(run(&show(), &[]));
    let json: Vec<_> = ws.map(|w| serde_json::to_value(w).unwrap()).collect();
    assert_eq!(json[0]["code"], "enclosure_length_missing");
    assert_eq!(json[0]["episode_guid"], "guid-1");
    assert_eq!(json[1]["code"], "empty_show");
    assert!(json[1]["message"].is_string() && json[1].get("episode_guid").is_none());
}

#[test]
fn a_move_announced_to_an_http_url_is_warned_about() {
    let mut s = show();
    s.new_feed_url = some("http://elsewhere.example/feed.xml");
    let ws = run(&s, &eps());
    assert_eq!(codes(&ws), [(PODCAST_TAG_NOT_HTTPS, None)]);
    says(&ws[0], "in itunes:new-feed-url:");
    s.new_feed_url = some("https://elsewhere.example/feed.xml");
    assert_eq!(run(&s, &eps()), []);
}
