//! Several `podcast:location`s, with `rel` and `country`, on shows and episodes.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::spawn_app;

const MADE_IN: &str = r#"<podcast:location rel="creator" geo="geo:51.5718706,-0.7769654" osm="R3727240" country="GB">Marlow</podcast:location>"#;
const ABOUT: &str = r#"<podcast:location rel="subject" geo="geo:-27.8611449,153.3162701" osm="R16317988" country="AU">Dreamworld</podcast:location>"#;

#[tokio::test]
async fn several_locations_are_set_rendered_and_imported() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let places = json!({
        "location": {"name": "Marlow", "rel": "creator", "geo": "geo:51.5718706,-0.7769654",
                     "osm": "R3727240", "country": "gb"},
        "locations": [{"name": "Dreamworld", "rel": "subject", "geo": "geo:-27.8611449,153.3162701",
                       "osm": "R16317988", "country": "AU"}],
    });
    let show = app.post_show(&user, "places", places.clone()).await;
    assert_eq!(
        show["location"]["country"], "GB",
        "codes are kept upper case"
    );
    assert_eq!(show["locations"][0]["name"], "Dreamworld");
    let episode = app.post_episode(&user, "places", places).await;
    assert_eq!(episode["locations"][0]["rel"], "subject");

    app.run_pending_jobs().await;
    let xml = app.feed_xml("places").await.unwrap();
    let (channel, item) = xml.split_at(xml.find("<item>").unwrap());
    for part in [channel, item] {
        let made_in = part.find(MADE_IN).expect(MADE_IN);
        let about = part.find(ABOUT).expect(ABOUT);
        assert!(made_in < about, "the first location comes first:\n{part}");
    }

    // A feed with both imports with both, in order.
    let body = json!({ "rss": xml, "slug": "places-again" });
    let (status, body) = crate::import::import(&app, &user, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, show) = app
        .api(Method::GET, "/shows/places-again", Some(&user), None)
        .await;
    assert_eq!(show["location"]["name"], "Marlow");
    assert_eq!(show["locations"][0]["country"], "AU");
    let (_, list) = app
        .api(
            Method::GET,
            "/shows/places-again/episodes",
            Some(&user),
            None,
        )
        .await;
    assert_eq!(list["items"][0]["locations"][0]["name"], "Dreamworld");
}

#[tokio::test]
async fn a_location_with_a_bad_country_or_rel_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    app.post_show(
        &user,
        "strict-places",
        json!({"location": {"name": "Austin"}}),
    )
    .await;
    for (body, field) in [
        (
            json!({"locations": [{"name": "Nowhere", "country": "USA"}]}),
            "locations",
        ),
        (
            json!({"locations": [{"name": "Nowhere", "country": "1A"}]}),
            "locations",
        ),
        (json!({"locations": [{"name": ""}]}), "locations"),
        (
            json!({"location": {"name": "Austin", "rel": "nearby"}}),
            "body",
        ),
    ] {
        let (status, resp) = app
            .api(
                Method::PATCH,
                "/shows/strict-places",
                Some(&user),
                Some(body.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {resp}");
        let fields = &resp["error"]["fields"];
        if body["locations"][0]["country"].is_string() {
            let message = fields["locations"].as_str().unwrap_or_default();
            assert!(message.contains("country"), "names the country: {resp}");
        }
        assert!(
            fields[field].is_string() || resp["error"]["message"].is_string() && field == "body",
            "{body}: {resp}"
        );
    }
    let (_, show) = app
        .api(Method::GET, "/shows/strict-places", Some(&user), None)
        .await;
    assert_eq!(show["location"]["name"], "Austin");
    assert_eq!(show["locations"], json!([]));
}
