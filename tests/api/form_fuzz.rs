//! The HTML forms' counterpart of the API's schemathesis pass: every form found by crawling the
//! UI (as an admin, as an owner and signed out) is posted with NUL and control characters,
//! oversized values, wrong types, and missing or foreign CSRF tokens. None may answer 5xx.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use regex::Regex;
use reqwest::StatusCode;
use serde_json::json;

use crate::kit::app::{spawn_app, TestApp};
use crate::ui::{account, Ui};

/// A `<form method="post">` as the page has it: where it goes and its fields' default values.
#[derive(Debug, Clone)]
struct FoundForm {
    action: String,
    fields: Vec<(String, String)>,
    /// Each submit button's `name=value`, one variant each.
    buttons: Vec<(String, String)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let re = Regex::new(&format!(r#"(?i)\b{name}="([^"]*)""#)).unwrap();
    re.captures(tag).map(|c| unescape(&c[1]))
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn forms_in(page: &str) -> Vec<FoundForm> {
    let form = Regex::new(r"(?is)<form\b([^>]*)>(.*?)</form>").unwrap();
    let input = Regex::new(r"(?is)<input\b([^>]*)>").unwrap();
    let textarea = Regex::new(r"(?is)<textarea\b([^>]*)>(.*?)</textarea>").unwrap();
    let select = Regex::new(r"(?is)<select\b([^>]*)>(.*?)</select>").unwrap();
    let option = Regex::new(r"(?is)<option\b([^>]*)>([^<]*)").unwrap();
    let button = Regex::new(r"(?is)<button\b([^>]*)>").unwrap();
    let mut found = Vec::new();
    for f in form.captures_iter(page) {
        let (tag, body) = (&f[1], &f[2]);
        if attr(tag, "method").is_none_or(|m| !m.eq_ignore_ascii_case("post")) {
            continue;
        }
        let Some(action) = attr(tag, "action") else {
            continue;
        };
        let mut fields = Vec::new();
        for i in input.captures_iter(body) {
            let Some(name) = attr(&i[1], "name") else {
                continue;
            };
            let kind = attr(&i[1], "type").unwrap_or_default();
            let value = match kind.as_str() {
                "checkbox" | "radio" => attr(&i[1], "value").unwrap_or_else(|| "on".into()),
                _ => attr(&i[1], "value").unwrap_or_default(),
            };
            fields.push((name, value));
        }
        for t in textarea.captures_iter(body) {
            if let Some(name) = attr(&t[1], "name") {
                fields.push((name, unescape(&t[2])));
            }
        }
        for s in select.captures_iter(body) {
            if let Some(name) = attr(&s[1], "name") {
                let first = option
                    .captures(&s[2])
                    .map(|o| attr(&o[1], "value").unwrap_or_else(|| unescape(o[2].trim())))
                    .unwrap_or_default();
                fields.push((name, first));
            }
        }
        let buttons = button
            .captures_iter(body)
            .filter_map(|b| {
                Some((
                    attr(&b[1], "name")?,
                    attr(&b[1], "value").unwrap_or_default(),
                ))
            })
            .collect();
        found.push(FoundForm {
            action,
            fields,
            buttons,
        });
    }
    found
}

fn links_in(page: &str) -> Vec<String> {
    let href = Regex::new(r##"href="(/[^"#]*)""##).unwrap();
    href.captures_iter(page)
        .map(|c| unescape(&c[1]))
        .filter(|l| !l.starts_with("/static/") && !l.starts_with("//") && !l.ends_with(".json"))
        .collect()
}

/// Visits the pages reachable from `start`; returns the distinct forms (by action and field
/// names) and the pages seen.
async fn crawl(ui: &mut Ui, start: &[&str]) -> (Vec<FoundForm>, Vec<String>) {
    let mut queue: VecDeque<String> = start.iter().map(|s| s.to_string()).collect();
    let mut seen = BTreeSet::new();
    let mut forms = BTreeMap::new();
    let shape =
        Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap();
    let slug = Regex::new(r"/shows/[^/?]+").unwrap();
    let number = Regex::new(r"/[0-9]+(/|$)").unwrap();
    while let Some(path) = queue.pop_front() {
        if seen.len() >= 120 || !seen.insert(path.clone()) {
            continue;
        }
        let page = ui.get(&path).await;
        assert!(page.status.as_u16() < 500, "GET {path}: {}", page.status);
        for form in forms_in(&page.body) {
            let mut names: Vec<&str> = form.fields.iter().map(|(k, _)| k.as_str()).collect();
            names.sort();
            // One form per route: the same form of another show or episode adds nothing.
            let route = shape.replace_all(&form.action, "{id}");
            let route = slug.replace_all(&route, "/shows/{slug}");
            let route = number.replace_all(&route, "/{n}$1");
            let key = format!("{route} {}", names.join(","));
            forms.entry(key).or_insert(form);
        }
        for link in links_in(&page.body) {
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    (forms.into_values().collect(), seen.into_iter().collect())
}

/// The hostile values each field is sent with, one field at a time.
fn hostile(max_body: usize) -> Vec<(&'static str, String)> {
    vec![
        ("nul", "a\0b".into()),
        ("controls", "x\u{1}\u{8}\u{1b}[2J\u{7f}\u{85}y".into()),
        ("newlines", "line\r\nSet-Cookie: x=y\r\n".into()),
        ("unicode", "\u{fffe}\u{feff}\u{202e}\u{10ffff}".into()),
        ("long", "é".repeat(5_000)),
        ("oversized", "x".repeat(max_body + 1)),
        ("empty", String::new()),
        ("huge number", "99999999999999999999999999".into()),
        ("float", "1e309".into()),
        ("not a date", "2026-13-45T25:61".into()),
        ("url", "javascript:alert(1)".into()),
    ]
}

struct Pass<'a> {
    app: &'a TestApp,
    ui: Ui,
    admin: bool,
    /// The session's CSRF token, until a form ends the session.
    token: Option<String>,
    sent: usize,
    failures: Vec<String>,
}

impl Pass<'_> {
    /// Signs in again (as a new account) if a form ended the session.
    async fn signed_in(&mut self) -> String {
        if let Some(token) = &self.token {
            return token.clone();
        }
        let page = self.ui.get("/account").await;
        let token = if page.status == StatusCode::OK {
            page.csrf()
        } else {
            let email = account(self.app, self.admin).await;
            self.ui = Ui::new(self.app);
            self.ui.sign_in(&email).await;
            self.ui.token().await
        };
        self.token = Some(token.clone());
        token
    }

    async fn send(
        &mut self,
        what: &str,
        action: &str,
        form: &[(String, String)],
        headers: &[(&str, &str)],
    ) {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let page = self.ui.post_with(action, &pairs, headers).await;
        self.sent += 1;
        if page
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("/login"))
        {
            self.token = None;
        }
        if page.status.is_server_error() {
            let body: String = page.body.chars().take(300).collect();
            self.failures.push(format!(
                "{} POST {action} ({what}): {} {body}",
                self.who(),
                page.status
            ));
        }
    }

    fn who(&self) -> &'static str {
        if self.admin {
            "admin"
        } else {
            "owner"
        }
    }

    async fn fuzz(&mut self, form: &FoundForm, foreign_token: &str, max_body: usize) {
        let token = self.signed_in().await;
        let with = |fields: &[(String, String)], csrf: Option<&str>| {
            let mut out: Vec<(String, String)> = fields
                .iter()
                .filter(|(k, _)| k != "csrf")
                .cloned()
                .collect();
            if let Some(csrf) = csrf {
                out.push(("csrf".into(), csrf.into()));
            }
            out
        };
        let action = form.action.clone();
        self.send("no token", &action, &with(&form.fields, None), &[])
            .await;
        self.send(
            "foreign token",
            &action,
            &with(&form.fields, Some(foreign_token)),
            &[],
        )
        .await;
        self.send(
            "foreign origin",
            &action,
            &with(&form.fields, Some(&token)),
            &[("origin", "https://evil.example")],
        )
        .await;
        for (name, value) in hostile(max_body) {
            for i in 0..form.fields.len() {
                if form.fields[i].0 == "csrf" {
                    continue;
                }
                let token = self.signed_in().await;
                let mut fields = form.fields.clone();
                fields[i].1 = value.clone();
                let what = format!("{} = {name}", fields[i].0);
                self.send(&what, &action, &with(&fields, Some(&token)), &[])
                    .await;
            }
            // An unknown field and a repeated one.
            let token = self.signed_in().await;
            let mut fields = form.fields.clone();
            fields.push(("unexpected".into(), value.clone()));
            if let Some(first) = form.fields.iter().find(|(k, _)| k != "csrf") {
                fields.push((first.0.clone(), value.clone()));
            }
            self.send(
                &format!("extra fields = {name}"),
                &action,
                &with(&fields, Some(&token)),
                &[],
            )
            .await;
        }
        // Each button as it would be pressed, with the form's own values.
        for (name, value) in &form.buttons {
            let token = self.signed_in().await;
            let mut fields = with(&form.fields, Some(&token));
            fields.push((name.clone(), value.clone()));
            self.send(&format!("button {name}={value}"), &action, &fields, &[])
                .await;
        }
        let token = self.signed_in().await;
        self.send("as typed", &action, &with(&form.fields, Some(&token)), &[])
            .await;
    }
}

/// Forms that end the session or take the show away run last, so the rest see the data.
fn destructive(form: &FoundForm) -> bool {
    [
        "logout", "delete", "move", "purge", "trash", "remove", "users/",
    ]
    .iter()
    .any(|w| form.action.contains(w))
}

/// Two shows (`{prefix}-a`, `{prefix}-b`) with an episode each, owned by `owner_email`, and a
/// dead job to retry.
async fn seed(app: &TestApp, prefix: &str, owner_email: &str) {
    let api = app.create_user(true).await;
    for slug in [format!("{prefix}-a"), format!("{prefix}-b")] {
        let slug = slug.as_str();
        app.post_show(&api, slug, json!({})).await;
        app.post_episode(&api, slug, json!({"title": "One"})).await;
    }
    sqlx::query(
        "insert into show_members (show_id, user_id, role)
         select s.id, u.id, 'owner' from shows s, users u
         where u.email = $1 and s.slug like $2 || '-%'",
    )
    .bind(owner_email)
    .bind(prefix)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("insert into jobs (kind, state, last_error) values ('render', 'dead', 'boom')")
        .execute(&app.pool)
        .await
        .unwrap();
}

async fn run_pass(
    app: &TestApp,
    admin: bool,
    email: &str,
    min_forms: usize,
) -> (usize, usize, Vec<String>) {
    let mut ui = Ui::new(app);
    ui.sign_in(email).await;
    let start = [
        "/shows",
        "/import",
        "/account",
        "/admin/shows",
        "/admin/jobs",
        "/admin/users",
        "/admin/settings",
    ];
    let (mut forms, pages) = crawl(&mut ui, &start).await;
    assert!(
        forms.len() >= min_forms,
        "the crawl found {} forms on {} pages: {forms:#?} {pages:#?}",
        forms.len(),
        pages.len()
    );
    forms.sort_by_key(destructive);
    let mut other = Ui::new(app);
    other.sign_in(email).await;
    let foreign = other.token().await;
    let mut pass = Pass {
        app,
        ui,
        admin,
        token: None,
        sent: 0,
        failures: Vec::new(),
    };
    let max_body = app.settings.max_body_bytes;
    for form in &forms {
        pass.fuzz(form, &foreign, max_body).await;
    }
    // Query strings of every page seen, too.
    for page in &pages {
        for query in [
            "q=%00",
            "next=%01",
            "notice=%00x",
            "state=%FF",
            "limit=-1",
            "q=%E9",
        ] {
            let sep = if page.contains('?') { '&' } else { '?' };
            let got = pass.ui.get(&format!("{page}{sep}{query}")).await;
            pass.sent += 1;
            if got.status.is_server_error() {
                pass.failures
                    .push(format!("GET {page}{sep}{query}: {}", got.status));
            }
        }
    }
    (forms.len(), pass.sent, pass.failures)
}

#[tokio::test]
async fn every_form_of_the_ui_survives_hostile_input_without_a_5xx() {
    let app = spawn_app().await;
    let admin = account(&app, true).await;
    let owner = account(&app, false).await;
    let mut failures = Vec::new();
    // The owner first: the admin's pass disables users.
    seed(&app, "own", &owner).await;
    let (forms, sent, failed) = run_pass(&app, false, &owner, 8).await;
    eprintln!("owner: {forms} forms, {sent} requests");
    failures.extend(failed);
    seed(&app, "adm", &owner).await;
    let (forms, sent, failed) = run_pass(&app, true, &admin, 15).await;
    eprintln!("admin: {forms} forms, {sent} requests");
    failures.extend(failed);

    // Signed out: the sign-in form, with its cookie-bound token.
    let mut anon = Ui::new(&app);
    let page = anon.get("/login").await;
    let login = forms_in(&page.body);
    assert_eq!(login.len(), 1, "the sign-in page has its form");
    let csrf = page.csrf();
    for (name, value) in hostile(app.settings.max_body_bytes) {
        for field in ["email", "password", "next"] {
            let mut form: Vec<(&str, &str)> = vec![
                ("csrf", &csrf),
                ("email", "a@example.com"),
                ("password", "x"),
            ];
            form.retain(|(k, _)| *k != field);
            form.push((field, &value));
            let got = anon.post("/login", &form).await;
            if got.status.is_server_error() {
                failures.push(format!(
                    "anonymous POST /login ({field} = {name}): {}",
                    got.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} 5xx:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
