//! Accounts: an admin's one-time password-reset link and lockout clearing, and each user's own
//! API tokens (account page and `/api/v1/tokens`).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::kit::app::{spawn_app, spawn_app_with, TestApp};
use crate::ui::{account, Ui, PASSWORD};

const NEW_PASSWORD: &str = "a brand new secret";

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// A signed-in admin and their CSRF token.
async fn admin(app: &TestApp) -> (Ui, String) {
    let email = account(app, true).await;
    let mut ui = Ui::new(app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    (ui, csrf)
}

/// A sign-in attempt from a fresh browser; its status.
async fn try_sign_in(app: &TestApp, email: &str, password: &str) -> StatusCode {
    let mut ui = Ui::new(app);
    let csrf = ui.get("/login").await.csrf();
    let form = [
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", password),
    ];
    ui.post("/login", &form).await.status
}

/// Locks `email` out: the limit is lowered to 2 failures, and 2 wrong passwords are sent.
async fn lock_out(app: &TestApp, email: &str) {
    sqlx::query("update ui_settings set login_max_failures = 2")
        .execute(&app.pool)
        .await
        .unwrap();
    for _ in 0..2 {
        let status = try_sign_in(app, email, "not the password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let status = try_sign_in(app, email, PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "locked out");
}

/// The reset link in the Users page an admin's `reset_link` action answers with.
async fn make_link(ui: &mut Ui, csrf: &str, id: Uuid) -> String {
    let form = [("csrf", csrf), ("action", "reset_link")];
    let page = ui.post(&format!("/admin/users/{id}"), &form).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page.body.find("/reset/").expect("the page shows the link");
    let path = &page.body[start..][.."/reset/".len() + 64];
    assert!(
        path["/reset/".len()..]
            .chars()
            .all(|c| c.is_ascii_hexdigit()),
        "{path}"
    );
    assert!(page
        .body
        .contains("aria-label=\"Copy the password-reset link"));
    path.to_string()
}

/// Sets `password` through the link from an anonymous browser; the POST's answer.
async fn use_link(app: &TestApp, path: &str, password: &str) -> crate::ui::Page {
    let mut anon = Ui::new(app);
    let page = anon.get(path).await;
    if page.status != StatusCode::OK {
        return page;
    }
    let csrf = page.csrf();
    let form = [
        ("csrf", csrf.as_str()),
        ("password", password),
        ("password_again", password),
    ];
    anon.post(path, &form).await
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_ends_sessions_and_clears_the_lockout() {
    let app = spawn_app().await;
    let (mut admin, csrf) = admin(&app).await;
    let email = account(&app, false).await;
    let id = user_id(&app, &email).await;
    let mut old_session = Ui::new(&app);
    old_session.sign_in(&email).await;
    lock_out(&app, &email).await;
    let users = admin.get("/admin/users").await.body;
    assert!(
        users.contains("locked out"),
        "the Users page shows the lockout"
    );

    let link = make_link(&mut admin, &csrf, id).await;
    let again = admin.get("/admin/users").await.body;
    assert!(!again.contains(&link), "the link is shown once only");

    // A refused password leaves the link working.
    let mut anon = Ui::new(&app);
    let page = anon.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&email), "the page names the account");
    let form = [
        ("csrf", page.csrf()),
        ("password", "short".into()),
        ("password_again", "short".into()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = anon.post(&link, &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("needs at least 8 characters"));

    let done = use_link(&app, &link, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/login"));

    // The link is dead, the old session ended, the lockout gone, the new password works.
    assert_eq!(anon.get(&link).await.status, StatusCode::NOT_FOUND);
    let reused = use_link(&app, &link, "yet another password").await;
    assert_eq!(reused.status, StatusCode::NOT_FOUND);
    let account_page = old_session.get("/account").await;
    assert_eq!(account_page.status, StatusCode::SEE_OTHER, "signed out");
    assert_eq!(
        try_sign_in(&app, &email, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        try_sign_in(&app, &email, NEW_PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_new_reset_link_replaces_the_older_one() {
    let app = spawn_app().await;
    let (mut admin, csrf) = admin(&app).await;
    let email = account(&app, false).await;
    let id = user_id(&app, &email).await;
    let first = make_link(&mut admin, &csrf, id).await;
    let second = make_link(&mut admin, &csrf, id).await;
    assert_ne!(first, second);
    assert_eq!(
        Ui::new(&app).get(&first).await.status,
        StatusCode::NOT_FOUND
    );
    // Used in the admin's own browser (signed in as someone else), it works too.
    let page = admin.get(&second).await;
    assert_eq!(page.status, StatusCode::OK);
    let form = [
        ("csrf", page.csrf()),
        ("password", NEW_PASSWORD.to_string()),
        ("password_again", NEW_PASSWORD.to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = admin.post(&second, &form).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        try_sign_in(&app, &email, NEW_PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_reset_link_expires_after_the_configured_time() {
    let app = spawn_app_with(false, &[("PODPUB_PASSWORD_RESET_EXPIRY_SECS", "1")]).await;
    let (mut admin, csrf) = admin(&app).await;
    let email = account(&app, false).await;
    let link = make_link(&mut admin, &csrf, user_id(&app, &email).await).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let page = Ui::new(&app).get(&link).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("This link no longer works"));
    assert_eq!(
        try_sign_in(&app, &email, PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn only_admins_make_reset_links_and_clear_lockouts() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let other = account(&app, false).await;
    let id = user_id(&app, &other).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    for action in ["reset_link", "clear_lockout"] {
        let form = [("csrf", csrf.as_str()), ("action", action)];
        let page = ui.post(&format!("/admin/users/{id}"), &form).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{action}");
    }
    let links: i64 = sqlx::query_scalar("select count(*) from password_resets")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(links, 0);
    // An unknown user: 404, not a link.
    let (mut admin, csrf) = admin(&app).await;
    let form = [("csrf", csrf.as_str()), ("action", "reset_link")];
    let page = admin
        .post(&format!("/admin/users/{}", Uuid::new_v4()), &form)
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        Ui::new(&app)
            .get(&format!("/reset/{}", "0".repeat(64)))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_admin_clears_a_sign_in_lockout() {
    let app = spawn_app().await;
    let (mut admin, csrf) = admin(&app).await;
    let email = account(&app, false).await;
    lock_out(&app, &email).await;
    let id = user_id(&app, &email).await;
    let form = [("csrf", csrf.as_str()), ("action", "clear_lockout")];
    let page = admin.post(&format!("/admin/users/{id}"), &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let users = admin.get("/admin/users").await.body;
    assert!(users.contains("Lockout cleared"));
    assert!(!users.contains("locked out"));
    assert_eq!(
        try_sign_in(&app, &email, PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn tokens_are_listed_created_and_revoked_and_a_revoked_token_gets_401_at_once() {
    let app = spawn_app().await;
    let user = app.create_user(false).await;
    let (status, made) = app
        .api(
            Method::POST,
            "/tokens",
            Some(&user),
            Some(json!({"name": "deploy script"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let secret = made["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("pp_"));
    let new = crate::kit::app::TestUser { token: secret };

    // Used once: it is cached now, and its use is noted.
    let (status, _) = app.api(Method::GET, "/shows", Some(&new), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, list) = app.api(Method::GET, "/tokens", Some(&user), None).await;
    assert_eq!(status, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert_eq!(items[0]["name"], "deploy script", "newest first");
    assert!(items[0]["last_used_at"].is_string(), "{list}");
    assert!(
        items[0].get("secret").is_none(),
        "the list never shows secrets"
    );
    assert!(!list.to_string().contains(&new.token));

    let id = made["id"].as_str().unwrap();
    let (status, _) = app
        .api(Method::DELETE, &format!("/tokens/{id}"), Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.api(Method::GET, "/shows", Some(&new), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "revoked at once: {body}");
    let (status, list) = app.api(Method::GET, "/tokens", Some(&user), None).await;
    assert_eq!(status, StatusCode::OK, "the other token still works");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn someone_elses_token_is_not_found_and_bad_names_are_refused() {
    let app = spawn_app().await;
    let alice = app.create_user(false).await;
    let bob = app.create_user(true).await;
    let (_, list) = app.api(Method::GET, "/tokens", Some(&alice), None).await;
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    let (status, body) = app
        .api(Method::DELETE, &format!("/tokens/{id}"), Some(&bob), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "even for an admin: {body}");
    assert_eq!(body["error"]["code"], "not_found");
    let (status, _) = app.api(Method::GET, "/tokens", Some(&alice), None).await;
    assert_eq!(status, StatusCode::OK, "alice's token still works");

    for name in [
        json!(""),
        json!("x".repeat(256)),
        json!("a\u{7}b"),
        json!(12),
    ] {
        let body = json!({ "name": name });
        let (status, answer) = app
            .api(Method::POST, "/tokens", Some(&alice), Some(body))
            .await;
        assert!(status.is_client_error(), "{name}: {status} {answer}");
        if name.is_string() {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {answer}");
            assert!(answer["error"]["fields"]["name"].is_string(), "{answer}");
        }
    }
    for body in [json!({}), json!({"name": "ok", "admin": true})] {
        let (status, answer) = app
            .api(Method::POST, "/tokens", Some(&alice), Some(body.clone()))
            .await;
        assert!(status.is_client_error(), "{body}: {status} {answer}");
    }
    let (_, list) = app.api(Method::GET, "/tokens", Some(&alice), None).await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "nothing was stored"
    );
    let (status, _) = app
        .api(Method::DELETE, "/tokens/not-a-uuid", Some(&alice), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no token has that id");
}

#[tokio::test]
async fn the_account_page_creates_shows_once_and_revokes_tokens_after_a_confirmation() {
    let app = spawn_app().await;
    let email = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    let page = ui
        .post("/account/tokens", &[("csrf", &csrf), ("name", "laptop")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let start = page.body.find("value=\"pp_").expect("the secret is shown") + "value=\"".len();
    let secret = page.body[start..][..67].to_string();
    assert!(page.body.contains("aria-label=\"Copy the new API token\""));
    let api_user = crate::kit::app::TestUser {
        token: secret.clone(),
    };
    let (status, _) = app.api(Method::GET, "/shows", Some(&api_user), None).await;
    assert_eq!(status, StatusCode::OK);

    let account_page = ui.get("/account").await.body;
    assert!(account_page.contains("laptop"), "listed");
    assert!(
        !account_page.contains(&secret),
        "the secret is shown once only"
    );
    let (_, list) = app.api(Method::GET, "/tokens", Some(&api_user), None).await;
    let id = list["items"][0]["id"].as_str().unwrap().to_string();
    let revoke = format!("/account/tokens/{id}/revoke");
    assert!(account_page.contains(&revoke));

    let confirm = ui.get(&revoke).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Revoke the API token “laptop”?"));
    let unconfirmed = ui.post(&revoke, &[("csrf", &csrf)]).await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.api(Method::GET, "/shows", Some(&api_user), None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "not revoked without the confirmation"
    );

    let done = ui
        .post(&revoke, &[("csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let (status, _) = app.api(Method::GET, "/shows", Some(&api_user), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "revoked at once");
    assert!(!ui.get("/account").await.body.contains("laptop"));

    // Someone else's token: 404 on the confirmation and the revoke.
    let other = app.create_user(false).await;
    let (_, list) = app.api(Method::GET, "/tokens", Some(&other), None).await;
    let theirs = list["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/account/tokens/{theirs}/revoke");
    assert_eq!(ui.get(&path).await.status, StatusCode::NOT_FOUND);
    let page = ui.post(&path, &[("csrf", &csrf), ("confirm", "yes")]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let (status, _): (StatusCode, Value) = app.api(Method::GET, "/shows", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
    let bad = ui
        .post("/account/tokens", &[("csrf", &csrf), ("name", "  ")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
