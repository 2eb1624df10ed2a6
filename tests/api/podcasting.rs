//! Podcasting 2.0 details: written through the API, kept, and published in the feed.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::spawn_app;

#[tokio::test]
async fn podcasting_details_round_trip_through_the_api_into_the_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show = app
        .post_show(
            &user,
            "p20",
            json!({
                "medium": "music",
                "persons": [{"name": "Ann", "role": "host", "img": "https://example.com/ann.jpg"}],
                "location": {"name": "Austin, TX", "geo": "geo:30.2672,97.7431", "osm": "R113314"},
                "license": {"name": "cc-by-4.0"},
                "trailers": [{"title": "Soon", "url": "https://example.com/t.mp3",
                              "pubdate": "2026-01-01T00:00:00Z", "type": "audio/mpeg", "length": 5}],
                "txt": [{"purpose": "verify", "value": "abc123"}],
                "podroll": [{"feed_guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810"}],
                "podping": true,
            }),
        )
        .await;
    assert_eq!(show["persons"][0]["role"], "host");
    assert_eq!(show["location"]["osm"], "R113314");
    let episode = app
        .post_episode(
            &user,
            "p20",
            json!({
                "persons": [{"name": "Guest Star", "role": "guest"}],
                "alternate_enclosures": [{"type": "audio/opus", "length": 99, "bitrate": 64000.0,
                    "sources": ["https://example.com/e.opus"]}],
            }),
        )
        .await;
    let path = format!("/shows/p20/episodes/{}", episode["id"].as_str().unwrap());
    let (_, fetched) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(fetched["alternate_enclosures"][0]["type"], "audio/opus");

    // A PATCH that leaves the details out keeps them; null clears a single one.
    let (status, patched) = app
        .api(
            Method::PATCH,
            "/shows/p20",
            Some(&user),
            Some(json!({"title": "Renamed title", "license": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["persons"][0]["name"], "Ann");
    assert!(patched["license"].is_null());

    app.run_pending_jobs().await;
    let xml = app.feed_xml("p20").await.unwrap();
    for expected in [
        "<podcast:medium>music</podcast:medium>",
        r#"<podcast:person role="host" img="https://example.com/ann.jpg">Ann</podcast:person>"#,
        r#"<podcast:location geo="geo:30.2672,97.7431" osm="R113314">Austin, TX</podcast:location>"#,
        r#"<podcast:txt purpose="verify">abc123</podcast:txt>"#,
        r#"<podcast:remoteItem feedGuid="917393e3-1b1e-5cef-ace4-edaa54e1f810"/>"#,
        r#"<podcast:podping usesPodping="true"/>"#,
        r#"<podcast:person role="guest">Guest Star</podcast:person>"#,
        r#"<podcast:source uri="https://example.com/e.opus"/>"#,
        "Soon</podcast:trailer>",
    ] {
        assert!(xml.contains(expected), "missing {expected}");
    }
    assert!(
        !xml.contains("podcast:license"),
        "the cleared license is gone"
    );
}

#[tokio::test]
async fn invalid_podcasting_details_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "strict", json!({})).await;
    let cases = [
        (json!({"medium": "radio"}), "medium"),
        (
            json!({"location": {"name": "X", "geo": "30,97"}}),
            "location",
        ),
        (
            json!({"location": {"name": "X", "geo": "geo:999999999999999999999,1e308"}}),
            "location",
        ),
        (
            json!({"location": {"name": "X", "geo": "geo:30.2672,197.7431"}}),
            "location",
        ),
        (
            json!({"location": {"name": "X", "osm": "113314"}}),
            "location",
        ),
        (
            json!({"persons": [{"name": "A", "img": "javascript:alert(1)"}]}),
            "persons",
        ),
        (json!({"podroll": [{"feed_guid": "not-a-guid"}]}), "podroll"),
        (json!({"txt": [{"value": "x".repeat(4001)}]}), "txt"),
        (
            json!({"trailers": [{"title": "T", "url": "ftp://x/t.mp3", "pubdate": "2026-01-01T00:00:00Z"}]}),
            "trailers",
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
    let (status, resp) = app
        .api(
            Method::POST,
            "/shows/strict/episodes",
            Some(&user),
            Some(json!({"title": "E", "enclosure": {"url": "https://e/x.mp3", "length": 1, "type": "audio/mpeg"},
                        "alternate_enclosures": [{"type": "audio/opus", "sources": []}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    assert!(resp["error"]["fields"]["alternate_enclosures"].is_string());
}
