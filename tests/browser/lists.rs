//! Lists and forms in Chromium: paging through episodes and sorting them, searching shows,
//! filtering the time zone list, and a notice that shows once. Screenshots at 1280 and 390 px.

use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::{spawn_app_with, TestApp};

async fn seed_episodes(app: &TestApp, slug: &str, n: i32) {
    sqlx::query(
        "insert into episodes (show_id, guid, title, enclosure_url, enclosure_length,
             enclosure_type, season, episode, publish_at)
         select s.id, 'g' || i, 'Episode ' || i, 'https://example.com/' || i || '.mp3', 10,
             'audio/mpeg', 1, i, timestamptz '2024-01-01' + make_interval(days => i)
         from shows s, generate_series(1, $2) i where s.slug = $1",
    )
    .bind(slug)
    .bind(n)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn rows(b: &Browser) -> usize {
    let n =
        b.c.execute(
            "return document.querySelectorAll('table.list tbody tr').length;",
            vec![],
        )
        .await
        .unwrap();
    n.as_u64().unwrap() as usize
}

/// Screenshots of the current page at 1280 px (whole page) and 390 px wide.
async fn both_widths(b: &Browser, name: &str) {
    b.screenshot_page(&format!("{name}-1280")).await;
    b.c.set_window_size(390, 844).await.unwrap();
    b.screenshot(&format!("{name}-390")).await;
    b.c.set_window_size(1280, 1000).await.unwrap();
}

#[tokio::test]
async fn a_podcaster_pages_through_episodes_and_sorts_them() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "long", json!({"title": "Long runner"}))
        .await;
    seed_episodes(&app, "long", 60).await;
    b.sign_in("host@example.com", PASSWORD).await;

    b.goto("/shows/long/episodes").await;
    assert_eq!(rows(&b).await, 50);
    assert!(b.text("#episode-counts").await.contains("60 episodes"));
    assert_eq!(b.text("table.list tbody td.title").await, "Episode 60");
    both_widths(&b, "episodes-list").await;

    b.click("a[rel=next]").await;
    assert_eq!(rows(&b).await, 10);
    assert!(b.text(".pager").await.contains("Page 2 of 2"));
    let url = b.c.current_url().await.unwrap();
    assert_eq!(url.query(), Some("page=2"), "the page is in the URL");

    b.click("a.sort[href*='sort=title']").await;
    assert_eq!(b.text("table.list tbody td.title").await, "Episode 1");
    let th = b.find("th[aria-sort]").await;
    assert_eq!(
        th.attr("aria-sort").await.unwrap().as_deref(),
        Some("ascending")
    );
    let titles: Vec<String> = serde_json::from_value(
        b.c.execute(
            "return [...document.querySelectorAll('td.title')].slice(0, 3).map(td => td.textContent);",
            vec![],
        )
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        titles,
        ["Episode 1", "Episode 2", "Episode 3"],
        "natural order"
    );

    b.click("th[aria-sort] a.sort").await;
    assert_eq!(b.text("table.list tbody td.title").await, "Episode 60");
    let th = b.find("th[aria-sort]").await;
    assert_eq!(
        th.attr("aria-sort").await.unwrap().as_deref(),
        Some("descending")
    );
    b.c.refresh().await.unwrap();
    assert_eq!(
        b.text("table.list tbody td.title").await,
        "Episode 60",
        "a reload keeps the order"
    );

    // A form with several errors lists them all, in form order, by label.
    b.goto("/shows/long/episodes/new").await;
    b.fill("enclosure_url", "not a url").await;
    b.fill("season", "-1").await;
    // Past the browser's own checks, as a browser without them would send it.
    b.c.execute(
        "document.querySelectorAll('form').forEach(f => f.noValidate = true);",
        vec![],
    )
    .await
    .unwrap();
    b.click("button[value=draft]").await;
    let summary: Vec<String> = serde_json::from_value(
        b.c.execute(
            "return [...document.querySelectorAll('#error-summary li a')].map(a => a.textContent);",
            vec![],
        )
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(summary[..2], ["Title", "Media URL"], "{summary:?}");
    assert!(summary.contains(&"Season".to_string()), "{summary:?}");
    both_widths(&b, "episode-form-errors").await;
    b.close().await;
}

#[tokio::test]
async fn a_podcaster_searches_shows() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "admin@example.com", true).await;
    let api = app.create_user(true).await;
    for (slug, title) in [
        ("s10", "Show 10"),
        ("s2", "show 2"),
        ("zebra", "Zebra talk"),
    ] {
        app.post_show(&api, slug, json!({"title": title})).await;
    }
    b.sign_in("admin@example.com", PASSWORD).await;
    b.goto("/admin/shows").await;
    let titles: Vec<String> = serde_json::from_value(
        b.c.execute(
            "return [...document.querySelectorAll('td.title > a')].map(a => a.textContent);",
            vec![],
        )
        .await
        .unwrap(),
    )
    .unwrap();
    assert_eq!(titles, ["show 2", "Show 10", "Zebra talk"]);
    both_widths(&b, "admin-shows-list").await;

    b.goto("/shows").await;
    b.fill("q", "zeb").await;
    b.click("form.search button[type=submit]").await;
    assert_eq!(rows(&b).await, 1);
    assert!(b.text("#show-count").await.contains("1 show match"));
    assert_eq!(b.c.current_url().await.unwrap().query(), Some("q=zeb"));
    both_widths(&b, "shows-search").await;
    b.close().await;
}

#[tokio::test]
async fn the_time_zone_filter_narrows_the_list_and_a_notice_shows_once() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", false).await;
    b.sign_in("host@example.com", PASSWORD).await;
    b.goto("/account").await;
    let filter = b.find("#f-time_zone-filter").await;
    filter.send_keys("tokyo").await.unwrap();
    let visible =
        b.c.execute(
            "return [...document.querySelectorAll('#f-time_zone option')].filter(o => !o.hidden).map(o => o.value);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(visible, json!(["Asia/Tokyo"]));
    let value = b.find("#f-time_zone").await.prop("value").await.unwrap();
    assert_eq!(
        value.as_deref(),
        Some("Asia/Tokyo"),
        "the one match is chosen"
    );
    assert!(b.text(".tz-count").await.contains("1 zone matches"));
    both_widths(&b, "account-time-zone-filter").await;

    b.click("main form button[type=submit]").await;
    assert_eq!(b.path().await, "/account");
    assert_eq!(
        b.c.current_url().await.unwrap().query(),
        None,
        "no notice in the URL"
    );
    assert!(b.text(".notice").await.contains("Saved"));
    let chosen = b.find("#f-time_zone").await.prop("value").await.unwrap();
    assert_eq!(chosen.as_deref(), Some("Asia/Tokyo"));
    both_widths(&b, "account-saved-notice").await;
    b.c.refresh().await.unwrap();
    b.find("#f-time_zone").await;
    assert!(
        !b.exists(".notice").await,
        "a reload shows the notice no more"
    );
    b.close().await;
}
