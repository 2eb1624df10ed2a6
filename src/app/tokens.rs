//! A user's own API tokens: listed, created (the secret shown once) and revoked, from the
//! account page and `/api/v1/tokens`.

use uuid::Uuid;

use super::{App, Error, Result};
use crate::db::{api_tokens, users};
use crate::domain::{limits, Checker, Viewer};

pub use crate::db::api_tokens::Token;

/// The most tokens one user may hold.
pub const MAX_TOKENS: i64 = 100;

/// The user's tokens, newest first.
pub async fn list(app: &App, who: Viewer) -> Result<Vec<Token>> {
    Ok(api_tokens::list(&app.pool, who.user_id).await?)
}

/// One of the user's tokens; not found if it is someone else's.
pub async fn get(app: &App, who: Viewer, id: Uuid) -> Result<Token> {
    api_tokens::get(&app.pool, who.user_id, id)
        .await?
        .ok_or(Error::NotFound)
}

/// A new token named `name` (what it is for); returns it with its secret, shown only now.
pub async fn create(app: &App, who: Viewer, name: &str) -> Result<(Token, String)> {
    let mut c = Checker::default();
    let name = c.text("name", name, limits::NAME);
    c.finish()?;
    if users::token_count(&app.pool, who.user_id).await? >= MAX_TOKENS {
        return Err(Error::conflict(
            "too_many_tokens",
            format!("You have {MAX_TOKENS} API tokens; revoke one first."),
        ));
    }
    Ok(api_tokens::create(&app.pool, who.user_id, &name).await?)
}

/// Deletes one of the user's tokens. The caller forgets the user's cached tokens
/// (`web::auth::forget_user`), so that it stops working at once in this process.
pub async fn revoke(app: &App, who: Viewer, id: Uuid) -> Result<()> {
    if api_tokens::delete(&app.pool, who.user_id, id).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}
