//! The account page's API tokens: the list, a new token (its secret shown once), and revoking
//! one after a confirmation.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    auth::account_page_with,
    confirm::{ConfirmForm, ConfirmPage},
    error::UiError,
    flash::see_other_with,
    form::Fields,
    page::{render, render_status, Layout},
    session::{CsrfForm, Session},
    time::display,
};
use crate::app::{self, tokens::Token};
use crate::web::{auth::forget_user, AppState};

/// A token as the list shows it, its times in the user's zone.
pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub created: String,
    pub last_used: Option<String>,
}

/// A token just made, with its secret: the only time it is shown.
pub struct ShownToken {
    pub name: String,
    pub secret: String,
}

/// The API tokens section of the account page.
pub struct Tokens {
    pub list: Vec<TokenRow>,
    /// The new-token form.
    pub f: Fields,
    pub new: Option<ShownToken>,
}

fn row(token: Token, session: &Session) -> TokenRow {
    TokenRow {
        id: token.id,
        name: token.name,
        created: display(token.created_at, session.tz),
        last_used: token.last_used_at.map(|at| display(at, session.tz)),
    }
}

impl Tokens {
    pub async fn load(state: &AppState, session: &Session) -> Result<Tokens, UiError> {
        let list = app::tokens::list(&state.app, session.user.viewer()).await?;
        Ok(Tokens {
            list: list.into_iter().map(|t| row(t, session)).collect(),
            f: Fields::default(),
            new: None,
        })
    }
}

/// The new-token form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewTokenForm {
    name: String,
}

/// Makes a token and shows the account page with its secret (200: not a redirect, so the
/// secret is in no URL and no later page).
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    CsrfForm { form, raw }: CsrfForm<NewTokenForm>,
) -> Result<Response, UiError> {
    let made = app::tokens::create(&state.app, session.user.viewer(), &form.name).await;
    let mut account = Fields::default();
    account.set("time_zone", session.tz.name());
    let mut api = Tokens::load(&state, &session).await?;
    let status = match made {
        Ok((token, secret)) => {
            api.new = Some(ShownToken {
                name: token.name,
                secret,
            });
            StatusCode::OK
        }
        Err(err) => {
            api.f = Fields::from_form(&raw);
            api.f.absorb(err, str::to_string)?;
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    let page = account_page_with(&state, &session, account, api, None).await?;
    render_status(status, &page)
}

/// Asks before a token is revoked.
async fn revoke_page(
    state: &AppState,
    session: &Session,
    id: Uuid,
) -> Result<ConfirmPage, UiError> {
    let token = app::tokens::get(&state.app, session.user.viewer(), id).await?;
    let name = if token.name.is_empty() {
        "(unnamed)".to_string()
    } else {
        token.name
    };
    Ok(ConfirmPage {
        layout: Layout::new(state, Some(session), "Revoke API token", "account").await?,
        heading: format!("Revoke the API token “{name}”?"),
        consequences: vec![
            "Scripts and apps using it get 401 from now on.".into(),
            "It cannot be brought back; you can create a new token.".into(),
        ],
        action: format!("/account/tokens/{id}/revoke"),
        hidden: vec![],
        check: format!("Yes, revoke “{name}”"),
        typed: None,
        button: "Revoke token".into(),
        back: "/account#tokens".into(),
        error: None,
    })
}

pub async fn confirm_revoke(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Result<Response, UiError> {
    render(&revoke_page(&state, &session, id).await?)
}

pub async fn revoke(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<Uuid>,
    CsrfForm { form, .. }: CsrfForm<ConfirmForm>,
) -> Result<Response, UiError> {
    if !form.confirmed(None) {
        return revoke_page(&state, &session, id).await?.answer(true);
    }
    let who = session.user.viewer();
    app::tokens::revoke(&state.app, who, id).await?;
    forget_user(&state.tokens, who.user_id);
    Ok(see_other_with("/account#tokens", "token_revoked"))
}
