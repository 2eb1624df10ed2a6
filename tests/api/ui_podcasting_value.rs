//! Value blocks, places, alternate enclosures, chat and comments on the Podcasting 2.0 pages:
//! what a form sends reaches the API and the feed, a form sent back as shown changes nothing,
//! and a bad value is refused beside its field with nothing stored.

use regex::Regex;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::{spawn_app, TestApp, TestUser};
use crate::ui::{owner_and_editor, Ui};

const ALICE: &str = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52";
const HOST: &str = "03ae9f91a0cb8ff43840e3c322c4c61f019d8c1c3cea15a25cfc425ac605e61a4a";
const SONG: &str = "a94f5cc9-8c58-55fc-91fe-a324087a655b";

/// A signed-in UI user who owns show `p20`, an API user who edits it, and a CSRF token.
async fn setup() -> (TestApp, Ui, String, TestUser) {
    let app = spawn_app().await;
    let (ui, csrf, user) = owner_and_editor(&app, "p20", "P20").await;
    (app, ui, csrf, user)
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#38;", "&")
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let re = Regex::new(&format!(r#"(?i)\s{name}="([^"]*)""#)).unwrap();
    re.captures(tag).map(|c| unescape(&c[1]))
}

/// What a browser sends when the form posting to `action` is saved untouched: every input's
/// value, checked boxes only, each select's selected (or first) option, textareas' text.
pub fn as_shown(page: &str, action: &str) -> Vec<(String, String)> {
    let form = Regex::new(r"(?is)<form\b([^>]*)>(.*?)</form>").unwrap();
    let body = form
        .captures_iter(page)
        .find(|f| attr(&f[1], "action").as_deref() == Some(action))
        .map(|f| f[2].to_string())
        .expect("the page has the form");
    let input = Regex::new(r"(?is)<input\b([^>]*)>").unwrap();
    let textarea = Regex::new(r"(?is)<textarea\b([^>]*)>(.*?)</textarea>").unwrap();
    let select = Regex::new(r"(?is)<select\b([^>]*)>(.*?)</select>").unwrap();
    let option = Regex::new(r"(?is)<option\b([^>]*)>").unwrap();
    let (checked, selected) = (
        Regex::new(r"\schecked\b").unwrap(),
        Regex::new(r"\sselected\b").unwrap(),
    );
    let mut sent = vec![("action".to_string(), "save".to_string())];
    for i in input.captures_iter(&body) {
        let Some(name) = attr(&i[1], "name") else {
            continue;
        };
        let kind = attr(&i[1], "type").unwrap_or_default();
        if kind == "checkbox" {
            if checked.is_match(&i[1]) {
                sent.push((name, attr(&i[1], "value").unwrap_or_else(|| "on".into())));
            }
        } else {
            sent.push((name, attr(&i[1], "value").unwrap_or_default()));
        }
    }
    for t in textarea.captures_iter(&body) {
        if let Some(name) = attr(&t[1], "name") {
            sent.push((name, unescape(&t[2])));
        }
    }
    for s in select.captures_iter(&body) {
        let Some(name) = attr(&s[1], "name") else {
            continue;
        };
        let options: Vec<&str> = option
            .captures_iter(&s[2])
            .map(|o| o.get(1).unwrap().as_str())
            .collect();
        let chosen = options
            .iter()
            .find(|o| selected.is_match(o))
            .or(options.first());
        sent.push((
            name,
            chosen.and_then(|o| attr(o, "value")).unwrap_or_default(),
        ));
    }
    sent
}

async fn post_pairs(ui: &mut Ui, path: &str, pairs: &[(String, String)]) -> crate::ui::Page {
    let form: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (&**k, &**v)).collect();
    ui.post(path, &form).await
}

fn three_blocks() -> Value {
    json!([
        {"type": "lightning", "method": "keysend", "suggested": "0.00000015000",
         "recipients": [
            {"name": "Alice & Co", "type": "node", "address": ALICE, "split": 95, "fee": false,
             "custom_key": "696969", "custom_value": "eChoVKtO1KujpAA5HCoB"},
            {"name": "Hosting Provider", "type": "node", "address": HOST, "split": 5, "fee": true},
         ],
         "time_splits": [
            {"start_time": 60, "duration": 237, "remote_start_time": 12.5, "remote_percentage": 95,
             "remote_item": {"feed_guid": SONG, "item_guid": "https://podcastindex.org/podcast/4148683#1",
                             "feed_url": "https://example.com/song.xml", "medium": "music"}},
            {"start_time": 330.5, "duration": 53,
             "recipients": [{"name": "Jimbob", "type": "lnaddress", "address": "jim@example.com", "split": 10}]},
         ]},
        {"type": "lightning", "method": "lnaddress",
         "recipients": [{"type": "lnaddress", "address": "show@getalby.com", "split": 1}]},
        {"type": "bitcoin", "method": "wallet",
         "recipients": [{"name": "Cold", "type": "wallet", "address": "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh", "split": 3}]},
    ])
}

async fn get_json(app: &TestApp, user: &TestUser, path: &str) -> Value {
    let (status, v) = app.api(Method::GET, path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn a_value_block_typed_on_the_show_page_reaches_the_api_and_the_feed() {
    let (app, mut ui, csrf, user) = setup().await;
    let page = ui.get("/shows/p20/podcasting").await;
    assert!(page.body.contains("name=\"value_0_recipients_0_address\""));
    assert!(page.body.contains("Value for value"));
    let form = [
        ("csrf", csrf.as_str()),
        ("action", "save"),
        ("value_0_type", "lightning"),
        ("value_0_method", "keysend"),
        ("value_0_suggested", "0.00000005000"),
        ("value_0_recipients_0_name", "Alice"),
        ("value_0_recipients_0_type", "node"),
        ("value_0_recipients_0_address", ALICE),
        ("value_0_recipients_0_split", "95"),
        ("value_0_recipients_0_custom_key", "696969"),
        ("value_0_recipients_0_custom_value", "eChoVKtO1KujpAA5HCoB"),
        ("value_0_recipients_1_name", ""),
        ("value_0_recipients_2_name", "Host"),
        ("value_0_recipients_2_type", "node"),
        ("value_0_recipients_2_address", HOST),
        ("value_0_recipients_2_split", "5"),
        ("value_0_recipients_2_fee", "on"),
        ("value_0_splits_0_start_time", "60"),
        ("value_0_splits_0_duration", "237"),
        ("value_0_splits_0_remote_percentage", "95"),
        ("value_0_splits_0_feed_guid", SONG),
        ("value_0_splits_0_medium", "music"),
        ("value_0_splits_1_start_time", "330.5"),
        ("value_0_splits_1_duration", "53"),
        ("value_0_splits_1_recipients_0_name", "Jimbob"),
        ("value_0_splits_1_recipients_0_type", "lnaddress"),
        ("value_0_splits_1_recipients_0_address", "jim@example.com"),
        ("value_0_splits_1_recipients_0_split", "10"),
        // A blank block's choices alone do not make a block.
        ("value_1_type", "lightning"),
        ("value_1_method", "keysend"),
    ];
    let saved = ui.post("/shows/p20/podcasting", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let show = get_json(&app, &user, "/shows/p20").await;
    let value = show["value"].as_array().unwrap();
    assert_eq!(value.len(), 1, "{show}");
    let block = &value[0];
    assert_eq!(block["suggested"], "0.00000005000");
    assert_eq!(
        block["recipients"].as_array().unwrap().len(),
        2,
        "the empty row is skipped"
    );
    assert_eq!(block["recipients"][1]["fee"], true);
    assert_eq!(block["recipients"][0]["custom_key"], "696969");
    assert_eq!(block["time_splits"][0]["remote_item"]["feed_guid"], SONG);
    assert_eq!(block["time_splits"][0]["remote_percentage"], 95);
    assert_eq!(block["time_splits"][1]["start_time"], 330.5);
    assert_eq!(block["time_splits"][1]["recipients"][0]["name"], "Jimbob");

    app.run_pending_jobs().await;
    let feed = app.feed_xml("p20").await.expect("published");
    assert!(
        feed.contains(
            r#"<podcast:value type="lightning" method="keysend" suggested="0.00000005000">"#
        ),
        "{feed}"
    );
    assert!(feed.contains(&format!(
        r#"<podcast:valueRecipient name="Host" type="node" address="{HOST}" split="5" fee="true"/>"#
    )));
    assert!(
        feed.contains(
            r#"<podcast:valueTimeSplit startTime="60" duration="237" remotePercentage="95">"#
        ),
        "{feed}"
    );
    assert!(
        feed.contains(&format!(
            r#"<podcast:remoteItem feedGuid="{SONG}" medium="music"/>"#
        )),
        "{feed}"
    );

    // Shown again as stored, with "Add a time split" giving one more.
    let page = ui.get("/shows/p20/podcasting").await;
    assert!(page.body.contains("value=\"Jimbob\""));
    assert!(page.body.contains("name=\"value_0_splits_1_start_time\""));
    assert!(!page.body.contains("name=\"value_0_splits_2_start_time\""));
    let mut more = form.to_vec();
    more[1] = ("action", "add_value_0_splits");
    let page = ui.post("/shows/p20/podcasting", &more).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"value_0_splits_2_start_time\""));
}

#[tokio::test]
async fn a_bad_value_block_is_refused_beside_the_value_section_and_nothing_is_stored() {
    let (app, mut ui, csrf, user) = setup().await;
    let before = get_json(&app, &user, "/shows/p20").await;
    let base = [
        ("csrf", csrf.as_str()),
        ("action", "save"),
        ("value_0_type", "lightning"),
        ("value_0_method", "keysend"),
        ("value_0_recipients_0_type", "node"),
        ("value_0_recipients_0_address", ALICE),
        ("persons_0_name", "Ada Host"),
    ];
    let error = Regex::new(r#"(?s)<p class="error" id="e-value"[^>]*>(.*?)</p>"#).unwrap();
    for (name, bad, says) in [
        (
            "value_0_recipients_0_split",
            "lots",
            "is not a whole number of shares",
        ),
        (
            "value_0_recipients_0_split",
            "-5",
            "split must be a number of shares",
        ),
        (
            "value_0_suggested",
            "5 sats",
            "suggested must be a decimal amount",
        ),
        (
            "value_0_splits_0_start_time",
            "soon",
            "is not a number of seconds",
        ),
        (
            "value_0_splits_0_remote_percentage",
            "150",
            "remote_percentage must be from 0 to 100",
        ),
        ("value_0_method", "paypal", "method must be one of"),
    ] {
        let mut form = base.to_vec();
        form.retain(|(k, _)| *k != name);
        form.push((name, bad));
        if name != "value_0_recipients_0_split" {
            form.push(("value_0_recipients_0_split", "1"));
        }
        if name.contains("splits") {
            if name != "value_0_splits_0_start_time" {
                form.push(("value_0_splits_0_start_time", "0"));
            }
            form.push(("value_0_splits_0_duration", "10"));
            form.push(("value_0_splits_0_feed_guid", SONG));
        }
        let page = ui.post("/shows/p20/podcasting", &form).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}={bad}"
        );
        let message = error
            .captures(&page.body)
            .unwrap_or_else(|| panic!("{name}={bad}: no error beside the value section"))[1]
            .to_string();
        assert!(message.contains(says), "{name}={bad}: {message}");
        assert!(message.contains("value block 1"), "{message}");
        assert!(
            page.body.contains("href=\"#f-value\""),
            "the summary links to it"
        );
        assert!(
            page.body.contains(&format!("value=\"{bad}\"")),
            "what was typed stays: {name}"
        );
        assert_eq!(
            get_json(&app, &user, "/shows/p20").await,
            before,
            "{name}={bad}"
        );
    }
}

#[tokio::test]
async fn saving_the_page_untouched_keeps_every_value_block_and_the_rest_as_stored() {
    let (app, mut ui, csrf, user) = setup().await;
    let (status, _) = app
        .api(
            Method::PATCH,
            "/shows/p20",
            Some(&user),
            Some(json!({
                "value": three_blocks(),
                "location": {"name": "Marlow", "rel": "creator", "geo": "geo:51.5718706,-0.7769654",
                             "osm": "R3727240", "country": "GB"},
                "locations": [{"name": "Dreamworld", "rel": "subject", "country": "AU"},
                              {"name": "Austin"}],
                "social_interact": [{"protocol": "activitypub", "uri": "https://mastodon.social/@p/1",
                                     "account_id": "@p", "priority": 1}],
                "chat": {"server": "irc.zeronode.net", "protocol": "irc", "space": "#p20"},
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let before = get_json(&app, &user, "/shows/p20").await;
    let page = ui.get("/shows/p20/podcasting").await;
    assert!(
        page.body.contains("name=\"value_2_recipients_0_address\""),
        "all three blocks"
    );
    let mut sent = as_shown(&page.body, "/shows/p20/podcasting");
    sent.push(("csrf".into(), csrf.clone()));
    let saved = post_pairs(&mut ui, "/shows/p20/podcasting", &sent).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = get_json(&app, &user, "/shows/p20").await;
    for key in ["value", "location", "locations", "social_interact", "chat"] {
        assert_eq!(after[key], before[key], "{key}");
    }
    assert_eq!(after["value"].as_array().unwrap().len(), 3);
    assert_eq!(after["value"][0]["recipients"][0]["name"], "Alice & Co");

    // The same on an episode's page.
    let e = app
        .post_episode(
            &user,
            "p20",
            json!({"value": three_blocks(), "locations": [{"name": "Berlin", "country": "DE"}],
                   "location": {"name": "Paris"},
                   "alternate_enclosures": [
                       {"type": "audio/opus", "length": 32400000, "bitrate": 96000.5, "height": 720,
                        "lang": "en-GB", "title": "High quality", "rel": "hq", "default": true,
                        "codecs": "opus",
                        "sources": ["https://cdn.example.com/e.opus", "https://mirror.example.org/e.opus",
                                    "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a"],
                        "content_types": {"magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a": "audio/opus"},
                        "integrity": {"type": "sri", "value": "sha384-ExVqijgYHm15PqQqdXfW95x+Rs6C+d6E/ICxyQOeFevnxNLR/wtJNrNYTjIysUBo"}}],
                   "chat": {"server": "irc.zeronode.net", "protocol": "irc"},
                   "social_interact": [{"protocol": "disabled"}]}),
        )
        .await;
    let id = e["id"].as_str().unwrap();
    let api_path = format!("/shows/p20/episodes/{id}");
    let before = get_json(&app, &user, &api_path).await;
    let path = format!("/shows/p20/episodes/{id}/podcasting");
    let page = ui.get(&path).await;
    let mut sent = as_shown(&page.body, &path);
    sent.push(("csrf".into(), csrf));
    let saved = post_pairs(&mut ui, &path, &sent).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = get_json(&app, &user, &api_path).await;
    for key in [
        "value",
        "location",
        "locations",
        "alternate_enclosures",
        "chat",
        "social_interact",
    ] {
        assert_eq!(after[key], before[key], "{key}");
    }
    assert_eq!(
        after["alternate_enclosures"][0]["sources"][1],
        "https://mirror.example.org/e.opus"
    );
}

#[tokio::test]
async fn an_error_in_one_value_block_is_shown_in_that_block() {
    let (app, mut ui, csrf, user) = setup().await;
    // Block 1 of the form is left empty: the checks' "value block 2" is the form's third.
    let form = [
        ("csrf", csrf.as_str()),
        ("action", "save"),
        ("value_0_type", "lightning"),
        ("value_0_method", "keysend"),
        ("value_1_type", "lightning"),
        ("value_1_method", "keysend"),
        ("value_1_recipients_0_type", "node"),
        ("value_1_recipients_0_address", ALICE),
        ("value_1_recipients_0_split", "1"),
        ("value_2_type", "lightning"),
        ("value_2_method", "keysend"),
        ("value_2_recipients_0_type", "carrier-pigeon"),
        ("value_2_recipients_0_address", ALICE),
        ("value_2_recipients_0_split", "1"),
    ];
    let page = ui.post("/shows/p20/podcasting", &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let block = Regex::new(r#"(?s)<fieldset id="f-value_2" class="value-block invalid">\s*<legend>Value block 3</legend>\s*<p class="error" id="e-value"[^>]*>([^<]*)</p>"#).unwrap();
    let message = block
        .captures(&page.body)
        .unwrap_or_else(|| panic!("no error in the third block: {}", page.body))[1]
        .to_string();
    assert!(
        message.contains("value block 2, recipient 1: type must be one of"),
        "{message}"
    );
    assert_eq!(page.body.matches("id=\"e-value\"").count(), 1, "shown once");
    assert!(get_json(&app, &user, "/shows/p20").await["value"]
        .as_array()
        .unwrap()
        .is_empty());
}
