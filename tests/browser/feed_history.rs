//! The Feed tab's published versions (what changed, a download, a diff of two) and the
//! directory hand-off, in Chromium.

use serde_json::{json, Value};

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::{spawn_app_with, TestApp};

/// How many px the page is wider than the window at 390 px: 0 when nothing scrolls sideways.
async fn overflow_at_phone_width(b: &Browser) -> f64 {
    b.c.set_window_size(390, 844).await.unwrap();
    let wide =
        b.c.execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    b.c.set_window_size(1280, 1000).await.unwrap();
    wide.as_f64().unwrap()
}

async fn publish_three_versions(app: &TestApp) {
    let api = app.create_user(true).await;
    // No category: Apple's and Spotify's category checks are not met.
    app.post_show(
        &api,
        "history",
        json!({"title": "History Show", "categories": []}),
    )
    .await;
    app.run_pending_jobs().await;
    let episode = app
        .post_episode(&api, "history", json!({"title": "Pilot episode"}))
        .await;
    app.run_pending_jobs().await;
    let id = episode["id"].as_str().unwrap();
    let path = format!("/shows/history/episodes/{id}");
    let body = json!({"title": "Pilot, retitled"});
    let (status, out) = app
        .api(reqwest::Method::PATCH, &path, Some(&api), Some(body))
        .await;
    assert!(status.is_success(), "{out}");
    app.run_pending_jobs().await;
}

#[tokio::test]
async fn the_feed_tab_lists_versions_downloads_one_and_compares_two() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    publish_three_versions(&app).await;
    b.sign_in("host@example.com", PASSWORD).await;
    b.goto("/shows/history").await;

    let rows = b
        .c
        .execute(
            "return [...document.querySelectorAll('table.versions tbody tr')].map(r => r.innerText);",
            vec![],
        )
        .await
        .unwrap();
    let rows: Vec<String> = serde_json::from_value(rows).unwrap();
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert!(rows[0].contains("Changed: Pilot, retitled"), "{}", rows[0]);
    assert!(rows[1].contains("Added: Pilot episode"), "{}", rows[1]);
    assert!(rows[2].contains("First version"), "{}", rows[2]);

    // The newest version's download is the feed as published, byte for byte.
    let link = b
        .find("table.versions tbody tr:first-child a[download]")
        .await;
    let href = link.attr("href").await.unwrap().unwrap();
    let fetched =
        b.c.execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(async r => done({status: r.status,
                 type: r.headers.get('content-type'),
                 disposition: r.headers.get('content-disposition'), body: await r.text()}));",
            vec![Value::String(href)],
        )
        .await
        .unwrap();
    assert_eq!(fetched["status"], 200);
    assert_eq!(fetched["type"], "application/rss+xml");
    assert!(fetched["disposition"]
        .as_str()
        .unwrap()
        .starts_with("attachment; filename=\"history-r"));
    let published = std::fs::read_to_string(app.publish_dir.join("history/feed.xml")).unwrap();
    assert_eq!(fetched["body"].as_str().unwrap(), published);

    // The directory hand-off: a met check and an unmet one with the warning's message.
    let apple = "[data-directory=apple-podcasts]";
    let unmet = b.text(&format!("{apple} .check.unmet")).await;
    assert!(unmet.contains("Not met: At least one category"), "{unmet}");
    assert!(unmet.contains("Choose a category"), "{unmet}");
    let met = b.text(&format!("{apple} .check.met")).await;
    assert!(met.starts_with("✓ Met: Artwork"), "{met}");
    let copy = b.find(&format!("{apple} button[data-copy]")).await;
    let label = copy.attr("aria-label").await.unwrap().unwrap();
    assert_eq!(label, "Copy the feed URL for Apple Podcasts");
    assert!(b.exists("[data-directory=podcast-index] .check.met").await);

    assert!(
        overflow_at_phone_width(&b).await <= 1.0,
        "the Feed tab scrolls sideways"
    );
    b.screenshots("feed-history").await;

    b.click("table.versions tbody tr:first-child a[href*='/feed/diff']")
        .await;
    assert_eq!(b.path().await, "/shows/history/feed/diff");
    let removed = lines(&b, "del").await;
    let retitled = removed
        .iter()
        .find(|l| l.contains("<title>Pilot episode</title>"));
    assert!(
        retitled.is_some_and(|l| l.contains("-removed: ")),
        "{removed:?}"
    );
    let added = lines(&b, "add").await;
    let retitled = added
        .iter()
        .find(|l| l.contains("<title>Pilot, retitled</title>"));
    assert!(
        retitled.is_some_and(|l| l.contains("+added: ")),
        "{added:?}"
    );
    let skipped = b.text(".diff .skip-lines").await;
    assert!(skipped.contains("unchanged lines"), "{skipped}");
    assert!(
        overflow_at_phone_width(&b).await <= 1.0,
        "the diff scrolls sideways"
    );
    b.screenshots("feed-diff").await;

    // Any two, picked below the list.
    b.goto("/shows/history").await;
    let oldest = rows_ids(&b).await.pop().unwrap();
    b.select("against", &oldest).await;
    b.click("form.compare button[type=submit]").await;
    let title = b.text("#diff-h").await;
    assert!(
        title.starts_with(&format!("Version #{oldest} compared with")),
        "{title}"
    );
    assert!(b.text(".diff").await.contains("Pilot, retitled"));
    b.close().await;
}

async fn rows_ids(b: &Browser) -> Vec<String> {
    let ids = b
        .c
        .execute(
            "return [...document.querySelectorAll('table.versions tbody tr')].map(r => r.dataset.version);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(ids).unwrap()
}

/// The text of each diff line of `class` (`add`, `del`), signs and screen-reader words included.
async fn lines(b: &Browser, class: &str) -> Vec<String> {
    let script =
        format!("return [...document.querySelectorAll('.diff .{class}')].map(l => l.textContent);");
    let found = b.c.execute(&script, vec![]).await.unwrap();
    serde_json::from_value(found).unwrap()
}
