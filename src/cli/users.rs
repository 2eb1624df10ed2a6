//! `podpub user create`, `podpub user password` and `podpub token create`.

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

/// Sets a user's password; every session of theirs ends, and their API tokens too with
/// `revoke_tokens`.
pub async fn reset_password(
    settings: Settings,
    email: &str,
    password: String,
    revoke_tokens: bool,
) -> anyhow::Result<ExitCode> {
    let app = connect(settings).await?;
    let revoked = users::reset_password(&app, email, password, revoke_tokens).await?;
    eprintln!("password changed; every session of {email} ended, {revoked} API token(s) revoked");
    Ok(ExitCode::SUCCESS)
}

/// Creates an API token for the user with `email`; prints it alone on standard output.
pub async fn create_token(settings: Settings, email: &str, name: &str) -> anyhow::Result<ExitCode> {
    let app = connect(settings).await?;
    let token = users::create_token(&app, email, name).await?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}
