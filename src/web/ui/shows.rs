//! My shows, and creating and editing a show (over `api::shows`' validation and writes).

use std::sync::LazyLock;

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use super::{
    error::UiError,
    flash::{see_other_with, Notice},
    form::Fields,
    notes::NotesView,
    page::{render, render_status, Layout},
    session::{CsrfForm, Session},
    show_form::{field_name, fields_of, ShowForm},
};
use crate::app::{self, shows};
use crate::domain::{Show, ShowType};
use crate::feed::categories::APPLE_CATEGORIES;
use crate::web::AppState;

/// One line of the shows list.
pub struct ShowRow {
    pub slug: String,
    pub title: String,
    pub state: &'static str,
    pub status: &'static str,
    pub feed_url: String,
}

impl ShowRow {
    pub fn new(show: &Show, state: &AppState) -> ShowRow {
        ShowRow {
            slug: show.fields.slug.clone(),
            title: show.fields.title.clone(),
            state: show.publish_state().as_str(),
            status: show.status.as_str(),
            feed_url: state.app.feed_url(&show.fields.slug),
        }
    }
}

/// A repeated input on the show form: a category, or a funding link and its label.
pub struct Row {
    pub field: String,
    pub value: String,
    pub label_field: String,
    pub label: String,
    pub error: Option<String>,
}

fn rows(f: &Fields, prefix: &str, suffix: &str, label: &str, min: usize) -> Vec<Row> {
    let name = |i: usize, s: &str| format!("{prefix}_{i}{s}");
    let used = (0..10)
        .rev()
        .find(|i| !f.v(&name(*i, suffix)).is_empty())
        .map_or(0, |i| i + 1);
    (0..(used + 1).clamp(min, 10))
        .map(|i| Row {
            field: name(i, suffix),
            value: f.v(&name(i, suffix)).to_string(),
            label_field: name(i, label),
            label: f.v(&name(i, label)).to_string(),
            error: f.err(&name(i, suffix)).map(str::to_string),
        })
        .collect()
}

/// Apple's categories as `<option>`s: value `Name` or `Name|Sub`, and the text shown.
static CATEGORY_OPTIONS: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
    let mut options = Vec::new();
    for c in APPLE_CATEGORIES {
        options.push((c.name.to_string(), c.name.to_string()));
        for sub in c.subcategories {
            options.push((format!("{}|{sub}", c.name), format!("{} › {sub}", c.name)));
        }
    }
    options
});

#[derive(Template)]
#[template(path = "ui/shows/form.html")]
struct FormPage {
    layout: Layout,
    f: Fields,
    creating: bool,
    slug: String,
    tab: &'static str,
    /// An owner or admin: may delete the show (editors are told why not).
    owned: bool,
    categories: Vec<Row>,
    funding: Vec<Row>,
    options: &'static [(String, String)],
    /// The description's editor.
    notes: NotesView,
}

impl FormPage {
    /// Whether a stored category is missing from Apple's list (it stays selectable).
    fn unknown(&self, value: &str) -> bool {
        !value.is_empty() && !self.options.iter().any(|(v, _)| v == value)
    }
}

async fn form_page(
    state: &AppState,
    session: &Session,
    f: Fields,
    slug: Option<&str>,
    notice: Option<&str>,
) -> Result<FormPage, UiError> {
    let title = if slug.is_some() {
        "Edit show"
    } else {
        "New show"
    };
    let layout = Layout::new(state, Some(session), title, "shows")
        .await?
        .with_notice(notice);
    let owned = match slug {
        Some(slug) => {
            let show = shows::get(&state.app, session.user.viewer(), slug).await?;
            shows::owns(&state.app, session.user.viewer(), &show).await?
        }
        None => true,
    };
    Ok(FormPage {
        layout,
        owned,
        notes: NotesView::show(slug, &f),
        categories: rows(&f, "category", "", "_sub", 2),
        funding: rows(&f, "funding", "_url", "_label", 1),
        f,
        creating: slug.is_none(),
        slug: slug.unwrap_or_default().to_string(),
        tab: "edit",
        options: &CATEGORY_OPTIONS,
    })
}

pub async fn new_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, UiError> {
    let mut f = Fields::default();
    f.set(
        "language",
        app::settings::get(&state.app).await?.default_language,
    );
    f.set("type", ShowType::Episodic.as_str());
    f.set("owner_email", session.user.email.clone());
    render(&form_page(&state, &session, f, None, None).await?)
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    CsrfForm { form, raw }: CsrfForm<ShowForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let mut f = Fields::from_form(&raw);
    let previews = form.previews();
    let input = form.into_input(&mut f, true, None);
    if !previews && !f.has_errors() {
        match shows::create(&state.app, who, input).await {
            Ok(show) => {
                let to = format!("/shows/{}", show.fields.slug);
                return Ok(see_other_with(&to, "created"));
            }
            Err(err) => f.absorb(err, field_name)?,
        }
    }
    let page = form_page(&state, &session, f, None, None).await?;
    render_status(answer_status(previews), &page)
}

/// A preview is what was asked for; anything else back on the form is a refusal.
fn answer_status(previews: bool) -> StatusCode {
    if previews {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

pub async fn edit_page(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    notice: Notice,
) -> Result<Response, UiError> {
    let show = shows::get(&state.app, session.user.viewer(), &slug).await?;
    let page = form_page(
        &state,
        &session,
        fields_of(&show),
        Some(&slug),
        notice.code(),
    )
    .await?;
    render(&page)
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm { form, raw }: CsrfForm<ShowForm>,
) -> Result<Response, UiError> {
    let who = session.user.viewer();
    let stored = fields_of(&shows::get(&state.app, who, &slug).await?);
    let mut f = Fields::from_form(&raw);
    f.set("slug", slug.clone());
    let previews = form.previews();
    let input = form.into_input(&mut f, false, Some(&stored));
    if !previews && !f.has_errors() {
        match shows::update(&state.app, who, &slug, input).await {
            Ok(_) => return Ok(see_other_with(&format!("/shows/{slug}/edit"), "saved")),
            Err(err) => f.absorb(err, field_name)?,
        }
    }
    let page = form_page(&state, &session, f, Some(&slug), None).await?;
    render_status(answer_status(previews), &page)
}
