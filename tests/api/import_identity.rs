//! Importing into an existing show: only the same podcast updates it (the same `podcast:guid`,
//! the source URL of the first import, or episodes in common). Anything else is 409
//! `import_mismatch` until the caller confirms the replacement.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use wiremock::{
    matchers::{method, path},
    Mock, MockServer, ResponseTemplate,
};

use crate::import::import;
use crate::kit::app::{spawn_app, spawn_app_with, TestApp, TestUser};
use crate::ui::{account, Ui};

/// A feed without `podcast:guid`, as many hosts write them.
fn feed(title: &str, author: &str, guids: &[&str], self_url: Option<&str>) -> String {
    let items: String = guids
        .iter()
        .map(|g| {
            format!(
                "<item><title>Episode {g}</title><guid>{g}</guid>\
                 <pubDate>Mon, 06 Jul 2020 04:00:00 GMT</pubDate>\
                 <enclosure url=\"https://cdn.example.com/{g}.mp3\" length=\"1\" type=\"audio/mpeg\"/>\
                 </item>"
            )
        })
        .collect();
    let own = self_url
        .map(|u| format!("<atom:link rel=\"self\" href=\"{u}\"/>"))
        .unwrap_or_default();
    format!(
        "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" \
         xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>{title}</title>{own}\
         <itunes:author>{author}</itunes:author>{items}</channel></rss>"
    )
}

async fn show(app: &TestApp, user: &TestUser, slug: &str) -> Value {
    let (status, body) = app
        .api(Method::GET, &format!("/shows/{slug}"), Some(user), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn episode_count(app: &TestApp, user: &TestUser, slug: &str) -> usize {
    let path = format!("/shows/{slug}/episodes?limit=500");
    let (_, list) = app.api(Method::GET, &path, Some(user), None).await;
    list["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn another_podcast_does_not_replace_a_show_until_the_replacement_is_confirmed() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let ours = feed("Our Show", "Us", &["ours-1", "ours-2"], None);
    let (status, body) = import(&app, &user, json!({ "rss": ours, "slug": "ours" })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let theirs = feed("Their Show", "Them", &["theirs-1"], None);
    let (status, body) = import(&app, &user, json!({ "rss": theirs, "slug": "ours" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "import_mismatch");
    let message = body["error"]["message"].as_str().unwrap();
    for says in [
        "no podcast:guid",
        "not imported from a feed URL",
        "none of its 1 episodes",
    ] {
        assert!(message.contains(says), "{message:?} should say {says:?}");
    }
    let kept = show(&app, &user, "ours").await;
    assert_eq!(kept["title"], "Our Show");
    assert_eq!(kept["author"], "Us");
    assert_eq!(episode_count(&app, &user, "ours").await, 2);

    let confirmed = json!({ "rss": theirs, "slug": "ours", "replace": true });
    let (status, body) = import(&app, &user, confirmed).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["import"]["replaced"], true);
    assert_eq!(body["title"], "Their Show");
    assert_eq!(episode_count(&app, &user, "ours").await, 3);
}

#[tokio::test]
async fn another_podcast_guid_is_a_mismatch_even_with_episodes_in_common() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let with_guid = |guid: &str| {
        feed("Show", "Us", &["shared"], None).replace(
            "<title>Show</title>",
            &format!(
                "<title>Show</title><podcast:guid xmlns:podcast=\
                 \"https://podcastindex.org/namespace/1.0\">{guid}</podcast:guid>"
            ),
        )
    };
    let first = with_guid("5a8e2b4c-1d2f-5a3b-9c4d-6e7f8a9b0c1d");
    let (status, _) = import(&app, &user, json!({ "rss": first, "slug": "s" })).await;
    assert_eq!(status, StatusCode::CREATED);
    let other = with_guid("11111111-2222-5333-8444-555555555555");
    let (status, body) = import(&app, &user, json!({ "rss": other, "slug": "s" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "import_mismatch");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("11111111-2222-5333-8444-555555555555"),
        "{message}"
    );
}

#[tokio::test]
async fn the_same_podcast_is_known_by_its_source_url_or_by_episodes_in_common() {
    let host = MockServer::start().await;
    let fresh = feed("Fetched", "Host", &["new-1"], None);
    Mock::given(method("GET"))
        .and(path("/feed.xml"))
        .respond_with(ResponseTemplate::new(200).set_body_string(feed(
            "Fetched",
            "Host",
            &["a-1"],
            None,
        )))
        .up_to_n_times(1)
        .mount(&host)
        .await;
    Mock::given(method("GET"))
        .and(path("/feed.xml"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fresh))
        .mount(&host)
        .await;
    let app = spawn_app_with(false, &[("PODPUB_IMPORT_ALLOW_PRIVATE", "true")]).await;
    let user = app.create_user(false).await;
    let url = format!("{}/feed.xml", host.uri());
    let (status, body) = import(&app, &user, json!({ "url": url, "slug": "fetched" })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The same URL again, though no episode is the same: recorded at the first import.
    let (status, body) = import(&app, &user, json!({ "url": url, "slug": "fetched" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["import"]["replaced"], false);
    assert_eq!(body["import"]["episodes_created"], 1);

    // Pasted, naming itself by that URL.
    let pasted = feed("Fetched", "Host", &["new-2"], Some(&url));
    let (status, body) = import(&app, &user, json!({ "rss": pasted, "slug": "fetched" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Pasted without any URL, sharing an episode.
    let shared = feed("Fetched, renamed", "Host", &["a-1", "new-3"], None);
    let (status, body) = import(&app, &user, json!({ "rss": shared, "slug": "fetched" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["import"]["episodes_updated"], 1);
    assert_eq!(body["title"], "Fetched, renamed");

    // A feed from elsewhere, with nothing in common, names both URLs.
    let elsewhere = feed(
        "Other",
        "Else",
        &["z"],
        Some("https://else.example.com/rss"),
    );
    let (status, body) = import(&app, &user, json!({ "rss": elsewhere, "slug": "fetched" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("https://else.example.com/rss") && message.contains(&url),
        "{message}"
    );
}

#[tokio::test]
async fn the_import_page_asks_before_replacing_a_show_and_then_shows_the_report() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    let ours = feed("Our Show", "Us", &["ours-1"], None).replace(
        "</channel>",
        "<item><title>No audio</title><guid>silent</guid></item></channel>",
    );
    let page = ui
        .post(
            "/import",
            &[("csrf", &token), ("rss", &ours), ("slug", "ours")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for says in [
        "id=\"import-report\"",
        "<dd id=\"episodes-created\">1</dd>",
        "<dd id=\"items-skipped\">1</dd>",
        "data-code=\"item_skipped_no_enclosure\"",
        "href=\"/shows/ours\"",
        "301",
        "itunes:new-feed-url",
    ] {
        assert!(page.body.contains(says), "the report page shows {says:?}");
    }

    let theirs = feed("Their Show", "Them", &["theirs-1"], None);
    let page = ui
        .post(
            "/import",
            &[("csrf", &token), ("rss", &theirs), ("slug", "ours")],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("This feed may be another podcast"));
    assert!(page.body.contains("name=\"replace\" value=\"yes\""));
    assert!(
        page.body
            .contains("name=\"rss\" value=\"&#60;rss version=&#34;2.0&#34;"),
        "the confirmation carries the pasted feed"
    );
    assert!(page.body.contains("Replace anyway"));
    let shows = ui.get("/shows/ours").await;
    assert!(shows.body.contains("Our Show") && !shows.body.contains("Their Show"));

    let page = ui
        .post(
            "/import",
            &[
                ("csrf", &token),
                ("rss", &theirs),
                ("slug", "ours"),
                ("replace", "yes"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("The show was replaced"));
    let shows = ui.get("/shows/ours").await;
    assert!(shows.body.contains("Their Show"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_imports_of_one_title_each_get_a_slug_of_their_own() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let imports = (0..4).map(|i| {
        let rss = feed("Same Title", "Us", &[&format!("e{i}")], None);
        let (app, user) = (&app, &user);
        async move { import(app, user, json!({ "rss": rss })).await }
    });
    let mut slugs: Vec<String> = futures::future::join_all(imports)
        .await
        .into_iter()
        .map(|(status, body)| {
            assert_eq!(status, StatusCode::CREATED, "{body}");
            body["slug"].as_str().unwrap().to_string()
        })
        .collect();
    slugs.sort();
    assert_eq!(
        slugs,
        ["same-title", "same-title-2", "same-title-3", "same-title-4"]
    );
}
