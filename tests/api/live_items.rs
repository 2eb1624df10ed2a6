//! Live items (`podcast:liveItem`): set through the API, published with a status that follows
//! their start and end on its own, warned about, checked, and imported.

use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::{
    app::{spawn_app, spawn_app_with},
    python::{feedcheck, xsdcheck},
};

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A live item with everything the spec's complete example has.
fn stream(start: DateTime<Utc>, end: DateTime<Utc>) -> Value {
    json!({
        "guid": "https://example.com/live",
        "title": "Podcasting 2.0 Live Show",
        "description": "A look into the future of podcasting & how we get to Podcasting 2.0!",
        "link": "https://example.com/podcast/live",
        "start": iso(start),
        "end": iso(end),
        "enclosure": {"url": "https://example.com/pc20/livestream?format=.mp3", "type": "audio/mpeg",
                      "length": 312},
        "alternate_enclosures": [{"type": "audio/mpeg", "length": 312, "default": true,
                                  "sources": ["https://example.com/pc20/livestream"]}],
        "content_links": [{"href": "https://www.youtube.com/pc20/livestream", "text": "YouTube!"},
                          {"href": "https://example.com/html/livestream", "text": "Listen Live!"}],
        "persons": [{"name": "Adam Curry", "href": "https://www.podchaser.com/creators/adam-curry-107ZzmWE5f"},
                    {"name": "Dave Jones", "role": "guest"}],
        "chat": {"server": "irc.zeronode.net", "protocol": "irc", "space": "#podcasting20"},
    })
}

/// The `podcast:liveItem` start tag of the feed, if it has one.
fn live_tag(xml: &str) -> Option<&str> {
    let start = xml.find("<podcast:liveItem ")?;
    let end = start + xml[start..].find('>')?;
    Some(&xml[start..=end])
}

#[tokio::test]
async fn a_live_item_is_published_whole_and_passes_the_schema_and_the_parsers() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let now = Utc::now();
    let start = now - chrono::Duration::minutes(10);
    let end = now + chrono::Duration::hours(1);
    let body = json!({"title": "Live & Co", "live_items": [stream(start, end)]});
    let show = app.post_show(&user, "live", body).await;
    assert_eq!(show["live_items"][0]["guid"], "https://example.com/live");
    assert!(show["live_items"][0].get("status").is_none(), "{show}");
    app.post_episode(&user, "live", json!({"title": "Ep 1"}))
        .await;
    app.run_pending_jobs().await;
    let xml = app.feed_xml("live").await.unwrap();
    let open = format!(
        r#"<podcast:liveItem status="live" start="{}" end="{}">"#,
        iso(start),
        iso(end)
    );
    for expected in [
        open.as_str(),
        "<title>Podcasting 2.0 Live Show</title>",
        "<description><![CDATA[A look into the future of podcasting & how we get to Podcasting 2.0!]]></description>",
        "<link>https://example.com/podcast/live</link>",
        r#"<guid isPermaLink="false">https://example.com/live</guid>"#,
        r#"<enclosure url="https://example.com/pc20/livestream?format=.mp3" length="312" type="audio/mpeg"/>"#,
        r#"<podcast:alternateEnclosure type="audio/mpeg" length="312" default="true">"#,
        r#"<podcast:contentLink href="https://www.youtube.com/pc20/livestream">YouTube!</podcast:contentLink>"#,
        r#"<podcast:person role="guest">Dave Jones</podcast:person>"#,
        r##"<podcast:chat server="irc.zeronode.net" protocol="irc" space="#podcasting20"/>"##,
        "</podcast:liveItem>",
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }
    // At the top of the channel, before the episodes.
    assert!(xml.find("<podcast:liveItem").unwrap() < xml.find("<item>").unwrap());

    let report = xsdcheck(xml.as_bytes());
    assert_eq!(report["valid"], true, "{report:#}");
    assert_eq!(report["checked"]["liveItem"], 1, "{report:#}");
    let parsed = feedcheck(&xml);
    let fp = &parsed["feedparser"];
    assert_eq!(fp["bozo"], 0, "feedparser: {}", fp["bozo_exception"]);
    assert_eq!(
        fp["entries"].as_array().unwrap().len(),
        1,
        "the live item is not taken for an episode: {fp}"
    );
    let pp = &parsed["podcastparser"];
    assert!(pp.get("error").is_none(), "podcastparser: {pp}");
    assert_eq!(pp["title"], "Live & Co", "the show keeps its title: {pp}");
    assert_eq!(pp["episodes"].as_array().unwrap().len(), 1, "{pp}");

    // Complete as it is: no live-item warning.
    let codes = app.warning_codes(&user, "live").await;
    assert!(
        !codes.iter().any(|c| c.starts_with("live_item")),
        "{codes:?}"
    );
}

#[tokio::test]
async fn a_live_items_status_follows_its_start_and_end_without_a_refresh() {
    let app = spawn_app_with(true, &[]).await;
    let user = app.create_user(false).await;
    let start = Utc::now() + chrono::Duration::seconds(3);
    let end = start + chrono::Duration::seconds(3);
    let body = json!({"live_items": [stream(start, end)]});
    app.post_show(&user, "on-air", body).await;

    let status_by = |limit: Duration, wanted: &'static str| {
        let app = &app;
        async move {
            let started = Instant::now();
            while started.elapsed() < limit {
                if let Some(xml) = app.feed_xml("on-air").await {
                    if live_tag(&xml).is_some_and(|t| t.contains(wanted)) {
                        return Some(Utc::now());
                    }
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            None
        }
    };
    assert!(
        status_by(Duration::from_secs(2), r#"status="pending""#)
            .await
            .is_some(),
        "announced as pending before it starts"
    );
    assert!(
        Utc::now() < start,
        "test machine too slow to see it pending"
    );
    let live_at = status_by(Duration::from_secs(6), r#"status="live""#).await;
    let live_at = live_at.expect("live at its start, with no refresh");
    assert!(live_at >= start, "live before its start");
    assert!(
        live_at - start < chrono::Duration::seconds(2),
        "live {} after its start",
        live_at - start
    );
    let ended_at = status_by(Duration::from_secs(6), r#"status="ended""#).await;
    let ended_at = ended_at.expect("ended at its end, with no refresh");
    assert!(ended_at - end < chrono::Duration::seconds(2));
}

#[tokio::test]
async fn a_status_set_by_hand_wins_and_a_live_item_without_a_start_stays_out() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let now = Utc::now();
    let mut ended_early = stream(
        now - chrono::Duration::minutes(5),
        now + chrono::Duration::hours(1),
    );
    ended_early["status"] = json!("ended");
    let mut forgotten = stream(
        now - chrono::Duration::hours(3),
        now - chrono::Duration::hours(1),
    );
    forgotten["guid"] = json!("forgotten");
    forgotten["title"] = json!("Still on?");
    forgotten["status"] = json!("live");
    let unplanned = json!({"title": "Someday", "content_links": []});
    let body = json!({"live_items": [ended_early, forgotten, unplanned]});
    let show = app.post_show(&user, "by-hand", body).await;
    let guid = show["live_items"][2]["guid"].as_str().unwrap();
    assert_eq!(guid.len(), 36, "a guid is made for it: {show}");
    app.run_pending_jobs().await;
    let xml = app.feed_xml("by-hand").await.unwrap();
    assert!(
        live_tag(&xml).unwrap().contains(r#"status="ended""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<podcast:liveItem status="live""#),
        "the forgotten one is still live, as set"
    );
    assert!(!xml.contains("Someday"), "no start, not published");

    let codes = app.warning_codes(&user, "by-hand").await;
    for code in [
        "live_item_overdue",
        "live_item_start_missing",
        "live_item_end_missing",
        "live_item_content_link_missing",
        "live_item_enclosure_missing",
    ] {
        assert_eq!(
            codes.iter().filter(|c| *c == code).count(),
            1,
            "{code} in {codes:?}"
        );
    }

    // A second PATCH that keeps the guid keeps the stream; a new one is a new stream.
    let (_, got) = app
        .api(Method::GET, "/shows/by-hand", Some(&user), None)
        .await;
    let mut items = got["live_items"].clone();
    items[2]["start"] = json!(iso(now + chrono::Duration::days(1)));
    let (status, patched) = app
        .api(
            Method::PATCH,
            "/shows/by-hand",
            Some(&user),
            Some(json!({"live_items": items})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert_eq!(patched["live_items"][2]["guid"], guid);
}

#[tokio::test]
async fn bad_live_items_are_refused_naming_the_item_and_nothing_changes() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let now = Utc::now();
    let good = stream(now, now + chrono::Duration::hours(1));
    app.post_show(&user, "strict-live", json!({"live_items": [good.clone()]}))
        .await;
    let with = |key: &str, value: Value| {
        let mut item = good.clone();
        item["guid"] = json!("another stream");
        item[key] = value;
        json!({"live_items": [good.clone(), item]})
    };
    let cases = [
        (
            with("end", json!(iso(now - chrono::Duration::hours(1)))),
            "live item 2: end",
        ),
        (with("title", json!("")), "live item 2: title"),
        (
            with("guid", json!("https://example.com/live")),
            "live item 2: guid",
        ),
        (
            with(
                "enclosure",
                json!({"url": "ftp://example.com/s", "type": "audio/mpeg"}),
            ),
            "live item 2: enclosure",
        ),
        (
            with(
                "content_links",
                json!([{"href": "javascript:alert(1)", "text": "x"}]),
            ),
            "live item 2: content_links",
        ),
    ];
    for (body, message) in cases {
        let (status, resp) = app
            .api(
                Method::PATCH,
                "/shows/strict-live",
                Some(&user),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {resp}");
        let got = resp["error"]["fields"]["live_items"]
            .as_str()
            .unwrap_or_default();
        assert!(got.starts_with(message), "{message}: {resp}");
        // And the field alone, for a form: `live item 2: end` is `live_items.2.end`.
        let field = message.rsplit(' ').next().unwrap();
        let key = format!("live_items.2.{field}");
        assert!(resp["error"]["fields"][&key].is_string(), "{key}: {resp}");
    }
    for body in [
        with("status", json!("on-air")),
        with("start", json!("tomorrow")),
    ] {
        let (status, resp) = app
            .api(Method::PATCH, "/shows/strict-live", Some(&user), Some(body))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    }
    let (_, show) = app
        .api(Method::GET, "/shows/strict-live", Some(&user), None)
        .await;
    assert_eq!(show["live_items"].as_array().unwrap().len(), 1, "{show}");
}

#[tokio::test]
async fn a_feed_with_live_items_imports_and_renders_them_the_same() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let now = Utc::now();
    let on_air = stream(
        now - chrono::Duration::minutes(5),
        now + chrono::Duration::hours(2),
    );
    let mut later = stream(
        now + chrono::Duration::days(2),
        now + chrono::Duration::days(2) + chrono::Duration::hours(1),
    );
    later["guid"] = json!("e32b4890-983b-4ce5-8b46-f2d6bc1d8819");
    let body = json!({"live_items": [on_air, later]});
    app.post_show(&user, "live-source", body).await;
    app.post_episode(&user, "live-source", json!({})).await;
    app.run_pending_jobs().await;
    let original = app.feed_xml("live-source").await.unwrap();

    let body = json!({ "rss": original, "slug": "live-copy" });
    let (status, report) = crate::import::import(&app, &user, body).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    app.run_pending_jobs().await;
    let copy = app.feed_xml("live-copy").await.unwrap();
    let lives = |xml: &str| {
        let from = xml.find("<podcast:liveItem").unwrap();
        let to = xml.rfind("</podcast:liveItem>").unwrap();
        xml[from..to].to_string()
    };
    assert_eq!(lives(&copy), lives(&original));
    let (_, show) = app
        .api(Method::GET, "/shows/live-copy", Some(&user), None)
        .await;
    let items = show["live_items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(
        items.iter().all(|l| l.get("status").is_none()),
        "imported statuses follow the clock: {show}"
    );
}
