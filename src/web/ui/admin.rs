//! Admin pages: every show with its feed state, refreshing one or all with live progress, and
//! jobs that failed (with a retry button).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    Json,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    page::{render, see_other, Layout},
    session::{Admin, CsrfForm, NoFields},
    show_list::{listed, ShowsListed, ShowsParams},
    time::display,
};
use crate::app::{
    jobs::{self, TroubledJob},
    refresh::{self, BatchProgress, By, ShowSelection},
};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "ui/admin/shows.html")]
struct ShowsPage {
    layout: Layout,
    tab: &'static str,
    list: ShowsListed,
}

pub async fn shows_page(
    State(state): State<AppState>,
    Admin(session): Admin,
    notice: Notice,
    Query(p): Query<ShowsParams>,
) -> Result<Response, UiError> {
    let list = listed(&state, &session, "/admin/shows", &p).await?;
    let layout = Layout::new(&state, Some(&session), "All shows", "admin")
        .await?
        .with_notice(notice.code());
    render(&ShowsPage {
        layout,
        tab: "shows",
        list,
    })
}

/// The refresh form: `shows` is `all` or one slug; `force` uploads everything again.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RefreshForm {
    shows: String,
    force: Option<String>,
}

/// Starts a refresh of every show (`shows=all`) or of one (`shows=<slug>`), then shows its
/// progress.
pub async fn refresh(
    State(state): State<AppState>,
    Admin(session): Admin,
    CsrfForm { form, .. }: CsrfForm<RefreshForm>,
) -> Result<Response, UiError> {
    let selection = match form.shows.as_str() {
        "all" => ShowSelection::all(),
        slug => ShowSelection::Slugs(vec![slug.to_string()]),
    };
    let by = By::User(session.user.viewer());
    let batch = refresh::start(&state.app, by, selection, form.force.is_some()).await?;
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

pub async fn batch_page(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<Uuid>,
) -> Result<Response, UiError> {
    let by = By::User(session.user.viewer());
    let progress = refresh::progress(&state.app, by, id).await?;
    let layout = Layout::new(&state, Some(&session), "Refresh", "admin").await?;
    render(&BatchPage {
        layout,
        tab: "shows",
        id,
        percent: progress.percent(),
        progress,
    })
}

/// The batch's progress, polled by the batch page.
pub async fn batch_json(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<Uuid>,
) -> Result<Json<BatchProgress>, UiError> {
    let by = By::User(session.user.viewer());
    Ok(Json(refresh::progress(&state.app, by, id).await?))
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
    notice: Notice,
) -> Result<Response, UiError> {
    let jobs = jobs::troubled(&state.app, session.user.viewer(), 200)
        .await?
        .into_iter()
        .map(|job| JobRow {
            when: display(job.updated_at, session.tz),
            job,
        })
        .collect();
    let layout = Layout::new(&state, Some(&session), "Jobs", "admin")
        .await?
        .with_notice(notice.code());
    render(&JobsPage {
        layout,
        tab: "jobs",
        jobs,
    })
}

pub async fn retry(
    State(state): State<AppState>,
    Admin(session): Admin,
    Path(id): Path<Uuid>,
    _: CsrfForm<NoFields>,
) -> Result<Response, UiError> {
    jobs::retry(&state.app, session.user.viewer(), id).await?;
    Ok(see_other_with("/admin/jobs", "retried"))
}
