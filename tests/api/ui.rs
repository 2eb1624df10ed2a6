//! A browser-less client of the web UI: cookies by hand, CSRF tokens read from the pages.

use podpub::db::users;
use reqwest::{header, redirect::Policy, StatusCode};

use crate::kit::app::TestApp;

pub const PASSWORD: &str = "correct horse battery";

pub struct Ui {
    pub base: String,
    pub client: reqwest::Client,
    pub cookies: Vec<(String, String)>,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Page {
    /// The first CSRF token in the page's forms.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("the page has a form") + marker.len();
        self.body[start..][..64].to_string()
    }
}

/// A user with a password; returns the email.
pub async fn account(app: &TestApp, admin: bool) -> String {
    let email = format!("{}@example.com", uuid::Uuid::new_v4().simple());
    let hash = podpub::app::users::hash_password(PASSWORD).unwrap();
    users::create(&app.pool, &email, Some(&hash), admin)
        .await
        .unwrap();
    email
}

impl Ui {
    pub fn new(app: &TestApp) -> Ui {
        Ui {
            base: app.address.clone(),
            client: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .unwrap(),
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, resp: reqwest::Response) -> Page {
        let status = resp.status();
        let location = resp
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let set_cookies: Vec<String> = resp
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
        Page {
            status,
            location,
            set_cookies,
            body: resp.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.finish(resp).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_with(path, form, &[]).await
    }

    pub async fn post_with(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = req.body(body).send().await.unwrap();
        self.finish(resp).await
    }

    /// Signs in through the login form; returns the response to the POST.
    /// Creates a show through its form (English, episodic); fails the test unless the UI
    /// redirects to the new show.
    pub async fn create_show(&mut self, csrf: &str, slug: &str, title: &str) {
        let form = [
            ("csrf", csrf),
            ("slug", slug),
            ("title", title),
            ("language", "en"),
            ("type", "episodic"),
        ];
        let page = self.post("/shows/new", &form).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }

    pub async fn sign_in(&mut self, email: &str) -> Page {
        let csrf = self.get("/login").await.csrf();
        let page = self
            .post(
                "/login",
                &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        page
    }

    /// The CSRF token of the signed-in session (from any page with a form).
    pub async fn token(&mut self) -> String {
        self.get("/account").await.csrf()
    }
}

/// A signed-in UI user who owns a new show at `slug`, a CSRF token of theirs, and an API user
/// who edits that show.
pub async fn owner_and_editor(
    app: &TestApp,
    slug: &str,
    title: &str,
) -> (Ui, String, crate::kit::app::TestUser) {
    let email = account(app, false).await;
    let mut ui = Ui::new(app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, slug, title).await;
    let user = app.create_user(false).await;
    sqlx::query(
        "insert into show_members (show_id, user_id, role)
         select s.id, t.user_id, 'editor' from shows s, api_tokens t where s.slug = $1",
    )
    .bind(slug)
    .execute(&app.pool)
    .await
    .unwrap();
    (ui, csrf, user)
}
