//! The web tier: the JSON API, the HTML UI and health. It never serves feed XML.

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod ui;

use std::{sync::Arc, time::Instant};

use axum::{
    extract::{DefaultBodyLimit, MatchedPath, Request, State},
    http::StatusCode,
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
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
}

impl AppState {
    pub fn new(app: App, metrics: Arc<Metrics>) -> AppState {
        AppState {
            app,
            metrics,
            tokens: auth::token_cache(),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let max_body = state.app.settings.max_body_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .nest("/api/v1", api::router())
        .merge(ui::router())
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
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
async fn metrics(State(state): State<AppState>) -> Response {
    metrics_answer(&state.metrics, &state.app.pool).await
}

async fn metrics_answer(metrics: &Metrics, pool: &PgPool) -> Response {
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

/// What a `podpub worker` serves when given a metrics address: `/metrics` (its jobs,
/// publishes, invalidations and pool) and `/healthz`.
pub fn worker_router(metrics: Arc<Metrics>, pool: PgPool) -> Router {
    let state = (metrics, pool);
    Router::new()
        .route(
            "/metrics",
            get(
                |State((metrics, pool)): State<(Arc<Metrics>, PgPool)>| async move {
                    metrics_answer(&metrics, &pool).await
                },
            ),
        )
        .route(
            "/healthz",
            get(
                |State((_, pool)): State<(Arc<Metrics>, PgPool)>| async move {
                    health_answer(&pool).await
                },
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
