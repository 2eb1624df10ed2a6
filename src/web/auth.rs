//! API authentication (`Authorization: Bearer`) and who may touch which show.

use std::time::{Duration, Instant};

use axum::{extract::FromRequestParts, http::request::Parts};
use sha2::{Digest, Sha256};
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
        let token = token.trim();
        if let Some(user) = state.tokens.get(token) {
            return Ok(user);
        }
        let user = users::find_by_token(&state.pool, token)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        let user = CurrentUser {
            id: user.id,
            email: user.email,
            is_admin: user.is_admin,
        };
        state.tokens.put(token, &user);
        Ok(user)
    }
}

/// Tokens checked in the last few seconds and whom they belong to. A token deleted or a user
/// disabled stops working within `TOKEN_TTL`; an unknown token is never cached.
#[derive(Debug, Default)]
pub struct TokenCache {
    entries: std::sync::Mutex<std::collections::HashMap<[u8; 32], (CurrentUser, Instant)>>,
}

/// How long a checked token is trusted without asking the database again.
pub const TOKEN_TTL: Duration = Duration::from_secs(5);
/// The cache is emptied when it grows past this many tokens.
const TOKEN_CACHE_MAX: usize = 10_000;

impl TokenCache {
    fn key(token: &str) -> [u8; 32] {
        Sha256::digest(token.as_bytes()).into()
    }

    fn get(&self, token: &str) -> Option<CurrentUser> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&Self::key(token))
            .filter(|(_, at)| at.elapsed() < TOKEN_TTL)
            .map(|(user, _)| user.clone())
    }

    fn put(&self, token: &str, user: &CurrentUser) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= TOKEN_CACHE_MAX {
            entries.clear();
        }
        entries.insert(Self::key(token), (user.clone(), Instant::now()));
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
        shows::find_visible(pool, self.viewer(), slug)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// Locks a show this user may edit for the rest of the transaction, returning its id.
    pub async fn lock_show(&self, tx: &mut PgConnection, slug: &str) -> Result<Uuid, ApiError> {
        Slug::parse(slug).map_err(|_| ApiError::NotFound)?;
        shows::lock_visible(&mut *tx, self.viewer(), slug)
            .await?
            .map(|(id, _status)| id)
            .ok_or(ApiError::NotFound)
    }

    /// Locks a show this user may edit for the rest of the transaction, returning it.
    pub async fn lock_show_row(&self, tx: &mut PgConnection, slug: &str) -> Result<Show, ApiError> {
        let id = self.lock_show(tx, slug).await?;
        shows::find_by_id(&mut *tx, id)
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
