//! The show form's description editor: Markdown typed in a new show previews and counts live,
//! is saved as HTML, shows in the Preview tab and the feed, and reopens as Markdown.

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;
use crate::notes::{until, COUNTER, PREVIEW};

#[tokio::test]
async fn a_markdown_description_typed_in_a_new_show_previews_live_and_reaches_the_feed() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", false).await;
    b.sign_in("host@example.com", PASSWORD).await;
    b.goto("/shows/new").await;
    assert_eq!(
        b.text("#notes-bytes").await,
        "0 of 4,000 bytes in the feed."
    );
    b.fill("slug", "marked").await;
    b.fill("title", "Marked Show").await;
    b.find("input[name=notes_format][value=markdown]")
        .await
        .click()
        .await
        .unwrap();
    b.fill(
        "description",
        "A show about **bold** ideas\n\n- one\n- [our site](https://example.com/)\n\n<script>alert(1)</script>",
    )
    .await;
    let shown = until(&b, PREVIEW, |h| h.contains("<li>")).await;
    assert!(shown.contains("<strong>bold</strong>"), "{shown}");
    assert!(!shown.contains("script"), "{shown}");
    let counter = until(&b, COUNTER, |t| !t.starts_with("0 of")).await;
    assert!(
        counter.ends_with("of 4,000 bytes in the feed."),
        "{counter}"
    );
    b.screenshots("show-notes-new").await;

    b.click("button[name=action][value=save]").await;
    b.at("/shows/marked").await;
    b.goto("/shows/marked/preview").await;
    let page = b.source().await;
    assert!(page.contains("<strong>bold</strong>"), "{page}");
    assert!(!page.contains("**bold**"), "{page}");

    // The edit form reopens the Markdown, and previews through the show's own endpoint.
    b.goto("/shows/marked/edit").await;
    let source = b
        .find("textarea[name=description]")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        source.starts_with("A show about **bold** ideas"),
        "{source}"
    );
    let markdown = b.find("input[name=notes_format][value=markdown]").await;
    assert_eq!(
        markdown.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );
    b.fill("description", "Now _italic_").await;
    let shown = until(&b, PREVIEW, |h| h.contains("<em>")).await;
    assert_eq!(shown, "<p>Now <em>italic</em></p>");
    b.screenshots("show-notes-edit").await;

    app.run_pending_jobs().await;
    let xml = app.feed_xml("marked").await.unwrap();
    assert!(xml.contains("<strong>bold</strong>"), "{xml}");
    b.close().await;
}
