//! My shows, and creating and editing a show (over `api::shows`' validation and writes).

use std::sync::LazyLock;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};

use super::{
    auth::NoticeQuery,
    error::UiError,
    form::{Fields, FormData},
    page::{render, render_status, see_other, Layout},
    session::{CsrfForm, Session},
};
use crate::db::shows::{self, Category, Funding, Show};
use crate::db::ui_settings;
use crate::domain::feed_url;
use crate::feed::categories::APPLE_CATEGORIES;
use crate::web::api::{
    feeds::publish_state,
    shows::{create_show, update_show, ShowInput},
};
use crate::web::AppState;

/// One line of the shows list.
pub struct ShowRow {
    pub slug: String,
    pub title: String,
    pub state: &'static str,
    pub status: String,
    pub feed_url: String,
}

impl ShowRow {
    pub fn new(show: &Show, base: &str) -> ShowRow {
        ShowRow {
            slug: show.fields.slug.clone(),
            title: show.fields.title.clone(),
            state: publish_state(show),
            status: show.status.clone(),
            feed_url: feed_url(base, &show.fields.slug),
        }
    }
}

#[derive(Template)]
#[template(path = "ui/shows/list.html")]
struct ListPage {
    layout: Layout,
    shows: Vec<ShowRow>,
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let base = &state.settings.feed_base_url;
    let shows = shows::list_visible(&state.pool, session.user.viewer())
        .await?
        .iter()
        .map(|s| ShowRow::new(s, base))
        .collect();
    let layout = Layout::new(&state, Some(&session), "Your shows", "shows")
        .await?
        .with_notice(q.notice.as_deref());
    render(&ListPage { layout, shows })
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
    categories: Vec<Row>,
    funding: Vec<Row>,
    options: &'static [(String, String)],
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
    Ok(FormPage {
        layout,
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
        ui_settings::get(&state.pool).await?.default_language,
    );
    f.set("type", "episodic");
    f.set("owner_email", session.user.email.clone());
    render(&form_page(&state, &session, f, None, None).await?)
}

/// The form's values as the API's input; `creating` also sends the slug.
fn input(form: &FormData, creating: bool) -> ShowInput {
    let text = |name: &str| Some(Some(form.str(name).to_string()));
    let categories = (0..10)
        .map(|i| form.str(&format!("category_{i}")))
        .filter(|v| !v.is_empty())
        .map(|v| match v.split_once('|') {
            Some((name, sub)) => Category {
                name: name.into(),
                sub: Some(sub.into()),
            },
            None => Category {
                name: v.into(),
                sub: None,
            },
        })
        .collect();
    let funding = (0..10)
        .filter(|i| !form.str(&format!("funding_{i}_url")).trim().is_empty())
        .map(|i| Funding {
            url: form.str(&format!("funding_{i}_url")).trim().into(),
            label: form.str(&format!("funding_{i}_label")).into(),
        })
        .collect();
    ShowInput {
        slug: creating.then(|| form.str("slug").trim().to_string()),
        title: Some(form.str("title").to_string()),
        description: text("description"),
        author: text("author"),
        owner_name: text("owner_name"),
        owner_email: text("owner_email"),
        language: Some(form.str("language").to_string()),
        categories: Some(categories),
        explicit: Some(form.has("explicit")),
        show_type: Some(form.str("type").to_string()),
        image_url: text("image_url"),
        link: text("link"),
        copyright: text("copyright"),
        locked: Some(form.has("locked")),
        complete: Some(form.has("complete")),
        funding: Some(funding),
        ..ShowInput::default()
    }
}

/// API field names to the form's.
fn field_name(api: &str) -> String {
    match api {
        "categories" => "category_0".into(),
        "funding" => "funding_0_url".into(),
        other => other.into(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    match create_show(&state, &session.user, input(&form, true)).await {
        Ok(show) => Ok(see_other(&format!(
            "/shows/{}?notice=created",
            show.fields.slug
        ))),
        Err(err) => {
            let mut f = Fields::from_form(&form);
            f.absorb(err, field_name)?;
            let page = form_page(&state, &session, f, None, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// The stored show as the form shows it.
fn fields_of(show: &Show) -> Fields {
    let s = &show.fields;
    let mut f = Fields::default();
    f.set("slug", s.slug.clone());
    f.set("title", s.title.clone());
    f.set("description", s.description.clone());
    f.set_opt("author", s.author.as_ref());
    f.set_opt("owner_name", s.owner_name.as_ref());
    f.set_opt("owner_email", s.owner_email.as_ref());
    f.set("language", s.language.clone());
    f.set("type", s.show_type.clone());
    f.set_opt("image_url", s.image_url.as_ref());
    f.set_opt("link", s.link.as_ref());
    f.set_opt("copyright", s.copyright.as_ref());
    f.set_flag("explicit", s.explicit);
    f.set_flag("locked", s.locked);
    f.set_flag("complete", s.complete);
    for (i, c) in s.categories.iter().enumerate() {
        let value = match &c.sub {
            Some(sub) => format!("{}|{sub}", c.name),
            None => c.name.clone(),
        };
        f.set(&format!("category_{i}"), value);
    }
    for (i, fund) in s.funding.iter().enumerate() {
        f.set(&format!("funding_{i}_url"), fund.url.clone());
        f.set(&format!("funding_{i}_label"), fund.label.clone());
    }
    f
}

pub async fn edit_page(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, UiError> {
    let show = session.user.show(&state.pool, &slug).await?;
    let page = form_page(
        &state,
        &session,
        fields_of(&show),
        Some(&slug),
        q.notice.as_deref(),
    )
    .await?;
    render(&page)
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    Path(slug): Path<String>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, UiError> {
    match update_show(&state, &session.user, &slug, input(&form, false)).await {
        Ok(_) => Ok(see_other(&format!("/shows/{slug}/edit?notice=saved"))),
        Err(err) => {
            let mut f = Fields::from_form(&form);
            f.set("slug", slug.clone());
            f.absorb(err, field_name)?;
            let page = form_page(&state, &session, f, Some(&slug), None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
