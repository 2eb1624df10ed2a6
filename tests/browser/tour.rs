//! A tour of every page of the web UI, at desktop and phone width: each is scanned with axe-core
//! (the npm package, fetched by `scripts/axe.sh` and injected here) for serious or critical
//! accessibility violations, and saved as a screenshot (`target/ui-screenshots/tour-*`).

use std::path::PathBuf;

use reqwest::Method;
use serde_json::{json, Value};

use crate::browser::{Browser, PASSWORD};
use crate::kit::{
    app::{TestApp, TestUser},
    under_ci,
};

/// The widths every page is seen at: a laptop, and a phone.
const WIDTHS: [(u32, u32); 2] = [(1280, 1000), (390, 844)];

/// axe-core's source: `PODPUB_TEST_AXE`, else what `scripts/axe.sh` left under `.podpub/axe`.
/// `None` means skip (outside CI).
fn axe_source() -> Option<String> {
    let from_env = std::env::var_os("PODPUB_TEST_AXE").map(PathBuf::from);
    let installed = || {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".podpub/axe");
        std::fs::read_dir(dir).ok()?.find_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?;
            (name.starts_with("axe-") && name.ends_with(".min.js")).then_some(path)
        })
    };
    match from_env.or_else(installed) {
        Some(path) => Some(std::fs::read_to_string(&path).expect("reading axe-core")),
        None => {
            assert!(
                !under_ci(),
                "CI=true but axe-core is missing: `make test` fetches it (scripts/axe.sh)"
            );
            eprintln!("SKIPPED: the accessibility tour needs axe-core (run scripts/axe.sh)");
            None
        }
    }
}

/// The serious and critical violations axe-core finds on the current page, one line each.
async fn violations(b: &Browser, axe: &str) -> Vec<String> {
    b.c.execute(axe, vec![]).await.expect("injecting axe-core");
    let found =
        b.c.execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => `${v.impact} ${v.id}: ${v.help} at `
                   + v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(', '))))
               .catch(e => done([`axe failed: ${e}`]));",
            vec![],
        )
        .await
        .expect("running axe-core");
    serde_json::from_value(found).expect("axe's answer is a list")
}

/// Visits each of `pages` (name, path) at every width: scans it and saves its screenshot.
/// Returns what the scans found, with the page and width they were found at.
async fn tour(b: &Browser, axe: &str, pages: &[(&str, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for size in WIDTHS {
        b.c.set_window_size(size.0, size.1).await.unwrap();
        for (name, path) in pages {
            b.goto(path).await;
            for v in violations(b, axe).await {
                found.push(format!("{path} at {} px: {v}", size.0));
            }
            b.screenshot_page_at(&format!("tour-{name}-{}", size.0), size.0)
                .await;
            b.c.set_window_size(size.0, size.1).await.unwrap();
        }
    }
    found
}

/// A show with something on every tab: episodes published, scheduled, drafted and trashed, a
/// member, artwork. Returns a live episode's id and a trashed one's.
async fn furnish(app: &TestApp, owner: &TestUser) -> (String, String) {
    let show = json!({
        "title": "The Tour", "author": "Tour Guide", "description": "<p>Every page, seen.</p>",
        "language": "en", "owner_email": "guide@example.com",
        "image_url": "https://cdn.example.com/art.jpg",
    });
    app.post_show(owner, "tour", show).await;
    let episode = |title: &str, extra: Value| {
        let mut e = json!({
            "title": title, "description": format!("<p>{title}: the notes.</p>"),
            "enclosure": {
                "url": format!("https://cdn.example.com/{}.mp3", title.len()),
                "length": 1234, "type": "audio/mpeg",
            },
            "season": 1,
        });
        crate::kit::app::merge(&mut e, extra);
        e
    };
    let live = app
        .post_episode(owner, "tour", episode("Pilot", json!({"episode": 1})))
        .await;
    app.post_episode(
        owner,
        "tour",
        episode(
            "Next week",
            json!({"episode": 2, "publish_at": "2099-01-01T10:00:00Z"}),
        ),
    )
    .await;
    app.post_episode(
        owner,
        "tour",
        episode("Half-written", json!({"status": "draft"})),
    )
    .await;
    let gone = app
        .post_episode(owner, "tour", episode("Outtakes", json!({})))
        .await;
    let live = live["id"].as_str().unwrap().to_string();
    let gone = gone["id"].as_str().unwrap().to_string();
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/shows/tour/episodes/{gone}"),
            Some(owner),
            None,
        )
        .await;
    assert!(status.is_success(), "trashing an episode: {status}");
    // A second show, in the trash, for the trash list.
    app.post_show(owner, "old", json!({"title": "The Old Show"}))
        .await;
    let (status, _) = app
        .api(Method::DELETE, "/shows/old", Some(owner), None)
        .await;
    assert!(status.is_success(), "trashing a show: {status}");
    app.run_pending_jobs().await;
    (live, gone)
}

#[tokio::test]
async fn every_page_at_laptop_and_phone_width_has_no_serious_accessibility_violations() {
    let app = crate::kit::app::spawn_app_with(false, &[]).await;
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    // Before anyone exists: the first run's setup page.
    let mut found = tour(&b, &axe, &[("setup", "/setup".to_string())]).await;

    let host = podpub::db::users::create(
        &app.pool,
        "host@example.com",
        Some(&podpub::app::users::hash_password(PASSWORD).unwrap()),
        true,
    )
    .await
    .unwrap();
    let owner = TestUser {
        token: podpub::db::users::create_token(&app.pool, host.id, "tour")
            .await
            .unwrap(),
    };
    found.extend(tour(&b, &axe, &[("login", "/login".to_string())]).await);
    let (live, gone) = furnish(&app, &owner).await;
    let guest = podpub::db::users::create(&app.pool, "guest@example.com", None, false)
        .await
        .unwrap();
    let (_, show) = app
        .api(Method::GET, "/shows/tour", Some(&owner), None)
        .await;
    let show_id = show["id"].as_str().unwrap().parse().unwrap();
    podpub::db::members::add(&app.pool, show_id, guest.id, podpub::domain::Role::Editor)
        .await
        .unwrap();
    let (status, batch) = app
        .api(
            Method::POST,
            "/admin/refresh",
            Some(&owner),
            Some(json!({"shows": "all"})),
        )
        .await;
    assert!(
        status.is_success(),
        "refreshing every show: {status} {batch}"
    );
    let batch = batch["batch_id"].as_str().unwrap().to_string();

    let (_, versions) = app
        .api(Method::GET, "/shows/tour/feed/versions", Some(&owner), None)
        .await;
    let version = |i: usize| versions["items"][i]["id"].to_string().replace('"', "");
    let diff = format!(
        "/shows/tour/feed/diff?version={}&against={}",
        version(0),
        version(1)
    );

    let (_, tokens) = app.api(Method::GET, "/tokens", Some(&owner), None).await;
    let token = tokens["items"][0]["id"].as_str().unwrap().to_string();
    found.extend(
        tour(
            &b,
            &axe,
            &[("reset-dead", "/reset/no-such-link".to_string())],
        )
        .await,
    );

    let (_, history) = app
        .api(Method::GET, "/shows/tour/history", Some(&owner), None)
        .await;
    let change = history["items"][0]["id"].to_string().replace('"', "");

    b.sign_in("host@example.com", PASSWORD).await;
    let pages: Vec<(&str, String)> = vec![
        ("shows", "/shows".into()),
        ("show-new", "/shows/new".into()),
        ("import", "/import".into()),
        ("account", "/account".into()),
        ("token-revoke", format!("/account/tokens/{token}/revoke")),
        ("trash", "/trash".into()),
        ("show-feed", "/shows/tour".into()),
        ("show-feed-diff", diff),
        ("show-preview", "/shows/tour/preview".into()),
        ("show-edit", "/shows/tour/edit".into()),
        ("show-podcasting", "/shows/tour/podcasting".into()),
        ("show-members", "/shows/tour/members".into()),
        ("show-live", "/shows/tour/live".into()),
        ("show-live-new", "/shows/tour/live/new".into()),
        ("show-media", "/shows/tour/media".into()),
        ("show-move", "/shows/tour/move".into()),
        ("show-trash", "/shows/tour/trash".into()),
        ("show-history", "/shows/tour/history".into()),
        ("revert", format!("/shows/tour/history/{change}/revert")),
        ("show-delete", "/shows/tour/delete".into()),
        ("show-purge", "/shows/old/purge".into()),
        ("episodes", "/shows/tour/episodes".into()),
        ("episode-new", "/shows/tour/episodes/new".into()),
        ("episode-edit", format!("/shows/tour/episodes/{live}")),
        (
            "episode-podcasting",
            format!("/shows/tour/episodes/{live}/podcasting"),
        ),
        (
            "episode-history",
            format!("/shows/tour/episodes/{live}/history"),
        ),
        (
            "episode-delete",
            format!("/shows/tour/episodes/{live}/delete"),
        ),
        ("episode-purge", format!("/shows/tour/trash/{gone}/purge")),
        ("admin-shows", "/admin/shows".into()),
        ("admin-jobs", "/admin/jobs".into()),
        ("admin-users", "/admin/users".into()),
        ("admin-settings", "/admin/settings".into()),
        ("admin-history", "/admin/history".into()),
        ("admin-batch", format!("/admin/refresh/{batch}")),
        ("not-found", "/shows/no-such-show".into()),
    ];
    found.extend(tour(&b, &axe, &pages).await);
    b.close().await;
    assert!(
        found.is_empty(),
        "axe-core found {} serious or critical violations:\n{}",
        found.len(),
        found.join("\n")
    );
}
