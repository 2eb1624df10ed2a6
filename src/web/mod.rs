//! The web tier: the JSON API, the HTML UI and health. It never serves feed XML.

pub mod api;
pub mod auth;
mod body_timeout;
pub mod error;
pub mod extract;
pub mod server;
pub mod ui;
mod uploads;

use std::{sync::Arc, time::Instant};

use axum::{
    extract::{DefaultBodyLimit, MatchedPath, Request, State},
    http::{HeaderMap, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use sqlx::PgPool;
use tower_http::trace::TraceLayer;

use crate::app::{self, App};
use crate::metrics::Metrics;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
    pub metrics: Arc<Metrics>,
    /// API tokens recently seen, so that a burst of calls checks each token once.
    pub tokens: auth::TokenCache,
    /// The key of pre-sign-in CSRF tokens, read from the database once.
    csrf_key: Arc<tokio::sync::OnceCell<app::csrf::CsrfKey>>,
}

impl AppState {
    pub fn new(app: App, metrics: Arc<Metrics>) -> AppState {
        AppState {
            app,
            metrics,
            tokens: auth::token_cache(),
            csrf_key: Arc::default(),
        }
    }

    /// The installation's key for pre-sign-in CSRF tokens.
    pub async fn csrf_key(&self) -> Result<&app::csrf::CsrfKey, app::Error> {
        self.csrf_key
            .get_or_try_init(|| app::csrf::key(&self.app))
            .await
    }
}

pub fn router(state: AppState) -> Router {
    let max_body = state.app.settings.max_body_bytes;
    let mut router = Router::new().route("/healthz", get(healthz));
    if state.app.settings.metrics_listen.is_none() {
        router = router.route("/metrics", get(metrics));
    }
    router
        .nest("/api/v1", api::router())
        .merge(ui::router(state.clone()))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn_with_state(
            state.app.settings.body_read_timeout,
            body_timeout::cut_off,
        ))
        // Uploads stream for as long as their bytes keep coming: no body limit, no deadline.
        .merge(uploads::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            record_request,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "unmatched".into());
            tracing::info_span!("request", method = %req.method(), route)
        }))
        .with_state(state)
}

/// Times every request under its route template (`/api/v1/shows/{slug}`), never its raw path,
/// so the label set stays small.
async fn record_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let started = Instant::now();
    let response = next.run(req).await;
    if response.extensions().get::<error::PoolTimedOut>().is_some() {
        state.metrics.pool_timeouts.inc();
    }
    state.metrics.request(
        method.as_str(),
        &route,
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// Answers 503 with `Retry-After` when a request is not done within PODPUB_REQUEST_TIMEOUT_SECS,
/// instead of holding the connection (and perhaps a database connection) for ever. A request
/// whose write is already committing is waited for: its client gets the real answer.
async fn deadline(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.app.settings.request_timeout;
    let deadline = Arc::new(app::deadline::Deadline::default());
    let work = app::deadline::scope(deadline.clone(), next.run(req));
    tokio::pin!(work);
    match tokio::time::timeout(limit, &mut work).await {
        Ok(response) => response,
        Err(_) if !deadline.expire() => {
            tracing::info!(
                ?limit,
                "request past its deadline while committing; waiting"
            );
            work.await
        }
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            error::ApiError::Unavailable.into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text format.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let token = state.app.settings.metrics_token.as_ref();
    metrics_answer(&state.metrics, &state.app.pool, token, &headers).await
}

async fn metrics_answer(
    metrics: &Metrics,
    pool: &PgPool,
    token: Option<&SecretString>,
    headers: &HeaderMap,
) -> Response {
    if !metrics_allowed(token, headers) {
        let mut response = error::ApiError::Unauthorized.into_response();
        response.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer"),
        );
        return response;
    }
    let body = metrics.render(&app::status::gauges(pool).await);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Whether a scrape may read `/metrics`: always without PODPUB_METRICS_TOKEN, else with
/// `Authorization: Bearer <token>` (compared in constant time).
fn metrics_allowed(token: Option<&SecretString>, headers: &HeaderMap) -> bool {
    let Some(token) = token else {
        return true;
    };
    let sent = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    auth::same_secret(sent, token.expose_secret())
}

/// What `serve` answers on PODPUB_METRICS_LISTEN: `/metrics` and `/healthz`.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .with_state(state)
}

/// What a `podpub worker` serves when given a metrics address: `/metrics` (its jobs,
/// publishes, invalidations and pool) and `/healthz`.
pub fn worker_router(metrics: Arc<Metrics>, pool: PgPool, token: Option<SecretString>) -> Router {
    let state = (metrics, pool, token);
    type WorkerState = (Arc<Metrics>, PgPool, Option<SecretString>);
    Router::new()
        .route(
            "/metrics",
            get(
                |State((metrics, pool, token)): State<WorkerState>, headers: HeaderMap| async move {
                    metrics_answer(&metrics, &pool, token.as_ref(), &headers).await
                },
            ),
        )
        .route(
            "/healthz",
            get(
                |State((_, pool, _)): State<WorkerState>| async move { health_answer(&pool).await },
            ),
        )
        .with_state(state)
}

#[utoipa::path(
    get,
    operation_id = "healthz",
    path = "/healthz",
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "the database answers", body = api::openapi::Health),
        (status = 503, description = "the database is unreachable", body = api::openapi::Health),
    ),
)]
async fn healthz(State(state): State<AppState>) -> Response {
    health_answer(&state.app.pool).await
}

async fn health_answer(pool: &PgPool) -> Response {
    match app::status::ping(pool).await {
        Ok(_) => (StatusCode::OK, Json(json!({ "status": "ok" }))).into_response(),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            let body = json!({ "status": "unavailable", "error": "database unreachable" });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}
