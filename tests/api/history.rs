//! The edit history: every change, by whom and through which surface, and "Revert this change".

use std::process::Command;

use chrono::{Duration, Utc};
use podpub::db::users;
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::kit::{
    app::{spawn_app, TestApp, TestUser},
    scratch::scratch,
};
use crate::ui::{account, Ui};

/// A user with a token whose email we know.
pub async fn api_user(app: &TestApp, admin: bool) -> (String, TestUser) {
    let email = format!("{}@example.com", uuid::Uuid::new_v4().simple());
    let user = users::create(&app.pool, &email, None, admin).await.unwrap();
    let token = users::create_token(&app.pool, user.id, "test")
        .await
        .unwrap();
    (email, TestUser { token })
}

/// The history at `path` (under /api/v1), newest first.
pub async fn history(app: &TestApp, user: &TestUser, path: &str) -> Vec<Value> {
    let (status, body) = app.api(Method::GET, path, Some(user), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().unwrap().clone()
}

/// The change of `entry` to `field`: (before, after).
fn change<'a>(entry: &'a Value, field: &str) -> (&'a Value, &'a Value) {
    let c = entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("no change to {field} in {entry}"));
    (&c["before"], &c["after"])
}

async fn revert(app: &TestApp, user: &TestUser, slug: &str, id: &Value) -> (StatusCode, Value) {
    let path = format!("/shows/{slug}/history/{id}/revert");
    app.api(Method::POST, &path, Some(user), None).await
}

#[tokio::test]
async fn api_edits_are_recorded_field_by_field_and_a_revert_puts_the_old_values_back() {
    let app = spawn_app().await;
    let (email, user) = api_user(&app, false).await;
    app.post_show(&user, "hist", json!({"title": "Before"}))
        .await;
    let episode = app
        .post_episode(&user, "hist", json!({"title": "Old title"}))
        .await;
    let id = episode["id"].as_str().unwrap();
    let path = format!("/shows/hist/episodes/{id}");
    let (status, _) = app
        .api(
            Method::PATCH,
            &path,
            Some(&user),
            Some(json!({"title": "New title", "publish_at": "2024-05-01T10:00:00Z", "persons": [{"name": "Ada"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let entries = history(&app, &user, &format!("{path}/history")).await;
    assert_eq!(entries.len(), 2, "a create and an update: {entries:?}");
    let update = &entries[0];
    assert_eq!(update["kind"], "update");
    assert_eq!(update["surface"], "api");
    assert_eq!(update["author"]["email"], email.as_str());
    assert_eq!(
        change(update, "title"),
        (&json!("Old title"), &json!("New title"))
    );
    let labels: Vec<&str> = update["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["People", "Publish date", "Title"]);
    assert_eq!(entries[1]["kind"], "create");

    let (status, body) = revert(&app, &user, "hist", &update["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, now) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(now["title"], "Old title");
    assert_eq!(now["persons"], json!([]));
    assert_eq!(now["publish_at"], episode["publish_at"]);
    app.run_pending_jobs().await;
    let feed = app.feed_xml("hist").await.unwrap();
    assert!(feed.contains("Old title") && !feed.contains("New title"));
    let entries = history(&app, &user, &format!("{path}/history")).await;
    assert_eq!(
        entries[0]["reverts"], update["id"],
        "the revert is a new change"
    );
    assert_eq!(change(&entries[0], "title").1, "Old title");

    // The show's own fields, and the show's history holds its episodes' changes too.
    let (status, _) = app
        .api(
            Method::PATCH,
            "/shows/hist",
            Some(&user),
            Some(json!({"title": "After", "type": "serial"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let entries = history(&app, &user, "/shows/hist/history").await;
    assert_eq!(entries[0]["target"], "show");
    assert_eq!(
        change(&entries[0], "show_type"),
        (&json!("episodic"), &json!("serial"))
    );
    assert!(entries.iter().any(|e| e["target"] == "episode"));
    let (status, body) = revert(&app, &user, "hist", &entries[0]["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, show) = app.api(Method::GET, "/shows/hist", Some(&user), None).await;
    assert_eq!(
        (&show["title"], &show["type"]),
        (&json!("Before"), &json!("episodic"))
    );
}

#[tokio::test]
async fn a_field_changed_again_since_is_not_overwritten_409() {
    let app = spawn_app().await;
    let (_, user) = api_user(&app, false).await;
    app.post_show(&user, "clash", json!({})).await;
    let episode = app
        .post_episode(&user, "clash", json!({"title": "One"}))
        .await;
    let path = format!("/shows/clash/episodes/{}", episode["id"].as_str().unwrap());
    for title in ["Two", "Three"] {
        let body = json!({ "title": title });
        let (status, _) = app.api(Method::PATCH, &path, Some(&user), Some(body)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let entries = history(&app, &user, &format!("{path}/history")).await;
    let (status, body) = revert(&app, &user, "clash", &entries[1]["id"]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "revert_conflict");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Title"),
        "names the field by its label: {message}"
    );
    let (_, now) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(now["title"], "Three", "nothing was written");
}

#[tokio::test]
async fn history_survives_the_trash_and_reverting_a_delete_restores() {
    let app = spawn_app().await;
    let (_, user) = api_user(&app, false).await;
    app.post_show(&user, "kept", json!({})).await;
    let episode = app
        .post_episode(&user, "kept", json!({"title": "Gone soon"}))
        .await;
    let path = format!("/shows/kept/episodes/{}", episode["id"].as_str().unwrap());
    let (status, _) = app.api(Method::DELETE, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let entries = history(&app, &user, &format!("{path}/history")).await;
    assert_eq!(entries[0]["kind"], "delete");
    assert_eq!(entries[0]["subject"], "Gone soon");
    let (status, body) = revert(&app, &user, "kept", &entries[0]["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.api(Method::GET, &path, Some(&user), None).await;
    assert_eq!(status, StatusCode::OK, "back from the trash");
    let kinds: Vec<Value> = history(&app, &user, &format!("{path}/history"))
        .await
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(kinds, ["restore", "delete", "create"]);

    // A show deleted and restored keeps its history too.
    let (status, _) = app
        .api(Method::DELETE, "/shows/kept", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .api(Method::POST, "/shows/kept/restore", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let entries = history(&app, &user, "/shows/kept/history").await;
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[..2], ["restore", "delete"]);
    assert_eq!(kinds.last(), Some(&"create"));
}

#[tokio::test]
async fn history_pages_with_a_cursor_and_others_shows_are_not_found() {
    let app = spawn_app().await;
    let (_, user) = api_user(&app, false).await;
    let (_, stranger) = api_user(&app, false).await;
    app.post_show(&user, "paged", json!({})).await;
    for n in 0..4 {
        app.post_episode(
            &user,
            "paged",
            json!({ "title": format!("E{n}"), "guid": format!("g{n}") }),
        )
        .await;
    }
    let (status, first) = app
        .api(
            Method::GET,
            "/shows/paged/history?limit=3",
            Some(&user),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    let cursor = first["next_cursor"].as_str().unwrap();
    let (_, second) = app
        .api(
            Method::GET,
            &format!("/shows/paged/history?limit=3&cursor={cursor}"),
            Some(&user),
            None,
        )
        .await;
    let rest = second["items"].as_array().unwrap();
    assert_eq!(rest.len(), 2, "four episodes and the show");
    assert!(second["next_cursor"].is_null());
    assert_eq!(rest[1]["target"], "show");

    let (status, _) = app
        .api(Method::GET, "/shows/paged/history", Some(&stranger), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let id = &first["items"][0]["id"];
    let (status, _) = revert(&app, &stranger, "paged", id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = revert(&app, &user, "paged", &json!(999_999)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .api(
            Method::GET,
            "/shows/paged/history?cursor=nope",
            Some(&user),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn membership_changes_are_recorded_and_only_owners_revert_them() {
    let app = spawn_app().await;
    let mut ui = Ui::new(&app);
    let owner = account(&app, false).await;
    ui.sign_in(&owner).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "team", "Team").await;
    let (editor_email, editor) = api_user(&app, false).await;
    let invite = [
        ("csrf", csrf.as_str()),
        ("action", "invite"),
        ("email", editor_email.as_str()),
        ("role", "owner"),
    ];
    let page = ui.post("/shows/team/members", &invite).await;
    assert!(page.status.is_redirection(), "{}", page.body);
    let editor_id: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
        .bind(&editor_email)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let id = editor_id.to_string();
    let role = [
        ("csrf", csrf.as_str()),
        ("action", "role"),
        ("user_id", &id),
        ("role", "editor"),
    ];
    let page = ui.post("/shows/team/members", &role).await;
    assert!(page.status.is_redirection(), "{}", page.body);

    let entries = history(&app, &editor, "/shows/team/history").await;
    assert_eq!(entries[0]["kind"], "role");
    assert_eq!(entries[0]["surface"], "ui");
    assert_eq!(entries[0]["author"]["email"], owner.as_str());
    assert_eq!(entries[0]["subject"], editor_email.as_str());
    assert_eq!(
        change(&entries[0], "role"),
        (&json!("owner"), &json!("editor"))
    );
    assert_eq!(entries[1]["kind"], "invite");

    let (status, body) = revert(&app, &editor, "team", &entries[0]["id"]).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an editor reads but does not revert: {body}"
    );
    let page = ui
        .post(
            &format!("/shows/team/history/{}/revert", entries[0]["id"]),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert!(page.status.is_redirection(), "{}", page.body);
    let role: String = sqlx::query_scalar("select role from show_members where user_id = $1")
        .bind(editor_id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(role, "owner");
}

#[tokio::test]
async fn imports_are_recorded_as_import_with_the_surface_that_started_them() {
    let app = spawn_app().await;
    let (email, user) = api_user(&app, false).await;
    let feed = |title: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
             <item><title>Ep</title><guid isPermaLink=\"false\">g1</guid>\
             <pubDate>01 Jul 2020 04:00:00 GMT</pubDate>\
             <enclosure url=\"https://cdn.example.com/1.mp3\" length=\"100\" type=\"audio/mpeg\"/>\
             </item></channel></rss>"
        )
    };
    let (status, body) = app
        .api(
            Method::POST,
            "/import",
            Some(&user),
            Some(json!({"rss": feed("By API"), "slug": "by-api"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let entries = history(&app, &user, "/shows/by-api/history").await;
    assert_eq!(entries.len(), 2, "the show and its episode: {entries:?}");
    for e in &entries {
        assert_eq!(
            (&e["surface"], &e["via"]),
            (&json!("import"), &json!("api"))
        );
        assert_eq!(e["author"]["email"], email.as_str());
    }

    // From the command line, into the same show: its fields change, and a revert undoes them.
    let dir = scratch("history-cli");
    let file = dir.path().join("feed.xml");
    std::fs::write(&file, feed("By CLI")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_podpub"))
        .args([
            "import",
            "--file",
            file.to_str().unwrap(),
            "--owner",
            &email,
            "--slug",
            "by-api",
        ])
        .env("DATABASE_URL", app.settings.database_url.expose_secret())
        .env("PODPUB_FEED_BASE_URL", &app.edge_address)
        .env_remove("PODPUB_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entries = history(&app, &user, "/shows/by-api/history").await;
    assert_eq!(
        (&entries[0]["surface"], &entries[0]["via"]),
        (&json!("import"), &json!("cli"))
    );
    assert_eq!(
        change(&entries[0], "title"),
        (&json!("By API"), &json!("By CLI"))
    );
    let (status, body) = revert(&app, &user, "by-api", &entries[0]["id"]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, show) = app
        .api(Method::GET, "/shows/by-api", Some(&user), None)
        .await;
    assert_eq!(show["title"], "By API");
}

#[tokio::test]
async fn the_housekeeping_prunes_history_past_its_retention_and_zero_keeps_it() {
    let app = spawn_app().await;
    let (_, user) = api_user(&app, false).await;
    app.post_show(&user, "old", json!({})).await;
    app.post_episode(&user, "old", json!({})).await;
    sqlx::query("update history set at = $1 where target = 'show'")
        .bind(Utc::now() - Duration::days(400))
        .execute(&app.pool)
        .await
        .unwrap();
    use podpub::jobs::housekeeping::prune_history;
    let forever = prune_history(&app.pool, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(forever, 0);
    assert_eq!(history(&app, &user, "/shows/old/history").await.len(), 2);
    let year = app.settings.history_retention;
    assert_eq!(
        year,
        std::time::Duration::from_secs(365 * 86_400),
        "the default"
    );
    assert_eq!(prune_history(&app.pool, year).await.unwrap(), 1);
    let left = history(&app, &user, "/shows/old/history").await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["target"], "episode");
}

#[tokio::test]
async fn ui_changes_are_recorded_as_ui_settings_have_an_admin_history_and_a_conflict_says_so() {
    let app = spawn_app().await;
    let admin = account(&app, true).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&admin).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "formed", "First").await;
    for title in ["Second", "Third"] {
        let form = [
            ("csrf", csrf.as_str()),
            ("title", title),
            ("language", "en"),
            ("type", "episodic"),
        ];
        let page = ui.post("/shows/formed/edit", &form).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let page = ui.get("/shows/formed/history").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("through the web UI"), "{}", page.body);
    assert!(page.body.contains(&admin));
    let ids: Vec<i64> =
        sqlx::query_scalar("select id from history where kind = 'update' order by id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    // First → Second was changed again since (Second → Third): the UI says so, with 409.
    let path = format!("/shows/formed/history/{}/revert", ids[0]);
    let page = ui.post(&path, &[("csrf", &csrf), ("confirm", "yes")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.body.contains("Not reverted") && page.body.contains("Title"),
        "{}",
        page.body
    );
    let path = format!("/shows/formed/history/{}/revert", ids[1]);
    let page = ui.get(&path).await;
    assert!(
        page.body
            .contains("Title goes back from “Third” to “Second”"),
        "{}",
        page.body
    );
    let page = ui.post(&path, &[("csrf", &csrf), ("confirm", "yes")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let title: String = sqlx::query_scalar("select title from shows where slug = 'formed'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(title, "Second");

    // Settings: recorded for admins, reverted from their history page.
    let settings = [
        ("csrf", csrf.as_str()),
        ("instance_name", "Our Pods"),
        ("login_max_failures", "5"),
        ("session_days", "30"),
        ("default_language", "de"),
    ];
    let page = ui.post("/admin/settings", &settings).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = ui.get("/admin/history").await;
    assert!(page.body.contains("Instance name"), "{}", page.body);
    assert!(page.body.contains("Our Pods"));
    let id: i64 = sqlx::query_scalar("select id from history where target = 'settings'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let path = format!("/admin/history/{id}/revert");
    let page = ui.post(&path, &[("csrf", &csrf), ("confirm", "yes")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let name: String = sqlx::query_scalar("select instance_name from ui_settings")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_ne!(name, "Our Pods", "back to what it was");
    let mut podcaster = Ui::new(&app);
    podcaster.sign_in(&account(&app, false).await).await;
    assert_eq!(
        podcaster.get("/admin/history").await.status,
        StatusCode::FORBIDDEN
    );

    // An import started in the UI.
    let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Pasted</title>\
               <item><title>Ep</title><guid>p1</guid><pubDate>01 Jul 2020 04:00:00 GMT</pubDate>\
               <enclosure url=\"https://cdn.example.com/1.mp3\" length=\"1\" type=\"audio/mpeg\"/>\
               </item></channel></rss>";
    let page = ui
        .post(
            "/import",
            &[("csrf", &csrf), ("rss", rss), ("slug", "pasted")],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let via: Vec<(String, Option<String>)> =
        sqlx::query_as("select h.surface, h.via from history h join shows s on s.id = h.show_id where s.slug = 'pasted'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(via.len(), 2);
    assert!(via
        .iter()
        .all(|v| v == &("import".to_string(), Some("ui".to_string()))));
}

#[tokio::test]
async fn a_move_out_and_its_undo_are_recorded_but_undone_on_their_own() {
    let app = spawn_app().await;
    let (_, user) = api_user(&app, false).await;
    app.post_show(&user, "leaving", json!({})).await;
    let body = json!({"new_feed_url": "https://new-host.example.com/feed.xml"});
    let (status, moved) = app
        .api(Method::POST, "/shows/leaving/move", Some(&user), Some(body))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{moved}");
    let (status, _) = app
        .api(Method::DELETE, "/shows/leaving/move", Some(&user), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let entries = history(&app, &user, "/shows/leaving/history").await;
    let url = json!("https://new-host.example.com/feed.xml");
    assert_eq!(change(&entries[0], "new_feed_url"), (&url, &Value::Null));
    assert_eq!(change(&entries[1], "new_feed_url"), (&Value::Null, &url));
    assert_eq!(
        entries[1]["changes"][0]["label"],
        "Moving to (new feed URL)"
    );
    let (status, body) = revert(&app, &user, "leaving", &entries[1]["id"]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "not_revertible");
}
