//! Web UI pages over HTTP: forms keep what was typed, and each page does what it says.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::spawn_app;
use crate::ui::{account, Ui, PASSWORD};

#[tokio::test]
async fn a_bad_episode_form_comes_back_with_field_errors_and_everything_typed() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    ui.create_show(&token, "typed", "Typed").await;
    let form = [
        ("csrf", token.as_str()),
        ("title", "Keep me"),
        ("description", "<p>notes I wrote</p>"),
        ("enclosure_url", "javascript:alert(1)"),
        ("enclosure_length", "lots"),
        ("enclosure_type", "audio/mpeg"),
        ("duration", "1:99:00"),
        ("season", "2"),
        ("episode_type", "full"),
        ("publish_at", "2030-02-30T10:00"),
        ("status", "published"),
        ("action", "save"),
    ];
    let page = ui.post("/shows/typed/episodes/new", &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["enclosure_length", "duration", "publish_at"] {
        assert!(
            page.body.contains(&format!("id=\"e-{field}\"")),
            "{field} error shown"
        );
    }
    assert!(page.body.contains("value=\"Keep me\""));
    assert!(page.body.contains("value=\"lots\""));
    assert!(page.body.contains("&#60;p&#62;notes I wrote&#60;/p&#62;"));
    // Once it parses, the shared validation speaks: the URL is refused, nothing typed lost.
    let mut fixed = form.to_vec();
    fixed.retain(|(k, _)| !matches!(*k, "enclosure_length" | "duration" | "publish_at"));
    let page = ui.post("/shows/typed/episodes/new", &fixed).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("id=\"e-enclosure_url\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"javascript:alert(1)\""));
    let count: i64 = sqlx::query_scalar("select count(*) from episodes")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn scheduled_times_are_read_and_shown_in_the_users_time_zone() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    let page = ui
        .post(
            "/account",
            &[("csrf", &token), ("time_zone", "America/New_York")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    ui.create_show(&token, "tz", "TZ").await;
    let page = ui
        .post(
            "/shows/tz/episodes/new",
            &[
                ("csrf", &token),
                ("title", "Later"),
                ("enclosure_url", "https://example.com/a.mp3"),
                ("enclosure_length", "1"),
                ("enclosure_type", "audio/mpeg"),
                ("episode_type", "full"),
                ("publish_at", "2099-07-01T09:30"),
                ("status", "published"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let at: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("select publish_at from episodes")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(at.to_rfc3339(), "2099-07-01T13:30:00+00:00", "09:30 EDT");
    let list = ui.get("/shows/tz/episodes").await;
    assert!(list.body.contains("2099-07-01 09:30 EDT"), "{}", list.body);
    assert!(list.body.contains("state-scheduled"));
    let search = ui.get("/shows/tz/episodes?q=nothing+like+it").await;
    assert!(!search.body.contains("Later"));
    let search = ui.get("/shows/tz/episodes?q=LAT&state=scheduled").await;
    assert!(search.body.contains("Later"));
}

#[tokio::test]
async fn a_rename_through_the_wizard_can_be_undone_and_a_move_out_explains_itself() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    ui.create_show(&token, "first", "First").await;
    let wizard = ui.get("/shows/first/move").await;
    assert!(wizard.body.contains("permanent redirect (301)"));
    let page = ui
        .post(
            "/shows/first/move",
            &[
                ("csrf", &token),
                ("action", "rename"),
                ("new_slug", "second"),
                ("confirm_rename", "on"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/shows/second"));
    let panel = ui.get("/shows/second").await;
    assert!(
        panel.body.contains("/first/feed.xml"),
        "the redirect is listed"
    );
    let page = ui
        .post(
            "/shows/second/move",
            &[("csrf", &token), ("action", "undo")],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/shows/first"));

    let page = ui
        .post(
            "/shows/first/move",
            &[
                ("csrf", &token),
                ("action", "move_out"),
                ("new_feed_url", "not a url"),
                ("redirect_after_days", "7"),
                ("confirm_move_out", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"e-new_feed_url\""));
    assert!(page.body.contains("value=\"not a url\""));
    let page = ui
        .post(
            "/shows/first/move",
            &[
                ("csrf", &token),
                ("action", "move_out"),
                ("new_feed_url", "https://elsewhere.example/feed.xml"),
                ("redirect_after_days", "7"),
                ("confirm_move_out", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let wizard = ui.get("/shows/first/move").await;
    assert!(wizard
        .body
        .contains("is moving to <code>https://elsewhere.example/feed.xml</code>"));
    assert!(wizard.body.contains("Undo the move"));
}

#[tokio::test]
async fn owners_invite_members_who_join_when_their_account_is_created() {
    let app = spawn_app().await;
    let owner = account(&app, false).await;
    let admin = account(&app, true).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&owner).await;
    let token = ui.token().await;
    ui.create_show(&token, "team", "Team").await;
    let page = ui
        .post(
            "/shows/team/members",
            &[
                ("csrf", &token),
                ("action", "invite"),
                ("email", "later@example.com"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = ui
        .post(
            "/shows/team/members",
            &[
                ("csrf", &token),
                ("action", "invite"),
                ("email", "nope"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("later@example.com"),
        "the invitation is listed"
    );

    let mut admin_ui = Ui::new(&app);
    admin_ui.sign_in(&admin).await;
    let admin_token = admin_ui.token().await;
    let page = admin_ui
        .post(
            "/admin/users",
            &[
                ("csrf", &admin_token),
                ("email", "later@example.com"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("value=\"later@example.com\""));
    let page = admin_ui
        .post(
            "/admin/users",
            &[
                ("csrf", &admin_token),
                ("email", "later@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let mut editor = Ui::new(&app);
    editor.sign_in("later@example.com").await;
    assert_eq!(editor.get("/shows/team/edit").await.status, StatusCode::OK);
    let editor_token = editor.token().await;
    let page = editor
        .post(
            "/shows/team/members",
            &[
                ("csrf", &editor_token),
                ("action", "invite"),
                ("email", "x@example.com"),
                ("role", "owner"),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "editors do not manage members"
    );

    // Disabling an account ends its sessions.
    let id: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'later@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let page = admin_ui
        .post(
            &format!("/admin/users/{id}"),
            &[
                ("csrf", &admin_token),
                ("action", "disable"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        editor.get("/shows").await.status,
        StatusCode::SEE_OTHER,
        "signed out"
    );
}

#[tokio::test]
async fn admins_retry_dead_jobs_and_change_run_time_settings() {
    let app = spawn_app().await;
    let admin = account(&app, true).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "jobs", json!({})).await;
    let job: uuid::Uuid = sqlx::query_scalar(
        "update jobs set state = 'dead', attempts = max_attempts, last_error = 'S3 said no'
         returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let mut ui = Ui::new(&app);
    ui.sign_in(&admin).await;
    let token = ui.token().await;
    let jobs = ui.get("/admin/jobs").await;
    assert!(jobs.body.contains("S3 said no"));
    let page = ui
        .post(&format!("/admin/jobs/{job}/retry"), &[("csrf", &token)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.run_pending_jobs().await;
    let (_, status) = app
        .api(Method::GET, &format!("/jobs/{job}"), Some(&api), None)
        .await;
    assert_eq!(status["state"], "done", "{status}");

    let page = ui
        .post(
            "/admin/settings",
            &[
                ("csrf", &token),
                ("instance_name", "Our Pods"),
                ("login_max_failures", "0"),
                ("session_days", "30"),
                ("default_language", "de"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"e-login_max_failures\""));
    assert!(page.body.contains("value=\"Our Pods\""));
    let page = ui
        .post(
            "/admin/settings",
            &[
                ("csrf", &token),
                ("instance_name", "Our Pods"),
                ("login_max_failures", "5"),
                ("session_days", "30"),
                ("default_language", "de"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let shows = ui.get("/shows/new").await;
    assert!(
        shows.body.contains("Our Pods"),
        "the new name is in the header"
    );
    assert!(shows
        .body
        .contains("name=\"language\" type=\"text\" value=\"de\""));
}

#[tokio::test]
async fn the_import_page_moves_a_show_in_from_pasted_xml() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    let rss = r#"<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Imported Pod</title><description>d</description><item><title>Old One</title><guid>old-1</guid><enclosure url="https://example.com/1.mp3" length="10" type="audio/mpeg"/><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item></channel></rss>"#;
    let page = ui
        .post(
            "/import",
            &[("csrf", &token), ("rss", "<not xml"), ("slug", "imported")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("class=\"errors\""));
    let page = ui
        .post(
            "/import",
            &[("csrf", &token), ("rss", rss), ("slug", "imported")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("href=\"/shows/imported\""),
        "the report links the show"
    );
    let episodes = ui.get("/shows/imported/episodes").await;
    assert!(episodes.body.contains("Old One"));
}

#[tokio::test]
async fn static_assets_are_cache_busted_and_pages_forbid_foreign_scripts() {
    let app = spawn_app().await;
    account(&app, false).await;
    let mut ui = Ui::new(&app);
    let login = ui.get("/login").await;
    let start = login.body.find("/static/app.").unwrap();
    let css = &login.body[start..][..login.body[start..].find('"').unwrap()];
    assert!(css.ends_with(".css"));
    let resp = reqwest::get(format!("{}{css}", app.address)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let stale = reqwest::get(format!("{}/static/app.0000.css", app.address))
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::NOT_FOUND);
    let page = reqwest::get(format!("{}/login", app.address))
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
}
