//! Moving a show in from another host: a feed URL or its XML (over `app::import`). After an
//! import the page shows its report and the next steps; a feed that is not proven to be the
//! show's podcast asks for an explicit confirmation first.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use serde::Deserialize;

use super::{
    error::UiError,
    form::Fields,
    page::{render, render_status, Layout},
    session::{CsrfForm, Session},
};
use crate::app;
use crate::app::import::{Failure, FetchError, ImportRequest, Imported, ReportEntry, Source};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "ui/import.html")]
struct ImportPage {
    layout: Layout,
    f: Fields,
    /// Why the feed may be another podcast: the page then offers "Replace anyway".
    mismatch: Option<String>,
}

#[derive(Template)]
#[template(path = "ui/import_done.html")]
struct ImportDone {
    layout: Layout,
    slug: String,
    title: String,
    s: app::import::Summary,
    dropped: Vec<ReportEntry>,
    changed: Vec<ReportEntry>,
}

pub async fn page(State(state): State<AppState>, session: Session) -> Result<Response, UiError> {
    let layout = Layout::new(&state, Some(&session), "Import a show", "import").await?;
    render(&ImportPage {
        layout,
        f: Fields::default(),
        mismatch: None,
    })
}

/// The import form: a feed URL or its XML, perhaps the slug of a show to update, and the
/// confirmation to replace it with a feed not proven to be its podcast.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ImportForm {
    url: String,
    rss: String,
    slug: String,
    replace: String,
}

pub async fn run(
    State(state): State<AppState>,
    session: Session,
    CsrfForm { form, raw }: CsrfForm<ImportForm>,
) -> Result<Response, UiError> {
    let mut f = Fields::from_form(&raw);
    let mut mismatch = None;
    let url = form.url.trim();
    let source = match (url.is_empty(), form.rss.trim().is_empty()) {
        (false, true) => Some(Source::Url(url.to_string())),
        (true, false) => Some(Source::Xml(form.rss.into_bytes())),
        _ => {
            f.error("url", "give either the feed's URL or its XML");
            None
        }
    };
    let slug = Some(form.slug.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(source) = source {
        let who = session.user.viewer();
        let request = ImportRequest {
            source,
            slug,
            replace: form.replace == "yes",
        };
        match app::import::import(&state.app, who, request).await {
            Ok(done) => return done_page(&state, &session, done).await,
            Err(app::Error::Import(e @ Failure::Fetch(FetchError::InvalidUrl(_)))) => {
                f.error("url", e.to_string())
            }
            Err(app::Error::Conflict {
                code: "import_mismatch",
                message,
            }) => mismatch = Some(message),
            Err(err) => f.absorb(err, str::to_string)?,
        }
    }
    let layout = Layout::new(&state, Some(&session), "Import a show", "import").await?;
    let status = match mismatch {
        Some(_) => StatusCode::CONFLICT,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    render_status(
        status,
        &ImportPage {
            layout,
            f,
            mismatch,
        },
    )
}

/// Whether a report entry says something was left out (rather than changed or derived).
fn is_dropped(entry: &ReportEntry) -> bool {
    entry.code.starts_with("item_skipped_")
        || matches!(
            entry.code,
            "value_dropped"
                | "extra_enclosures_dropped"
                | "element_not_imported"
                | "namespace_not_imported"
        )
}

async fn done_page(
    state: &AppState,
    session: &Session,
    done: Imported,
) -> Result<Response, UiError> {
    let layout = Layout::new(state, Some(session), "Imported", "import").await?;
    let (dropped, changed) = done.summary.report.iter().cloned().partition(is_dropped);
    render(&ImportDone {
        layout,
        slug: done.show.fields.slug,
        title: done.show.fields.title,
        s: done.summary,
        dropped,
        changed,
    })
}
