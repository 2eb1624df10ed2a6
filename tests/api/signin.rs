//! Signing in under pressure (parallel guesses, a burst of sign-ins), and what a new password
//! does to the user's other sessions and API tokens.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use podpub::db::users;
use reqwest::{header, Method, StatusCode};
use secrecy::ExposeSecret;
use sqlx::{postgres::PgPoolOptions, PgPool};

use crate::kit::app::{spawn_app_with, TestApp};
use crate::ui::{account, Ui, PASSWORD};

/// One sign-in from a client that holds the login page's cookie and CSRF token.
#[derive(Clone)]
struct Attempts {
    client: reqwest::Client,
    url: String,
    cookie: String,
    csrf: String,
}

/// An answer to a sign-in: its status and its `Retry-After`.
struct Answer {
    status: StatusCode,
    retry_after: Option<String>,
}

impl Attempts {
    async fn new(app: &TestApp) -> Attempts {
        let mut ui = Ui::new(app);
        let csrf = ui.get("/login").await.csrf();
        let cookie = ui
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        Attempts {
            client: ui.client,
            url: format!("{}/login", app.address),
            cookie,
            csrf,
        }
    }

    async fn sign_in(&self, email: &str, password: &str) -> Answer {
        let resp = self
            .client
            .post(&self.url)
            .header(header::COOKIE, &self.cookie)
            .form(&[
                ("csrf", self.csrf.as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        Answer {
            status: resp.status(),
            retry_after: resp
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.to_str().unwrap().to_string()),
        }
    }

    /// `n` sign-ins at once, each with the email and password `attempt(i)` gives.
    async fn parallel(&self, n: usize, attempt: impl Fn(usize) -> (String, String)) -> Vec<Answer> {
        let tasks: Vec<_> = (0..n)
            .map(|i| {
                let this = self.clone();
                let (email, password) = attempt(i);
                tokio::spawn(async move { this.sign_in(&email, &password).await })
            })
            .collect();
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        answers
    }
}

/// Opens `n` connections of `pool` at once (retrying the acquires that time out), then
/// returns them to it idle.
async fn open_connections(pool: &PgPool, n: usize) {
    let mut held = Vec::new();
    for _ in 0..100 {
        if held.len() == n {
            return;
        }
        if let Ok(conn) = pool.acquire().await {
            held.push(conn);
        }
    }
    panic!("could open only {} of {n} connections", held.len());
}

fn count(answers: &[Answer], status: StatusCode) -> usize {
    answers.iter().filter(|a| a.status == status).count()
}

#[tokio::test]
async fn parallel_wrong_passwords_count_no_more_than_the_limit_and_the_rest_are_throttled() {
    // Room for every request at once: nothing but the throttle may refuse one.
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_POOL_SIZE", "20"),
            ("PODPUB_ACQUIRE_TIMEOUT_MS", "30000"),
        ],
    )
    .await;
    let email = account(&app, false).await;
    let attempts = Attempts::new(&app).await;
    let answers = attempts
        .parallel(80, |i| (email.clone(), format!("wrong guess {i}")))
        .await;
    let judged = count(&answers, StatusCode::UNAUTHORIZED);
    let throttled = count(&answers, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        (judged, throttled),
        (10, 70),
        "the limit of 10 failures holds however many guesses arrive at once"
    );
    assert!(answers
        .iter()
        .filter(|a| a.status == StatusCode::TOO_MANY_REQUESTS)
        .all(|a| a.retry_after.as_deref() == Some("900")));
    let right = attempts.sign_in(&email, PASSWORD).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "while locked, even the right password waits"
    );
}

#[tokio::test]
async fn sign_ins_beyond_the_hashing_bound_wait_then_get_503_with_retry_after() {
    let app = spawn_app_with(
        false,
        &[
            ("PODPUB_PASSWORD_HASH_CONCURRENCY", "1"),
            // Time for a few checks of tens of milliseconds each, not for sixty.
            ("PODPUB_ACQUIRE_TIMEOUT_MS", "300"),
            ("PODPUB_POOL_SIZE", "20"),
        ],
    )
    .await;
    // The test's own queries use a pool of their own: the app's waits only 300 ms for a
    // connection, which a loaded machine can take just to open one.
    let db = PgPoolOptions::new()
        .max_connections(2)
        .connect(app.settings.database_url.expose_secret())
        .await
        .unwrap();
    let hash = podpub::app::users::hash_password(PASSWORD).unwrap();
    users::create(&db, "someone@example.com", Some(&hash), false)
        .await
        .unwrap();
    sqlx::query("update ui_settings set login_max_failures = 1000")
        .execute(&db)
        .await
        .unwrap();
    // Its connections open before the burst, which then meets the hashing bound, not
    // connection setup.
    open_connections(&app.pool, 20).await;
    let attempts = Attempts::new(&app).await;
    let answers = attempts
        .parallel(60, |i| (format!("nobody{i}@example.com"), "a guess".into()))
        .await;
    let judged = count(&answers, StatusCode::UNAUTHORIZED);
    let busy = count(&answers, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(judged + busy, 60, "every answer is 401 or 503, never 500");
    assert!(judged >= 1, "one verification at a time still runs");
    assert!(
        busy >= 1,
        "the excess is refused rather than hashed at once"
    );
    assert!(answers
        .iter()
        .filter(|a| a.status == StatusCode::SERVICE_UNAVAILABLE)
        .all(|a| a.retry_after.as_deref() == Some("1")));
    let failures: i64 = sqlx::query_scalar("select count(*) from login_failures")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        failures, judged as i64,
        "an attempt refused as busy was never judged, so it does not count"
    );
}

/// The account form with a new password; `revoke` ticks "Also revoke my API tokens".
async fn change_password(ui: &mut Ui, new: &str, revoke: bool) -> crate::ui::Page {
    let csrf = ui.token().await;
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("time_zone", "UTC"),
        ("current_password", PASSWORD),
        ("password", new),
        ("password_again", new),
    ];
    if revoke {
        form.push(("revoke_tokens", "on"));
    }
    ui.post("/account", &form).await
}

async fn token_of(app: &TestApp, email: &str) -> String {
    let user = users::find_by_email(&app.pool, email)
        .await
        .unwrap()
        .unwrap();
    users::create_token(&app.pool, user.id, "script")
        .await
        .unwrap()
}

async fn api_status(app: &TestApp, token: &str) -> StatusCode {
    app.client
        .request(Method::GET, format!("{}/api/v1/shows", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_new_password_signs_out_other_sessions_and_keeps_tokens_unless_asked() {
    let app = spawn_app_with(false, &[]).await;
    let email = account(&app, false).await;
    let token = token_of(&app, &email).await;
    let mut here = Ui::new(&app);
    here.sign_in(&email).await;
    let mut elsewhere = Ui::new(&app);
    elsewhere.sign_in(&email).await;
    assert_eq!(elsewhere.get("/shows").await.status, StatusCode::OK);
    assert_eq!(api_status(&app, &token).await, StatusCode::OK);

    let page = here.get("/account").await;
    assert!(
        page.body.contains("name=\"revoke_tokens\""),
        "a user with tokens is offered to revoke them"
    );
    let page = change_password(&mut here, "a brand new secret", false).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/account"));

    assert_eq!(
        here.get("/shows").await.status,
        StatusCode::OK,
        "the session that changed the password stays signed in"
    );
    let other = elsewhere.get("/shows").await;
    assert_eq!(
        other.status,
        StatusCode::SEE_OTHER,
        "the other browser is out"
    );
    assert!(other.location.unwrap().starts_with("/login"));
    assert_eq!(
        api_status(&app, &token).await,
        StatusCode::OK,
        "API tokens keep working unless revocation was chosen"
    );
}

#[tokio::test]
async fn revoking_tokens_with_a_new_password_stops_them_at_once() {
    let app = spawn_app_with(false, &[]).await;
    let email = account(&app, false).await;
    let token = token_of(&app, &email).await;
    let other_user = app.create_user(false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    // The token is now in the app's cache of recently checked tokens.
    assert_eq!(api_status(&app, &token).await, StatusCode::OK);

    let page = change_password(&mut ui, "a brand new secret", true).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/account"));
    assert_eq!(
        api_status(&app, &token).await,
        StatusCode::UNAUTHORIZED,
        "a revoked token stops at once, not when the cache expires"
    );
    assert_eq!(
        api_status(&app, &other_user.token).await,
        StatusCode::OK,
        "other users' tokens are untouched"
    );
    let page = ui.get("/account").await;
    assert!(page.body.contains("API tokens revoked"));
    assert!(
        !page.body.contains("name=\"revoke_tokens\""),
        "no tokens left to offer"
    );
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    let app = spawn_app_with(false, &[]).await;
    let email = account(&app, false).await;
    let token = token_of(&app, &email).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let mut elsewhere = Ui::new(&app);
    elsewhere.sign_in(&email).await;
    let csrf = ui.token().await;
    let form = [
        ("csrf", csrf.as_str()),
        ("time_zone", "UTC"),
        ("current_password", "not the password"),
        ("password", "a brand new secret"),
        ("password_again", "a brand new secret"),
        ("revoke_tokens", "on"),
    ];
    let page = ui.post("/account", &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(elsewhere.get("/shows").await.status, StatusCode::OK);
    assert_eq!(api_status(&app, &token).await, StatusCode::OK);
    Ui::new(&app).sign_in(&email).await;
}

#[tokio::test]
async fn the_operators_password_reset_ends_every_session_of_the_user() {
    let app = spawn_app_with(false, &[]).await;
    let email = account(&app, false).await;
    let token = token_of(&app, &email).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let reset = |extra: &[&str], password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_podpub"))
            .args(["user", "password", "--email", &email])
            .args(extra)
            .env("DATABASE_URL", app.settings.database_url.expose_secret())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };

    let out = reset(&[], "short");
    assert!(!out.status.success(), "a too-short password is refused");
    assert_eq!(ui.get("/shows").await.status, StatusCode::OK);

    let out = reset(&[], "an operator's new secret");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(ui.get("/shows").await.status, StatusCode::SEE_OTHER);
    assert_eq!(api_status(&app, &token).await, StatusCode::OK);
    let mut fresh = Ui::new(&app);
    let csrf = fresh.get("/login").await.csrf();
    let old = [
        ("csrf", csrf.as_str()),
        ("email", email.as_str()),
        ("password", PASSWORD),
    ];
    assert_eq!(
        fresh.post("/login", &old).await.status,
        StatusCode::UNAUTHORIZED
    );
    let new = [
        ("csrf", csrf.as_str()),
        ("email", email.as_str()),
        ("password", "an operator's new secret"),
    ];
    assert_eq!(
        fresh.post("/login", &new).await.status,
        StatusCode::SEE_OTHER
    );

    let out = reset(&["--revoke-tokens"], "yet another secret");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Another process than the app's: its token cache forgets within TOKEN_TTL; the token
    // itself is gone.
    let found = users::find_by_token(&app.pool, &token).await.unwrap();
    assert!(found.is_none(), "--revoke-tokens deletes the user's tokens");
}

#[tokio::test]
async fn a_disabled_users_tokens_stop_at_once() {
    let app = spawn_app_with(false, &[]).await;
    let admin = account(&app, true).await;
    let email = account(&app, false).await;
    let token = token_of(&app, &email).await;
    // The token is now in the app's cache of recently checked tokens.
    assert_eq!(api_status(&app, &token).await, StatusCode::OK);
    let mut ui = Ui::new(&app);
    ui.sign_in(&admin).await;
    let csrf = ui.token().await;
    let id = users::find_by_email(&app.pool, &email)
        .await
        .unwrap()
        .unwrap()
        .id;
    let page = ui
        .post(
            &format!("/admin/users/{id}"),
            &[("csrf", &csrf), ("action", "disable"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(api_status(&app, &token).await, StatusCode::UNAUTHORIZED);
}
