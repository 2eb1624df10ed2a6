//! `podpub user create` and `podpub token create`.

use std::process::ExitCode;

use super::connect;
use crate::app::users::{self, NewUser};
use crate::config::Settings;

/// Creates a user; prints their id.
pub async fn create_user(
    settings: Settings,
    email: &str,
    admin: bool,
    password: Option<String>,
) -> anyhow::Result<ExitCode> {
    let app = connect(settings).await?;
    let new = NewUser {
        email: email.to_string(),
        password,
        admin,
    };
    let user = users::create(&app, None, new).await?;
    println!("{}", user.id);
    Ok(ExitCode::SUCCESS)
}

/// Creates an API token for the user with `email`; prints it alone on standard output.
pub async fn create_token(settings: Settings, email: &str, name: &str) -> anyhow::Result<ExitCode> {
    let app = connect(settings).await?;
    let token = users::create_token(&app, email, name).await?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}
