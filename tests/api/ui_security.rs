//! Web UI security: CSRF on every form, who may open which page, show notes, cookies.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::kit::app::{spawn_app, spawn_app_with};
use crate::ui::{account, Ui, PASSWORD};

/// Every state-changing form of the UI, with the placeholders `{slug}`, `{episode}`, `{user}`,
/// `{job}` and `{batch}`.
const FORMS: &[&str] = &[
    "/logout",
    "/account",
    "/shows/new",
    "/shows/{slug}/edit",
    "/shows/{slug}/podcasting",
    "/shows/{slug}/refresh",
    "/shows/{slug}/episodes/new",
    "/shows/{slug}/episodes/{episode}",
    "/shows/{slug}/episodes/{episode}/delete",
    "/shows/{slug}/episodes/{episode}/podcasting",
    "/shows/{slug}/trash/{episode}/restore",
    "/shows/{slug}/trash/{episode}/purge",
    "/shows/{slug}/delete",
    "/shows/{slug}/restore",
    "/shows/{slug}/purge",
    "/shows/{slug}/move",
    "/shows/{slug}/members",
    "/import",
    "/admin/refresh",
    "/admin/jobs/{job}/retry",
    "/admin/users",
    "/admin/users/{user}",
    "/admin/settings",
];

#[tokio::test]
async fn every_state_changing_form_rejects_a_missing_or_wrong_csrf_token() {
    let app = spawn_app().await;
    let email = account(&app, true).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    let api_user = app.create_user(true).await;
    app.post_show(&api_user, "csrf-show", json!({})).await;
    let episode = app.post_episode(&api_user, "csrf-show", json!({})).await;
    let revision = |app: &crate::kit::app::TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select revision from shows where slug = 'csrf-show'")
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = revision(&app).await;
    let job: uuid::Uuid = sqlx::query_scalar(
        "insert into jobs (kind, state, last_error) values ('render', 'dead', 'boom') returning id",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let user: uuid::Uuid = sqlx::query_scalar("select id from users where email <> $1 limit 1")
        .bind(&email)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let counts = |app: &crate::kit::app::TestApp| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>(
                "select (select count(*) from users)::text || '/' ||
                        (select count(*) from users where is_admin)::text || '/' ||
                        (select count(*) from jobs where state = 'dead')::text || '/' ||
                        (select count(*) from refresh_batches)::text || '/' ||
                        (select instance_name from ui_settings)",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let counted = counts(&app).await;
    let wrong = "0".repeat(64);
    for form in FORMS {
        let path = form
            .replace("{slug}", "csrf-show")
            .replace("{episode}", episode["id"].as_str().unwrap())
            .replace("{job}", &job.to_string())
            .replace("{user}", &user.to_string());
        let fields = [
            ("title", "Changed"),
            ("slug", "changed"),
            ("shows", "all"),
            ("email", "new@example.com"),
            ("password", "long enough password"),
            ("action", "make_admin"),
            ("instance_name", "Hijacked"),
            ("new_slug", "changed"),
            ("confirm_rename", "on"),
            ("role", "owner"),
            ("url", "https://example.com/feed.xml"),
        ];
        let missing = ui.post(&path, &fields).await;
        assert_eq!(
            missing.status,
            StatusCode::FORBIDDEN,
            "{path} without a token"
        );
        let mut with_wrong = fields.to_vec();
        with_wrong.push(("csrf", &wrong));
        let bad = ui.post(&path, &with_wrong).await;
        assert_eq!(
            bad.status,
            StatusCode::FORBIDDEN,
            "{path} with a wrong token"
        );
        assert!(bad.body.contains("Form expired"));
    }
    assert_eq!(revision(&app).await, before, "nothing was changed");
    assert_eq!(counts(&app).await, counted, "nothing was changed");
    // Another session's token is wrong too.
    let mut other = Ui::new(&app);
    other.sign_in(&email).await;
    let other_token = other.token().await;
    assert_ne!(other_token, token);
    let page = ui
        .post("/shows/csrf-show/refresh", &[("csrf", &other_token)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // The right token works, so the refusals above are about the token.
    let page = ui
        .post("/shows/csrf-show/refresh", &[("csrf", &token)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    // Before sign-in, the login and setup forms check the token against their cookie.
    let mut anon = Ui::new(&app);
    let csrf = anon.get("/login").await.csrf();
    let login = [("email", email.as_str()), ("password", PASSWORD)];
    let page = anon.post("/login", &login).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = anon
        .post("/login", &[login[0], login[1], ("csrf", &wrong)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = anon
        .post("/login", &[login[0], login[1], ("csrf", &csrf)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn first_run_setup_needs_a_token_and_disappears_once_a_user_exists() {
    let app = spawn_app().await;
    let mut ui = Ui::new(&app);
    let home = ui.get("/").await;
    assert_eq!(home.location.as_deref(), Some("/setup"));
    let csrf = ui.get("/setup").await.csrf();
    let form = [
        ("email", "first@example.com"),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
        ("time_zone", "Europe/Berlin"),
    ];
    let page = ui.post("/setup", &form).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut with_token = form.to_vec();
    with_token.push(("csrf", &csrf));
    let page = ui.post("/setup", &with_token).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let admin: bool =
        sqlx::query_scalar("select is_admin from users where email = 'first@example.com'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(admin, "the first user is an admin");
    let mut late = Ui::new(&app);
    assert_eq!(late.get("/setup").await.status, StatusCode::NOT_FOUND);
    let csrf = late.get("/login").await.csrf();
    let mut again = form.to_vec();
    again[0] = ("email", "second@example.com");
    again.push(("csrf", &csrf));
    assert_eq!(
        late.post("/setup", &again).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_podcaster_cannot_open_another_podcasters_show_nor_admin_pages() {
    let app = spawn_app().await;
    let owner = app.create_user(false).await;
    app.post_show(&owner, "theirs", json!({})).await;
    let episode = app.post_episode(&owner, "theirs", json!({})).await;
    let id = episode["id"].as_str().unwrap();
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    for path in [
        "/shows/theirs".to_string(),
        "/shows/theirs/trash".into(),
        "/shows/theirs/delete".into(),
        "/shows/theirs/purge".into(),
        format!("/shows/theirs/episodes/{id}/delete"),
        format!("/shows/theirs/episodes/{id}/podcasting"),
        "/shows/theirs/edit".into(),
        "/shows/theirs/podcasting".into(),
        "/shows/theirs/episodes".into(),
        "/shows/theirs/episodes/new".into(),
        format!("/shows/theirs/episodes/{id}"),
        "/shows/theirs/feed/state.json".into(),
        "/shows/theirs/move".into(),
        "/shows/theirs/members".into(),
        "/shows/nonexistent".into(),
    ] {
        assert_eq!(
            ui.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    for path in [
        "/shows/theirs/edit".to_string(),
        "/shows/theirs/refresh".into(),
        "/shows/theirs/episodes/new".into(),
        format!("/shows/theirs/episodes/{id}"),
        format!("/shows/theirs/episodes/{id}/delete"),
        format!("/shows/theirs/trash/{id}/restore"),
        format!("/shows/theirs/trash/{id}/purge"),
        "/shows/theirs/delete".into(),
        "/shows/theirs/restore".into(),
        "/shows/theirs/purge".into(),
        "/shows/theirs/move".into(),
        "/shows/theirs/members".into(),
    ] {
        let page = ui
            .post(&path, &[("csrf", &token), ("title", "Mine now")])
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    let list = ui.get("/shows").await;
    assert!(!list.body.contains("theirs"));
    let (_, show) = app
        .api(Method::GET, "/shows/theirs", Some(&owner), None)
        .await;
    assert_eq!(show["title"], "A Show", "nothing changed");

    for path in [
        "/admin/shows",
        "/admin/jobs",
        "/admin/users",
        "/admin/settings",
    ] {
        assert_eq!(
            ui.get(path).await.status,
            StatusCode::FORBIDDEN,
            "GET {path}"
        );
    }
    let page = ui
        .post("/admin/refresh", &[("csrf", &token), ("shows", "all")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    let mut anon = Ui::new(&app);
    let page = anon.get("/shows/theirs").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location.as_deref(),
        Some("/login?next=%2Fshows%2Ftheirs")
    );
}

#[tokio::test]
async fn show_notes_are_neutralized_in_the_ui_and_well_formed_in_the_feed() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    ui.create_show(&token, "notes", "Notes").await;
    let notes = "<p onmouseover=\"steal()\">Hi <b>there</b></p><script>alert(1)</script>\
                 <img src=\"x\" onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">link</a> & more";
    let page = ui
        .post(
            "/shows/notes/episodes/new",
            &[
                ("csrf", &token),
                ("title", "Risky notes"),
                ("description", notes),
                ("enclosure_url", "https://example.com/a.mp3"),
                ("enclosure_length", "100"),
                ("enclosure_type", "audio/mpeg"),
                ("episode_type", "full"),
                ("status", "published"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id: uuid::Uuid = sqlx::query_scalar("select id from episodes where title = 'Risky notes'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let editor = ui.get(&format!("/shows/notes/episodes/{id}")).await;
    assert_eq!(editor.status, StatusCode::OK);
    let start = editor.body.find("<div id=\"notes-preview\">").unwrap();
    let preview = &editor.body[start..][..editor.body[start..].find("</div>").unwrap()];
    assert!(preview.contains("<b>there</b>"), "{preview}");
    for bad in ["<script", "onerror", "onmouseover", "javascript:"] {
        assert!(!preview.contains(bad), "{bad} in {preview}");
    }
    // The raw notes are only ever escaped text elsewhere on the page.
    assert!(!editor.body.contains("<script>alert"));
    assert!(
        editor.body.contains("&#60;script&#62;alert(1)"),
        "the textarea keeps the notes as text"
    );
    let csp = ui.get("/shows").await;
    assert_eq!(csp.status, StatusCode::OK);

    app.run_pending_jobs().await;
    let xml = app.feed_xml("notes").await.expect("published");
    let channel = rss::Channel::read_from(xml.as_bytes()).expect("the feed is well-formed");
    assert_eq!(
        channel.items()[0].description(),
        Some(notes),
        "notes round-trip in the feed"
    );
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_and_secure_behind_https() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    let page = ui.sign_in(&email).await;
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("podpub_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    let pre = ui.get("/login").await;
    assert!(pre.set_cookies.iter().all(|c| c.contains("HttpOnly")));

    let mut proxied = Ui::new(&app);
    let csrf = proxied.get("/login").await.csrf();
    let page = proxied
        .post_with(
            "/login",
            &[("csrf", &csrf), ("email", &email), ("password", PASSWORD)],
            &[("x-forwarded-proto", "https")],
        )
        .await;
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("podpub_session="))
        .unwrap();
    assert!(cookie.contains("; Secure"), "behind https: {cookie}");

    let app = spawn_app_with(false, &[("PODPUB_SECURE_COOKIES", "true")]).await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    let page = ui.sign_in(&email).await;
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("podpub_session="))
        .unwrap();
    assert!(
        cookie.contains("; Secure"),
        "PODPUB_SECURE_COOKIES=true: {cookie}"
    );

    // Signing out ends the session on the server, not only in the browser.
    let stolen = ui.cookies.clone();
    let token = ui.token().await;
    let page = ui.post("/logout", &[("csrf", &token)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    ui.cookies = stolen;
    assert_eq!(ui.get("/shows").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_refused_for_a_while() {
    let app = spawn_app().await;
    sqlx::query("update ui_settings set login_max_failures = 3")
        .execute(&app.pool)
        .await
        .unwrap();
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    let csrf = ui.get("/login").await.csrf();
    for _ in 0..3 {
        let page = ui
            .post(
                "/login",
                &[("csrf", &csrf), ("email", &email), ("password", "guess")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.body.contains(&email), "the email typed is kept");
    }
    let page = ui
        .post(
            "/login",
            &[("csrf", &csrf), ("email", &email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(page.body.contains("Too many failed sign-ins"));
    assert!(!ui.cookies.iter().any(|(k, _)| k == "podpub_session"));
}

/// Failed sign-ins from `forwarded` (as `X-Forwarded-For`), each for another email.
async fn fail_from(ui: &mut Ui, csrf: &str, forwarded: &str, n: usize) {
    for _ in 0..n {
        let email = format!("{}@example.com", uuid::Uuid::new_v4().simple());
        let page = ui
            .post_with(
                "/login",
                &[("csrf", csrf), ("email", &email), ("password", "guess")],
                &[("x-forwarded-for", forwarded)],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
}

async fn attempt_from(ui: &mut Ui, csrf: &str, forwarded: &str) -> StatusCode {
    let email = format!("{}@example.com", uuid::Uuid::new_v4().simple());
    ui.post_with(
        "/login",
        &[("csrf", csrf), ("email", &email), ("password", "guess")],
        &[("x-forwarded-for", forwarded)],
    )
    .await
    .status
}

#[tokio::test]
async fn behind_a_trusted_proxy_sign_in_throttling_counts_each_forwarded_client() {
    // A load balancer on loopback: every request reaches podpub from 127.0.0.1.
    let app =
        crate::kit::app::spawn_app_with(false, &[("PODPUB_TRUSTED_PROXIES", "127.0.0.0/8")]).await;
    sqlx::query("update ui_settings set login_max_failures = 1")
        .execute(&app.pool)
        .await
        .unwrap();
    account(&app, false).await;
    let mut ui = Ui::new(&app);
    let csrf = ui.get("/login").await.csrf();
    // One address may fail five times the per-email limit.
    fail_from(&mut ui, &csrf, "198.51.100.7", 5).await;
    assert_eq!(
        attempt_from(&mut ui, &csrf, "198.51.100.7").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt_from(&mut ui, &csrf, "198.51.100.8").await,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy is not held back"
    );
    assert_eq!(
        attempt_from(&mut ui, &csrf, "198.51.100.8, 198.51.100.7").await,
        StatusCode::TOO_MANY_REQUESTS,
        "an address the client wrote itself, left of the proxy's, changes nothing"
    );
}

#[tokio::test]
async fn without_trusted_proxies_x_forwarded_for_is_ignored() {
    let app = spawn_app().await;
    sqlx::query("update ui_settings set login_max_failures = 1")
        .execute(&app.pool)
        .await
        .unwrap();
    account(&app, false).await;
    let mut ui = Ui::new(&app);
    let csrf = ui.get("/login").await.csrf();
    for n in 1..=5 {
        fail_from(&mut ui, &csrf, &format!("198.51.100.{n}"), 1).await;
    }
    assert_eq!(
        attempt_from(&mut ui, &csrf, "198.51.100.99").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a made-up X-Forwarded-For does not escape the limit"
    );
}
