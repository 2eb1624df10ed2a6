//! Sign-in, setup, account and new-user fields tell password managers what they are
//! (`autocomplete`), so a browser fills the right password in the right place and never the
//! admin's own into a new user's form.

use crate::kit::app::spawn_app;
use crate::ui::{account, Ui};

fn has_field(body: &str, name: &str, autocomplete: &str) -> bool {
    body.split("<input").any(|input| {
        input.contains(&format!(r#"name="{name}""#))
            && input.contains(&format!(r#"autocomplete="{autocomplete}""#))
    })
}

#[tokio::test]
async fn password_fields_say_which_password_they_want() {
    let app = spawn_app().await;
    let mut ui = Ui::new(&app);
    let setup = ui.get("/setup").await.body;
    assert!(has_field(&setup, "email", "username"), "{setup}");
    assert!(has_field(&setup, "password", "new-password"));
    assert!(has_field(&setup, "password_again", "new-password"));

    let email = account(&app, true).await;
    let login = ui.get("/login").await.body;
    assert!(has_field(&login, "email", "username"), "{login}");
    assert!(has_field(&login, "password", "current-password"));
    ui.sign_in(&email).await;
    let me = ui.get("/account").await.body;
    assert!(
        has_field(&me, "current_password", "current-password"),
        "{me}"
    );
    assert!(has_field(&me, "password", "new-password"));
    assert!(has_field(&me, "password_again", "new-password"));
    let users = ui.get("/admin/users").await.body;
    assert!(has_field(&users, "email", "off"), "{users}");
    assert!(has_field(&users, "password", "new-password"));
}
