//! Long unbroken text (a 300-character title, a URL-like author) wraps instead of widening
//! the page: nothing scrolls sideways, at desktop or phone width.

use serde_json::json;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::spawn_app_with;

#[tokio::test]
async fn a_300_character_title_wraps_instead_of_widening_the_page() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", true).await;
    let api = app.create_user(true).await;
    let long = "W".repeat(300);
    let show = json!({"title": long, "author": format!("https://example.com/{}", "a".repeat(200))});
    app.post_show(&api, "long", show).await;
    let episode = app
        .post_episode(&api, "long", json!({"title": long, "description": long}))
        .await;
    let id = episode["id"].as_str().unwrap();
    b.sign_in("host@example.com", PASSWORD).await;
    let pages = [
        "/shows".to_string(),
        "/shows/long".to_string(),
        "/shows/long/episodes".to_string(),
        format!("/shows/long/episodes/{id}"),
        "/shows/long/edit".to_string(),
        "/admin/shows".to_string(),
    ];
    for (width, height) in [(1280, 1000), (390, 844)] {
        b.c.set_window_size(width, height).await.unwrap();
        for path in &pages {
            b.goto(path).await;
            let wide =
                b.c.execute(
                    "return document.documentElement.scrollWidth - window.innerWidth;",
                    vec![],
                )
                .await
                .unwrap();
            let extra = wide.as_f64().unwrap();
            assert!(extra <= 1.0, "{path} at {width} px is {extra} px too wide");
        }
    }
    b.c.set_window_size(1280, 1000).await.unwrap();
    b.goto("/shows/long/episodes").await;
    b.screenshot("long-title-episodes").await;
    b.close().await;
}

#[tokio::test]
async fn table_rows_keep_their_cells_and_borders_aligned() {
    let app = spawn_app_with(false, &[]).await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "admin@example.com", true).await;
    app.create_user(false).await;
    b.sign_in("admin@example.com", PASSWORD).await;
    b.goto("/admin/users").await;
    // Every cell of a row starts and ends where the row does: none is laid out as a box of
    // its own (which drew the Users table's borders out of line).
    let misaligned =
        b.c.execute(
            "return [...document.querySelectorAll('table.list tbody tr')].flatMap(tr => {
               const r = tr.getBoundingClientRect();
               return [...tr.children].filter(td => {
                 const c = td.getBoundingClientRect();
                 return Math.abs(c.top - r.top) > 1 || Math.abs(c.bottom - r.bottom) > 1;
               }).map(td => td.className || td.tagName);
             });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(misaligned, json!([]), "cells out of their rows");
    b.screenshot("admin-users-aligned").await;
    b.close().await;
}
