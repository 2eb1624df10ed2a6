//! Every validation warning on the feed panel links to the field that fixes it: the link's page
//! loads and holds an element with the link's anchor.

use std::collections::BTreeSet;

use regex::Regex;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::{spawn_app, TestApp, TestUser};
use crate::ui::{account, Ui};

const ALICE: &str = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52";
const GUID: &str = "917393e3-1b1e-5cef-ace4-edaa54e1f810";

async fn patch(app: &TestApp, user: &TestUser, slug: &str, body: serde_json::Value) {
    let (status, v) = app
        .api(
            Method::PATCH,
            &format!("/shows/{slug}"),
            Some(user),
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
}

/// Follows each warning's link on the panel of `slug`; returns the codes seen.
async fn follow_links(ui: &mut Ui, slug: &str) -> BTreeSet<String> {
    let panel = ui.get(&format!("/shows/{slug}")).await;
    assert_eq!(panel.status, StatusCode::OK);
    let item =
        Regex::new(r#"<li data-code="([a-z_0-9]+)">(.*?) <a href="([^"]+)">Fix</a></li>"#).unwrap();
    let mut seen = BTreeSet::new();
    for w in item.captures_iter(&panel.body) {
        let (code, message, link) = (&w[1], &w[2], w[3].replace("&#x2f;", "/"));
        let (path, anchor) = link
            .split_once('#')
            .unwrap_or_else(|| panic!("{code}: {link} names no field"));
        let page = ui.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{code}: {link}");
        assert!(
            page.body.contains(&format!("id=\"{anchor}\"")),
            "{code} ({message}) links to {link}, which has no #{anchor}"
        );
        // The fallback for codes the link table does not know is the title.
        let about_title = matches!(code, "title_too_long" | "empty_show" | "duplicate_guid");
        assert!(
            about_title || anchor != "f-title",
            "{code} has no field of its own: {link}"
        );
        seen.insert(code.to_string());
    }
    seen
}

#[tokio::test]
async fn every_warning_links_to_a_field_that_exists_on_its_page() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    for slug in ["warn", "list", "empty"] {
        ui.create_show(&csrf, slug, slug).await;
    }
    let user = app.create_user(false).await;
    sqlx::query(
        "insert into show_members (show_id, user_id, role)
         select s.id, t.user_id, 'editor' from shows s, api_tokens t",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let http = |path: &str| format!("http://media.example.com/{path}");
    let zero_and_nowhere = json!([{"type": "lightning", "method": "keysend", "recipients": [
        {"type": "node", "address": "", "split": 5},
        {"type": "node", "address": ALICE, "split": 0}],
        "time_splits": [{"start_time": 500, "duration": 400, "remote_item": {"feed_guid": GUID, "feed_url": http("song.xml")}}]}]);
    patch(
        &app,
        &user,
        "warn",
        json!({
            "type": "serial",
            "description": "d".repeat(4100),
            "funding": [{"url": http("tip"), "label": "Tip"}],
            "persons": [{"name": "Ada", "img": http("ada.jpg")}],
            "license": {"name": "mine", "url": http("license")},
            "trailers": [{"title": "T", "url": http("t.mp3"), "pubdate": "2026-01-01T00:00:00Z"}],
            "images": [{"href": http("banner.jpg")}],
            "podroll": [{"feed_guid": GUID, "feed_url": http("podroll.xml")}],
            "publisher": {"feed_guid": GUID},
            "social_interact": [{"protocol": "myspace", "uri": "https://example.com/1"},
                                {"protocol": "activitypub", "uri": http("post/1"), "priority": 1}],
            "value": zero_and_nowhere,
        }),
    )
    .await;
    let long = "t".repeat(300);
    let episode = json!({
        "title": long,
        "description": "d".repeat(4100),
        "enclosure": {"url": "https://media.example.com/same.mp3", "length": 0, "type": "audio/ogg"},
        "duration_seconds": 600,
        "transcript_url": http("main.vtt"),
        "transcript_type": "text/vtt",
        "chapters_url": http("chapters.json"),
        "soundbites": [{"start_time": 590, "duration": 20}, {"start_time": 0, "duration": 5}],
        "transcripts": [{"url": http("more.vtt"), "type": "text/vtt"}],
        "persons": [{"name": "Guest", "href": http("guest")}],
        "license": {"name": "mine", "url": http("license")},
        "alternate_enclosures": [{"type": "audio/opus", "sources": [http("e.opus")]}],
        "content_links": [{"href": http("video"), "text": "Video"}],
        "funding": [{"url": http("tip"), "label": "Tip"}],
        "images": [{"href": http("ep.jpg")}],
        "social_interact": [{"protocol": "myspace", "uri": "https://example.com/2"},
                            {"protocol": "activitypub", "uri": "https://example.com/3"}],
        "value": zero_and_nowhere,
    });
    app.post_episode(&user, "warn", episode.clone()).await;
    app.post_episode(&user, "warn", json!({"enclosure": {"url": "https://media.example.com/same.mp3", "length": 1, "type": "audio/mpeg"}})).await;
    patch(
        &app,
        &user,
        "list",
        json!({"medium": "podcastL", "categories": [{"name": "Nonsense"}]}),
    )
    .await;
    app.post_episode(&user, "list", json!({})).await;

    let mut seen = BTreeSet::new();
    for slug in ["warn", "list", "empty"] {
        seen.extend(follow_links(&mut ui, slug).await);
    }
    let expected = [
        "artwork_missing",
        "category_missing",
        "category_unknown",
        "author_missing",
        "owner_email_missing",
        "description_too_long",
        "title_too_long",
        "enclosure_type_rejected",
        "enclosure_length_missing",
        "duplicate_enclosure_url",
        "serial_without_episode_numbers",
        "empty_show",
        "podcast_tag_not_https",
        "value_splits_zero",
        "value_recipient_no_address",
        "value_time_split_past_end",
        "soundbite_past_end",
        "soundbite_length",
        "list_without_items",
        "list_with_episodes",
        "social_protocol_unknown",
        "social_priority_missing",
        "publisher_feed_url_missing",
    ];
    let missing: Vec<_> = expected.iter().filter(|c| !seen.contains(**c)).collect();
    assert!(
        missing.is_empty(),
        "not produced: {missing:?}; seen {seen:?}"
    );
}
