//! Browser tests of the web UI in headless Chromium, driven over WebDriver (chromedriver).
//!
//! Each test has its own database, app, port and chromedriver. Without Chromium they are
//! skipped with a message, except under `CI=true`, where a missing browser fails them.
//! Screenshots of the main pages go to `target/ui-screenshots/`.

#[path = "../kit/mod.rs"]
mod kit;

mod accounts;
mod browser;
mod copy_media;
mod feed_history;
mod flows;
mod history;
mod lists;
mod live;
mod long_text;
mod moves_admin;
mod notes;
mod podcasting;
mod show_notes;
mod tour;
mod trash;
mod uploads;
