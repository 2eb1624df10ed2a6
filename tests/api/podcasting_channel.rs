//! The listing tags through the API: podcast:block, updateFrequency, publisher, list feeds,
//! chat, socialInteract, itunes:block on episodes and Apple's verification code.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::spawn_app;

fn codes(state: &Value) -> Vec<&str> {
    let warnings = state["warnings"].as_array().unwrap();
    warnings
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn listing_details_round_trip_through_the_api_into_the_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show = app
        .post_show(
            &user,
            "listed",
            json!({
                "podcast_block": [{"block": true}, {"id": "Google", "block": false}],
                "update_frequency": {"text": "Weekly, starting in 2025", "rrule": "FREQ=WEEKLY",
                                     "dtstart": "2025-01-01T00:00:00.000Z"},
                "publisher": {"feed_guid": "003AF0A0-6a45-55cf-b765-68e3d349551a",
                              "feed_url": "https://example.org/publisher.xml"},
                "chat": {"server": "irc.zeronode.net", "protocol": "irc", "account_id": "@jsmith",
                         "space": "#show"},
                "social_interact": [{"protocol": "activitypub", "priority": 1,
                    "uri": "https://podcastindex.social/@dave/105079274766075912",
                    "account_id": "@dave"}],
                "apple_verify": "05124",
            }),
        )
        .await;
    assert_eq!(show["podcast_block"][1]["id"], "google", "{show}");
    assert_eq!(
        show["publisher"]["feed_guid"],
        "003af0a0-6a45-55cf-b765-68e3d349551a"
    );
    let episode = app
        .post_episode(
            &user,
            "listed",
            json!({"itunes_block": true,
                   "social_interact": [{"protocol": "disabled"}],
                   "chat": {"server": "Example.com", "protocol": "matrix", "space": "#ep1:example.com"}}),
        )
        .await;
    let path = format!("/shows/listed/episodes/{}", episode["id"].as_str().unwrap());
    let (_, fetched) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(fetched["itunes_block"], true);
    assert_eq!(fetched["social_interact"][0]["protocol"], "disabled");

    // Leaving the details out keeps them; null clears one.
    let (status, patched) = app
        .api(
            Method::PATCH,
            "/shows/listed",
            Some(&user),
            Some(json!({"title": "Listed", "chat": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    assert!(patched["chat"].is_null());
    let (_, fetched) = app
        .api(Method::GET, "/shows/listed", Some(&user), None)
        .await;
    assert_eq!(fetched["apple_verify"], "05124");
    assert_eq!(fetched["update_frequency"]["rrule"], "FREQ=WEEKLY");

    app.run_pending_jobs().await;
    let xml = app.feed_xml("listed").await.unwrap();
    for expected in [
        "<podcast:block>yes</podcast:block>",
        r#"<podcast:block id="google">no</podcast:block>"#,
        r#"<podcast:updateFrequency rrule="FREQ=WEEKLY" dtstart="2025-01-01T00:00:00.000Z">Weekly, starting in 2025</podcast:updateFrequency>"#,
        r#"<podcast:remoteItem medium="publisher" feedGuid="003af0a0-6a45-55cf-b765-68e3d349551a" feedUrl="https://example.org/publisher.xml"/>"#,
        r#"<podcast:socialInteract protocol="activitypub" uri="https://podcastindex.social/@dave/105079274766075912" accountId="@dave" priority="1"/>"#,
        r#"<podcast:txt purpose="applepodcastsverify">05124</podcast:txt>"#,
        r#"<podcast:socialInteract protocol="disabled"/>"#,
        "<itunes:block>Yes</itunes:block>",
        r##"<podcast:chat server="example.com" protocol="matrix" space="#ep1:example.com"/>"##,
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }
    let chats = xml.matches("<podcast:chat ").count();
    assert_eq!(
        chats, 1,
        "the show's cleared chat is gone, the episode's stays"
    );
}

#[tokio::test]
async fn invalid_listing_details_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "strict", json!({})).await;
    let cases = [
        (
            json!({"podcast_block": [{"id": "myspace", "block": true}]}),
            "podcast_block",
        ),
        (
            json!({"podcast_block": [{"block": true}, {"block": false}]}),
            "podcast_block",
        ),
        (
            json!({"update_frequency": {"text": "Ten", "rrule": "FREQ=WEEKLY;COUNT=10"}}),
            "update_frequency",
        ),
        (
            json!({"update_frequency": {"text": "Often", "rrule": "FREQ=HOURLYISH"}}),
            "update_frequency",
        ),
        (
            json!({"update_frequency": {"text": "x", "dtstart": "next monday"}}),
            "update_frequency",
        ),
        (
            json!({"update_frequency": {"text": "x".repeat(129)}}),
            "update_frequency",
        ),
        (json!({"publisher": {"feed_guid": "nope"}}), "publisher"),
        (
            json!({"remote_items": [{"feed_guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810", "medium": "radio"}]}),
            "remote_items",
        ),
        (
            json!({"chat": {"server": "https://chat.example.com/", "protocol": "irc"}}),
            "chat",
        ),
        (
            json!({"social_interact": [{"protocol": "activitypub"}]}),
            "social_interact",
        ),
        (
            json!({"social_interact": [{"protocol": "disabled", "uri": "https://x/post"}]}),
            "social_interact",
        ),
        (
            json!({"apple_verify": "05124", "txt": [{"purpose": "applepodcastsverify", "value": "1"}]}),
            "txt",
        ),
    ];
    for (body, field) in cases {
        let (status, resp) = app
            .api(
                Method::PATCH,
                "/shows/strict",
                Some(&user),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {resp}");
        assert!(resp["error"]["fields"][field].is_string(), "{body}: {resp}");
    }
    let (_, show) = app
        .api(Method::GET, "/shows/strict", Some(&user), None)
        .await;
    assert_eq!(show["podcast_block"], json!([]), "nothing half-written");
    let (status, resp) = app
        .api(
            Method::POST,
            "/shows/strict/episodes",
            Some(&user),
            Some(json!({"title": "E", "enclosure": {"url": "https://e/x.mp3", "length": 1, "type": "audio/mpeg"},
                        "social_interact": [{"protocol": "activitypub", "uri": "not a uri"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    assert!(resp["error"]["fields"]["social_interact"].is_string());
}

#[tokio::test]
async fn a_list_feed_is_warned_about_its_entries_not_called_an_empty_show() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "mixtape", json!({"medium": "musicL"}))
        .await;
    let (_, state) = app
        .api(Method::GET, "/shows/mixtape/feed", Some(&user), None)
        .await;
    assert_eq!(codes(&state), ["list_without_items"], "{state}");

    let entry = json!([{"feed_guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810",
                        "feed_url": "http://feeds.example.org/rss.xml", "medium": "music"}]);
    app.api(
        Method::PATCH,
        "/shows/mixtape",
        Some(&user),
        Some(json!({"remote_items": entry,
                    "social_interact": [{"protocol": "myspace", "uri": "https://x/post"}]})),
    )
    .await;
    let (_, state) = app
        .api(Method::GET, "/shows/mixtape/feed", Some(&user), None)
        .await;
    assert_eq!(
        codes(&state),
        ["podcast_tag_not_https", "social_protocol_unknown"],
        "{state}"
    );
    app.post_episode(&user, "mixtape", json!({})).await;
    let (_, state) = app
        .api(Method::GET, "/shows/mixtape/feed", Some(&user), None)
        .await;
    assert!(codes(&state).contains(&"list_with_episodes"), "{state}");

    // `mixed` and `publisher` feeds list other feeds too.
    for medium in ["mixed", "publisher"] {
        app.api(
            Method::PATCH,
            "/shows/mixtape",
            Some(&user),
            Some(json!({"medium": medium})),
        )
        .await;
        let (_, state) = app
            .api(Method::GET, "/shows/mixtape/feed", Some(&user), None)
            .await;
        assert!(codes(&state).contains(&"list_with_episodes"), "{state}");
        assert!(!codes(&state).contains(&"empty_show"), "{state}");
    }

    let threads = json!([{"protocol": "activitypub", "uri": "https://x/1", "priority": 1},
                         {"protocol": "atproto", "uri": "at://did:plc:x/post/2"}]);
    app.api(
        Method::PATCH,
        "/shows/mixtape",
        Some(&user),
        Some(json!({"social_interact": threads,
                    "publisher": {"feed_guid": "003af0a0-6a45-55cf-b765-68e3d349551a"}})),
    )
    .await;
    let (_, state) = app
        .api(Method::GET, "/shows/mixtape/feed", Some(&user), None)
        .await;
    for code in ["social_priority_missing", "publisher_feed_url_missing"] {
        assert!(codes(&state).contains(&code), "{code}: {state}");
    }

    // An ordinary show without episodes still is an empty show.
    app.post_show(&user, "plain", json!({})).await;
    let (_, state) = app
        .api(Method::GET, "/shows/plain/feed", Some(&user), None)
        .await;
    assert_eq!(codes(&state), ["empty_show"], "{state}");
}

#[tokio::test]
async fn an_imported_feed_keeps_its_listing_tags_and_reports_the_invalid_ones() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let feed = r##"<?xml version="1.0"?><rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"
        xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Moving in</title>
      <podcast:guid>5a8e2b4c-1d2f-5a3b-9c4d-6e7f8a9b0c1d</podcast:guid>
      <podcast:block>yes</podcast:block>
      <podcast:block id="spotify">no</podcast:block>
      <podcast:block id="myspace">yes</podcast:block>
      <podcast:updateFrequency complete="true">That's all folks!</podcast:updateFrequency>
      <podcast:publisher><podcast:remoteItem medium="publisher" feedGuid="003af0a0-6a45-55cf-b765-68e3d349551a" feedUrl="https://example.org/publisher.xml"/></podcast:publisher>
      <podcast:chat server="jabber.example.com" protocol="xmpp" accountId="jsmith@jabber.example.org"/>
      <podcast:socialInteract protocol="atproto" uri="at://did:plc:abc/app.bsky.feed.post/3k" priority="2"/>
      <podcast:socialInteract protocol="activitypub"/>
      <podcast:txt purpose="applepodcastsverify">05124</podcast:txt>
      <item><title>E</title><guid>e</guid><pubDate>Mon, 06 Jul 2020 04:00:00 GMT</pubDate>
        <enclosure url="https://cdn.example.com/e.mp3" length="100" type="audio/mpeg"/>
        <itunes:block>Yes</itunes:block>
        <podcast:socialInteract protocol="disabled"/>
      </item>
    </channel></rss>"##;
    let (status, body) = app
        .api(
            Method::POST,
            "/import",
            Some(&user),
            Some(json!({"rss": feed, "slug": "moving-in"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let dropped: Vec<&str> = body["import"]["report"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"] == "value_dropped")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(dropped.len(), 2, "{body}");
    assert!(
        dropped[0].starts_with("podcast_block: \"myspace\""),
        "{body}"
    );
    assert!(dropped[1].starts_with("social_interact:"), "{body}");

    let (_, show) = app
        .api(Method::GET, "/shows/moving-in", Some(&user), None)
        .await;
    assert_eq!(show["apple_verify"], "05124");
    assert_eq!(show["txt"], json!([]));
    assert_eq!(show["update_frequency"]["complete"], true);
    app.run_pending_jobs().await;
    let xml = app.feed_xml("moving-in").await.unwrap();
    for expected in [
        "<podcast:block>yes</podcast:block>",
        r#"<podcast:block id="spotify">no</podcast:block>"#,
        r#"<podcast:updateFrequency complete="true">That's all folks!</podcast:updateFrequency>"#,
        r#"<podcast:remoteItem medium="publisher" feedGuid="003af0a0-6a45-55cf-b765-68e3d349551a" feedUrl="https://example.org/publisher.xml"/>"#,
        r#"<podcast:chat server="jabber.example.com" protocol="xmpp" accountId="jsmith@jabber.example.org"/>"#,
        r#"<podcast:socialInteract protocol="atproto" uri="at://did:plc:abc/app.bsky.feed.post/3k" priority="2"/>"#,
        r#"<podcast:txt purpose="applepodcastsverify">05124</podcast:txt>"#,
        "<itunes:block>Yes</itunes:block>",
        r#"<podcast:socialInteract protocol="disabled"/>"#,
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }
    assert!(!xml.contains("myspace"));
}
