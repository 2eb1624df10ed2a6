//! Admin pages: every show with its feed state, refreshing one or all with live progress, and
//! jobs that failed (with a retry button).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    Json,
};
use uuid::Uuid;

use super::{
    auth::NoticeQuery,
    error::UiError,
    page::{render, see_other, Layout},
    session::{Admin, CsrfForm},
    shows::ShowRow,
    time::display,
};
use crate::db::{
    job_admin::{self, TroubledJob},
    shows::{self, Viewer},
};
use crate::web::api::admin::{batch_progress, start_refresh, BatchProgress, ShowSelection};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "ui/admin/shows.html")]
struct ShowsPage {
    layout: Layout,
    tab: &'static str,
    shows: Vec<ShowRow>,
}

pub async fn shows_page(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let all = Viewer {
        user_id: session.user.id,
        is_admin: true,
    };
    let base = &state.settings.feed_base_url;
    let shows = shows::list_visible(&state.pool, all)
        .await?
        .iter()
        .map(|s| ShowRow::new(s, base))
        .collect();
    let layout = Layout::new(&state, Some(&session), "All shows", "admin")
        .await?
        .with_notice(q.notice.as_deref());
    render(&ShowsPage {
        layout,
        tab: "shows",
        shows,
    })
}

/// Starts a refresh of every show (`shows=all`) or of one (`shows=<slug>`), then shows its
/// progress.
pub async fn refresh(
    State(state): State<AppState>,
    Admin(session): Admin,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let selection = match form.str("shows") {
        "all" => ShowSelection::All("all".into()),
        slug => ShowSelection::Slugs(vec![slug.to_string()]),
    };
    let force = form.has("force");
    let batch = start_refresh(&state, &session.user, selection, force).await?;
    Ok(see_other(&format!("/admin/refresh/{batch}")))
}

#[derive(Template)]
#[template(path = "ui/admin/batch.html")]
struct BatchPage {
    layout: Layout,
    tab: &'static str,
    id: Uuid,
    progress: BatchProgress,
    percent: i64,
}

fn percent(p: &BatchProgress) -> i64 {
    match p.total {
        0 => 100,
        total => (p.done + p.failed) * 100 / total,
    }
}

pub async fn batch_page(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<Uuid>,
) -> Result<Response, UiError> {
    let progress = batch_progress(&state.pool, id)
        .await?
        .ok_or(UiError::NotFound)?;
    let layout = Layout::new(&state, Some(&session), "Refresh", "admin").await?;
    render(&BatchPage {
        layout,
        tab: "shows",
        id,
        percent: percent(&progress),
        progress,
    })
}

/// The batch's progress, polled by the batch page.
pub async fn batch_json(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<Uuid>,
) -> Result<Json<BatchProgress>, UiError> {
    let progress = batch_progress(&state.pool, id)
        .await?
        .ok_or(UiError::NotFound)?;
    Ok(Json(progress))
}

pub struct JobRow {
    pub job: TroubledJob,
    pub when: String,
}

#[derive(Template)]
#[template(path = "ui/admin/jobs.html")]
struct JobsPage {
    layout: Layout,
    tab: &'static str,
    jobs: Vec<JobRow>,
}

pub async fn jobs_page(
    State(state): State<AppState>,
    Admin(session): Admin,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let jobs = job_admin::troubled(&state.pool, 200)
        .await?
        .into_iter()
        .map(|job| JobRow {
            when: display(job.updated_at, session.tz),
            job,
        })
        .collect();
    let layout = Layout::new(&state, Some(&session), "Jobs", "admin")
        .await?
        .with_notice(q.notice.as_deref());
    render(&JobsPage {
        layout,
        tab: "jobs",
        jobs,
    })
}

pub async fn retry(
    State(state): State<AppState>,
    Admin(_): Admin,
    Path(id): Path<Uuid>,
    CsrfForm(_): CsrfForm,
) -> Result<Response, UiError> {
    if !job_admin::retry(&state.pool, id).await? {
        return Err(UiError::NotFound);
    }
    Ok(see_other("/admin/jobs?notice=retried"))
}
