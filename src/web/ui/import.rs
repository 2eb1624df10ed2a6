//! Moving a show in from another host: a feed URL or its XML (over `app::import`).

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use serde::Deserialize;

use super::{
    error::UiError,
    form::Fields,
    page::{render, render_status, see_other, Layout},
    session::{CsrfForm, Session},
};
use crate::app;
use crate::app::import::{Failure, FetchError, Source};
use crate::web::AppState;

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

/// The import form: a feed URL or its XML, and perhaps the slug of a show to update.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ImportForm {
    url: String,
    rss: String,
    slug: String,
}

pub async fn run(
    State(state): State<AppState>,
    session: Session,
    CsrfForm { form, raw }: CsrfForm<ImportForm>,
) -> Result<Response, UiError> {
    let mut f = Fields::from_form(&raw);
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
        match app::import::import(&state.app, who, source, slug).await {
            Ok(done) => {
                let slug = done.show.fields.slug;
                return Ok(see_other(&format!("/shows/{slug}?notice=imported")));
            }
            Err(app::Error::Import(e @ Failure::Fetch(FetchError::InvalidUrl(_)))) => {
                f.error("url", e.to_string())
            }
            Err(err) => f.absorb(err, str::to_string)?,
        }
    }
    let layout = Layout::new(&state, Some(&session), "Import a show", "import").await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &ImportPage { layout, f })
}
