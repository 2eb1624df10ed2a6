//! Signing in under pressure: parallel guesses, a burst of sign-ins.

use reqwest::{header, StatusCode};

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
    account(&app, false).await;
    sqlx::query("update ui_settings set login_max_failures = 1000")
        .execute(&app.pool)
        .await
        .unwrap();
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
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        failures, judged as i64,
        "an attempt refused as busy was never judged, so it does not count"
    );
}
