//! The web UI's deletes: each asks for confirmation first (without it nothing happens), the
//! trash pages restore, purge needs the slug typed, and editors see owners' actions disabled.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::kit::app::{spawn_app, TestApp, TestUser};
use crate::trash::full_episode;
use crate::ui::{account, Ui};

/// A signed-in UI session, and an API token for the same account.
async fn signed_in(app: &TestApp) -> (Ui, String, TestUser, uuid::Uuid) {
    let email = account(app, false).await;
    let user = podpub::db::users::find_by_email(&app.pool, &email)
        .await
        .unwrap()
        .unwrap();
    let token = podpub::db::users::create_token(&app.pool, user.id, "t")
        .await
        .unwrap();
    let mut ui = Ui::new(app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    (ui, csrf, TestUser { token }, user.id)
}

async fn status_of(app: &TestApp, user: &TestUser, path: &str) -> (StatusCode, Value) {
    app.api(Method::GET, path, Some(user), None).await
}

#[tokio::test]
async fn ui_deletes_need_a_confirmation_and_the_trash_restores_everything() {
    let app = spawn_app().await;
    let (mut ui, csrf, api, _) = signed_in(&app).await;
    ui.create_show(&csrf, "ui-trash", "UI Trash").await;
    let episode = app.post_episode(&api, "ui-trash", full_episode()).await;
    let id = episode["id"].as_str().unwrap();
    let api_path = format!("/shows/ui-trash/episodes/{id}");
    let (_, stored) = status_of(&app, &api, &api_path).await;

    let edit = ui.get(&format!("/shows/ui-trash/episodes/{id}")).await;
    assert!(edit
        .body
        .contains(&format!("href=\"/shows/ui-trash/episodes/{id}/delete\"")));
    let delete = format!("/shows/ui-trash/episodes/{id}/delete");
    let page = ui.get(&delete).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Forty-two"), "{}", page.body);
    assert!(page.body.contains("Trash for 30 days"));
    assert!(page.body.contains("required"), "the box is required");

    let page = ui.post(&delete, &[("csrf", &csrf)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Nothing was changed"));
    let (status, _) = status_of(&app, &api, &api_path).await;
    assert_eq!(status, StatusCode::OK, "no confirmation, no delete");

    let page = ui
        .post(&delete, &[("csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (status, _) = status_of(&app, &api, &api_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let trash = ui.get("/shows/ui-trash/trash").await;
    assert_eq!(trash.status, StatusCode::OK);
    assert!(trash.body.contains("Forty-two"));
    let restore = format!("/shows/ui-trash/trash/{id}/restore");
    assert!(trash.body.contains(&restore));
    let page = ui.post(&restore, &[("csrf", &csrf)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (_, back) = status_of(&app, &api, &api_path).await;
    assert_eq!(back, stored, "restored with every field as it was");

    // The show: to the trash with a ticked box, back from the Deleted shows page.
    let page = ui.post("/shows/ui-trash/delete", &[("csrf", &csrf)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, show) = status_of(&app, &api, "/shows/ui-trash").await;
    assert_eq!(show["status"], "active", "no confirmation, no delete");
    let page = ui
        .post(
            "/shows/ui-trash/delete",
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (_, show) = status_of(&app, &api, "/shows/ui-trash").await;
    assert_eq!(show["status"], "deleted");
    let deleted = ui.get("/trash").await;
    assert!(deleted.body.contains("UI Trash"));
    let page = ui.post("/shows/ui-trash/restore", &[("csrf", &csrf)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (_, show) = status_of(&app, &api, "/shows/ui-trash").await;
    assert_eq!(show["status"], "active");
    let (_, back) = status_of(&app, &api, &api_path).await;
    assert_eq!(back, stored, "its episodes came back with it");

    // Purge needs the slug typed.
    let purge = ui.get("/shows/ui-trash/purge").await;
    assert!(purge.body.contains("name=\"confirm_slug\""));
    assert!(purge.body.contains("cannot be undone"));
    let page = ui
        .post(
            "/shows/ui-trash/purge",
            &[("csrf", &csrf), ("confirm_slug", "ui-trsh")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = status_of(&app, &api, "/shows/ui-trash").await;
    assert_eq!(status, StatusCode::OK, "a wrong slug purges nothing");
    let page = ui
        .post(
            "/shows/ui-trash/purge",
            &[("csrf", &csrf), ("confirm_slug", "ui-trash")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let (status, _) = status_of(&app, &api, "/shows/ui-trash").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "purged for good");
}

#[tokio::test]
async fn an_editor_sees_owners_actions_disabled_and_gets_403_for_them() {
    let app = spawn_app().await;
    let owner = app.create_user(false).await;
    app.post_show(&owner, "theirs", json!({})).await;
    let (mut ui, csrf, _, editor_id) = signed_in(&app).await;
    sqlx::query(
        "insert into show_members (show_id, user_id, role)
         select id, $1, 'editor' from shows where slug = 'theirs'",
    )
    .bind(editor_id)
    .execute(&app.pool)
    .await
    .unwrap();

    let settings = ui.get("/shows/theirs/edit").await;
    assert_eq!(settings.status, StatusCode::OK);
    assert!(settings.body.contains("disabled>Delete show"));
    let why = settings
        .body
        .find("id=\"owners-only\"")
        .map(|at| &settings.body[at..at + 120]);
    assert!(
        why.is_some_and(|w| w.contains("owners can do this")),
        "the editor is told why: {why:?}"
    );
    assert!(!settings.body.contains("href=\"/shows/theirs/delete\""));
    let moves = ui.get("/shows/theirs/move").await;
    assert!(moves.body.contains("id=\"owners-only\""));
    assert!(moves.body.contains("disabled>Rename"));

    let page = ui.get("/shows/theirs/delete").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Owners only"), "{}", page.body);
    let page = ui
        .post(
            "/shows/theirs/delete",
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = ui
        .post(
            "/shows/theirs/move",
            &[
                ("csrf", &csrf),
                ("action", "rename"),
                ("new_slug", "stolen"),
                ("confirm_rename", "on"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "{}", page.body);
    let (_, show) = app
        .api(Method::GET, "/shows/theirs", Some(&owner), None)
        .await;
    assert_eq!(show["status"], "active");
    assert_eq!(show["slug"], "theirs");
}

#[tokio::test]
async fn removing_a_member_and_disabling_a_user_ask_first() {
    let app = spawn_app().await;
    let email = account(&app, true).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&email).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "crew", "Crew").await;
    let (_, _, _, member) = signed_in(&app).await;
    sqlx::query(
        "insert into show_members (show_id, user_id, role)
         select id, $1, 'editor' from shows where slug = 'crew'",
    )
    .bind(member)
    .execute(&app.pool)
    .await
    .unwrap();
    let is_member = || async {
        sqlx::query_scalar::<_, bool>(
            "select exists (select 1 from show_members where user_id = $1)",
        )
        .bind(member)
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    let disabled = || async {
        sqlx::query_scalar::<_, bool>("select disabled from users where id = $1")
            .bind(member)
            .fetch_one(&app.pool)
            .await
            .unwrap()
    };
    let id = member.to_string();

    let roster = ui.get("/shows/crew/members").await;
    let ask = format!("/shows/crew/members/{id}/remove");
    assert!(roster.body.contains(&ask), "Remove leads to a confirmation");
    assert_eq!(ui.get(&ask).await.status, StatusCode::OK);
    let remove = [
        ("csrf", csrf.as_str()),
        ("action", "remove"),
        ("user_id", &id),
    ];
    let page = ui.post("/shows/crew/members", &remove).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(is_member().await, "no confirmation, no removal");
    let mut confirmed = remove.to_vec();
    confirmed.push(("confirm", "yes"));
    let page = ui.post("/shows/crew/members", &confirmed).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(!is_member().await);

    let users = ui.get("/admin/users").await;
    assert!(users.body.contains(&format!("/admin/users/{id}/disable")));
    let path = format!("/admin/users/{id}");
    let page = ui
        .post(&path, &[("csrf", &csrf), ("action", "disable")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Tick the box"));
    assert!(!disabled().await, "no confirmation, still enabled");
    let page = ui
        .post(
            &path,
            &[("csrf", &csrf), ("action", "disable"), ("confirm", "yes")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(disabled().await);
}
