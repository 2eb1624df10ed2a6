//! API authentication (`Authorization: Bearer`) and who may touch which show.

use axum::{extract::FromRequestParts, http::request::Parts};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{error::ApiError, AppState};
use crate::db::{
    shows::{self, Show, Viewer},
    users,
};
use crate::domain::Slug;

/// The caller of an API request, known by their token.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub is_admin: bool,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        let (scheme, token) = header.split_once(' ').ok_or(ApiError::Unauthorized)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(ApiError::Unauthorized);
        }
        let user = users::find_by_token(&state.pool, token.trim())
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Ok(CurrentUser {
            id: user.id,
            email: user.email,
            is_admin: user.is_admin,
        })
    }
}

impl CurrentUser {
    pub fn viewer(&self) -> Viewer {
        Viewer {
            user_id: self.id,
            is_admin: self.is_admin,
        }
    }

    /// A show this user may see; any other answers 404, as if it did not exist.
    pub async fn show(&self, pool: &PgPool, slug: &str) -> Result<Show, ApiError> {
        Slug::parse(slug).map_err(|_| ApiError::NotFound)?;
        let id = shows::find_visible_id(pool, self.viewer(), slug, false)
            .await?
            .ok_or(ApiError::NotFound)?;
        shows::find_by_id(pool, id).await?.ok_or(ApiError::NotFound)
    }

    /// Locks a show this user may edit for the rest of the transaction, returning its id.
    pub async fn lock_show(&self, tx: &mut PgConnection, slug: &str) -> Result<Uuid, ApiError> {
        Slug::parse(slug).map_err(|_| ApiError::NotFound)?;
        shows::find_visible_id(&mut *tx, self.viewer(), slug, true)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// Admin-only endpoints answer 403 to everyone else.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.is_admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden("this endpoint is for admins"))
        }
    }
}
