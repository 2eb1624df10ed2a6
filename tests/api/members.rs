//! Members: an invitation never changes a member's role, a role change is its own action, and a
//! show always keeps an owner.

use reqwest::StatusCode;

use crate::kit::app::{spawn_app, TestApp};
use crate::ui::{account, Page, Ui};

async fn user_id(app: &TestApp, email: &str) -> String {
    let id: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    id.to_string()
}

async fn roles(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as(
        "select u.email, m.role from show_members m join users u on u.id = m.user_id
         order by u.email",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

async fn invite(ui: &mut Ui, csrf: &str, email: &str, role: &str) -> Page {
    let form = [
        ("csrf", csrf),
        ("action", "invite"),
        ("email", email),
        ("role", role),
    ];
    ui.post("/shows/crew/members", &form).await
}

#[tokio::test]
async fn inviting_a_member_again_keeps_their_role_and_roles_change_only_on_purpose() {
    let app = spawn_app().await;
    let owner = account(&app, false).await;
    let editor = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&owner).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "crew", "Crew").await;
    let page = invite(&mut ui, &csrf, &editor, "editor").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    // Inviting the editor again, as an owner, changes nothing and says so.
    let page = invite(&mut ui, &csrf, &editor, "owner").await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("is already an editor"), "{}", page.body);
    let mut expected = vec![
        (owner.clone(), "owner".into()),
        (editor.clone(), "editor".into()),
    ];
    expected.sort();
    assert_eq!(roles(&app).await, expected);

    // The same for a pending invitation.
    let page = invite(&mut ui, &csrf, "later@example.com", "editor").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = invite(&mut ui, &csrf, "LATER@example.com", "owner").await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("already invited"), "{}", page.body);
    let role: String = sqlx::query_scalar("select role from show_invites")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(role, "editor");

    // The role change is its own action, offered in the members list.
    let list = ui.get("/shows/crew/members").await;
    assert!(list.body.contains("Change role"), "{}", list.body);
    let editor_id = user_id(&app, &editor).await;
    let page = ui
        .post(
            "/shows/crew/members",
            &[
                ("csrf", &csrf),
                ("action", "role"),
                ("user_id", &editor_id),
                ("role", "owner"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mut expected = vec![
        (owner.clone(), "owner".into()),
        (editor.clone(), "owner".into()),
    ];
    expected.sort();
    assert_eq!(roles(&app).await, expected);
    let page = ui
        .post(
            "/shows/crew/members",
            &[
                ("csrf", &csrf),
                ("action", "role"),
                ("user_id", &editor_id),
                ("role", "boss"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_last_owner_can_neither_step_down_nor_leave() {
    let app = spawn_app().await;
    let owner = account(&app, false).await;
    let other = account(&app, false).await;
    let mut ui = Ui::new(&app);
    ui.sign_in(&owner).await;
    let csrf = ui.token().await;
    ui.create_show(&csrf, "solo", "Solo").await;
    let me = user_id(&app, &owner).await;
    for form in [
        vec![
            ("action", "role"),
            ("user_id", me.as_str()),
            ("role", "editor"),
        ],
        vec![
            ("action", "remove"),
            ("user_id", me.as_str()),
            ("confirm", "on"),
        ],
    ] {
        let mut form = form;
        form.push(("csrf", &csrf));
        let page = ui.post("/shows/solo/members", &form).await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{form:?}: {}", page.body);
        assert!(
            page.body.contains("A show keeps at least one owner"),
            "{}",
            page.body
        );
    }
    assert_eq!(roles(&app).await, vec![(owner.clone(), "owner".into())]);

    // With a second owner, the first may step down.
    let form = [
        ("csrf", csrf.as_str()),
        ("action", "invite"),
        ("email", &other),
        ("role", "owner"),
    ];
    let page = ui.post("/shows/solo/members", &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = ui
        .post(
            "/shows/solo/members",
            &[
                ("csrf", &csrf),
                ("action", "role"),
                ("user_id", &me),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mut expected = vec![
        (owner.clone(), "editor".into()),
        (other.clone(), "owner".into()),
    ];
    expected.sort();
    assert_eq!(roles(&app).await, expected);
}
