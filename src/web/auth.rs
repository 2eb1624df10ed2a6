//! API authentication: `Authorization: Bearer <token>`.

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use axum::{extract::FromRequestParts, http::request::Parts};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{error::ApiError, AppState};
use crate::app;
use crate::domain::{Surface, Viewer};

/// The caller of an API request, known by their token (or, in the UI, by their session).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub is_admin: bool,
    /// `Api` for a token, `Ui` for a session: what the edit history records.
    pub surface: Surface,
}

impl CurrentUser {
    /// What the caller may see and change.
    pub fn viewer(&self) -> Viewer {
        Viewer::new(self.id, self.is_admin, self.surface)
    }
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
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(user) = state.tokens.get(&key) {
            return Ok(user);
        }
        let seen = state.tokens.forgotten();
        let user = app::users::by_token(&state.app, token)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        let user = CurrentUser {
            id: user.id,
            email: user.email,
            is_admin: user.is_admin,
            surface: Surface::Api,
        };
        state.tokens.insert(key, user.clone(), seen);
        Ok(user)
    }
}

/// How long a checked token is trusted without asking the database again: a token deleted or
/// a user disabled stops working within this time. An unknown token is never cached.
pub const TOKEN_TTL: Duration = Duration::from_secs(5);

/// Tokens checked in the last [`TOKEN_TTL`] (by their SHA-256) and whom they belong to, so
/// that a burst of calls checks each token once.
#[derive(Clone)]
pub struct TokenCache {
    entries: moka::sync::Cache<[u8; 32], CurrentUser>,
    /// How many times users' tokens were forgotten: a check that read the database before
    /// one of them must not fill the cache after it.
    forgets: Arc<AtomicU64>,
}

/// An empty token cache of at most 10,000 tokens.
pub fn token_cache() -> TokenCache {
    TokenCache {
        entries: moka::sync::Cache::builder()
            .max_capacity(10_000)
            .time_to_live(TOKEN_TTL)
            .build(),
        forgets: Arc::default(),
    }
}

impl TokenCache {
    fn get(&self, key: &[u8; 32]) -> Option<CurrentUser> {
        self.entries.get(key)
    }

    /// Where the forgetting stands: read it before asking the database.
    fn forgotten(&self) -> u64 {
        self.forgets.load(Ordering::SeqCst)
    }

    /// Caches what the database said, unless users were forgotten since `seen`.
    fn insert(&self, key: [u8; 32], user: CurrentUser, seen: u64) {
        self.entries.insert(key, user);
        // Checked after the insert: a forget that came first is seen here and the entry goes;
        // one that comes later finds the entry itself.
        if self.forgotten() != seen {
            self.entries.invalidate(&key);
        }
    }
}

/// Forgets the cached tokens of a user, so that revoked tokens (or a disabled user's) stop
/// working in this process at once rather than within [`TOKEN_TTL`].
pub fn forget_user(cache: &TokenCache, user_id: Uuid) {
    cache.forgets.fetch_add(1, Ordering::SeqCst);
    for (key, user) in cache.entries.iter() {
        if user.id == user_id {
            cache.entries.invalidate(&*key);
        }
    }
}

/// Whether two secrets (tokens, CSRF tokens) are equal, compared without stopping at the first
/// difference.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
