//! The Podcasting 2.0 page in a browser: repeatable rows grow with "Add a row", and what is
//! saved reaches the feed.

use reqwest::Method;
use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;

#[tokio::test]
async fn people_added_row_by_row_reach_the_feed() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "rows", json!({"title": "Rows"})).await;
    b.sign_in("host@example.com", PASSWORD).await;

    b.goto("/shows/rows").await;
    b.click("nav.tabs a[href$='/podcasting']").await;
    b.at("/shows/rows/podcasting").await;
    b.fill("persons_0_name", "Ada Host").await;
    b.fill("persons_0_role", "host").await;
    assert!(
        !b.exists("#f-persons_1_name").await,
        "one blank row to start"
    );
    b.click("button[value=add_persons]").await;
    b.at("/shows/rows/podcasting").await;
    // What was typed stays, and a blank row joins it.
    assert_eq!(
        b.find("#f-persons_0_name")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Ada Host")
    );
    b.fill("persons_1_name", "Grace Guest").await;
    b.fill("persons_1_role", "guest").await;
    b.select("medium", "music").await;
    b.screenshot("podcasting").await;
    b.click(".actions button[value=save]").await;
    b.at("/shows/rows/podcasting").await;
    assert!(b.text(".notice").await.contains("Saved"));

    let (_, show) = app.api(Method::GET, "/shows/rows", Some(&api), None).await;
    assert_eq!(show["persons"][1]["name"], "Grace Guest", "{show}");
    app.run_pending_jobs().await;
    let feed = app.feed_xml("rows").await.expect("feed published");
    assert!(
        feed.contains(r#"<podcast:person role="guest">Grace Guest</podcast:person>"#),
        "{feed}"
    );
    assert!(feed.contains("<podcast:medium>music</podcast:medium>"));
    b.close().await;
}

/// Clicks an in-page button (no navigation), such as a row's "Remove row".
async fn press(b: &Browser, css: &str) {
    b.find(css).await.click().await.unwrap();
}

#[tokio::test]
async fn value_recipients_and_places_are_added_and_removed_row_by_row_and_reach_the_feed() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "v4v", json!({"title": "V4V"})).await;
    b.sign_in("host@example.com", PASSWORD).await;
    b.goto("/shows/v4v/podcasting").await;

    // Places: three rows, the middle one removed again.
    b.fill("locations_0_name", "Austin, TX").await;
    b.select("locations_0_rel", "creator").await;
    b.fill("locations_0_country", "us").await;
    b.click("button[value=add_locations]").await;
    b.fill("locations_1_name", "Nowhere").await;
    b.fill("locations_2_name", "Berlin").await;
    b.fill("locations_2_geo", "geo:52.52,13.405").await;
    press(&b, "[data-remove-row=locations_1]").await;
    assert!(!b
        .find("[data-row]:has(#f-locations_1_name)")
        .await
        .is_displayed()
        .await
        .unwrap());

    // A value block: open it, two recipients, a third added and removed.
    press(&b, "details.value-block > summary").await;
    b.select("value_0_method", "keysend").await;
    b.fill("value_0_suggested", "0.00000005000").await;
    b.fill("value_0_recipients_0_name", "Host").await;
    b.select("value_0_recipients_0_type", "node").await;
    b.fill(
        "value_0_recipients_0_address",
        "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52",
    )
    .await;
    b.fill("value_0_recipients_0_split", "90").await;
    b.click("button[value=add_value_0_recipients]").await;
    b.at("/shows/v4v/podcasting").await;
    b.fill("value_0_recipients_1_name", "Guest").await;
    b.select("value_0_recipients_1_type", "lnaddress").await;
    b.fill("value_0_recipients_1_address", "guest@getalby.com")
        .await;
    b.fill("value_0_recipients_1_split", "10").await;
    b.fill("value_0_recipients_2_name", "Changed my mind").await;
    b.fill("value_0_recipients_2_split", "50").await;
    press(&b, "[data-remove-row=value_0_recipients_2]").await;
    // A time split offered and left blank is not stored.
    b.click("button[value=add_value_0_splits]").await;
    assert!(b.exists("#f-value_0_splits_0_start_time").await);
    assert!(
        !b.source().await.contains("Changed my mind"),
        "the removed row is gone"
    );
    b.screenshot_page("podcasting-value").await;
    b.click(".actions button[value=save]").await;
    b.at("/shows/v4v/podcasting").await;
    assert!(b.text(".notice").await.contains("Saved"));
    b.screenshot_page("podcasting-value-saved").await;

    app.run_pending_jobs().await;
    let feed = app.feed_xml("v4v").await.expect("feed published");
    assert!(
        feed.contains(
            r#"<podcast:location rel="creator" country="US">Austin, TX</podcast:location>"#
        ),
        "{feed}"
    );
    assert!(
        feed.contains(r#"<podcast:location geo="geo:52.52,13.405">Berlin</podcast:location>"#),
        "{feed}"
    );
    assert!(!feed.contains("Nowhere"));
    assert!(
        feed.contains(
            r#"<podcast:value type="lightning" method="keysend" suggested="0.00000005000">"#
        ),
        "{feed}"
    );
    assert!(feed.contains(r#"<podcast:valueRecipient name="Guest" type="lnaddress" address="guest@getalby.com" split="10"/>"#), "{feed}");
    assert_eq!(
        feed.matches("<podcast:valueRecipient ").count(),
        2,
        "{feed}"
    );
    assert!(!feed.contains("Changed my mind"));

    // A bad split is refused, with the error in its block and what was typed kept.
    b.fill("value_0_recipients_1_split", "-5").await;
    b.click(".actions button[value=save]").await;
    let error = b.text("#f-value_0 #e-value").await;
    assert!(
        error.contains("recipient 2: split must be a number of shares"),
        "{error}"
    );
    b.find("#f-value_0")
        .await
        .screenshot()
        .await
        .map(|png| {
            let dir =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ui-screenshots");
            std::fs::write(dir.join("podcasting-value-error.png"), png).unwrap();
        })
        .unwrap();
    b.close().await;
}

#[tokio::test]
async fn alternate_enclosures_are_added_and_removed_row_by_row_and_reach_the_feed() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "alts", json!({"title": "Alts"})).await;
    let e = app.post_episode(&api, "alts", json!({})).await;
    let id = e["id"].as_str().unwrap();
    b.sign_in("host@example.com", PASSWORD).await;
    let path = format!("/shows/alts/episodes/{id}/podcasting");
    b.goto(&format!("/shows/alts/episodes/{id}")).await;
    b.click(&format!("a[href='{path}']")).await;
    b.at(&path).await;

    b.fill("alternate_enclosures_0_type", "audio/opus").await;
    b.fill("alternate_enclosures_0_length", "32400000").await;
    b.fill("alternate_enclosures_0_bitrate", "96000").await;
    b.fill("alternate_enclosures_0_title", "High quality").await;
    b.fill(
        "alternate_enclosures_0_sources",
        "https://cdn.example.com/e.opus\nhttps://mirror.example.org/e.opus",
    )
    .await;
    b.click("button[value=add_alternate_enclosures]").await;
    b.at(&path).await;
    b.fill("alternate_enclosures_1_type", "audio/aac").await;
    b.fill(
        "alternate_enclosures_1_sources",
        "https://cdn.example.com/e.aac",
    )
    .await;
    b.fill("alternate_enclosures_2_type", "video/mp4").await;
    b.fill(
        "alternate_enclosures_2_sources",
        "https://cdn.example.com/e.mp4",
    )
    .await;
    press(&b, "[data-remove-row=alternate_enclosures_1]").await;
    b.fill("chat_server", "irc.zeronode.net").await;
    b.fill("chat_protocol", "irc").await;
    b.fill("chat_space", "#alts").await;
    b.screenshot_page("episode-podcasting").await;
    b.click(".actions button[value=save]").await;
    b.at(&path).await;
    assert!(!b.exists(".errors").await, "{}", b.text(".errors").await);
    assert!(b.text(".notice").await.contains("Saved"));

    app.run_pending_jobs().await;
    let feed = app.feed_xml("alts").await.expect("feed published");
    assert!(
        feed.contains(r#"<podcast:alternateEnclosure type="audio/opus" length="32400000" bitrate="96000" title="High quality">"#),
        "{feed}"
    );
    assert!(feed.contains(r#"<podcast:source uri="https://mirror.example.org/e.opus"/>"#));
    assert!(feed.contains(r#"<podcast:source uri="https://cdn.example.com/e.mp4"/>"#));
    assert!(!feed.contains("e.aac"), "the removed row is gone: {feed}");
    assert!(
        feed.contains(
            r##"<podcast:chat server="irc.zeronode.net" protocol="irc" space="#alts"/>"##
        ),
        "{feed}"
    );
    b.close().await;
}
