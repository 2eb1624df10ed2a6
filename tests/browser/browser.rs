//! A headless Chromium per test, and the steps the tests take in it.

use std::{
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use podpub::db::users;
use tempfile::TempDir;

use crate::kit::{app::TestApp, ports::free_port, procs::Proc, scratch::scratch, under_ci};

/// Finds `chromedriver` and `chromium`; `None` means skip (outside CI).
fn find_tools() -> Option<(PathBuf, PathBuf)> {
    let which = |names: &[&str]| {
        names.iter().find_map(|n| {
            let p = PathBuf::from(n);
            if p.is_absolute() {
                return p.exists().then_some(p);
            }
            std::env::var_os("PATH").and_then(|path| {
                std::env::split_paths(&path)
                    .map(|d| d.join(n))
                    .find(|p| p.exists())
            })
        })
    };
    let driver = which(&["chromedriver", "/usr/lib/chromium/chromedriver"]);
    let browser = which(&[
        "chromium",
        "chromium-browser",
        "google-chrome",
        "/usr/lib/chromium/chromium",
    ]);
    match (driver, browser) {
        (Some(d), Some(b)) => Some((d, b)),
        _ => {
            assert!(
                !under_ci(),
                "CI=true but chromium or chromedriver is missing: `make test` installs them \
                 (apt-get install chromium chromium-driver)"
            );
            eprintln!(
                "SKIPPED: browser test needs chromium and chromedriver \
                 (apt-get install chromium chromium-driver, or run `make test`)"
            );
            None
        }
    }
}

/// A browser session; chromedriver stops when it drops.
pub struct Browser {
    pub c: Client,
    pub base: String,
    _driver: Proc,
    _logs: TempDir,
}

impl Browser {
    /// A fresh headless Chromium pointed at `app`; `None` when it is not installed (not CI).
    pub async fn open(app: &TestApp) -> Option<Browser> {
        let (driver_path, browser_path) = find_tools()?;
        let port = free_port();
        let logs = scratch("chromedriver");
        let mut cmd = Command::new(driver_path);
        cmd.arg(format!("--port={port}"));
        let mut driver = Proc::spawn("chromedriver", cmd, logs.path());
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": browser_path,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,1000", "--no-first-run", "--disable-extensions"],
            }
        });
        let caps: fantoccini::wd::Capabilities = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let c = loop {
            // chromedriver is local plain HTTP: no TLS stack needed.
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    driver.assert_running();
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("chromedriver on {url}: {e}"),
            }
        };
        Some(Browser {
            c,
            base: app.address.clone(),
            _driver: driver,
            _logs: logs,
        })
    }

    pub async fn goto(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("page loads");
    }

    pub async fn path(&self) -> String {
        let url = self.c.current_url().await.unwrap();
        url.path().to_string()
    }

    pub async fn find(&self, css: &str) -> Element {
        match self
            .c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => el,
            Err(e) => panic!("no element {css:?} on {}: {e}", self.path_now().await),
        }
    }

    async fn path_now(&self) -> String {
        self.c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// Asserts the current path, showing the form errors when it differs.
    pub async fn at(&self, expected: &str) {
        let path = self.path().await;
        if path != expected {
            let errors = match self.c.find(Locator::Css(".errors")).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => self.source().await,
            };
            panic!("at {path}, expected {expected}: {errors}");
        }
    }

    pub async fn exists(&self, css: &str) -> bool {
        self.c.find(Locator::Css(css)).await.is_ok()
    }

    /// Chooses `path` in the file input at `css`, as a podcaster picking a file does.
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) {
        let el = self.find(css).await;
        el.send_keys(&path.display().to_string()).await.unwrap();
    }

    /// Waits (up to `limit`) until the input named `name` has a value that `done` accepts;
    /// the value.
    pub async fn value_when(
        &self,
        name: &str,
        limit: Duration,
        done: impl Fn(&str) -> bool,
    ) -> String {
        let el = self.find(&format!("[name={name:?}]")).await;
        let deadline = Instant::now() + limit;
        loop {
            let value = el.prop("value").await.unwrap().unwrap_or_default();
            if done(&value) {
                return value;
            }
            if Instant::now() > deadline {
                let status = self.c.source().await.unwrap_or_default();
                panic!("{name} never got there (it holds {value:?}): {status}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Replaces an input's value by typing.
    pub async fn fill(&self, name: &str, value: &str) {
        let el = self.find(&format!("[name={name:?}]")).await;
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    /// Sets an input's value directly (date-time pickers type differently per locale).
    pub async fn set_value(&self, name: &str, value: &str) {
        self.c
            .execute(
                "document.querySelector('[name=\"' + arguments[0] + '\"]').value = arguments[1];",
                vec![name.into(), value.into()],
            )
            .await
            .unwrap();
    }

    pub async fn select(&self, name: &str, value: &str) {
        self.find(&format!("select[name={name:?}]"))
            .await
            .select_by_value(value)
            .await
            .unwrap();
    }

    /// Clicks something that navigates, and waits for the next page to load.
    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.c
            .execute("window.__podpubOldPage = true;", vec![])
            .await
            .unwrap();
        el.click().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            let fresh = self
                .c
                .execute(
                    "return !window.__podpubOldPage && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if matches!(fresh, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.screenshot("failed-click").await;
        panic!("clicking {css} loaded no new page: {}", self.source().await);
    }

    pub async fn source(&self) -> String {
        self.c.source().await.unwrap()
    }

    /// Saves a screenshot as `target/ui-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.c.screenshot().await.expect("screenshot");
        let dir = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
            .join("ui-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Saves a screenshot of the whole page, however long, as `target/ui-screenshots/<name>.png`.
    pub async fn screenshot_page(&self, name: &str) {
        self.screenshot_page_at(name, 1280).await;
    }

    /// Saves the whole page as the browser shows it `width` px wide, as
    /// `target/ui-screenshots/<name>.png`; the window is 1280 px wide again after.
    pub async fn screenshot_page_at(&self, name: &str, width: u32) {
        self.c.set_window_size(width, 1000).await.unwrap();
        let height = self
            .c
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .unwrap()
            .as_u64()
            .unwrap_or(1000)
            .min(16_000);
        self.c.set_window_size(width, height as u32).await.unwrap();
        self.screenshot(name).await;
        self.c.set_window_size(1280, 1000).await.unwrap();
    }

    /// Whole-page screenshots at laptop and phone width: `<name>-1280.png`, `<name>-390.png`.
    pub async fn screenshots(&self, name: &str) {
        for width in [1280, 390] {
            self.screenshot_page_at(&format!("{name}-{width}"), width)
                .await;
        }
    }

    /// Reloads until `css` holds `text` (the worker publishes in the background).
    pub async fn reload_until(&self, css: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if self.exists(css).await && self.text(css).await.contains(text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never showed {text:?}; page: {}",
                self.source().await
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
            self.c.refresh().await.unwrap();
        }
    }

    pub async fn sign_in(&self, email: &str, password: &str) {
        self.goto("/login").await;
        self.fill("email", email).await;
        self.fill("password", password).await;
        self.click("main form button[type=submit]").await;
        assert_eq!(self.path().await, "/shows", "signed in");
    }

    pub async fn close(self) {
        let _ = self.c.clone().close().await;
    }
}

pub const PASSWORD: &str = "correct horse battery";

/// A user with a password, made directly in the database.
pub async fn create_account(app: &TestApp, email: &str, admin: bool) {
    let hash = podpub::app::users::hash_password(PASSWORD).unwrap();
    users::create(&app.pool, email, Some(&hash), admin)
        .await
        .unwrap();
}
