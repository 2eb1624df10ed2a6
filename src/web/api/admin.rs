//! Admin-only endpoints: refreshing many shows and watching the batch.

use axum::{extract::State, http::StatusCode, Json};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::db::{publications, shows};
use crate::jobs::queue;
use crate::web::{
    auth::CurrentUser,
    error::ApiError,
    extract::{ApiJson, ApiPath},
    AppState,
};

/// `"all"`, or a list of slugs.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ShowSelection {
    #[schema(value_type = super::openapi::All)]
    All(String),
    Slugs(Vec<String>),
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    shows: ShowSelection,
    /// Render every show and upload every object again, unchanged or not.
    #[serde(default)]
    force: bool,
}

#[utoipa::path(
    operation_id = "admin_refresh",
    post,
    path = "/api/v1/admin/refresh",
    tag = "admin",
    request_body = RefreshRequest,
    responses(
        (status = 202, description = "batch queued", body = super::openapi::BatchAccepted),
        super::openapi::Auth, super::openapi::Found, super::openapi::Body, super::openapi::AdminOnly,
    ),
)]
pub async fn refresh(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let batch_id = start_refresh(&app, &user, req.shows, req.force).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "batch_id": batch_id }))))
}

/// Queues a render of each selected show as one batch (admins only); returns the batch id.
pub async fn start_refresh(
    app: &AppState,
    user: &CurrentUser,
    selection: ShowSelection,
    force: bool,
) -> Result<Uuid, ApiError> {
    user.require_admin()?;
    let mut tx = app.pool.begin().await?;
    let show_ids: Vec<Uuid> = match selection {
        ShowSelection::All(all) if all == "all" => {
            sqlx::query_scalar!("select id from shows order by slug")
                .fetch_all(&mut *tx)
                .await?
        }
        ShowSelection::All(_) => {
            return Err(ApiError::field(
                "shows",
                "must be \"all\" or a list of slugs",
            ))
        }
        ShowSelection::Slugs(mut slugs) => {
            // A string that is no slug names no show (and Postgres text cannot hold NUL).
            if slugs.iter().any(|s| crate::domain::Slug::parse(s).is_err()) {
                return Err(ApiError::field("shows", "names a show that does not exist"));
            }
            slugs.sort();
            slugs.dedup();
            let ids = sqlx::query_scalar!("select id from shows where slug = any($1)", &slugs)
                .fetch_all(&mut *tx)
                .await?;
            if ids.len() != slugs.len() {
                return Err(ApiError::field("shows", "names a show that does not exist"));
            }
            ids
        }
    };
    if force {
        shows::forget_rendered_inputs(&mut *tx, &show_ids).await?;
        publications::forget_hashes(&mut *tx, &show_ids).await?;
    }
    let batch_id = sqlx::query_scalar!(
        "insert into refresh_batches (created_by) values ($1) returning id",
        user.id
    )
    .fetch_one(&mut *tx)
    .await?;
    for show_id in show_ids {
        let job_id =
            queue::enqueue_render(&mut *tx, show_id, None, app.settings.max_attempts).await?;
        sqlx::query!(
            "insert into refresh_batch_jobs (batch_id, job_id) values ($1, $2)
             on conflict do nothing",
            batch_id,
            job_id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(batch_id)
}

/// Progress of a batch: a job retrying after a failure counts as failed until it succeeds.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchProgress {
    pub total: i64,
    pub done: i64,
    pub failed: i64,
    pub finished: bool,
}

#[utoipa::path(
    operation_id = "admin_refresh_progress",
    get,
    path = "/api/v1/admin/refresh/{batch_id}",
    tag = "admin",
    params(("batch_id" = uuid::Uuid, Path, description = "batch id")),
    responses(
        (status = 200, description = "batch progress", body = BatchProgress),
        super::openapi::Auth, super::openapi::Found, super::openapi::AdminOnly,
    ),
)]
pub async fn progress(
    State(app): State<AppState>,
    user: CurrentUser,
    ApiPath(batch_id): ApiPath<Uuid>,
) -> Result<Json<BatchProgress>, ApiError> {
    user.require_admin()?;
    let progress = batch_progress(&app.pool, batch_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(progress))
}

/// Progress of a refresh batch; `None` if there is no such batch.
pub async fn batch_progress(
    pool: &sqlx::PgPool,
    batch_id: Uuid,
) -> Result<Option<BatchProgress>, ApiError> {
    let row = sqlx::query!(
        r#"select exists (select 1 from refresh_batches where id = $1) as "exists!",
            count(j.id) as "total!",
            count(j.id) filter (where j.state = 'done') as "done!",
            count(j.id) filter (where j.state in ('failed', 'dead')) as "failed!"
           from refresh_batch_jobs b join jobs j on j.id = b.job_id
           where b.batch_id = $1"#,
        batch_id
    )
    .fetch_one(pool)
    .await?;
    if !row.exists {
        return Ok(None);
    }
    Ok(Some(BatchProgress {
        total: row.total,
        done: row.done,
        failed: row.failed,
        finished: row.done + row.failed >= row.total,
    }))
}
