//! Importing real feeds: podpub's own (a round trip), and podcastparser's collection of quirks,
//! checked against podcastparser's own reading of each.

use std::path::{Path, PathBuf};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use url::Url;
use wiremock::{matchers::path_regex, Mock, MockServer, Request, ResponseTemplate};

use crate::import::import;
use crate::kit::app::{spawn_app, spawn_app_with, TestApp, TestUser};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/feeds/podcastparser")
}

async fn get_json(app: &TestApp, user: &TestUser, path: &str) -> Value {
    let (status, body) = app.api(Method::GET, path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

/// The items of a rendered feed, as bytes: everything from the first `<item>` on.
fn items(xml: &str) -> &str {
    &xml[xml.find("<item>").expect("the feed has items")..]
}

fn tag<'a>(xml: &'a str, name: &str) -> &'a str {
    let open = format!("<{name}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no <{name}>")) + open.len();
    &xml[start..start + xml[start..].find('<').unwrap()]
}

#[tokio::test]
async fn a_feed_podpub_rendered_imports_and_renders_the_same_episodes() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(
        &user,
        "original",
        json!({
            "link": "https://show.example.com/",
            "copyright": "© 2026 Host",
            "categories": [{"name": "Technology"}, {"name": "Society & Culture", "sub": "Documentary"}],
            "explicit": true,
            "type": "serial",
            "funding": [{"url": "https://donate.example.com/", "label": "Support & thanks"}],
            "medium": "podcast",
            "persons": [{"name": "Ann", "role": "host", "href": "https://ann.example.com/"}],
            "location": {"name": "Austin, TX", "geo": "geo:30.2672,97.7431", "osm": "R113314"},
            "license": {"name": "cc-by-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "txt": [{"purpose": "verify", "value": "abc123"}],
            "trailers": [{"title": "Soon", "url": "https://example.com/t.mp3",
                          "pubdate": "2026-01-01T00:00:00Z", "type": "audio/mpeg", "length": 5}],
            "podroll": [{"feed_guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810"}],
            "podping": true,
        }),
    )
    .await;
    let episodes = [
        json!({"title": "Pilot & <intro>", "guid": "tag:example.com,2020:1", "season": 1, "episode": 1,
               "duration_seconds": 3723, "publish_at": "2020-07-06T04:00:00Z", "episode_type": "trailer",
               "description": "<p>Notes with <a href=\"https://x.example.com/\">a link</a></p>",
               "enclosure": {"url": "https://cdn.example.com/1.mp3?x=1&y=2", "length": 1234, "type": "audio/mpeg"}}),
        json!({"title": "Second", "season": 1, "episode": 2, "duration_seconds": 59, "explicit": false,
               "publish_at": "2020-07-13T04:00:00Z", "image_url": "https://cdn.example.com/2.jpg",
               "transcript_url": "https://cdn.example.com/2.vtt", "transcript_type": "text/vtt",
               "chapters_url": "https://cdn.example.com/2.json",
               "persons": [{"name": "Guest", "role": "guest"}],
               "alternate_enclosures": [{"type": "audio/opus", "length": 99, "bitrate": 64000.0,
                   "sources": ["https://cdn.example.com/2.opus"]}],
               "enclosure": {"url": "https://cdn.example.com/2.m4a", "length": 99999, "type": "audio/x-m4a"}}),
        json!({"title": "Bonus", "season": 2, "episode": 3, "duration_seconds": 0, "episode_type": "bonus",
               "description": "", "publish_at": "2021-01-01T00:00:00Z",
               "enclosure": {"url": "https://cdn.example.com/3.mp4", "length": 5, "type": "video/mp4"}}),
    ];
    for episode in episodes {
        app.post_episode(&user, "original", episode).await;
    }
    app.run_pending_jobs().await;
    let original = app.feed_xml("original").await.unwrap();

    let (status, body) = import(&app, &user, json!({ "rss": original, "slug": "moved-in" })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["import"]["items_skipped"], 0);
    app.run_pending_jobs().await;
    let moved = app.feed_xml("moved-in").await.unwrap();

    assert_eq!(
        items(&moved),
        items(&original),
        "every item renders byte for byte the same"
    );
    assert_eq!(tag(&moved, "podcast:guid"), tag(&original, "podcast:guid"));
    let shown = |v: &Value| {
        let mut v = v.clone();
        for key in [
            "id",
            "slug",
            "feed_url",
            "revision",
            "created_at",
            "updated_at",
        ] {
            v.as_object_mut().unwrap().remove(key);
        }
        v
    };
    let before = get_json(&app, &user, "/shows/original").await;
    let after = get_json(&app, &user, "/shows/moved-in").await;
    assert_eq!(
        shown(&after),
        shown(&before),
        "the show's fields come across unchanged"
    );
    let list = |slug: &str| format!("/shows/{slug}/episodes");
    let strip = |list: Value| -> Vec<Value> {
        let mut items = list["items"].as_array().unwrap().clone();
        for e in &mut items {
            for key in ["id", "created_at", "updated_at"] {
                e.as_object_mut().unwrap().remove(key);
            }
        }
        items
    };
    let before = strip(get_json(&app, &user, &list("original")).await);
    let after = strip(get_json(&app, &user, &list("moved-in")).await);
    assert_eq!(after, before, "every episode field comes across unchanged");
}

/// What the import of one podcastparser feed must give.
enum Expect {
    Show,
    Refused(&'static str),
}

fn expectation(name: &str, xml: &str) -> Expect {
    match name {
        "podcast_locked_feed" => Expect::Refused("feed_locked"),
        "redirect_new_location" => Expect::Refused("feed_moved"),
        _ if xml.contains("<feed") => Expect::Refused("feed_not_rss"),
        _ => Expect::Show,
    }
}

fn same_url(a: &str, b: &str) -> bool {
    match (Url::parse(a), Url::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Checks the imported show against podcastparser's reading `pp` (its URLs made to point at the
/// test server, `base`).
async fn check_against_podcastparser(
    app: &TestApp,
    user: &TestUser,
    name: &str,
    slug: &str,
    pp: &Value,
) {
    let show = get_json(app, user, &format!("/shows/{slug}")).await;
    let ctx = |what: &str| format!("{name}: {what}");
    assert_eq!(show["title"], pp["title"], "{}", ctx("title"));
    let same = |ours: &Value, theirs: &Value| match (ours.as_str(), theirs.as_str()) {
        (Some(a), Some(b)) => same_url(a, b),
        _ => ours == theirs,
    };
    for (ours, theirs) in [
        ("image_url", "cover_url"),
        ("link", "link"),
        ("author", "itunes_author"),
    ] {
        if !pp[theirs].is_null() {
            assert!(
                same(&show[ours], &pp[theirs]),
                "{}: {} vs {}",
                ctx(ours),
                show[ours],
                pp[theirs]
            );
        }
    }
    for key in ["description", "language", "explicit"] {
        if !pp[key].is_null() {
            assert_eq!(show[key], pp[key], "{}", ctx(key));
        }
    }
    assert_eq!(
        show["type"],
        pp.get("type").cloned().unwrap_or(json!("episodic")),
        "{}",
        ctx("type")
    );
    if let Some(owner) = pp.get("itunes_owner") {
        assert_eq!(show["owner_name"], owner["name"], "{}", ctx("owner"));
        assert_eq!(
            show["owner_email"],
            owner.get("email").cloned().unwrap_or(Value::Null)
        );
    }
    if let Some(url) = pp.get("funding_url").or(pp.get("payment_url")) {
        assert!(same(&show["funding"][0]["url"], url), "{}", ctx("funding"));
    }
    if let Some(cats) = pp["itunes_categories"].as_array() {
        let expected: Vec<Value> = cats
            .iter()
            .map(|path| {
                let names: Vec<&str> = path
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|n| n.as_str())
                    .filter(|n| !n.is_empty())
                    .collect();
                match names.get(1) {
                    Some(sub) => json!({"name": names[0], "sub": sub}),
                    None => json!({"name": names[0]}),
                }
            })
            .collect();
        assert_eq!(show["categories"], json!(expected), "{}", ctx("categories"));
    }

    let ours = get_json(app, user, &format!("/shows/{slug}/episodes?limit=500")).await;
    let ours = ours["items"].as_array().unwrap();
    let theirs: Vec<&Value> = pp["episodes"].as_array().unwrap().iter().collect();
    let playable: Vec<&&Value> = theirs
        .iter()
        .filter(|e| !e["enclosures"].as_array().unwrap().is_empty())
        .collect();
    // podcastparser's own test read max_episodes.rss with max_episodes=1.
    if name == "max_episodes" {
        assert!(ours.len() > playable.len(), "{}", ctx("episode count"));
    } else {
        assert_eq!(ours.len(), playable.len(), "{}", ctx("episode count"));
    }
    for pe in playable {
        let guid = pe["guid"].as_str().unwrap();
        // podcastparser resolves a relative isPermaLink guid against the feed; podpub keeps guids
        // verbatim, as apps compare them.
        let e = ours
            .iter()
            .find(|e| e["guid"] == guid)
            .or_else(|| {
                ours.iter()
                    .find(|e| name == "permalink" && e["guid"] == "episode/1/")
            })
            .unwrap_or_else(|| panic!("{}", ctx(&format!("no episode with guid {guid}"))));
        assert_eq!(e["title"], pe["title"], "{}", ctx("episode title"));
        let url = e["enclosure"]["url"].as_str().unwrap();
        let enclosure = pe["enclosures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|enc| same_url(enc["url"].as_str().unwrap(), url))
            .unwrap_or_else(|| {
                panic!(
                    "{}",
                    ctx(&format!("enclosure {url} is not podcastparser's"))
                )
            });
        let size = enclosure["file_size"].as_i64().unwrap().max(0);
        assert_eq!(
            e["enclosure"]["length"],
            size,
            "{}",
            ctx("enclosure length")
        );
        if enclosure["mime_type"] != "application/octet-stream" {
            assert_eq!(
                e["enclosure"]["type"],
                enclosure["mime_type"],
                "{}",
                ctx("enclosure type")
            );
        }
        assert_eq!(
            e["duration_seconds"].as_i64().unwrap_or(0),
            pe["total_time"].as_i64().unwrap(),
            "{}",
            ctx("duration")
        );
        let published = pe["published"].as_i64().unwrap();
        if published != 0 {
            let at =
                chrono::DateTime::parse_from_rfc3339(e["publish_at"].as_str().unwrap()).unwrap();
            assert_eq!(at.timestamp(), published, "{}", ctx("pubDate"));
        }
        for (key, theirs) in [
            ("season", "season"),
            ("episode", "number"),
            ("episode_type", "type"),
            ("explicit", "explicit"),
        ] {
            if let Some(v) = pe.get(theirs).filter(|v| !v.is_null()) {
                assert_eq!(&e[key], v, "{}", ctx(key));
            }
        }
        let html = pe
            .get("description_html")
            .or(pe.get("description"))
            .and_then(Value::as_str);
        if let Some(html) = html.filter(|h| !h.is_empty()) {
            assert_eq!(e["description"], html, "{}", ctx("description"));
        }
        for (key, theirs) in [
            ("image_url", "episode_art_url"),
            ("transcript_url", "transcript_url"),
            ("chapters_url", "chapters_json_url"),
        ] {
            if let Some(v) = pe.get(theirs) {
                assert!(same(&e[key], v), "{}", ctx(key));
            }
        }
        for (i, p) in pe["persons"].as_array().into_iter().flatten().enumerate() {
            let person = &e["persons"][i];
            assert_eq!(person["name"], p["name"], "{}", ctx("persons"));
            assert!(same(&person["href"], &p["href"]), "{}", ctx("persons"));
            let img = person.get("img").cloned().unwrap_or(Value::Null);
            assert!(same(&img, &p["img"]), "{}", ctx("persons"));
        }
    }
}

#[tokio::test]
async fn every_podcastparser_quirk_feed_imports_as_podcastparser_reads_it_or_fails_clearly() {
    let dir = testdata();
    let files = dir.clone();
    let server = MockServer::start().await;
    Mock::given(path_regex("^/tests/data/[^/]+$"))
        .respond_with(move |request: &Request| {
            let file = request.url.path().rsplit('/').next().unwrap_or_default();
            match std::fs::read(files.join(file)) {
                Ok(bytes) => ResponseTemplate::new(200).set_body_bytes(bytes),
                Err(_) => ResponseTemplate::new(404),
            }
        })
        .mount(&server)
        .await;
    let host = server.uri();
    let app = spawn_app_with(false, &[("PODPUB_IMPORT_ALLOW_PRIVATE", "true")]).await;
    let user = app.create_user(false).await;
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the testdata lives in ../shared beside the repository)",
                dir.display()
            )
        })
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .into_string()
                .ok()?
                .strip_suffix(".rss")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(
        names.len() >= 60,
        "only {} feeds in {}",
        names.len(),
        dir.display()
    );
    for name in &names {
        let xml = std::fs::read_to_string(dir.join(format!("{name}.rss"))).unwrap();
        let slug = name.replace('_', "-").to_lowercase();
        let url = format!("{host}/tests/data/{name}.rss");
        let (status, body) = import(&app, &user, json!({ "url": url, "slug": slug })).await;
        match expectation(name, &xml) {
            Expect::Refused(code) => {
                assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {body}");
                assert_eq!(body["error"]["code"], code, "{name}: {body}");
            }
            Expect::Show => {
                assert_eq!(status, StatusCode::CREATED, "{name}: {body}");
                let json = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
                let json = json
                    .replace("file://tests/data/", &format!("{host}/tests/data/"))
                    .replace("file://tests/", &format!("{host}/tests/"));
                let pp: Value = serde_json::from_str(&json).unwrap();
                check_against_podcastparser(&app, &user, name, &slug, &pp).await;
                let skipped = pp["episodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| e["enclosures"].as_array().unwrap().is_empty())
                    .count();
                let reported = body["import"]["report"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| e["code"] == "item_skipped_no_enclosure")
                    .count();
                assert_eq!(
                    reported, skipped,
                    "{name}: items without an enclosure are reported: {body}"
                );
                if pp.get("new_url").is_some() {
                    assert!(
                        body.to_string().contains("new_feed_url_ignored"),
                        "{name}: {body}"
                    );
                }
            }
        }
    }
    app.run_pending_jobs().await;
}

#[tokio::test]
async fn messy_real_world_markup_imports() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \"http://my.netscape.com/publish/formats/rss-0.91.dtd\">
<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\">
<channel>
  <title><![CDATA[Tom &amp; Jerry's <Show>]]></title>
  <description>Caf&eacute; talk &mdash; &#8220;quoted&#8221; &amp; more&nbsp;</description>
  <itunes:category text=\"Arts\"><itunes:category text=\"Books\"/></itunes:category>
  <item>
    <title>Episode &#x31; &amp; friends</title>
    <description><![CDATA[<p>Show notes <b>bold</b></p>]]></description>
    <enclosure url=\"https://cdn.example.com/a%20b.mp3\" length=\"12\" type=\"audio/mpeg\" />
    <guid>https://old.example.com/?p=1</guid>
    <pubDate>Sun, 5 Jul 2020 23:00:00 PDT</pubDate>
    <itunes:duration>1:01:01</itunes:duration>
  </item>
  <item>
    <title>Sloppy</title>
    <enclosure url=\"https://cdn.example.com/b.mp3\"/>
    <pubDate>Monday, July 6, 2020 4:05 PM CEST</pubDate>
    <itunes:duration>45:00</itunes:duration>
  </item>
</channel>
</rss>";
    let (status, body) = import(&app, &user, json!({ "rss": xml })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["title"], "Tom &amp; Jerry's <Show>");
    assert_eq!(body["description"], "Café talk — “quoted” & more");
    assert_eq!(
        body["categories"],
        json!([{"name": "Arts", "sub": "Books"}])
    );
    let list = get_json(
        &app,
        &user,
        &format!("/shows/{}/episodes", body["slug"].as_str().unwrap()),
    )
    .await;
    let e: Vec<(Value, Value, Value, Value)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["title"].clone(),
                e["guid"].clone(),
                e["publish_at"].clone(),
                e["duration_seconds"].clone(),
            )
        })
        .collect();
    assert_eq!(
        e,
        [
            (
                json!("Sloppy"),
                json!("https://cdn.example.com/b.mp3"),
                json!("2020-07-06T14:05:00Z"),
                json!(2700)
            ),
            (
                json!("Episode 1 & friends"),
                json!("https://old.example.com/?p=1"),
                json!("2020-07-06T06:00:00Z"),
                json!(3661)
            ),
        ]
    );
}

#[tokio::test]
async fn quirk_feeds_also_import_when_posted_without_a_url() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let xml = std::fs::read_to_string(testdata().join("relative.rss")).unwrap();
    let (status, body) = import(&app, &user, json!({ "rss": xml })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["import"]["items_skipped"], 1,
        "a relative enclosure has nothing to resolve against"
    );
    assert!(
        body.to_string().contains("item_skipped_invalid_enclosure"),
        "{body}"
    );
}
