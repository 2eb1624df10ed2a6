//! The items group of Podcasting 2.0 through the API: soundbites, content links, transcripts,
//! item funding, season names, episode displays, integrity and images.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::spawn_app;

const SRI: &str = "sha384-ExVqijgYHm15PqQqdXfW95x+Rs6C+d6E/ICxyQOeFevnxNLR/wtJNrNYTjIysUBo";

fn details() -> Value {
    json!({
        "season": 3,
        "season_name": "Egyptology: The 19th Century",
        "episode": 204,
        "episode_display": "Ch.3",
        "transcript_url": "https://example.com/1.vtt",
        "transcripts": [{"url": "https://example.com/1.es.json", "type": "application/json",
                         "language": "es", "rel": "captions"}],
        "soundbites": [{"start_time": 73.0, "duration": 60.0},
                       {"start_time": 1790.0, "duration": 30.0, "title": "The end"}],
        "content_links": [{"href": "https://www.youtube.com/watch?v=example", "text": "Watch on YouTube!"}],
        "funding": [{"url": "https://example.com/ep1/donate", "label": "Support this episode"}],
        "images": [{"href": "https://example.com/ep1.jpg", "alt": "Episode art", "aspect_ratio": "1/1",
                    "width": 3000, "purpose": "artwork"}],
        "alternate_enclosures": [{"type": "video/mp4", "sources": ["https://example.com/720.mp4"],
                                  "integrity": {"type": "sri", "value": SRI}}],
    })
}

#[tokio::test]
async fn items_group_details_round_trip_through_the_api_into_the_feed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let show = app
        .post_show(
            &user,
            "items",
            json!({"images": [{"href": "https://example.com/wide.jpg", "aspect_ratio": "16/9"}]}),
        )
        .await;
    assert_eq!(show["images"][0]["aspect_ratio"], "16/9");
    let episode = app.post_episode(&user, "items", json!({})).await;
    let path = format!("/shows/items/episodes/{}", episode["id"].as_str().unwrap());
    let (status, patched) = app
        .api(Method::PATCH, &path, Some(&user), Some(details()))
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");

    let (_, got) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(got["season_name"], "Egyptology: The 19th Century");
    assert_eq!(got["episode_display"], "Ch.3");
    assert_eq!(got["transcripts"][0]["rel"], "captions");
    assert_eq!(got["soundbites"][1]["title"], "The end");
    assert_eq!(got["content_links"][0]["text"], "Watch on YouTube!");
    assert_eq!(got["funding"][0]["label"], "Support this episode");
    assert_eq!(got["images"][0]["width"], 3000);
    assert_eq!(got["alternate_enclosures"][0]["integrity"]["type"], "sri");

    // A PATCH that leaves them out keeps them; null clears the season name.
    let (status, kept) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"title": "Renamed", "season_name": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{kept}");
    assert!(kept["season_name"].is_null());
    assert_eq!(kept["soundbites"].as_array().unwrap().len(), 2);

    // The second soundbite runs past the end of the 1800-second episode.
    let (_, feed) = app
        .api(Method::GET, "/shows/items/feed", Some(&user), None)
        .await;
    let codes: Vec<&str> = feed["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "soundbite_past_end").count(),
        1,
        "{feed}"
    );

    app.run_pending_jobs().await;
    let xml = app.feed_xml("items").await.unwrap();
    for expected in [
        "<podcast:season>3</podcast:season>",
        r#"<podcast:episode display="Ch.3">204</podcast:episode>"#,
        r#"<podcast:transcript url="https://example.com/1.es.json" type="application/json" language="es" rel="captions"/>"#,
        r#"<podcast:soundbite startTime="73.0" duration="60.0"/>"#,
        r#"<podcast:soundbite startTime="1790.0" duration="30.0">The end</podcast:soundbite>"#,
        r#"<podcast:contentLink href="https://www.youtube.com/watch?v=example">Watch on YouTube!</podcast:contentLink>"#,
        r#"<podcast:funding url="https://example.com/ep1/donate">Support this episode</podcast:funding>"#,
        r#"<podcast:image href="https://example.com/ep1.jpg" alt="Episode art" aspect-ratio="1/1" width="3000" purpose="artwork"/>"#,
        r#"<podcast:image href="https://example.com/wide.jpg" aspect-ratio="16/9"/>"#,
        &format!(r#"<podcast:integrity type="sri" value="{SRI}"/>"#),
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }
}

#[tokio::test]
async fn invalid_items_group_details_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(&user, "strict", json!({})).await;
    let episode = app.post_episode(&user, "strict", json!({})).await;
    let path = format!("/shows/strict/episodes/{}", episode["id"].as_str().unwrap());
    let enclosure = |integrity: Value| {
        json!({"alternate_enclosures": [{"type": "audio/opus", "sources": ["https://e/x.opus"],
                                         "integrity": integrity}]})
    };
    let cases = [
        (
            json!({"soundbites": [{"start_time": -1.0, "duration": 30.0}]}),
            "soundbites",
        ),
        (
            json!({"soundbites": [{"start_time": 1.0, "duration": 0.0}]}),
            "soundbites",
        ),
        (json!({"soundbites": [{"start_time": 1.0}]}), "body"),
        (
            json!({"content_links": [{"href": "javascript:alert(1)", "text": "x"}]}),
            "content_links",
        ),
        (
            json!({"transcripts": [{"url": "https://e/t.vtt", "type": "text/vtt", "rel": "subtitles"}]}),
            "transcripts",
        ),
        (
            json!({"transcripts": [{"url": "https://e/t.vtt", "type": "vtt"}]}),
            "transcripts",
        ),
        (
            json!({"transcripts": [{"url": "https://e/t.vtt", "type": "text/vtt", "language": "en us"}]}),
            "transcripts",
        ),
        (
            json!({"funding": [{"url": "ftp://e/give", "label": "x"}]}),
            "funding",
        ),
        (
            json!({"funding": [{"url": "https://e/give", "label": "x".repeat(129)}]}),
            "funding",
        ),
        (
            json!({"season": null, "season_name": "Named"}),
            "season_name",
        ),
        (
            json!({"season": 1, "season_name": "x".repeat(129)}),
            "season_name",
        ),
        (
            json!({"episode_display": "x".repeat(33)}),
            "episode_display",
        ),
        (
            json!({"images": [{"href": "https://e/i.jpg", "aspect_ratio": "wide"}]}),
            "images",
        ),
        (
            json!({"images": [{"href": "https://e/i.jpg", "width": 0}]}),
            "images",
        ),
        (
            json!({"images": [{"href": "data:image/png;base64,AAAA"}]}),
            "images",
        ),
        (
            enclosure(json!({"type": "md5", "value": "abc"})),
            "alternate_enclosures",
        ),
        (
            enclosure(json!({"type": "sri", "value": "sha1-abc"})),
            "alternate_enclosures",
        ),
    ];
    for (body, field) in cases {
        let (status, resp) = app
            .api(Method::PATCH, &path, Some(&user), Some(body.clone()))
            .await;
        if field == "body" {
            assert!(status.is_client_error(), "{body}: {status} {resp}");
            continue;
        }
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {resp}");
        assert!(resp["error"]["fields"][field].is_string(), "{body}: {resp}");
    }
    let (status, resp) = app
        .api(
            Method::PATCH,
            "/shows/strict",
            Some(&user),
            Some(json!({"images": [{"href": "https://e/i.jpg", "type": "jpeg"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    assert!(resp["error"]["fields"]["images"].is_string(), "{resp}");
    // Nothing half-written: the episode is as it was.
    let (_, got) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(got["soundbites"], json!([]));
    assert!(got["season_name"].is_null());
}

#[tokio::test]
async fn a_feed_with_the_items_group_imports_and_renders_the_same() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let images =
        json!({"images": [{"href": "https://example.com/wide.jpg", "aspect_ratio": "16/9"}]});
    app.post_show(&user, "original", images).await;
    app.post_episode(&user, "original", details()).await;
    app.run_pending_jobs().await;
    let original = app.feed_xml("original").await.unwrap();

    let body = json!({ "rss": original, "slug": "moved-in" });
    let (status, body) = crate::import::import(&app, &user, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.run_pending_jobs().await;
    let moved = app.feed_xml("moved-in").await.unwrap();
    let items = |xml: &str| xml[xml.find("<item>").unwrap()..].to_string();
    assert_eq!(
        items(&moved),
        items(&original),
        "every item renders the same"
    );
    assert!(moved
        .contains(r#"<podcast:image href="https://example.com/wide.jpg" aspect-ratio="16/9"/>"#));
    let (_, list) = app
        .api(Method::GET, "/shows/moved-in/episodes", Some(&user), None)
        .await;
    let e = &list["items"][0];
    assert_eq!(e["season_name"], "Egyptology: The 19th Century");
    assert_eq!(e["soundbites"].as_array().unwrap().len(), 2);
    assert_eq!(e["alternate_enclosures"][0]["integrity"]["value"], SRI);
}
