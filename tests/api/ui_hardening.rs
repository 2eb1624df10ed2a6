//! The web UI against hostile input: redirects that stay on the site, NUL characters, forged
//! pre-sign-in CSRF cookies, cross-site posts and error pages with the navigation.

use reqwest::StatusCode;

use crate::kit::app::spawn_app;
use crate::ui::{account, Ui, PASSWORD};

#[tokio::test]
async fn the_sign_in_page_never_sends_a_signed_in_user_to_another_site() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    for next in [
        "%2F%09%2Fevil.example%2F",
        "%2F%0A%2Fevil.example",
        "%2F%2Fevil.example",
        "%2F%5Cevil.example",
        "https%3A%2F%2Fevil.example%2F",
        "javascript%3Aalert(1)",
        "%2F%2F%2Fevil.example",
        "evil.example",
    ] {
        let page = ui.get(&format!("/login?next={next}")).await;
        let location = page.location.clone().unwrap_or_default();
        assert!(
            page.status == StatusCode::BAD_REQUEST || location == "/",
            "next={next}: {} {location:?}",
            page.status
        );
    }
    let page = ui.get("/login?next=%2Fshows%3Fnotice%3Dsaved").await;
    assert_eq!(page.location.as_deref(), Some("/shows?notice=saved"));
    // After the sign-in form too.
    let mut anon = Ui::new(&app);
    let csrf = anon.get("/login").await.csrf();
    let form = [
        ("csrf", csrf.as_str()),
        ("email", email.as_str()),
        ("password", PASSWORD),
        ("next", "/\t/evil.example/"),
    ];
    let page = anon.post("/login", &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn a_nul_in_a_form_field_or_a_search_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let admin = account(&app, true).await;
    let mut ui = Ui::new(&app);
    // Before sign-in: the email of the sign-in form.
    let csrf = ui.get("/login").await.csrf();
    let page = ui
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", "a\0@example.com"),
                ("password", "x"),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("email"), "{}", page.body);
    ui.sign_in(&admin).await;
    let token = ui.token().await;
    ui.create_show(&token, "nul-show", "Nul").await;
    type Post<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let posts: [Post; 3] = [
        (
            "/shows/nul-show/members",
            &[
                ("action", "invite"),
                ("email", "x\0@example.com"),
                ("role", "editor"),
            ],
            "email",
        ),
        (
            "/admin/users",
            &[
                ("email", "new\0@example.com"),
                ("password", "long enough pass"),
            ],
            "email",
        ),
        (
            "/admin/settings",
            &[("instance_name", "Pod\0pub")],
            "instance_name",
        ),
    ];
    for (path, fields, named) in posts {
        let mut form = fields.to_vec();
        form.push(("csrf", &token));
        let page = ui.post(path, &form).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            page.body
        );
        assert!(page.body.contains(named), "{path}: {}", page.body);
    }
    let page = ui.get("/shows/nul-show/episodes?q=a%00b").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    assert!(page.body.contains("q: must not"), "{}", page.body);
    let name: String = sqlx::query_scalar("select instance_name from ui_settings")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(!name.contains('\0'));
    let users: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(users, 1, "no user was created");
}

#[tokio::test]
async fn a_next_with_a_control_character_is_a_bad_request_not_a_crash() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    let page = ui
        .get("/login?next=%2Fshows%0D%0ASet-Cookie%3A%20x%3Dy")
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    ui.sign_in(&email).await;
    let page = ui.get("/login?next=%2Fa%01b").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("next"));
}

#[tokio::test]
async fn a_csrf_cookie_the_server_did_not_issue_is_refused_before_sign_in() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    // An attacker who can plant a cookie (a sibling subdomain) picks its own token.
    let planted = "ab".repeat(32);
    let mut ui = Ui::new(&app);
    ui.cookies.push(("podpub_csrf".into(), planted.clone()));
    let form = [
        ("csrf", planted.as_str()),
        ("email", email.as_str()),
        ("password", PASSWORD),
    ];
    let page = ui.post("/login", &form).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    // The sign-in page replaces the planted cookie with one the server signed.
    let csrf = ui.get("/login").await.csrf();
    assert_ne!(csrf, planted);
    let form = [
        ("csrf", csrf.as_str()),
        ("email", email.as_str()),
        ("password", PASSWORD),
    ];
    let page = ui.post("/login", &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

#[tokio::test]
async fn a_form_posted_from_another_origin_is_refused() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    ui.create_show(&token, "origin-show", "Origin").await;
    let host = app.address.trim_start_matches("http://").to_string();
    let ours = format!("http://{host}");
    let form = [("csrf", token.as_str())];
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("referer", "https://evil.example/page"),
        ("origin", "http://127.0.0.1:1"),
    ] {
        let page = ui
            .post_with("/shows/origin-show/refresh", &form, &[(header, value)])
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{header}: {value}");
        assert!(page.body.contains("Cross-site request refused"));
    }
    let referer = format!("{ours}/shows/origin-show");
    for (header, value) in [("origin", ours.as_str()), ("referer", referer.as_str())] {
        let page = ui
            .post_with("/shows/origin-show/refresh", &form, &[(header, value)])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{header}: {value}");
    }
    // Without either (a non-browser client), as before.
    let page = ui.post("/shows/origin-show/refresh", &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn error_pages_look_like_the_rest_of_the_ui_with_its_navigation() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    for (path, status) in [
        ("/shows/nobody-has-this", StatusCode::NOT_FOUND),
        ("/no/such/page", StatusCode::NOT_FOUND),
        ("/admin/users", StatusCode::FORBIDDEN),
        ("/logout", StatusCode::METHOD_NOT_ALLOWED),
    ] {
        let page = ui.get(path).await;
        assert_eq!(page.status, status, "{path}");
        assert!(
            page.body.contains("rel=\"stylesheet\""),
            "{path}: {}",
            page.body
        );
        assert!(
            page.body.contains("aria-label=\"Main\""),
            "{path}: {}",
            page.body
        );
        assert!(page.body.contains(&email), "{path}");
    }
    let big = "x".repeat(app.settings.max_body_bytes + 10);
    let page = ui
        .post("/account", &[("csrf", &token), ("time_zone", &big)])
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.body.contains("rel=\"stylesheet\""), "{}", page.body);
    assert!(page.body.contains("aria-label=\"Main\""));
    // Signed out, a 404 still has the layout (and a way to sign in).
    let page = Ui::new(&app).get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("rel=\"stylesheet\""));
    assert!(page.body.contains("href=\"/login\""));
}

#[tokio::test]
async fn form_inputs_carry_the_length_limits_the_server_checks() {
    use podpub::domain::limits;
    let app = spawn_app().await;
    let email = account(&app, true).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let token = ui.token().await;
    ui.create_show(&token, "limits", "Limits").await;
    let input = regex::Regex::new(r"(?is)<(input|textarea)\b([^>]*)>").unwrap();
    let attr = |tag: &str, name: &str| {
        regex::Regex::new(&format!(r#"\b{name}="([^"]*)""#))
            .unwrap()
            .captures(tag)
            .map(|c| c[1].to_string())
    };
    // Inputs whose checks are of form, not length (a language tag, a duration), and the search.
    let unbounded = ["language", "default_language", "duration", "q", "rss"];
    let mut limited = std::collections::BTreeMap::new();
    for path in [
        "/shows/new",
        "/shows/limits/edit",
        "/shows/limits/episodes/new",
        "/shows/limits/members",
        "/shows/limits/move",
        "/account",
        "/admin/users",
        "/admin/settings",
        "/import",
    ] {
        let page = ui.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        for c in input.captures_iter(&page.body) {
            let tag = &c[2];
            let kind = attr(tag, "type").unwrap_or_else(|| c[1].to_string());
            let Some(name) = attr(tag, "name") else {
                continue;
            };
            let texty = ["text", "url", "email", "password", "search", "textarea"];
            if !texty.contains(&kind.as_str()) || unbounded.contains(&name.as_str()) {
                continue;
            }
            let max = attr(tag, "maxlength");
            assert!(max.is_some(), "{path}: {name} has no maxlength");
            limited.insert(name, max.unwrap().parse::<usize>().unwrap());
        }
    }
    let expect = [
        ("title", limits::TITLE),
        ("description", limits::NOTES),
        ("slug", limits::SLUG),
        ("new_slug", limits::SLUG),
        ("enclosure_url", limits::URL),
        ("new_feed_url", limits::URL),
        ("funding_0_url", limits::URL),
        ("funding_0_label", limits::FUNDING_LABEL),
        ("author", limits::NAME),
        ("email", limits::EMAIL),
        ("password", limits::PASSWORD),
        ("instance_name", limits::INSTANCE_NAME),
        ("url", limits::URL),
    ];
    for (name, max) in expect {
        assert_eq!(limited.get(name), Some(&max), "{name}: {limited:?}");
    }
    // The limit is where the server draws the line.
    for (len, status) in [
        (limits::TITLE, StatusCode::SEE_OTHER),
        (limits::TITLE + 1, StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let title = "t".repeat(len);
        let form = [
            ("csrf", token.as_str()),
            ("title", title.as_str()),
            ("language", "en"),
            ("type", "episodic"),
        ];
        let page = ui.post("/shows/limits/edit", &form).await;
        assert_eq!(page.status, status, "a title of {len}");
    }
}
