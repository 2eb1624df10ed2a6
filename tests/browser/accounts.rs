//! Accounts in the browser: an admin's password-reset link used by the user, a user's own API
//! tokens (created, shown once, listed, revoked), and a member's role changed in place.
//! Screenshots at 1280 and 390 px of each page these add or change.

use reqwest::{Method, StatusCode};
use serde_json::json;
use uuid::Uuid;

use crate::browser::{create_account, Browser, PASSWORD};
use crate::kit::app::{spawn_app, TestApp, TestUser};

async fn user_id(app: &TestApp, email: &str) -> Uuid {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_resets_a_password_and_the_user_sets_a_new_one_through_the_link() {
    let app = spawn_app().await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "admin@example.com", true).await;
    create_account(&app, "host@example.com", false).await;
    // The host forgot their password and is locked out after guessing.
    sqlx::query("update ui_settings set login_max_failures = 3")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("insert into login_failures (email, client) select 'host@example.com', '127.0.0.1' from generate_series(1, 3)")
        .execute(&app.pool)
        .await
        .unwrap();

    b.sign_in("admin@example.com", PASSWORD).await;
    b.goto("/admin/users").await;
    assert!(b.source().await.contains("locked out"));
    b.screenshots("admin-users-locked-out").await;
    b.click(r#"button[aria-label="Reset password of host@example.com"]"#)
        .await;
    let link = b
        .find("#reset-url")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    let path = url::Url::parse(&link)
        .expect("an absolute link")
        .path()
        .to_string();
    assert!(path.starts_with("/reset/"), "{link}");
    assert!(link.starts_with(&app.address), "{link} is on this site");
    let copy = b
        .find(r#"button[aria-label="Copy the password-reset link for host@example.com"]"#)
        .await;
    copy.click().await.unwrap();
    let copied = b.c.wait().for_element(fantoccini::Locator::XPath(
        "//button[@data-copy='reset-url' and normalize-space()='Copied']",
    ));
    copied.await.expect("the copy button says Copied");
    b.screenshots("admin-users-reset-link").await;
    b.goto("/admin/users").await;
    assert!(!b.source().await.contains(&path), "shown once");

    // The host, in a browser of their own (no admin session), opens the link.
    b.c.delete_all_cookies().await.unwrap();
    b.goto(&path).await;
    assert!(b.text("main").await.contains("host@example.com"));
    b.screenshots("reset-password").await;
    b.fill("password", "my new password").await;
    b.fill("password_again", "my new password").await;
    b.click("main form button[type=submit]").await;
    b.at("/login").await;
    assert!(b.text(".notice").await.contains("Password set"));
    b.screenshots("reset-password-done").await;
    b.sign_in("host@example.com", "my new password").await;

    b.c.delete_all_cookies().await.unwrap();
    b.goto(&path).await;
    assert!(b.text("h1").await.contains("This link no longer works"));
    b.screenshots("reset-password-dead-link").await;
    b.close().await;
}

#[tokio::test]
async fn a_user_creates_sees_once_lists_and_revokes_an_api_token() {
    let app = spawn_app().await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "host@example.com", false).await;
    b.sign_in("host@example.com", PASSWORD).await;
    b.goto("/account").await;
    assert!(b.text("#tokens").await.contains("You have no API tokens"));
    b.fill("name", "upload script").await;
    b.click(r#"form[action="/account/tokens"] button[type=submit]"#)
        .await;
    let secret = b
        .find("#new-token")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(secret.starts_with("pp_"), "{secret}");
    b.find(r#"button[aria-label="Copy the new API token"]"#)
        .await;
    b.screenshots("account-token-created").await;
    let api = TestUser {
        token: secret.clone(),
    };
    let (status, _) = app.api(Method::GET, "/shows", Some(&api), None).await;
    assert_eq!(status, StatusCode::OK, "the new token works");

    b.goto("/account").await;
    assert!(
        !b.source().await.contains(&secret),
        "the secret is shown once"
    );
    let row = b.text("#tokens table").await;
    assert!(row.contains("upload script"), "{row}");
    b.screenshots("account-tokens").await;
    b.click(r#"a[aria-label="Revoke upload script"]"#).await;
    b.screenshots("account-token-revoke-confirm").await;
    b.find("#f-confirm").await.click().await.unwrap();
    b.click("main form button[type=submit]").await;
    b.at("/account").await;
    assert!(b.text(".notice").await.contains("Token revoked"));
    assert!(b.text("#tokens").await.contains("You have no API tokens"));
    let (status, _) = app.api(Method::GET, "/shows", Some(&api), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "revoked at once");
    b.close().await;
}

#[tokio::test]
async fn an_owner_changes_a_members_role_in_place() {
    let app = spawn_app().await;
    let Some(b) = Browser::open(&app).await else {
        return;
    };
    create_account(&app, "owner@example.com", false).await;
    create_account(&app, "helper@example.com", false).await;
    let api = app.create_user(true).await;
    app.post_show(&api, "roles", json!({"title": "Roles"}))
        .await;
    for (email, role) in [
        ("owner@example.com", "owner"),
        ("helper@example.com", "editor"),
    ] {
        sqlx::query(
            "insert into show_members (show_id, user_id, role)
             select s.id, $1, $2 from shows s where s.slug = 'roles'",
        )
        .bind(user_id(&app, email).await)
        .bind(role)
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let helper = user_id(&app, "helper@example.com").await;
    b.sign_in("owner@example.com", PASSWORD).await;
    b.goto("/shows/roles/members").await;
    b.screenshots("show-members").await;
    b.find(&format!("#role-{helper}"))
        .await
        .select_by_value("owner")
        .await
        .unwrap();
    b.click(r#"button[aria-label="Change role of helper@example.com"]"#)
        .await;
    b.at("/shows/roles/members").await;
    let shown = b
        .find(&format!("#role-{helper}"))
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        shown.as_deref(),
        Some("owner"),
        "the page shows the new role"
    );
    let role: String = sqlx::query_scalar("select role from show_members where user_id = $1")
        .bind(helper)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(role, "owner");
    b.screenshots("show-members-role-changed").await;
    b.close().await;
}
