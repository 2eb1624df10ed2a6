//! Moving a show in from another host: a feed URL or its XML (over `crate::import`).

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};

use super::{
    error::UiError,
    form::Fields,
    page::{render, render_status, see_other, Layout},
    session::{CsrfForm, Session},
};
use crate::import::{self, FetchError, ImportError, Source};
use crate::web::{error::ApiError, AppState};

#[derive(Template)]
#[template(path = "ui/import.html")]
struct ImportPage {
    layout: Layout,
    f: Fields,
}

pub async fn page(State(state): State<AppState>, session: Session) -> Result<Response, UiError> {
    let layout = Layout::new(&state, Some(&session), "Import a show", "import").await?;
    render(&ImportPage {
        layout,
        f: Fields::default(),
    })
}

pub async fn run(
    State(state): State<AppState>,
    session: Session,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    let mut f = Fields::from_form(&form);
    let url = form.str("url").trim();
    let rss = form.str("rss");
    let source = match (url.is_empty(), rss.trim().is_empty()) {
        (false, true) => Some(Source::Url(url.to_string())),
        (true, false) => Some(Source::Xml(rss.as_bytes().to_vec())),
        _ => {
            f.error("url", "give either the feed's URL or its XML");
            None
        }
    };
    let slug = Some(form.str("slug").trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(source) = source {
        let viewer = session.user.viewer();
        match import::import_feed(&state.pool, &state.settings, viewer, source, slug).await {
            Ok(done) => {
                let slug = done.show.fields.slug;
                return Ok(see_other(&format!("/shows/{slug}?notice=imported")));
            }
            Err(ImportError::Database(e)) => return Err(UiError::Api(ApiError::Database(e))),
            Err(e @ (ImportError::InvalidSlug(_) | ImportError::SlugTaken(_))) => {
                f.error("slug", e.to_string())
            }
            Err(e @ ImportError::Fetch(FetchError::InvalidUrl(_))) => f.error("url", e.to_string()),
            Err(e) => f.error("_form", e.to_string()),
        }
    }
    let layout = Layout::new(&state, Some(&session), "Import a show", "import").await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &ImportPage { layout, f })
}
