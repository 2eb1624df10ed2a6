//! The edit history leaves nothing out and reads well: invitations accepted when an account is
//! created, an import's many episodes in their order, and structured values as words.

use std::process::Command;

use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::history::{api_user, history};
use crate::kit::app::{spawn_app, TestApp};
use crate::ui::{account, Ui};

/// The membership entries of `email` in `slug`'s history, newest first.
async fn member_entries(app: &TestApp, slug: &str, email: &str) -> Vec<Value> {
    let (_, viewer) = api_user(app, true).await;
    history(app, &viewer, &format!("/shows/{slug}/history"))
        .await
        .into_iter()
        .filter(|e| e["target"] == "member" && e["subject"] == email)
        .collect()
}

async fn is_member(app: &TestApp, slug: &str, email: &str) -> bool {
    sqlx::query_scalar(
        "select exists (select 1 from show_members m join users u on u.id = m.user_id
            join shows s on s.id = m.show_id where s.slug = $1 and u.email = $2)",
    )
    .bind(slug)
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn invitations_accepted_when_the_account_is_created_are_in_the_history_and_revert() {
    let app = spawn_app().await;
    let owner = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&owner).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "team", "Team").await;
    let (by_admin, by_cli) = ("new-ui@example.com", "new-cli@example.com");
    for (email, role) in [(by_admin, "editor"), (by_cli, "owner")] {
        let invite = [
            ("csrf", csrf.as_str()),
            ("action", "invite"),
            ("email", email),
            ("role", role),
        ];
        let page = ui.post("/shows/team/members", &invite).await;
        assert!(page.status.is_redirection(), "{}", page.body);
    }

    // An admin creates the first account in Admin → Users.
    let admin = account(&app, true).await;
    let mut admin_ui = Ui::new(&app);
    admin_ui.sign_in(&admin).await;
    let admin_csrf = admin_ui.token().await;
    let form = [
        ("csrf", admin_csrf.as_str()),
        ("email", by_admin),
        ("password", "a long enough password"),
    ];
    let page = admin_ui.post("/admin/users", &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(is_member(&app, "team", by_admin).await);
    let entries = member_entries(&app, "team", by_admin).await;
    let kinds: Vec<&Value> = entries.iter().map(|e| &e["kind"]).collect();
    assert_eq!(kinds, [&json!("join"), &json!("invite")], "{entries:?}");
    let joined = &entries[0];
    assert_eq!(joined["author"]["email"], admin.as_str());
    assert_eq!(joined["surface"], "ui");
    assert_eq!(
        joined["changes"],
        json!([{"field": "role", "label": "Role", "before": null, "after": "editor"}])
    );

    // The operator creates the second at the command line: the new account is the author.
    let out = Command::new(env!("CARGO_BIN_EXE_podpub"))
        .args(["user", "create", "--email", by_cli])
        .env("DATABASE_URL", app.settings.database_url.expose_secret())
        .env_remove("PODPUB_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entries = member_entries(&app, "team", by_cli).await;
    assert_eq!(entries[0]["kind"], "join", "{entries:?}");
    assert_eq!(entries[0]["author"]["email"], by_cli);
    assert_eq!(entries[0]["surface"], "cli");
    assert_eq!(entries[0]["changes"][0]["after"], "owner");

    // The show's History tab says it in words, and the owner can undo a join.
    let page = ui.get("/shows/team/history").await;
    assert!(
        page.body
            .contains(&format!("Invitation accepted: {by_admin}")),
        "{}",
        page.body
    );
    let path = format!("/shows/team/history/{}/revert", entries[0]["id"]);
    let page = ui.post(&path, &[("csrf", &csrf), ("confirm", "yes")]).await;
    assert!(page.status.is_redirection(), "{}", page.body);
    assert!(!is_member(&app, "team", by_cli).await);
    let entries = member_entries(&app, "team", by_cli).await;
    assert_eq!(entries[0]["kind"], "remove", "{entries:?}");
}

#[tokio::test]
async fn an_import_records_its_show_then_each_episode_in_feed_order() {
    let app = spawn_app().await;
    let (_, user) = api_user(&app, false).await;
    let items: String = (1..=5)
        .map(|i| {
            format!(
                "<item><title>Ep {i}</title><guid isPermaLink=\"false\">g{i}</guid>\
                 <pubDate>0{i} Jul 2020 04:00:00 GMT</pubDate>\
                 <enclosure url=\"https://cdn.example.com/{i}.mp3\" length=\"100\" \
                 type=\"audio/mpeg\"/></item>"
            )
        })
        .collect();
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Many</title>{items}\
         </channel></rss>"
    );
    let (status, body) = app
        .api(
            Method::POST,
            "/import",
            Some(&user),
            Some(json!({"rss": rss, "slug": "many"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let entries = history(&app, &user, "/shows/many/history").await;
    let what: Vec<(&str, &str)> = entries
        .iter()
        .rev()
        .map(|e| {
            (
                e["target"].as_str().unwrap(),
                e["subject"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        what,
        [
            ("show", ""),
            ("episode", "Ep 1"),
            ("episode", "Ep 2"),
            ("episode", "Ep 3"),
            ("episode", "Ep 4"),
            ("episode", "Ep 5")
        ]
    );
    assert!(entries.iter().all(|e| e["kind"] == "create"));
    let title = entries[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "title")
        .unwrap();
    assert_eq!(title["after"], "Ep 5");
}

#[tokio::test]
async fn the_history_tab_shows_categories_people_and_funding_as_words_and_the_api_keeps_json() {
    let app = spawn_app().await;
    let owner = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&owner).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "worded", "Worded").await;
    let (_, admin) = api_user(&app, true).await;
    let patch = json!({
        "categories": [{"name": "Technology", "sub": "Tech News"}, {"name": "Comedy"}],
        "persons": [{"name": "Ada Lovelace", "role": "host"}],
        "funding": [{"url": "https://give.example.com/", "label": "Support us"}],
    });
    let (status, body) = app
        .api(Method::PATCH, "/shows/worded", Some(&admin), Some(patch))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let page = ui.get("/shows/worded/history").await;
    assert_eq!(page.status, StatusCode::OK);
    for words in [
        "Technology › Tech News, Comedy",
        "Ada Lovelace (host)",
        "Support us: https://give.example.com/",
    ] {
        assert!(page.body.contains(words), "{words} in {}", page.body);
    }
    assert!(
        !page.body.contains("&quot;name&quot;") && !page.body.contains("{\"name\""),
        "no raw JSON: {}",
        page.body
    );
    let entries = history(&app, &admin, "/shows/worded/history").await;
    let categories = entries[0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "categories")
        .unwrap();
    assert_eq!(
        categories["after"][0],
        json!({"name": "Technology", "sub": "Tech News"})
    );
}
