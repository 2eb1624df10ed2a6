//! An episode's Podcasting 2.0 page: alternate enclosures, its chat room, comment threads and
//! places reach the API and the feed; a bad value is refused beside its field, nothing stored.

use regex::Regex;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::{spawn_app, TestApp, TestUser};
use crate::ui::{owner_and_editor, Ui};

/// A signed-in UI owner of show `p20`, an API editor of it, a CSRF token and an episode's id.
async fn setup() -> (TestApp, Ui, String, TestUser, String) {
    let app = spawn_app().await;
    let (ui, csrf, user) = owner_and_editor(&app, "p20", "P20").await;
    let e = app.post_episode(&user, "p20", json!({})).await;
    let id = e["id"].as_str().unwrap().to_string();
    (app, ui, csrf, user, id)
}

async fn episode(app: &TestApp, user: &TestUser, id: &str) -> Value {
    let path = format!("/shows/p20/episodes/{id}");
    let (status, e) = app.api(Method::GET, &path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{e}");
    e
}

const SRI: &str = "sha384-ExVqijgYHm15PqQqdXfW95x+Rs6C+d6E/ICxyQOeFevnxNLR/wtJNrNYTjIysUBo";

#[tokio::test]
async fn an_episodes_alternate_enclosures_chat_comments_and_places_reach_the_feed() {
    let (app, mut ui, csrf, user, id) = setup().await;
    let path = format!("/shows/p20/episodes/{id}/podcasting");
    let page = ui.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    for name in [
        "alternate_enclosures_0_sources",
        "chat_server",
        "social_interact_0_protocol",
        "locations_0_rel",
        "value_0_recipients_0_split",
    ] {
        assert!(page.body.contains(&format!("name=\"{name}\"")), "{name}");
    }
    let form = [
        ("csrf", csrf.as_str()),
        ("action", "save"),
        ("alternate_enclosures_0_type", "audio/opus"),
        ("alternate_enclosures_0_length", "32400000"),
        ("alternate_enclosures_0_bitrate", "96000"),
        ("alternate_enclosures_0_height", ""),
        ("alternate_enclosures_0_lang", "en-GB"),
        ("alternate_enclosures_0_title", "High quality"),
        ("alternate_enclosures_0_rel", "hq"),
        ("alternate_enclosures_0_default", "on"),
        (
            "alternate_enclosures_0_sources",
            "https://cdn.example.com/e.opus\r\n\r\n  https://mirror.example.org/e.opus  \r\nipfs://QmdwGqd3d2gFPGeJNLLCshdiPert45fMu84552Y4XHTy4y  audio/opus\r\n",
        ),
        ("alternate_enclosures_0_codecs", "opus"),
        ("alternate_enclosures_0_integrity_type", "sri"),
        ("alternate_enclosures_0_integrity_value", SRI),
        ("alternate_enclosures_1_type", ""),
        ("alternate_enclosures_2_type", "video/mp4"),
        ("alternate_enclosures_2_height", "1080"),
        (
            "alternate_enclosures_2_sources",
            "https://cdn.example.com/e.mp4",
        ),
        ("chat_server", "irc.zeronode.net"),
        ("chat_protocol", "irc"),
        ("chat_account_id", "@host"),
        ("chat_space", "#p20-ep1"),
        ("social_interact_0_protocol", "activitypub"),
        (
            "social_interact_0_uri",
            "https://podcastindex.social/@dave/1",
        ),
        ("social_interact_0_account_id", "@dave"),
        ("social_interact_0_priority", "1"),
        ("locations_0_name", "Marlow"),
        ("locations_0_rel", "creator"),
        ("locations_0_country", "gb"),
        ("locations_1_name", "Dreamworld"),
        ("locations_1_rel", "subject"),
        ("locations_1_geo", "geo:-27.8611449,153.3162701"),
    ];
    let saved = ui.post(&path, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let e = episode(&app, &user, &id).await;
    let alts = e["alternate_enclosures"].as_array().unwrap();
    assert_eq!(alts.len(), 2, "the empty row is skipped: {e}");
    assert_eq!(
        alts[0]["sources"],
        json!([
            "https://cdn.example.com/e.opus",
            "https://mirror.example.org/e.opus",
            "ipfs://QmdwGqd3d2gFPGeJNLLCshdiPert45fMu84552Y4XHTy4y"
        ]),
        "one source a line, blank lines skipped"
    );
    assert_eq!(
        alts[0]["content_types"],
        json!({"ipfs://QmdwGqd3d2gFPGeJNLLCshdiPert45fMu84552Y4XHTy4y": "audio/opus"}),
        "a type after a source is its content type"
    );
    assert_eq!(alts[0]["codecs"], "opus");
    assert_eq!(alts[0]["default"], true);
    assert_eq!(alts[0]["integrity"]["type"], "sri");
    assert_eq!(alts[1]["height"], 1080);
    assert_eq!(e["chat"]["space"], "#p20-ep1");
    assert_eq!(e["social_interact"][0]["priority"], 1);
    assert_eq!(
        e["location"]["name"], "Marlow",
        "the first place is the location"
    );
    assert_eq!(e["location"]["country"], "GB");
    assert_eq!(e["locations"][0]["name"], "Dreamworld");

    app.run_pending_jobs().await;
    let feed = app.feed_xml("p20").await.expect("published");
    for part in [
        r#"<podcast:alternateEnclosure type="audio/opus" length="32400000" bitrate="96000" lang="en-GB" title="High quality" rel="hq" codecs="opus" default="true">"#,
        r#"<podcast:source uri="ipfs://QmdwGqd3d2gFPGeJNLLCshdiPert45fMu84552Y4XHTy4y" contentType="audio/opus"/>"#,
        r#"<podcast:source uri="https://mirror.example.org/e.opus"/>"#,
        r#"<podcast:integrity type="sri" value=""#,
        r##"<podcast:chat server="irc.zeronode.net" protocol="irc" accountId="@host" space="#p20-ep1"/>"##,
        r#"<podcast:location rel="creator" country="GB">Marlow</podcast:location>"#,
        r#"<podcast:location rel="subject" geo="geo:-27.8611449,153.3162701">Dreamworld</podcast:location>"#,
        r#"protocol="activitypub""#,
    ] {
        assert!(feed.contains(part), "{part} in {feed}");
    }

    // Shown again as stored: the sources one a line, the choices selected.
    let page = ui.get(&path).await;
    assert!(page
        .body
        .contains("https://mirror.example.org/e.opus\nipfs://QmdwGqd3d2gFPGeJNLLCshdiPert45fMu84552Y4XHTy4y audio/opus</textarea>"));
    assert!(page.body.contains(r#"<option value="creator" selected>"#));
    assert!(page
        .body
        .contains(r#"<option value="activitypub" selected>"#));
}

#[tokio::test]
async fn a_bad_alternate_enclosure_place_or_comment_is_refused_beside_its_group_and_nothing_is_stored(
) {
    let (app, mut ui, csrf, user, id) = setup().await;
    let path = format!("/shows/p20/episodes/{id}/podcasting");
    let before = episode(&app, &user, &id).await;
    let ok = [
        ("alternate_enclosures_0_type", "audio/opus"),
        (
            "alternate_enclosures_0_sources",
            "https://cdn.example.com/e.opus",
        ),
        ("locations_0_name", "Marlow"),
        ("social_interact_0_protocol", "activitypub"),
        (
            "social_interact_0_uri",
            "https://podcastindex.social/@dave/1",
        ),
        ("chat_server", "irc.zeronode.net"),
        ("chat_protocol", "irc"),
    ];
    for (name, bad, group, says) in [
        (
            "alternate_enclosures_0_length",
            "big",
            "alternate_enclosures",
            "is not a whole number",
        ),
        (
            "alternate_enclosures_0_bitrate",
            "fast",
            "alternate_enclosures",
            "is not a number",
        ),
        (
            "alternate_enclosures_0_sources",
            "ftp://x/e.opus",
            "alternate_enclosures",
            "URL",
        ),
        (
            "alternate_enclosures_0_integrity_value",
            "not base64!",
            "alternate_enclosures",
            "integrity",
        ),
        ("locations_0_country", "U1", "locations", "two-letter"),
        (
            "locations_0_rel",
            "nearby",
            "locations",
            "subject or creator",
        ),
        (
            "social_interact_0_priority",
            "first",
            "social_interact",
            "whole number",
        ),
        ("chat_protocol", "i r c", "chat_server", "one word"),
    ] {
        let mut form = vec![("csrf", csrf.as_str()), ("action", "save")];
        form.extend(ok.iter().filter(|(k, _)| *k != name));
        form.push((name, bad));
        if name.contains("integrity") {
            form.push(("alternate_enclosures_0_integrity_type", "sri"));
        }
        let page = ui.post(&path, &form).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}={bad}"
        );
        let error = Regex::new(&format!(
            r#"(?s)<p class="error" id="e-{group}"[^>]*>(.*?)</p>"#
        ))
        .unwrap();
        let message = error
            .captures(&page.body)
            .unwrap_or_else(|| panic!("{name}={bad}: no error beside {group}: {}", page.body))[1]
            .to_string();
        assert!(message.contains(says), "{name}={bad}: {message}");
        assert!(
            page.body.contains(&format!("href=\"#f-{group}\"")),
            "the summary links to it"
        );
        assert!(
            page.body.contains(&format!("id=\"f-{group}\"")),
            "and the link leads somewhere"
        );
        assert_eq!(episode(&app, &user, &id).await, before, "{name}={bad}");
    }
}
