//! The listing tags (`podcast:block`, `updateFrequency`, `publisher`, list-feed `remoteItem`,
//! `chat`, `socialInteract`, `itunes:block`, Apple's verification `txt`): rendered as the
//! namespace's tag docs say, valid against the namespace schema, and read back by the importer.

use podpub::domain::{
    Chat, FeedRef, ListItem, Medium, ServiceBlock, ShowExtras, SocialInteract, UpdateFrequency,
};

use crate::kit::{
    build,
    python::{feedcheck, xsdcheck},
};

fn listing_extras() -> ShowExtras {
    ShowExtras {
        podcast_block: vec![
            ServiceBlock {
                id: None,
                block: true,
            },
            ServiceBlock {
                id: Some("google".into()),
                block: false,
            },
        ],
        update_frequency: Some(UpdateFrequency {
            text: "Every other Monday for 10 episodes".into(),
            rrule: Some("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=10".into()),
            complete: false,
            dtstart: Some("2023-08-28T00:00:00.000Z".into()),
        }),
        publisher: Some(FeedRef {
            feed_guid: "003af0a0-6a45-55cf-b765-68e3d349551a".into(),
            feed_url: Some("https://example.org/publisher.xml".into()),
        }),
        chat: Some(Chat {
            server: "irc.zeronode.net".into(),
            protocol: "irc".into(),
            account_id: Some("@jsmith".into()),
            space: Some("#myawesomepodcast".into()),
        }),
        social_interact: vec![SocialInteract {
            protocol: "activitypub".into(),
            uri: Some("https://podcastindex.social/@dave/105079274766075912".into()),
            account_id: Some("@dave".into()),
            account_url: Some("https://podcastindex.social/@dave".into()),
            priority: Some(1),
        }],
        apple_verify: Some("05124".into()),
        medium: Some(Medium::Podcast),
        ..ShowExtras::default()
    }
}

fn listing_feed() -> build::Feed {
    build::show("listing")
        .fields(|f| f.extras = listing_extras())
        .episode(build::episode(1).fields(|e| {
            e.extras.itunes_block = true;
            e.extras.chat = Some(Chat {
                server: "relay.example.com".into(),
                protocol: "nostr".into(),
                space: Some("#episode129".into()),
                ..Chat::default()
            });
            e.extras.social_interact = vec![SocialInteract {
                protocol: "disabled".into(),
                ..SocialInteract::default()
            }];
        }))
        .feed()
}

fn list_feed() -> build::Feed {
    build::show("playlist")
        .fields(|f| {
            f.extras.medium = Some(Medium::MusicL);
            f.extras.remote_items = vec![ListItem {
                feed_guid: "917393e3-1b1e-5cef-ace4-edaa54e1f810".into(),
                feed_url: Some("https://feeds.example.org/rss.xml".into()),
                item_guid: Some("asdf089j0-ep240-20230510".into()),
                medium: Some("music".into()),
                title: Some("Here Comes the Sun".into()),
            }];
        })
        .feed()
}

#[test]
fn listing_tags_render_as_the_namespace_docs_show_them() {
    let xml = String::from_utf8(listing_feed().render()).unwrap();
    for expected in [
        r#"<podcast:txt purpose="applepodcastsverify">05124</podcast:txt>"#,
        "<podcast:block>yes</podcast:block>",
        r#"<podcast:block id="google">no</podcast:block>"#,
        r#"<podcast:updateFrequency rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=10" dtstart="2023-08-28T00:00:00.000Z">Every other Monday for 10 episodes</podcast:updateFrequency>"#,
        r#"<podcast:remoteItem medium="publisher" feedGuid="003af0a0-6a45-55cf-b765-68e3d349551a" feedUrl="https://example.org/publisher.xml"/>"#,
        r##"<podcast:chat server="irc.zeronode.net" protocol="irc" accountId="@jsmith" space="#myawesomepodcast"/>"##,
        r#"<podcast:socialInteract protocol="activitypub" uri="https://podcastindex.social/@dave/105079274766075912" accountId="@dave" accountUrl="https://podcastindex.social/@dave" priority="1"/>"#,
        r#"<podcast:socialInteract protocol="disabled"/>"#,
        "<itunes:block>Yes</itunes:block>",
        r##"<podcast:chat server="relay.example.com" protocol="nostr" space="#episode129"/>"##,
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }
    let publisher = xml.find("<podcast:publisher>").unwrap();
    let inside = &xml[publisher..xml.find("</podcast:publisher>").unwrap()];
    assert_eq!(
        inside.matches("<podcast:remoteItem ").count(),
        1,
        "{inside}"
    );
    let channel_block = xml.find("<itunes:block>").unwrap();
    assert!(
        channel_block > xml.find("<item>").unwrap(),
        "only the episode is blocked from Apple"
    );
    let list = String::from_utf8(list_feed().render()).unwrap();
    assert!(
        list.contains(r#"<podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810" feedUrl="https://feeds.example.org/rss.xml" itemGuid="asdf089j0-ep240-20230510" medium="music" title="Here Comes the Sun"/>"#),
        "{list}"
    );
    assert!(list.contains("<podcast:medium>musicL</podcast:medium>"));
}

#[test]
fn listing_tags_are_valid_against_the_namespace_schema() {
    for feed in [listing_feed(), list_feed()] {
        let report = xsdcheck(&feed.render());
        assert_eq!(report["valid"], true, "{report:#}");
        let unchecked = report["unchecked"].as_object().unwrap();
        assert!(unchecked.is_empty(), "no schema for {unchecked:?}");
    }
    let report = xsdcheck(&listing_feed().render());
    let checked = report["checked"].as_object().unwrap();
    for name in [
        "block",
        "updateFrequency",
        "publisher",
        "chat",
        "socialInteract",
    ] {
        assert!(checked.contains_key(name), "{name} not checked: {report:#}");
    }
}

#[test]
fn listing_tags_come_back_through_the_importer() {
    let feed = listing_feed();
    let parsed = podpub::import::parse(&feed.render(), None, build::epoch()).unwrap();
    assert_eq!(parsed.show.extras, feed.show.fields.extras);
    assert!(parsed.show.extras.txt.is_empty(), "the code is not a txt");
    let episode = &parsed.episodes[0].fields.extras;
    assert!(episode.itunes_block);
    assert_eq!(episode.social_interact[0].protocol, "disabled");
    assert_eq!(episode.chat.as_ref().unwrap().protocol, "nostr");

    let list = list_feed();
    let parsed = podpub::import::parse(&list.render(), None, build::epoch()).unwrap();
    assert_eq!(parsed.show.extras, list.show.fields.extras);
}

#[test]
fn invalid_listing_tags_are_dropped_on_import_and_reported() {
    let feed = r#"<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"
        xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>T</title>
      <podcast:block id="myspace">yes</podcast:block>
      <podcast:block id="apple">maybe</podcast:block>
      <podcast:block id="spotify">yes</podcast:block>
      <podcast:updateFrequency rrule="FREQ=WEEKLY;COUNT=10">Ten weeks</podcast:updateFrequency>
      <podcast:publisher><podcast:remoteItem medium="publisher" feedGuid="not-a-guid"/></podcast:publisher>
      <podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810" medium="radio"/>
      <podcast:chat server="https://chat.example.com/room" protocol="irc"/>
      <podcast:socialInteract protocol="activitypub"/>
      <podcast:txt purpose="applepodcastsverify">05124</podcast:txt>
      <item><title>E</title><guid>e</guid><enclosure url="https://x/e.mp3" length="1" type="audio/mpeg"/>
        <podcast:socialInteract protocol="disabled" uri="https://x/post"/>
        <itunes:block>yes</itunes:block>
      </item>
    </channel></rss>"#;
    let parsed = podpub::import::parse(feed.as_bytes(), None, build::epoch()).unwrap();
    let x = &parsed.show.extras;
    let spotify = ServiceBlock {
        id: Some("spotify".into()),
        block: true,
    };
    assert_eq!(x.podcast_block, [spotify], "only the valid block is kept");
    assert!(x.update_frequency.is_none() && x.publisher.is_none() && x.chat.is_none());
    assert!(x.remote_items.is_empty() && x.social_interact.is_empty());
    assert_eq!(x.apple_verify.as_deref(), Some("05124"));
    let e = &parsed.episodes[0].fields.extras;
    assert!(e.itunes_block);
    assert!(e.social_interact.is_empty());
    let messages: Vec<String> = parsed
        .report
        .into_entries()
        .into_iter()
        .filter(|e| e.code == "value_dropped")
        .map(|e| e.message)
        .collect();
    for field in [
        "podcast_block: \"myspace\"",
        "podcast_block: \"maybe\"",
        "update_frequency:",
        "publisher:",
        "remote_items:",
        "chat:",
        "social_interact: \"activitypub\"",
        "social_interact: \"https://x/post\"",
    ] {
        assert!(
            messages.iter().any(|m| m.starts_with(field)),
            "no {field} in {messages:#?}"
        );
    }
}

#[test]
fn feeds_with_listing_tags_still_read_in_feedparser_and_podcastparser() {
    for (feed, episodes) in [(listing_feed(), 1), (list_feed(), 0)] {
        let report = feedcheck(feed.render());
        let fp = &report["feedparser"];
        assert!(fp.get("error").is_none(), "feedparser: {fp:#}");
        assert_eq!(fp["bozo"], 0, "feedparser: {}", fp["bozo_exception"]);
        assert_eq!(fp["title"], feed.show.fields.title);
        assert_eq!(fp["entries"].as_array().unwrap().len(), episodes);
        let pp = &report["podcastparser"];
        assert!(pp.get("error").is_none(), "podcastparser: {pp:#}");
        assert_eq!(pp["episodes"].as_array().unwrap().len(), episodes);
    }
}
