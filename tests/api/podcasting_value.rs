//! Value blocks (`podcast:value`): set through the API, kept, published, warned about and imported.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::{
    app::spawn_app,
    python::{feedcheck, xsdcheck},
};

const ALICE: &str = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52";
const HOST: &str = "03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a";
const GUEST: &str = "02dd306e68c46681aa21d88a436fb35355a8579dd30201581cefa17cb179fc4c15";

fn show_value() -> Value {
    json!([{"type": "lightning", "method": "keysend", "suggested": "0.00000015000",
    "recipients": [
        {"name": "Alice (Podcaster)", "type": "node", "address": ALICE, "split": 95, "fee": false,
         "custom_key": "696969", "custom_value": "eChoVKtO1KujpAA5HCoB"},
        {"name": "Hosting Provider", "type": "node", "address": HOST, "split": 5, "fee": true},
    ]}])
}

fn episode_value() -> Value {
    json!([{"type": "lightning", "method": "keysend",
    "recipients": [{"name": "Alice (Podcaster)", "type": "node", "address": ALICE, "split": 100}],
    "time_splits": [
        {"start_time": 60, "duration": 237, "remote_percentage": 95,
         "remote_item": {"feed_guid": "a94f5cc9-8c58-55fc-91fe-a324087a655b",
                         "item_guid": "https://podcastindex.org/podcast/4148683#1", "medium": "music"}},
        {"start_time": 330.5, "duration": 53, "remote_start_time": 174,
         "recipients": [{"name": "Jimbob (Guest)", "type": "lnaddress", "address": "jim@example.com", "split": 10}]},
    ]}])
}

#[tokio::test]
async fn value_blocks_round_trip_through_the_api_into_the_published_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "v4v", json!({})).await;
    let (status, show) = app
        .api(
            Method::PATCH,
            "/shows/v4v",
            Some(&user),
            Some(json!({"value": show_value()})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{show}");
    assert_eq!(show["value"], show_value(), "given back as sent");
    let episode = app
        .post_episode(
            &user,
            "v4v",
            json!({"duration_seconds": 600, "value": episode_value()}),
        )
        .await;
    let path = format!("/shows/v4v/episodes/{}", episode["id"].as_str().unwrap());
    let (_, fetched) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(
        fetched["value"][0]["time_splits"][0]["remote_item"]["medium"],
        "music"
    );
    assert_eq!(fetched["value"][0]["time_splits"][1]["start_time"], 330.5);
    let (_, again) = app.api(Method::GET, "/shows/v4v", Some(&user), None).await;
    assert_eq!(again["value"], show_value(), "kept");

    app.run_pending_jobs().await;
    let xml = app.feed_xml("v4v").await.unwrap();
    for expected in [
        r#"<podcast:value type="lightning" method="keysend" suggested="0.00000015000">"#,
        &format!(
            r#"<podcast:valueRecipient name="Alice (Podcaster)" type="node" address="{ALICE}" split="95" customKey="696969" customValue="eChoVKtO1KujpAA5HCoB"/>"#
        ),
        &format!(
            r#"<podcast:valueRecipient name="Hosting Provider" type="node" address="{HOST}" split="5" fee="true"/>"#
        ),
        r#"<podcast:valueTimeSplit startTime="60" duration="237" remotePercentage="95">"#,
        r#"<podcast:remoteItem feedGuid="a94f5cc9-8c58-55fc-91fe-a324087a655b" itemGuid="https://podcastindex.org/podcast/4148683#1" medium="music"/>"#,
        r#"<podcast:valueTimeSplit startTime="330.5" duration="53" remoteStartTime="174">"#,
        r#"<podcast:valueRecipient name="Jimbob (Guest)" type="lnaddress" address="jim@example.com" split="10"/>"#,
    ] {
        assert!(xml.contains(expected), "missing {expected} in {xml}");
    }
    let report = xsdcheck(xml.as_bytes());
    assert_eq!(report["valid"], true, "{report:#}");
    assert_eq!(report["checked"]["value"], 2, "{report:#}");
    let parsed = feedcheck(&xml);
    let fp = &parsed["feedparser"];
    assert_eq!(fp["bozo"], 0, "feedparser: {}", fp["bozo_exception"]);
    assert_eq!(fp["entries"].as_array().unwrap().len(), 1, "{fp}");
    let pp = &parsed["podcastparser"];
    assert!(pp.get("error").is_none(), "podcastparser: {pp}");
    assert_eq!(pp["episodes"].as_array().unwrap().len(), 1, "{pp}");
    let codes = app.warning_codes(&user, "v4v").await;
    assert!(!codes.iter().any(|c| c.starts_with("value_")), "{codes:?}");

    // Clearing the episode's block leaves the show's in place.
    let (status, _) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"value": []})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.run_pending_jobs().await;
    let xml = app.feed_xml("v4v").await.unwrap();
    assert_eq!(xml.matches("<podcast:value ").count(), 1, "{xml}");
    assert!(!xml.contains("valueTimeSplit"));
}

#[tokio::test]
async fn invalid_value_blocks_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "strict-value", json!({"value": show_value()}))
        .await;
    let recipient = json!({"type": "node", "address": ALICE, "split": 1});
    let block = |patch: Value| {
        let mut b = json!({"type": "lightning", "method": "keysend", "recipients": [recipient]});
        b.as_object_mut()
            .unwrap()
            .extend(patch.as_object().unwrap().clone());
        json!({"value": [b]})
    };
    let split = |s: Value| {
        json!({"start_time": 1, "duration": 2, "recipients": [recipient]})
            .as_object()
            .unwrap()
            .clone()
            .into_iter()
            .chain(s.as_object().unwrap().clone())
            .collect::<serde_json::Map<_, _>>()
    };
    let cases = [
        block(json!({"type": "dogecoin"})),
        block(json!({"method": "carrier-pigeon"})),
        block(json!({"suggested": "-5"})),
        block(json!({"suggested": "1e-8"})),
        block(json!({"recipients": []})),
        block(json!({"recipients": [{"type": "moon", "address": "x", "split": 1}]})),
        block(json!({"recipients": [{"type": "node", "address": "x", "split": -1}]})),
        block(
            json!({"recipients": [{"type": "node", "address": "x", "split": 1, "custom_value": "v"}]}),
        ),
        block(json!({"time_splits": [split(json!({"start_time": -1}))]})),
        block(json!({"time_splits": [split(json!({"duration": 0}))]})),
        block(json!({"time_splits": [split(json!({"recipients": []}))]})),
        block(
            json!({"time_splits": [split(json!({"remote_item": {"feed_guid": "a94f5cc9-8c58-55fc-91fe-a324087a655b"}}))]}),
        ),
        block(
            json!({"time_splits": [{"start_time": 1, "duration": 2, "remote_item": {"feed_guid": "nope"}}]}),
        ),
        block(
            json!({"time_splits": [{"start_time": 1, "duration": 2, "remote_percentage": 101,
            "remote_item": {"feed_guid": "a94f5cc9-8c58-55fc-91fe-a324087a655b"}}]}),
        ),
        json!({"value": vec![show_value()[0].clone(); 11]}),
    ];
    for body in cases {
        let (status, resp) = app
            .api(
                Method::PATCH,
                "/shows/strict-value",
                Some(&user),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {resp}");
        assert!(
            resp["error"]["fields"]["value"].is_string(),
            "{body}: {resp}"
        );
    }
    for body in [
        json!({"value": [{"type": "lightning", "method": "keysend", "recipients": [{"type": "node", "split": "many"}]}]}),
        json!({"value": [{"type": "lightning", "method": "keysend", "recipients": [], "colour": "red"}]}),
    ] {
        let (status, resp) = app
            .api(
                Method::PATCH,
                "/shows/strict-value",
                Some(&user),
                Some(body.clone()),
            )
            .await;
        assert!(status.is_client_error(), "{body}: {status} {resp}");
    }
    let (_, show) = app
        .api(Method::GET, "/shows/strict-value", Some(&user), None)
        .await;
    assert_eq!(show["value"], show_value(), "the stored block is untouched");
    let (status, resp) = app
        .api(
            Method::POST,
            "/shows/strict-value/episodes",
            Some(&user),
            Some(json!({"title": "E", "enclosure": {"url": "https://e/x.mp3", "length": 1, "type": "audio/mpeg"},
                        "value": [{"type": "lightning", "method": "keysend", "recipients": []}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    assert!(resp["error"]["fields"]["value"].is_string(), "{resp}");
}

#[tokio::test]
async fn value_warnings_name_zero_splits_missing_addresses_and_splits_past_the_end() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show_block = json!([{"type": "lightning", "method": "keysend", "recipients": [
        {"name": "Nobody yet", "type": "node", "split": 50},
        {"name": "Alice", "type": "node", "address": ALICE, "split": 0},
        {"name": "Host", "type": "node", "address": HOST, "split": 5, "fee": true},
    ]}]);
    app.post_show(&user, "warned-value", json!({"value": show_block}))
        .await;
    let episode_block = json!([{"type": "lightning", "method": "keysend",
        "recipients": [{"type": "node", "address": ALICE, "split": 1}],
        "time_splits": [{"start_time": 550, "duration": 100,
            "recipients": [{"type": "node", "address": GUEST, "split": 1}]},
            {"start_time": 10, "duration": 10, "remote_item": {
                "feed_guid": "a94f5cc9-8c58-55fc-91fe-a324087a655b", "feed_url": "http://music.example/feed.xml"}}]}]);
    let episode = app
        .post_episode(
            &user,
            "warned-value",
            json!({"duration_seconds": 600, "value": episode_block}),
        )
        .await;
    let (_, state) = app
        .api(Method::GET, "/shows/warned-value/feed", Some(&user), None)
        .await;
    let warnings: Vec<&Value> = state["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"].as_str().unwrap().starts_with("value_"))
        .collect();
    let codes: Vec<&str> = warnings
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "value_recipient_no_address",
            "value_splits_zero",
            "value_time_split_past_end"
        ],
        "{state}"
    );
    assert!(warnings[0]["message"]
        .as_str()
        .unwrap()
        .contains("Nobody yet"));
    assert!(warnings[2]["message"].as_str().unwrap().contains("650"));
    assert_eq!(warnings[2]["episode_id"], episode["id"]);
    let insecure = state["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "podcast_tag_not_https");
    assert!(
        insecure.unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("http://music.example/feed.xml"),
        "{state}"
    );
    app.run_pending_jobs().await;
    let xml = app.feed_xml("warned-value").await.unwrap();
    assert!(
        !xml.contains("Nobody yet"),
        "a recipient without an address is left out"
    );
    assert_eq!(xsdcheck(xml.as_bytes())["valid"], true);

    // Fixing the episode clears its warning.
    let path = format!(
        "/shows/warned-value/episodes/{}",
        episode["id"].as_str().unwrap()
    );
    let (status, _) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"duration_seconds": 700})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let codes = app.warning_codes(&user, "warned-value").await;
    assert!(
        !codes.contains(&"value_time_split_past_end".to_string()),
        "{codes:?}"
    );
}

#[tokio::test]
async fn an_imported_feed_keeps_its_value_blocks_through_to_the_published_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata");
    let example =
        std::fs::read_to_string(dir.join("feeds/podcast-namespace/podcast-example.xml")).unwrap();
    let spec =
        std::fs::read_to_string(dir.join("spec/podcast-namespace/docs/tags/value-time-split.md"))
            .unwrap();
    let block = |text: &str, nth: usize| {
        let start = text.match_indices("<podcast:value ").nth(nth).unwrap().0;
        let end =
            start + text[start..].find("</podcast:value>").unwrap() + "</podcast:value>".len();
        text[start..end].to_string()
    };
    let (channel, remote, local) = (block(&example, 0), block(&spec, 0), block(&spec, 1));
    let item = |guid: &str, value: &str| {
        format!(
            "<item><title>{guid}</title><guid>{guid}</guid><pubDate>Fri, 21 Apr 2023 18:56:30 GMT</pubDate>\
             <enclosure url=\"https://cdn.example.com/{guid}.mp3\" length=\"100\" type=\"audio/mpeg\"/>\
             <itunes:duration>1000</itunes:duration>{value}</item>"
        )
    };
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" \
         xmlns:podcast=\"https://podcastindex.org/namespace/1.0\"><channel><title>Value Show</title>\
         <podcast:guid>5a8e2b4c-1d2f-5a3b-9c4d-6e7f8a9b0c1d</podcast:guid>{channel}{}{}</channel></rss>",
        item("remote", &remote),
        item("local", &local)
    );
    let (status, body) = app
        .api(
            Method::POST,
            "/import",
            Some(&user),
            Some(json!({ "rss": rss })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let slug = body["slug"].as_str().unwrap().to_string();
    let report = body["import"]["report"].to_string();
    assert!(
        !report.contains("value"),
        "nothing about value is dropped or unread: {report}"
    );
    let (_, show) = app
        .api(Method::GET, &format!("/shows/{slug}"), Some(&user), None)
        .await;
    assert_eq!(show["value"][0]["recipients"][1]["split"], 99);
    app.run_pending_jobs().await;
    let xml = app.feed_xml(&slug).await.unwrap();
    for expected in [
        r#"<podcast:valueRecipient name="podcaster" type="node" address="036557ea56b3b86f08be31bcd2557cae8021b0e3a9413f0c0e52625c6696972e57" split="99"/>"#,
        r#"<podcast:valueTimeSplit startTime="330" duration="53" remoteStartTime="174" remotePercentage="95">"#,
        r#"<podcast:remoteItem feedGuid="a94f5cc9-8c58-55fc-91fe-a324087a655b" itemGuid="https://podcastindex.org/podcast/4148683#3" medium="music"/>"#,
        r#"<podcast:valueRecipient name="Bobjim (Guest)" type="node" address="032f4ffbbafffbe51726ad3c164a3d0d37ec27bc67b29a159b0f49ae8ac21b8508" split="10"/>"#,
    ] {
        assert!(xml.contains(expected), "missing {expected} in {xml}");
    }
    assert_eq!(xml.matches("<podcast:value ").count(), 3);
    assert_eq!(xml.matches("<podcast:valueTimeSplit ").count(), 4);
    assert_eq!(
        xml.matches("<podcast:valueRecipient ").count(),
        2 + 2 + 2 + 4
    );
    let report = xsdcheck(xml.as_bytes());
    assert_eq!(report["valid"], true, "{report:#}");
}
