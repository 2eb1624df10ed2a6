//! "Copy media to podpub" in the browser: from the import result to the Media page, whose
//! button queues the copy and whose progress follows it live until the page shows the copy.

use std::time::{Duration, Instant};

use wiremock::{
    matchers::{method, path},
    Mock, MockServer, ResponseTemplate,
};

use crate::browser::{create_account, Browser};
use crate::kit::app::spawn_app_with;
use crate::kit::media::Sample;
use crate::kit::uploads::sample;

#[tokio::test]
async fn a_podcaster_copies_an_imported_shows_media_and_watches_it_finish() {
    let app = spawn_app_with(
        true,
        &[
            ("PODPUB_IMPORT_ALLOW_PRIVATE", "true"),
            ("PODPUB_MEDIA_COPY_STALL_SECS", "5"),
        ],
    )
    .await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    let source = MockServer::start().await;
    let mp3 = sample(Sample::Mp3Cbr);
    Mock::given(method("GET"))
        .and(path("/old/one.mp3"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(mp3.clone()))
        .expect(1)
        .mount(&source)
        .await;
    let xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Moving In</title>\
         <link>https://old.example.com</link><description>d</description>\
         <item><title>One</title><guid isPermaLink=\"false\">ep-1</guid>\
         <pubDate>28 Jul 2020 04:00:00 GMT</pubDate>\
         <enclosure url=\"{}/old/one.mp3\" length=\"{}\" type=\"audio/mpeg\"/></item>\
         </channel></rss>",
        source.uri(),
        mp3.len()
    );
    create_account(&app, "mover@example.com", false).await;
    b.sign_in("mover@example.com", crate::browser::PASSWORD)
        .await;
    b.goto("/import").await;
    b.set_value("rss", &xml).await;
    b.click("form[action='/import'] button[type=submit]").await;
    b.click("#copy-media-step a").await;
    assert_eq!(b.path().await, "/shows/moving-in/media");
    assert!(b.exists("tr[data-state='waiting']").await);
    b.click("#copy-media-button").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !b.exists("tr[data-state='copied']").await {
        assert!(
            Instant::now() < deadline,
            "the copy never showed as copied: {}",
            b.source().await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let text = b.text("#copy-text").await;
    assert!(text.contains("1 done, 0 failed of 1"), "{text}");
    assert!(b.source().await.contains(">one.mp3</a>"));
    b.screenshot("show-media").await;
    b.close().await;
}
