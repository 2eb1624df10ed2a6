//! `/api/v1/tokens`: the caller's own API tokens. A new token's secret is in the answer to its
//! creation only; a revoked token stops working at once in this process (and within the
//! token cache's few seconds in others).

use axum::{extract::State, http::StatusCode, Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::openapi::{Auth, Body, Conflict, Found};
use crate::app::tokens::{self, Token};
use crate::web::{
    auth::{forget_user, CurrentUser},
    error::ApiError,
    extract::{ApiJson, ApiPath},
    AppState,
};

/// A token, without its secret.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    id: Uuid,
    name: String,
    created_at: DateTime<Utc>,
    /// When it last authenticated a call (to the minute); null if never.
    last_used_at: Option<DateTime<Utc>>,
}

impl From<Token> for TokenView {
    fn from(t: Token) -> TokenView {
        TokenView {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenList {
    /// Newest first.
    items: Vec<TokenView>,
}

/// A new token: what it is for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    /// 1 to 255 characters.
    name: String,
}

/// A new token with its secret, which is shown only here.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    token: TokenView,
    /// Send it as `Authorization: Bearer <secret>`.
    secret: String,
}

#[utoipa::path(
    operation_id = "list_tokens",
    get,
    path = "/api/v1/tokens",
    tag = "tokens",
    responses((status = 200, description = "the caller's API tokens", body = TokenList), Auth),
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<TokenList>, ApiError> {
    let items = tokens::list(&state.app, user.viewer()).await?;
    Ok(Json(TokenList {
        items: items.into_iter().map(TokenView::from).collect(),
    }))
}

#[utoipa::path(
    operation_id = "create_token",
    post,
    path = "/api/v1/tokens",
    tag = "tokens",
    request_body = NewTokenBody,
    responses(
        (status = 201, description = "the new token and its secret (shown only now)", body = CreatedToken),
        Auth, Body, Conflict,
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<NewTokenBody>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let (token, secret) = tokens::create(&state.app, user.viewer(), &body.name).await?;
    let token = token.into();
    Ok((StatusCode::CREATED, Json(CreatedToken { token, secret })))
}

#[utoipa::path(
    operation_id = "revoke_token",
    delete,
    path = "/api/v1/tokens/{id}",
    tag = "tokens",
    params(("id" = Uuid, Path, description = "token id")),
    responses((status = 204, description = "revoked: it gets 401 from now on"), Auth, Found),
)]
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    tokens::revoke(&state.app, user.viewer(), id).await?;
    forget_user(&state.tokens, user.id);
    Ok(StatusCode::NO_CONTENT)
}
